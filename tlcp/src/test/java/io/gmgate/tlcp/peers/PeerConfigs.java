package io.gmgate.tlcp.peers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.PeerDialect;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;

/** Our engine's configurations for the native-peer tests, built from a {@link PeerPki}. */
final class PeerConfigs {

    static final SecureRandom RANDOM = new SecureRandom();

    private PeerConfigs() {
    }

    static TlcpCredentials credentials(PeerPki.Identity id) {
        return TlcpCredentials.inMemory(id.sign().certificate(), id.sign().key().orElseThrow(),
                id.enc().certificate(), id.enc().key().orElseThrow(), List.of());
    }

    static TlcpServerConfig server(PeerPki pki, PeerPki.Identity id, CipherSuite suite, ClientAuth auth) {
        return new TlcpServerConfig(List.of(suite), auth, credentials(id),
                new X509CertificatePolicy(List.of(pki.rootCertificate()), RevocationCheck.NONE, suite.ecdhe),
                new InMemorySessionCache(16, Duration.ofMinutes(5), Clock.systemUTC()), Clock.systemUTC(), RANDOM);
    }

    static TlcpClientConfig client(PeerPki pki, Optional<PeerPki.Identity> id, CipherSuite suite, EcdheEncoding encoding,
                                   PeerDialect dialect) {
        return new TlcpClientConfig(List.of(suite), id.map(PeerConfigs::credentials),
                new X509CertificatePolicy(List.of(pki.rootCertificate()), RevocationCheck.NONE, true), Optional.empty(),
                encoding, Clock.systemUTC(), RANDOM, dialect);
    }

    /** Our client: connect, handshake, send an HTTP GET, read the answer until the peer closes or it is complete. */
    static ClientResult get(TlcpClientConfig config, int port) throws IOException {
        TlcpEngine engine = TlcpEngine.client("interop-client", config);
        try (EngineSocket conn = new EngineSocket(engine, new Socket(InetAddress.getLoopbackAddress(), port))) {
            conn.handshake(Duration.ofSeconds(20));
            conn.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = conn.readUntil(b -> false, Duration.ofSeconds(5));
            return new ClientResult(engine, new String(answer, StandardCharsets.ISO_8859_1));
        }
    }

    record ClientResult(TlcpEngine engine, String answer) {
    }
}
