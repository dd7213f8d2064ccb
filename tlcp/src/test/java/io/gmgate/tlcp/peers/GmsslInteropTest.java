package io.gmgate.tlcp.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.params.provider.MethodSource;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.PeerDialect;

/**
 * Our engine against GmSSL 3.x ({@code gmssl tlcp_server}/{@code tlcp_client}) over loopback, both
 * directions, every suite, with and without client authentication. Runs when GMGATE_GMSSL points at
 * the binary (built outside the repository), skipped otherwise.
 *
 * <p>GmSSL's forms (design §13): its client sends only the sign chain in the ECC suites and sign +
 * enc in ECDHE; its ECDHE ClientKeyExchange carries a 2-byte length; its ECDHE server always asks
 * for a client certificate.
 */
class GmsslInteropTest {

    @TempDir
    static Path dir;
    static Path gmssl;
    static PeerPki pki;
    static PeerPki.Identity gmsslServer;
    static PeerPki.Identity gmsslClient;
    static PeerPki.Identity ourServer;
    static PeerPki.Identity ourClient;

    @BeforeAll
    static void pki() {
        gmssl = NativeTool.GMSSL.require();
        pki = PeerPki.create(dir);
        gmsslServer = pki.fromGmssl(gmssl, "gmssl-server", "localhost");
        gmsslClient = pki.fromGmssl(gmssl, "gmssl-client", "8001234");
        ourServer = pki.inMemory("our-server", "localhost");
        ourClient = pki.inMemory("our-client", "8005678");
    }

    static String name(CipherSuite s) {
        return "TLS_" + s.name();
    }

    static Stream<Arguments> cases() {
        return Stream.of(CipherSuite.values()).flatMap(s -> Stream.of(ClientAuth.NONE, ClientAuth.REQUIRED)
                // GmSSL's ECDHE server always requests a client certificate
                .filter(a -> !(s.ecdhe && a == ClientAuth.NONE))
                .map(a -> Arguments.of(s, a)));
    }

    @ParameterizedTest(name = "our client -> gmssl tlcp_server, {0}, client auth {1}")
    @MethodSource("cases")
    void ourClientToGmsslServer(CipherSuite suite, ClientAuth auth) throws Exception {
        Path chain = pki.bundle("gmssl-server.chain.pem", gmsslServer.sign().certificate(),
                gmsslServer.enc().certificate(), pki.rootCertificate());
        Path keys = pki.concat("gmssl-server.keys.pem", gmsslServer.sign().keyPem(), gmsslServer.enc().keyPem());
        int port = NativeRun.freePort();
        List<String> cmd = new ArrayList<>(List.of(gmssl.toString(), "tlcp_server", "-port", Integer.toString(port),
                "-cert", chain.toString(), "-key", keys.toString(), "-pass", PeerPki.PASSWORD,
                "-cipher_suite", name(suite), "-www"));
        if (auth == ClientAuth.REQUIRED) {
            cmd.addAll(List.of("-cert_request", "-cacert", pki.rootPem().toString()));
        }
        try (NativeRun server = NativeRun.start(cmd, dir, dir.resolve("gmssl-server-" + suite + "-" + auth + ".log"))) {
            server.awaitListening(port, Duration.ofSeconds(10));
            Optional<PeerPki.Identity> id = auth == ClientAuth.REQUIRED ? Optional.of(ourClient) : Optional.empty();
            PeerConfigs.ClientResult r;
            try {
                r = PeerConfigs.get(PeerConfigs.client(pki, id, suite, EcdheEncoding.LENGTH_PREFIXED, PeerDialect.GMSSL), port);
            } catch (Exception | AssertionError e) {
                throw new AssertionError("against " + server.describe(), e);
            }
            assertEquals(suite, r.engine().suite(), server.describe());
            assertTrue(r.answer().contains("200 OK"), () -> "answer: " + r.answer() + "\n" + server.describe());
        }
    }

    @ParameterizedTest(name = "gmssl tlcp_client -> our server, {0}, client auth {1}")
    @MethodSource("cases")
    void gmsslClientToOurServer(CipherSuite suite, ClientAuth auth) throws Exception {
        try (OurServer server = OurServer.start(PeerConfigs.server(pki, ourServer, suite, auth))) {
            List<String> cmd = new ArrayList<>(List.of(gmssl.toString(), "tlcp_client", "-host", "localhost", // GmSSL matches DNS names only, not IP SANs
                    "-port", Integer.toString(server.port()), "-cacert", pki.rootPem().toString(),
                    "-cipher_suite", name(suite), "-get", "/"));
            if (auth == ClientAuth.REQUIRED) {
                // GmSSL's client sends the sign chain in ECC suites, sign + enc in ECDHE (design §13)
                Path chain = suite.ecdhe
                        ? pki.bundle("gmssl-client.double.pem", gmsslClient.sign().certificate(),
                                gmsslClient.enc().certificate(), pki.rootCertificate())
                        : pki.bundle("gmssl-client.sign.pem", gmsslClient.sign().certificate(), pki.rootCertificate());
                Path keys = suite.ecdhe
                        ? pki.concat("gmssl-client.keys.pem", gmsslClient.sign().keyPem(), gmsslClient.enc().keyPem())
                        : gmsslClient.sign().keyPem();
                cmd.addAll(List.of("-cert", chain.toString(), "-key", keys.toString(), "-pass", PeerPki.PASSWORD));
            }
            try (NativeRun client = NativeRun.start(cmd, dir, dir.resolve("gmssl-client-" + suite + "-" + auth + ".log"))) {
                client.awaitOutput(OurServer.BODY, Duration.ofSeconds(20));
                OurServer.Outcome o = server.await(Duration.ofSeconds(20));
                assertNull(o.failure(), () -> "our server failed: " + o.failure() + "\n" + client.describe());
                assertEquals(suite, o.engine().suite());
                assertTrue(o.request().startsWith("GET / "), () -> "request: " + o.request());
                assertEquals(auth == ClientAuth.REQUIRED, !o.engine().peerCertificates().isEmpty());
                assertTrue(client.output().contains(OurServer.BODY), client::describe);
            }
        }
    }
}
