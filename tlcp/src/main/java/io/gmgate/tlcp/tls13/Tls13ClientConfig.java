package io.gmgate.tlcp.tls13;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.tlcp.GatewayIdentity;

/**
 * What a TLS 1.3 (RFC 8998) client needs: the roots the server's chain must reach, its own
 * credentials if the server asks for a certificate (may be null), the server name to send as SNI
 * (may be null; IP literals are never sent, RFC 6066 §3), and its clock and random source.
 * {@code identity}, when not null, is checked after the chain for {@code serverName} (the host
 * dialled, name or address): terminals require the gateway role and name (design §4 step 5).
 */
public record Tls13ClientConfig(List<X509CertificateHolder> trustRoots, Tls13Credentials credentials,
                                String serverName, Clock clock, SecureRandom random, GatewayIdentity identity) {

    /** A client that checks the chain only (no identity): for peers that are not gmgate gateways. */
    public Tls13ClientConfig(List<X509CertificateHolder> trustRoots, Tls13Credentials credentials,
                             String serverName, Clock clock, SecureRandom random) {
        this(trustRoots, credentials, serverName, clock, random, null);
    }

    public Tls13ClientConfig {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        trustRoots = List.copyOf(Objects.requireNonNull(trustRoots, "trustRoots"));
        if (trustRoots.isEmpty()) {
            throw new Tls13Exception(Tls13Errors.BAD_CONFIGURATION, "a TLS 1.3 client needs at least one trust root");
        }
        if (identity != null && (serverName == null || serverName.isEmpty())) {
            throw new Tls13Exception(Tls13Errors.BAD_CONFIGURATION, "checking the server's identity needs the host dialled as serverName");
        }
    }
}
