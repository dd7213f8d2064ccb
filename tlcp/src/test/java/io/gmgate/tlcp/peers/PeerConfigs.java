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
import io.gmgate.tlcp.io.EngineSocket;
import io.gmgate.tlcp.io.EngineSockets;

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
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
             EngineSocket<TlcpEngine> conn = EngineSocket.over(s, engine)) {
            s.setSoTimeout(20_000);
            conn.handshake();
            conn.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5_000);
            byte[] answer = EngineSockets.readUntil(conn, b -> false);
            return new ClientResult(engine, new String(answer, StandardCharsets.ISO_8859_1));
        }
    }

    record ClientResult(TlcpEngine engine, String answer) {
    }
}
