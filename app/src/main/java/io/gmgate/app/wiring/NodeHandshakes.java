package io.gmgate.app.wiring;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.gmgate.ca.PgCaStore;
import io.gmgate.tlcp.CertificatePathValidator;
import io.gmgate.tlcp.CertificatePolicy;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.SessionBinding;
import io.gmgate.tlcp.SessionCache;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.tls13.Tls13Credentials;
import io.gmgate.tlcp.tls13.Tls13ServerConfig;

/** The server side of a node's handshakes, from its {@link NodeTls}: what each GM listener is given. */
final class NodeHandshakes {

    private final NodeTls tls;
    private final Clock clock;
    private final SecureRandom random;

    NodeHandshakes(NodeTls tls, Clock clock, SecureRandom random) {
        this.tls = tls;
        this.clock = clock;
        this.random = random;
    }

    /**
     * One path validator and one certificate gate for TLCP and TLS 1.3 (docs/security.md, "Certificate
     * paths and the certificate gate"): the account sent to the front comes from the CA's record the
     * gate bound the certificate to, not from its subject.
     */
    X509CertificatePolicy clientCertificates(CertificateGate gate, DataSource database) {
        return new X509CertificatePolicy(new CertificatePathValidator(tls.trustRoots(), tls.credentials().caCertificates(),
                new CaCrlIssuerStatus(new PgCaStore(database), clock)), gate, false);
    }

    Function<ClientAuth, TlcpServerConfig> tlcp(String listener, CertificatePolicy clients, SessionCache sessions,
                                                SessionBinding devices) {
        return auth -> new TlcpServerConfig(tls.suites(), auth, tls.credentials(), clients, sessions, clock, random, listener,
                devices);
    }

    /** TLS 1.3 (RFC 8998) on the same ports when enabled: the first record tells it from TLCP. */
    Optional<Function<ClientAuth, Tls13ServerConfig>> tls13(CertificatePolicy clients) {
        if (!tls.tls13()) {
            return Optional.empty();
        }
        return Optional.of(auth -> new Tls13ServerConfig(new Tls13Credentials(Stream.concat(
                Stream.of(tls.credentials().signCertificate()), tls.credentials().caCertificates().stream()).toList(),
                tls.credentials().signKey()), tls.trustRoots(), Tls13ServerConfig.ClientAuth.valueOf(auth.name()), clock, random,
                clients));
    }
}
