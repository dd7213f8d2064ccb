package io.gmgate.tlcp.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.gmgate.error.GmgateException;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.EngineSocket;
import io.gmgate.tlcp.io.EngineSockets;

/**
 * Our TLCP engine against openEuler BGMProvider 1.1.4 over loopback sockets: our client to a BGM
 * server and a BGM client to our server, every suite BGM offers, each client-authentication mode,
 * with and without a client double certificate. ECDHE without a client certificate cannot work
 * (the SM2 key exchange needs the client's encryption key, GB/T 38636-2020 §6.4.5.7): those rows
 * expect a clean failure on our side.
 */
class BgmInteropTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] MSG = "TLCP interop: buy 1 IF2612".getBytes(StandardCharsets.US_ASCII);

    private static TestPki pki;
    private static TestPki.DoubleCert serverCert;
    private static TestPki.DoubleCert clientCert;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("bgm-interop");
        serverCert = pki.issueDouble("localhost");
        clientCert = pki.issueDouble("8001234");
    }

    private static TlcpCredentials credentials(TestPki.DoubleCert d) {
        return TlcpCredentials.inMemory(d.sign().certificate(), d.sign().key(), d.enc().certificate(), d.enc().key(),
                List.of());
    }

    private static TlcpServerConfig serverConfig(CipherSuite suite, ClientAuth auth) {
        return new TlcpServerConfig(List.of(suite), auth, credentials(serverCert),
                new X509CertificatePolicy(List.of(pki.rootCertificate()), RevocationCheck.NONE, false),
                new InMemorySessionCache(16, Duration.ofMinutes(5), Clock.systemUTC()), Clock.systemUTC(), RANDOM);
    }

    private static TlcpClientConfig clientConfig(CipherSuite suite, boolean withCertificate) {
        return new TlcpClientConfig(List.of(suite), withCertificate ? Optional.of(credentials(clientCert)) : Optional.empty(),
                new X509CertificatePolicy(List.of(pki.rootCertificate()), RevocationCheck.NONE, true), Optional.empty(),
                EcdheEncoding.BARE, Clock.systemUTC(), RANDOM);
    }

    /*
     * Two engine bugs were found with this test and fixed: the client's CertificateVerify must sign
     * SM3(handshake_messages) as BGMProvider does (BgmWireFactsTest), and the SM2 key exchange of the
     * ECDHE suites makes the server the initiator (BgmSm2KeyExchangeTest).
     */

    /** suite × the server's client-auth mode × whether the client has a double certificate. */
    static Stream<Arguments> matrix(boolean ourClient) {
        return BgmPeer.SUITES.stream().flatMap(s -> Stream.of(
                row(ourClient, s, "NONE", false),
                row(ourClient, s, "OPTIONAL", false),
                row(ourClient, s, "OPTIONAL", true),
                row(ourClient, s, "REQUIRED", true)));
    }

    static Stream<Arguments> ourClientRows() {
        return matrix(true);
    }

    static Stream<Arguments> bgmClientRows() {
        return matrix(false);
    }

    private static Arguments row(boolean ourClient, String suite, String auth, boolean cert) {
        String note = "";
        boolean authenticated = !auth.equals("NONE") && cert;
        if (!canWork(suite, auth, cert)) {
            note = "expected to fail: ECDHE needs the client's encryption key";
        }
        return Arguments.of(suite, auth, cert, note);
    }

    private static boolean canWork(String suite, String auth, boolean clientHasCert) {
        return !suite.startsWith("ECDHE_") || auth.equals("NONE") ? !suite.startsWith("ECDHE_") : clientHasCert;
    }

    @ParameterizedTest(name = "our client -> BGM server, {0}, client auth {1}, client certificate {2} {3}")
    @MethodSource("ourClientRows")
    void ourClientToBgmServer(String suite, String auth, boolean clientHasCert, String note) throws Exception {
        naming(note, () -> ourClientToBgm(suite, auth, clientHasCert));
    }

    private void ourClientToBgm(String suite, String auth, boolean clientHasCert) throws Exception {
        BgmPeer.ClientAuth bgmAuth = switch (auth) {
            case "NONE" -> BgmPeer.ClientAuth.NONE;
            case "OPTIONAL" -> BgmPeer.ClientAuth.WANT;
            default -> BgmPeer.ClientAuth.NEED;
        };
        try (BgmPeer.Server bgm = BgmPeer.server(suite, bgmAuth, serverCert, pki.rootCertificate());
             Socket s = new Socket(InetAddress.getLoopbackAddress(), bgm.port())) {
            TlcpEngine engine = TlcpEngine.client("ours", clientConfig(CipherSuite.valueOf(suite), clientHasCert));
            s.setSoTimeout(15_000);
            EngineSocket<TlcpEngine> driver = EngineSocket.over(s, engine);
            if (!canWork(suite, auth, clientHasCert)) {
                assertThrows(GmgateException.class, driver::handshake);
                assertTrue(engine.failure() != null && engine.failure().errorCode().code().startsWith("TLS-"),
                        () -> String.valueOf(engine.failure()));
                return;
            }
            driver.handshake();
            assertEquals(CipherSuite.valueOf(suite), engine.suite());
            assertEquals(serverCert.sign().certificate(), engine.peerCertificates().get(0));
            driver.getOutputStream().write(MSG);
            assertArrayEquals(MSG, driver.getInputStream().readNBytes(MSG.length));
            driver.close();
            assertTrue(bgm.awaitFirst());
            assertTrue(bgm.failures().isEmpty(), () -> "BGM server failures: " + bgm.failures());
            BgmPeer.Echo seen = bgm.sessions().get(0);
            assertEquals(suite, seen.cipherSuite());
            boolean authenticated = !auth.equals("NONE") && clientHasCert;
            assertEquals(authenticated, !seen.peerChain().isEmpty(), () -> "BGM saw " + seen.describeChain());
        }
    }

    @ParameterizedTest(name = "BGM client -> our server, {0}, client auth {1}, client certificate {2} {3}")
    @MethodSource("bgmClientRows")
    void bgmClientToOurServer(String suite, String auth, boolean clientHasCert, String note) throws Exception {
        naming(note, () -> bgmClientToOurs(suite, auth, clientHasCert));
    }

    private void bgmClientToOurs(String suite, String auth, boolean clientHasCert) throws Exception {
        TlcpEngine engine = TlcpEngine.server("ours", serverConfig(CipherSuite.valueOf(suite), ClientAuth.valueOf(auth)));
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> served = CompletableFuture.supplyAsync(() -> serveOne(listener, engine));
            if (!canWork(suite, auth, clientHasCert)) {
                assertThrows(IOException.class, () -> BgmPeer.echo(listener.getLocalPort(), suite,
                        clientHasCert ? clientCert : null, pki.rootCertificate(), MSG));
                ExecutionException e = assertThrows(ExecutionException.class, () -> served.get(20, TimeUnit.SECONDS));
                assertTrue(engine.isClosed(), () -> "our server still open after " + e.getCause());
                return;
            }
            BgmPeer.Echo echo = BgmPeer.echo(listener.getLocalPort(), suite, clientHasCert ? clientCert : null,
                    pki.rootCertificate(), MSG);
            assertArrayEquals(MSG, echo.reply());
            assertEquals(suite, echo.cipherSuite());
            assertEquals(MSG.length, served.get(20, TimeUnit.SECONDS));
            boolean authenticated = !auth.equals("NONE") && clientHasCert;
            assertEquals(authenticated, !engine.peerCertificates().isEmpty());
            if (authenticated) {
                assertEquals(clientCert.sign().certificate(), engine.peerCertificates().get(0));
            }
        }
    }

    /** Runs a row; a known engine bug's note leads the failure message, so the console names it. */
    private static void naming(String note, org.junit.jupiter.api.function.Executable row) throws Exception {
        try {
            row.execute();
        } catch (Throwable t) {
            if (note.startsWith("ENGINE BUG")) {
                throw new AssertionError(note + " -- " + t, t);
            }
            if (t instanceof Exception e) {
                throw e;
            }
            throw (Error) t;
        }
    }

    private static long serveOne(ServerSocket listener, TlcpEngine engine) {
        try (Socket s = listener.accept()) {
            s.setSoTimeout(15_000);
            return EngineSockets.echoUntilClosed(EngineSocket.over(s, engine).handshake());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
