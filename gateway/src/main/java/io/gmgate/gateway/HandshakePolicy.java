package io.gmgate.gateway;

import java.util.Optional;

import io.gmgate.tlcp.ClientAuth;

/**
 * The access-mode policy a GM listener asks for each new connection (design §5): NORMAL demands
 * two-way TLCP on the trading listener, ONE_WAY accepts one-way, BYPASS may refuse GM handshakes.
 * The app backs it with the cluster's mode registry; the listener is only the mechanism.
 */
public interface HandshakePolicy {

    /** The client authentication to demand on {@code listener} now; empty to refuse the connection. */
    Optional<ClientAuth> clientAuth(String listener);

    /** The access mode in force for {@code listener}, as reported to the trading front. */
    String accessMode(String listener);

    /** A fixed policy: always this client authentication, mode NORMAL. */
    static HandshakePolicy fixed(ClientAuth auth) {
        return new HandshakePolicy() {
            @Override
            public Optional<ClientAuth> clientAuth(String listener) {
                return Optional.of(auth);
            }

            @Override
            public String accessMode(String listener) {
                return "NORMAL";
            }
        };
    }
}
