package io.gmgate.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.gmgate.proxy.ProxyV2Header;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

/** The trading listener over real loopback sockets: two-way TLCP in, PROXY v2 identity out to a front. */
class GmListenerTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TestPki PKI = TestPki.create("gateway");
    private static final TestPki.DoubleCert GATEWAY = PKI.issueGateway("gmgate");
    private static final TestPki.DoubleCert TRADER = PKI.issueDouble("8001234");

    private Vertx vertx;
    private EchoFront front;
    private GmListener listener;
    private int port;
    private final AtomicReference<RevocationCheck> revocation = new AtomicReference<>(RevocationCheck.NONE);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        front = new EchoFront();
        TlcpCredentials creds = TlcpCredentials.inMemory(GATEWAY.sign().certificate(), GATEWAY.sign().key(),
                GATEWAY.enc().certificate(), GATEWAY.enc().key(), List.of());
        InMemorySessionCache sessions = new InMemorySessionCache(100, Duration.ofMinutes(10), Clock.systemUTC());
        FrontPool pool = new FrontPool(vertx, "fronts", List.of(front.asFront("f1")), Duration.ofSeconds(2), Duration.ofSeconds(30));
        listener = new GmListener(vertx, new GmListener.Settings("trading", "127.0.0.1", 0, Duration.ofSeconds(10)),
                auth -> new TlcpServerConfig(List.of(CipherSuite.values()), auth, creds,
                        new X509CertificatePolicy(List.of(PKI.rootCertificate()), c -> revocation.get().check(c), false),
                        sessions, Clock.systemUTC(), RANDOM),
                Optional.empty(), new FrontConnector(pool, ConnectionObserver.NONE),
                new AdmissionControl(new AdmissionPolicy(1000, 1000, 1000, 5, 5, 100, Duration.ZERO), System::nanoTime),
                HandshakePolicy.fixed(ClientAuth.REQUIRED), IdentityResolver.SUBJECT_CN, ConnectionObserver.NONE, metrics);
        port = listener.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
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

    private static byte[] roundTrip(TlcpSocket s, byte[] msg) throws IOException {
        s.getOutputStream().write(msg);
        byte[] back = new byte[msg.length];
        new DataInputStream(s.getInputStream()).readFully(back);
        return back;
    }

    @Test
    void aTraderIsRelayedWithItsVerifiedIdentity() throws Exception {
        try (TlcpSocket s = connect(client(true))) {
            assertArrayEquals("ping".getBytes(), roundTrip(s, "ping".getBytes()));
        }
        ProxyV2Header h = front.headers.get(0);
        assertEquals("8001234", h.tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).orElseThrow().text());
        assertEquals(TRADER.sign().certificate().getSerialNumber().toString(16),
                h.tlv(ProxyV2Header.TYPE_GMGATE_CERT_SERIAL).orElseThrow().text());
        assertEquals(Optional.of("ECC_SM4_GCM_SM3"), h.sslField(ProxyV2Header.SUBTYPE_SSL_CIPHER));
        assertEquals(Optional.of("TLCP1.1"), h.sslField(ProxyV2Header.SUBTYPE_SSL_VERSION));
        assertEquals(1.0, metrics.counter("gmgate.handshakes", "listener", "trading", "protocol", "TLCP1.1",
                "suite", "ECC_SM4_GCM_SM3", "result", "ok").count());
    }

    @Test
    void aTerminalWithoutACertificateIsRefusedAtTheHandshake() {
        TlcpException e = assertThrows(TlcpException.class, () -> connect(client(false)).close());
        assertEquals(TlcpErrors.ALERT_RECEIVED, e.errorCode());
        assertTrue(e.getMessage().contains("handshake_failure"), e.getMessage());
        assertTrue(front.headers.isEmpty(), "nothing reached the front");
    }

    @Test
    void aRevokedOrLockedCertificateIsRefusedWithItsAlert() {
        revocation.set(cert -> {
            throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_REVOKED, io.gmgate.tlcp.Alert.CERTIFICATE_REVOKED,
                    "key record of " + cert.getSerialNumber() + " is LOCKED");
        });
        TlcpException e = assertThrows(TlcpException.class, () -> connect(client(true)).close());
        assertTrue(e.getMessage().contains("certificate_revoked"), e.getMessage());
        assertTrue(front.headers.isEmpty());
    }

    @Test
    void plainBytesOnTheGmPortAreDropped() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void aHandshakeFloodFromOneAddressDoesNotStallAnEstablishedSession() throws Exception {
        try (TlcpSocket established = connect(client(true))) {
            List<Socket> flood = new ArrayList<>();
            int refused = 0;
            try {
                for (int i = 0; i < 40; i++) { // 5 handshakes allowed per address, then refused at once
                    Socket f = new Socket(InetAddress.getLoopbackAddress(), port);
                    f.setSoTimeout(10_000);
                    flood.add(f);
                    byte[] hello = io.gmgate.tlcp.TlcpEngine.client("flood", client(true)).takeOutput();
                    f.getOutputStream().write(hello);
                }
                for (int i = 0; i < 10; i++) {
                    assertArrayEquals(("tick " + i).getBytes(), roundTrip(established, ("tick " + i).getBytes()));
                }
                for (Socket f : flood) {
                    try {
                        int first = f.getInputStream().read();
                        if (first == -1 || first == 21) { // refused: closed, after an access_denied alert (docs/operations.md)
                            refused++;
                        }
                    } catch (IOException reset) {
                        refused++;
                    }
                    if (refused >= 30) {
                        break;
                    }
                }
            } finally {
                for (Socket f : flood) {
                    f.close();
                }
            }
            assertTrue(refused >= 30, "refused " + refused + " of 40 flooding handshakes");
        }
    }
}
