package io.gmgate.tlcp.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * gmgate's TLCP engine against openEuler BGMProvider (an independent JSSE implementation), both
 * directions, every suite BGMProvider offers, with and without client authentication.
 */
class BgmInteropTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static TestPki pki;
    private static TestPki.DoubleCert server;
    private static TestPki.DoubleCert trader;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("bgm-interop");
        server = pki.issueDouble("localhost");
        trader = pki.issueDouble("8001234");
    }

    static Stream<Arguments> cases() {
        return BgmPeer.SUITES.stream().flatMap(s -> Stream.of(BgmPeer.ClientAuth.values())
                .filter(a -> BgmPeer.handshakes(s, a)).map(a -> Arguments.of(s, a)));
    }

    private static TlcpCredentials creds(TestPki.DoubleCert d) {
        return TlcpCredentials.inMemory(d.sign().certificate(), d.sign().key(), d.enc().certificate(), d.enc().key(),
                List.of(pki.rootCertificate()));
    }

    @ParameterizedTest(name = "our client → BGM server, {0}, server client-auth {1}")
    @MethodSource("cases")
    void ourClientToBgmServer(String suite, BgmPeer.ClientAuth auth) throws Exception {
        try (BgmPeer.Server bgm = BgmPeer.server(suite, auth, server, pki.rootCertificate())) {
            TlcpClientConfig cfg = new TlcpClientConfig(List.of(CipherSuite.valueOf(suite)), Optional.of(creds(trader)),
                    new X509CertificatePolicy(List.of(pki.rootCertificate()), RevocationCheck.NONE, true),
                    Optional.empty(), EcdheEncoding.BARE, Clock.systemUTC(), RANDOM);
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), bgm.port())) {
                raw.setSoTimeout(15_000);
                TlcpSocket s;
                try {
                    s = TlcpSocket.client(raw, cfg).handshake();
                } catch (RuntimeException e) {
                    bgm.awaitFirst();
                    throw new AssertionError("BGM server saw: " + bgm.failures(), e);
                }
                byte[] msg = ("order via " + suite).getBytes(StandardCharsets.US_ASCII);
                s.getOutputStream().write(msg);
                byte[] back = new byte[msg.length];
                try {
                    new DataInputStream(s.getInputStream()).readFully(back);
                } catch (IOException e) {
                    bgm.awaitFirst();
                    throw new AssertionError("BGM server saw: " + bgm.failures(), e);
                }
                assertArrayEquals(msg, back);
                assertEquals(CipherSuite.valueOf(suite), s.engine().suite());
                s.close();
            }
            assertTrue(bgm.awaitFirst());
            assertTrue(bgm.failures().isEmpty(), bgm.failures().toString());
        }
    }

    @ParameterizedTest(name = "BGM client → our server, {0}, client-auth {1}")
    @MethodSource("cases")
    void bgmClientToOurServer(String suite, BgmPeer.ClientAuth auth) throws Exception {
        ClientAuth ours = switch (auth) {
            case NONE -> ClientAuth.NONE;
            case WANT -> ClientAuth.OPTIONAL;
            case NEED -> ClientAuth.REQUIRED;
        };
        TlcpServerConfig cfg = new TlcpServerConfig(List.of(CipherSuite.valueOf(suite)), ours, creds(server),
                new X509CertificatePolicy(List.of(pki.rootCertificate()), RevocationCheck.NONE, false),
                new InMemorySessionCache(10, Duration.ofMinutes(5), Clock.systemUTC()), Clock.systemUTC(), RANDOM);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<?>> served = CompletableFuture.supplyAsync(() -> {
                try (Socket raw = listener.accept()) {
                    raw.setSoTimeout(15_000);
                    TlcpSocket s = TlcpSocket.server(raw, cfg).handshake();
                    byte[] buf = new byte[64];
                    int n = s.getInputStream().read(buf);
                    s.getOutputStream().write(buf, 0, n);
                    List<?> peer = s.engine().peerCertificates();
                    s.close();
                    return peer;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] msg = "cancel 42".getBytes(StandardCharsets.US_ASCII);
            BgmPeer.Echo echo = BgmPeer.echo(listener.getLocalPort(), suite, trader, pki.rootCertificate(), msg);
            assertArrayEquals(msg, echo.reply());
            assertEquals(suite, echo.cipherSuite());
            List<?> peer = served.get(20, TimeUnit.SECONDS);
            boolean clientAuthenticated = auth != BgmPeer.ClientAuth.NONE || suite.startsWith("ECDHE");
            assertEquals(clientAuthenticated, !peer.isEmpty());
        }
    }
}
