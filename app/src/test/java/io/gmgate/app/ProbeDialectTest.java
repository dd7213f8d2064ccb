package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.GmPem;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.io.TlcpSocket;
import picocli.CommandLine;

/**
 * {@code gmgate probe --dialect gmssl} and {@code --enc-key} (docs/tlcp-interop.md) against our own TLCP server
 * with client authentication required, all four suites: the server sees the certificate list in the
 * form the dialect gives (GmSSL: the sign chain only in the ECC suites, which is what its server
 * demands; standard: sign + encryption certificate), and the ECDHE suites complete once the client's
 * encryption key is given. GmSSL's server itself is exercised by tlcp's GmsslInteropTest.
 */
class ProbeDialectTest {

    private static final TestPki PKI = TestPki.create("probe dialect CA");
    private static final TestPki.DoubleCert GATEWAY = PKI.issueGateway("gateway");
    private static final TestPki.DoubleCert TRADER = PKI.issueDouble("8001234");

    /** What the server saw of one connection: the suite and the client's certificate list, or the failure. */
    private record Seen(CipherSuite suite, List<X509CertificateHolder> chain, Throwable failure) {
    }

    private static ServerSocket listener;
    private static final BlockingQueue<Seen> SEEN = new LinkedBlockingQueue<>();
    private static Thread acceptor;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        TlcpServerConfig config = new TlcpServerConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3,
                CipherSuite.ECDHE_SM4_GCM_SM3, CipherSuite.ECDHE_SM4_CBC_SM3), ClientAuth.REQUIRED,
                TlcpCredentials.inMemory(GATEWAY.sign().certificate(), GATEWAY.sign().key(), GATEWAY.enc().certificate(),
                        GATEWAY.enc().key(), List.of()),
                new X509CertificatePolicy(List.of(PKI.rootCertificate()), RevocationCheck.NONE, false),
                new InMemorySessionCache(16, Duration.ofMinutes(5), Clock.systemUTC()), Clock.systemUTC(), new SecureRandom());
        listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            for (int i = 0; i < 64 && !listener.isClosed(); i++) {
                try (Socket raw = listener.accept()) {
                    raw.setSoTimeout(10_000);
                    try {
                        TlcpSocket s = TlcpSocket.server(raw, config).handshake();
                        SEEN.add(new Seen(s.engine().suite(), s.engine().peerCertificates(), null));
                        s.close();
                    } catch (IOException | RuntimeException e) {
                        SEEN.add(new Seen(null, List.of(), e));
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }, "probe-dialect-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void stop() throws Exception {
        listener.close();
        acceptor.join(10_000);
    }

    @Test
    void theGmsslDialectSendsTheSignChainOnlyInTheEccSuitesAndTheStandardOneSendsBothCertificates() throws Exception {
        for (CipherSuite suite : List.of(CipherSuite.ECC_SM4_GCM_SM3, CipherSuite.ECC_SM4_CBC_SM3)) {
            String gmssl = probe(0, "--suite", suite.name(), "--dialect", "gmssl");
            assertTrue(gmssl.contains("suite     " + suite) && gmssl.contains("gmssl dialect"), gmssl);
            assertEquals(List.of(TRADER.sign().certificate(), PKI.rootCertificate()), seen().chain(),
                    "GmSSL's server takes [sign, CA…] and refuses an encryption certificate there");

            String standard = probe(0, "--suite", suite.name());
            assertTrue(standard.contains("standard dialect"), standard);
            assertEquals(List.of(TRADER.sign().certificate(), TRADER.enc().certificate(), PKI.rootCertificate()), seen().chain());
        }
    }

    @Test
    void theEcdheSuitesNeedAndUseTheClientsEncryptionKeyInEitherDialect() throws Exception {
        for (String dialect : List.of("gmssl", "standard")) {
            for (CipherSuite suite : List.of(CipherSuite.ECDHE_SM4_GCM_SM3, CipherSuite.ECDHE_SM4_CBC_SM3)) {
                String out = probe(0, "--suite", suite.name(), "--dialect", dialect, "--enc-key", pem("enc.key",
                        GmPem.privateKeyToPem(TRADER.enc().key())).toString());
                assertTrue(out.contains("suite     " + suite) && out.contains("encryption key for ECDHE"), out);
                Seen s = seen();
                assertEquals(suite, s.suite());
                assertEquals(TRADER.enc().certificate(), s.chain().get(1), "ECDHE: sign + encryption certificate");
            }
        }
        // without the encryption key the probe says what is missing before it dials
        String refused = probe(2, "--suite", CipherSuite.ECDHE_SM4_GCM_SM3.name(), "--dialect", "gmssl");
        assertTrue(refused.contains("needs --cert, --key, --enc-cert and --enc-key"), refused);
        // with no --suite, a client holding its encryption key offers the ECDHE suites too
        String offered = probe(0, "--enc-key", pem("enc.key", GmPem.privateKeyToPem(TRADER.enc().key())).toString());
        assertTrue(offered.contains("suite     ECC_SM4_GCM_SM3"), offered);
        seen();
    }

    private static Seen seen() throws InterruptedException {
        Seen s = SEEN.poll(30, TimeUnit.SECONDS);
        assertNotNull(s, "the server saw no connection");
        assertFalse(s.failure() != null, () -> "the server refused: " + s.failure());
        return s;
    }

    /** gmgate probe at the server as the trader, two-way, with the given extra options. */
    private static String probe(int expectedExit, String... extra) throws IOException {
        Path root = pem("root.pem", GmPem.toPem(PKI.rootCertificate()));
        Path cert = pem("sign.pem", GmPem.toPem(TRADER.sign().certificate()) + GmPem.toPem(PKI.rootCertificate()));
        Path key = pem("sign.key", GmPem.privateKeyToPem(TRADER.sign().key()));
        Path enc = pem("enc.pem", GmPem.toPem(TRADER.enc().certificate()));
        List<String> args = new java.util.ArrayList<>(List.of("probe", "127.0.0.1:" + listener.getLocalPort(), "--ca", root.toString(),
                "--cert", cert.toString(), "--key", key.toString(), "--enc-cert", enc.toString()));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        assertEquals(expectedExit, cli.execute(args.toArray(String[]::new)), out.toString());
        return out.toString();
    }

    private static Path pem(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
