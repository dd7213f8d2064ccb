package io.gmgate.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.io.TlcpSocket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

/**
 * How the trading listener reports a handshake that does not end well (docs/operations.md): one log line and
 * one count per failure, a timeout included, and a coded alert to a client refused at admission.
 */
class HandshakeFailureTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TestPki PKI = TestPki.create("gateway");
    private static final TestPki.DoubleCert GATEWAY = PKI.issueGateway("gmgate");
    private static final TestPki.DoubleCert TRADER = PKI.issueDouble("8001234");

    private Vertx vertx;
    private EchoFront front;
    private AdmissionControl admission;
    private int port;
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(GmListener.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        log.addHandler(capture);
    }

    /** A listener with a short handshake timeout and {@code connectionBurst} connections per address. */
    private void start(Duration handshakeTimeout, int connectionBurst) throws Exception {
        vertx = Vertx.vertx();
        front = new EchoFront();
        TlcpCredentials creds = TlcpCredentials.inMemory(GATEWAY.sign().certificate(), GATEWAY.sign().key(),
                GATEWAY.enc().certificate(), GATEWAY.enc().key(), List.of());
        InMemorySessionCache sessions = new InMemorySessionCache(100, Duration.ofMinutes(10), Clock.systemUTC());
        FrontPool pool = new FrontPool(vertx, "fronts", List.of(front.asFront("f1")), Duration.ofSeconds(2), Duration.ofSeconds(30));
        // the bucket refills at one connection per ~3 hours: the burst is all a test gets
        admission = new AdmissionControl(new AdmissionPolicy(1000, 0.0001, connectionBurst, 1000, 1000, 100, Duration.ZERO),
                System::nanoTime);
        GmListener listener = new GmListener(vertx, new GmListener.Settings("trading", "127.0.0.1", 0, handshakeTimeout),
                auth -> new TlcpServerConfig(List.of(CipherSuite.values()), auth, creds,
                        new X509CertificatePolicy(List.of(PKI.rootCertificate()), RevocationCheck.NONE, false),
                        sessions, Clock.systemUTC(), RANDOM),
                Optional.empty(), new FrontConnector(pool, ConnectionObserver.NONE), admission,
                HandshakePolicy.fixed(ClientAuth.REQUIRED), IdentityResolver.SUBJECT_CN, ConnectionObserver.NONE, metrics);
        port = listener.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        log.removeHandler(capture);
        front.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static TlcpClientConfig client(boolean withCertificate) {
        return new TlcpClientConfig(List.of(CipherSuite.ECC_SM4_GCM_SM3),
                withCertificate ? Optional.of(TlcpCredentials.inMemory(TRADER.sign().certificate(), TRADER.sign().key(),
                        TRADER.enc().certificate(), TRADER.enc().key(), List.of())) : Optional.empty(),
                new X509CertificatePolicy(List.of(PKI.rootCertificate()), RevocationCheck.NONE, true), Optional.empty(),
                EcdheEncoding.BARE, Clock.systemUTC(), RANDOM);
    }

    private TlcpSocket connect(TlcpClientConfig cfg) throws IOException {
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), port);
        raw.setSoTimeout(10_000);
        return TlcpSocket.client(raw, cfg).handshake();
    }

    private double handshakes() {
        return metrics.find("gmgate.handshakes").tag("listener", "trading").counters().stream().mapToDouble(Counter::count).sum();
    }

    private double handshakes(String result) {
        return metrics.find("gmgate.handshakes").tag("listener", "trading").tag("result", result).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private List<String> logLines(String code) {
        return logged.stream().filter(l -> l.contains(code)).toList();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.onSpinWait();
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    @Test
    void aTimedOutHandshakeIsCountedAndLoggedOnce() throws Exception {
        start(Duration.ofMillis(300), 100);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            // a TLCP record header and the start of a ClientHello, then silence: the engine waits for the rest
            s.getOutputStream().write(new byte[] {22, 1, 1, 0, 60, 1, 0, 0});
            s.getOutputStream().flush();
            assertEquals(-1, s.getInputStream().read(), "the gateway closed the connection");
        }
        // the socket's close (which fails the engine's handshake too) has been handled once the slot is released
        await(() -> admission.openConnections() == 0, "the connection is released");
        assertEquals(1.0, handshakes("timeout"));
        assertEquals(1.0, handshakes(), "one handshake, one count: " + metrics.getMetersAsString());
        assertEquals(1, logLines(GatewayErrors.HANDSHAKE_TIMEOUT.code()).size(), logged.toString());
        assertEquals(1, logged.size(), "logged once: " + logged);
        assertTrue(logged.get(0).contains("127.0.0.1"), "the line names the peer: " + logged);
    }

    @Test
    void aFailedHandshakeIsLoggedOnceWithItsCodeAndPeer() throws Exception {
        start(Duration.ofSeconds(10), 100);
        assertThrows(TlcpException.class, () -> connect(client(false)).close());
        await(() -> admission.openConnections() == 0, "the connection is released");
        assertEquals(1.0, handshakes(), metrics.getMetersAsString());
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).contains(TlcpErrors.CLIENT_CERTIFICATE_REQUIRED.code()) || logged.get(0).matches(".*TLS-\\d+.*"),
                logged.toString());
        assertTrue(logged.get(0).contains("127.0.0.1"), logged.toString());
        // and a good client still gets through
        try (TlcpSocket s = connect(client(true))) {
            s.getOutputStream().write("ping".getBytes());
            byte[] back = new byte[4];
            new DataInputStream(s.getInputStream()).readFully(back);
            assertArrayEquals("ping".getBytes(), back);
        }
    }

    @Test
    void aClientRefusedAtAdmissionReadsACodedAlert() throws Exception {
        start(Duration.ofSeconds(10), 1);
        try (TlcpSocket s = connect(client(true))) {
            s.getOutputStream().write("ping".getBytes());
            new DataInputStream(s.getInputStream()).readFully(new byte[4]);
        }
        // the address has spent its one connection: the next is refused before any handshake work
        TlcpException e = assertThrows(TlcpException.class, () -> connect(client(true)).close());
        assertEquals(TlcpErrors.ACCESS_DENIED, e.errorCode());
        assertTrue(e.errorCode().retryable(), "a terminal retries or takes another path, as it did when the refusal was a bare close");
        assertTrue(e.getMessage().contains("access_denied"), e.getMessage());
        assertEquals(1.0, metrics.find("gmgate.handshakes").tag("result", "refused-admission").counter().count());
    }

    @Test
    void theAlertArrivesEvenWhenTheClientHasSentNothingYet() throws Exception {
        start(Duration.ofSeconds(10), 1);
        try (Socket first = new Socket(InetAddress.getLoopbackAddress(), port)) {
            await(() -> admission.openConnections() == 1, "the first connection is admitted");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                byte[] alert = new DataInputStream(in).readNBytes(7);
                assertArrayEquals(new byte[] {21, 1, 1, 0, 2, 2, 49}, alert, "a fatal access_denied alert in a TLCP record");
                assertEquals(-1, in.read(), "then the close");
            }
        }
    }
}
