package io.gmgate.tlcp.tls13;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.tlcp.CertificatePolicy;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.X509CertificatePolicy;

/**
 * What a TLS 1.3 (RFC 8998) listener needs, checked once: its SM2 credentials, the roots its clients'
 * certificates must chain to and the policy that checks them (the gateway's: path validator and
 * certificate gate, as for TLCP), whether it asks for a client certificate, and the clock and random
 * source the engine may use (it touches no others).
 */
public record Tls13ServerConfig(Tls13Credentials credentials, List<X509CertificateHolder> trustRoots,
                                ClientAuth clientAuth, Clock clock, SecureRandom random, CertificatePolicy clientPolicy) {

    /** Client authentication (RFC 8446 §4.3.2): not asked, asked but optional, required. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRED }

    public Tls13ServerConfig {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        trustRoots = List.copyOf(trustRoots == null ? List.of() : trustRoots);
        if (clientAuth != ClientAuth.NONE && clientPolicy == null) {
            throw new Tls13Exception(Tls13Errors.BAD_CONFIGURATION,
                    "client authentication " + clientAuth + " needs at least one trust root");
        }
    }

    /** Client certificates checked by the default policy over {@code trustRoots}, with no revocation hook. */
    public Tls13ServerConfig(Tls13Credentials credentials, List<X509CertificateHolder> trustRoots, ClientAuth clientAuth,
                             Clock clock, SecureRandom random) {
        this(credentials, trustRoots, clientAuth, clock, random, trustRoots == null || trustRoots.isEmpty() ? null
                : new X509CertificatePolicy(trustRoots, RevocationCheck.NONE, false));
    }

    /** A server that does not ask for client certificates. */
    public static Tls13ServerConfig oneWay(Tls13Credentials credentials, Clock clock, SecureRandom random) {
        return new Tls13ServerConfig(credentials, List.of(), ClientAuth.NONE, clock, random);
    }
}
