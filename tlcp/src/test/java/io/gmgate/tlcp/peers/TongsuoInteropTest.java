package io.gmgate.tlcp.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.PeerDialect;
import io.gmgate.tlcp.SessionState;
import io.gmgate.tlcp.TlcpClientConfig;

/**
 * Our engine against Tongsuo's NTLS ({@code s_server}/{@code s_client -enable_ntls}) over loopback,
 * both directions, every suite, with and without client authentication. Runs when GMGATE_TONGSUO
 * points at the binary (built outside the repository), skipped otherwise.
 *
 * <p>Tongsuo's forms (design §13): its client sends sign + enc certificates, its server requires
 * both; its ECDHE ClientKeyExchange is not length-prefixed; ECDHE needs the client's double
 * certificate.
 */
class TongsuoInteropTest {

    @TempDir
    static Path dir;
    static Path tongsuo;
    static PeerPki pki;
    static PeerPki.Identity server;
    static PeerPki.Identity client;

    @BeforeAll
    static void pki() {
        tongsuo = NativeTool.TONGSUO.require();
        pki = PeerPki.create(dir);
        server = pki.inMemory("server", "localhost");
        client = pki.inMemory("client", "8001234");
    }

    /** Tongsuo's names for the four suites. */
    static String name(CipherSuite s) {
        return switch (s) {
            case ECC_SM4_CBC_SM3 -> "ECC-SM2-SM4-CBC-SM3";
            case ECC_SM4_GCM_SM3 -> "ECC-SM2-SM4-GCM-SM3";
            case ECDHE_SM4_CBC_SM3 -> "ECDHE-SM2-SM4-CBC-SM3";
            case ECDHE_SM4_GCM_SM3 -> "ECDHE-SM2-SM4-GCM-SM3";
        };
    }

    static Stream<Arguments> cases() {
        return Stream.of(CipherSuite.values()).flatMap(s -> Stream.of(ClientAuth.NONE, ClientAuth.REQUIRED)
                .map(a -> Arguments.of(s, a)));
    }

    @ParameterizedTest(name = "our client -> tongsuo s_server, {0}, client auth {1}")
    @MethodSource("cases")
    void ourClientToTongsuoServer(CipherSuite suite, ClientAuth auth) throws Exception {
        int port = NativeRun.freePort();
        List<String> cmd = new ArrayList<>(List.of(tongsuo.toString(), "s_server", "-accept", "127.0.0.1:" + port,
                "-enable_ntls", "-sign_cert", server.sign().certificatePem().toString(),
                "-sign_key", server.sign().keyPem().toString(), "-enc_cert", server.enc().certificatePem().toString(),
                "-enc_key", server.enc().keyPem().toString(), "-cipher", name(suite), "-www", "-naccept", "1"));
        if (auth == ClientAuth.REQUIRED) {
            cmd.addAll(List.of("-Verify", "1", "-CAfile", pki.rootPem().toString(), "-verify_return_error"));
        }
        try (NativeRun peer = NativeRun.start(cmd, dir, dir.resolve("tongsuo-server-" + suite + "-" + auth + ".log"))) {
            peer.awaitListening(port, Duration.ofSeconds(10));
            // ECDHE needs the client's encryption key even when the server does not authenticate it
            Optional<PeerPki.Identity> id = auth == ClientAuth.REQUIRED || suite.ecdhe ? Optional.of(client) : Optional.empty();
            PeerConfigs.ClientResult r;
            try {
                r = PeerConfigs.get(PeerConfigs.client(pki, id, suite, EcdheEncoding.BARE, PeerDialect.STANDARD), port);
            } catch (Exception | AssertionError e) {
                throw new AssertionError("against " + peer.describe(), e);
            }
            assertEquals(suite, r.engine().suite(), peer.describe());
            assertTrue(r.answer().contains("200 ok") || r.answer().contains("200 OK"),
                    () -> "answer: " + r.answer() + "\n" + peer.describe());
        }
    }

    @ParameterizedTest(name = "tongsuo s_client -> our server, {0}, client auth {1}")
    @MethodSource("cases")
    void tongsuoClientToOurServer(CipherSuite suite, ClientAuth auth) throws Exception {
        try (OurServer ours = OurServer.start(PeerConfigs.server(pki, server, suite, auth))) {
            List<String> cmd = new ArrayList<>(List.of(tongsuo.toString(), "s_client", "-connect",
                    "127.0.0.1:" + ours.port(), "-enable_ntls", "-ntls", "-cipher", name(suite),
                    "-CAfile", pki.rootPem().toString(), "-verify_return_error", "-ign_eof"));
            if (auth == ClientAuth.REQUIRED || suite.ecdhe) {
                cmd.addAll(List.of("-sign_cert", client.sign().certificatePem().toString(),
                        "-sign_key", client.sign().keyPem().toString(),
                        "-enc_cert", client.enc().certificatePem().toString(),
                        "-enc_key", client.enc().keyPem().toString()));
            }
            try (NativeRun peer = NativeRun.start(cmd, dir, dir.resolve("tongsuo-client-" + suite + "-" + auth + ".log"))) {
                peer.stdin().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                peer.stdin().flush();
                peer.awaitOutput(OurServer.BODY, Duration.ofSeconds(20));
                OurServer.Outcome o = ours.await(Duration.ofSeconds(20));
                assertNull(o.failure(), () -> "our server failed: " + o.failure() + "\n" + peer.describe());
                assertEquals(suite, o.engine().suite());
                assertTrue(o.request().startsWith("GET / "), () -> "request: " + o.request());
                // the ECDHE suites always ask for the client's certificates (its encryption key is in the exchange)
                assertEquals(auth == ClientAuth.REQUIRED || suite.ecdhe, !o.engine().peerCertificates().isEmpty());
                assertTrue(peer.output().contains(OurServer.BODY), peer::describe);
            }
        }
    }

    @ParameterizedTest(name = "our client resumes a session with tongsuo s_server, {0}")
    @EnumSource(CipherSuite.class)
    void ourClientResumesWithTongsuoServer(CipherSuite suite) throws Exception {
        int port = NativeRun.freePort();
        List<String> cmd = List.of(tongsuo.toString(), "s_server", "-accept", "127.0.0.1:" + port, "-enable_ntls",
                "-sign_cert", server.sign().certificatePem().toString(), "-sign_key", server.sign().keyPem().toString(),
                "-enc_cert", server.enc().certificatePem().toString(), "-enc_key", server.enc().keyPem().toString(),
                "-cipher", name(suite), "-www", "-naccept", "2");
        try (NativeRun peer = NativeRun.start(cmd, dir, dir.resolve("tongsuo-server-resume-" + suite + ".log"))) {
            peer.awaitListening(port, Duration.ofSeconds(10));
            TlcpClientConfig config = PeerConfigs.client(pki, suite.ecdhe ? Optional.of(client) : Optional.empty(), suite,
                    EcdheEncoding.BARE, PeerDialect.STANDARD);
            PeerConfigs.ClientResult first = PeerConfigs.get(config, port);
            assertFalse(first.engine().resumed());
            SessionState session = first.engine().session().orElseThrow(() -> new AssertionError("no session to resume"));
            PeerConfigs.ClientResult second = PeerConfigs.get(config.resuming(session), port);
            assertTrue(second.engine().resumed(), peer::describe);
            assertEquals(suite, second.engine().suite());
            assertEquals(first.engine().peerCertificates(), second.engine().peerCertificates());
            assertTrue(second.answer().contains("200 ok") || second.answer().contains("200 OK"), second::answer);
        }
    }

    @ParameterizedTest(name = "tongsuo s_client resumes a session with our server, {0}")
    @EnumSource(CipherSuite.class)
    void tongsuoClientResumesWithOurServer(CipherSuite suite) throws Exception {
        Path session = dir.resolve("tongsuo-session-" + suite + ".pem");
        try (OurServer ours = OurServer.start(PeerConfigs.server(pki, server, suite, ClientAuth.REQUIRED), 2)) {
            for (int i = 0; i < 2; i++) {
                List<String> cmd = new ArrayList<>(List.of(tongsuo.toString(), "s_client", "-connect",
                        "127.0.0.1:" + ours.port(), "-enable_ntls", "-ntls", "-cipher", name(suite),
                        "-CAfile", pki.rootPem().toString(), "-verify_return_error", "-ign_eof",
                        "-sign_cert", client.sign().certificatePem().toString(), "-sign_key", client.sign().keyPem().toString(),
                        "-enc_cert", client.enc().certificatePem().toString(), "-enc_key", client.enc().keyPem().toString(),
                        i == 0 ? "-sess_out" : "-sess_in", session.toString()));
                try (NativeRun peer = NativeRun.start(cmd, dir, dir.resolve("tongsuo-client-resume-" + suite + "-" + i + ".log"))) {
                    peer.stdin().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    peer.stdin().flush();
                    peer.awaitOutput(OurServer.BODY, Duration.ofSeconds(20));
                    OurServer.Outcome o = ours.await(i, Duration.ofSeconds(20));
                    assertNull(o.failure(), () -> "our server failed: " + o.failure() + "\n" + peer.describe());
                    assertEquals(i == 1, o.engine().resumed(), peer::describe);
                    // a resumed session keeps the client's certificates of the full handshake
                    assertFalse(o.engine().peerCertificates().isEmpty());
                    assertTrue(peer.output().contains(i == 0 ? "New, " : "Reused, "), peer::describe);
                }
            }
        }
    }
}
