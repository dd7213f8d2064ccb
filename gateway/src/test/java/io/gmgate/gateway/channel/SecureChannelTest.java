package io.gmgate.gateway.channel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.gmgate.gateway.Relay;
import io.gmgate.tlcp.interop.TestPki;
import io.gmgate.tlcp.io.EngineSocket;
import io.gmgate.tlcp.tls13.Tls13ClientConfig;
import io.gmgate.tlcp.tls13.Tls13Engine;
import io.gmgate.tlcp.tls13.Tls13Errors;
import io.gmgate.tlcp.tls13.Tls13Exception;

/** The Vert.x adapter carrying a real TLS 1.3 SM engine over loopback sockets, as the gateway will. */
class SecureChannelTest {

    private Tls13Loopback loopback;
    private final List<Object> outcomes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        loopback = new Tls13Loopback("gateway-channel");
        loopback.listen(socket -> {
            SecureChannel ch = SecureChannel.start(loopback.vertx, socket, loopback.serverEngine());
            ch.pause();
            ch.handshake().onComplete(ar -> {
                if (ar.failed()) {
                    outcomes.add(SecureChannel.codeOf(ar.cause()));
                    return;
                }
                outcomes.add(ar.result());
                Relay.splice(ch, ch, ch, ch, () -> ch.socket().close()); // echo, with back-pressure
            });
        });
    }

    @AfterEach
    void stop() throws Exception {
        loopback.close();
    }

    @Test
    void aTerminalHandshakesAndMegabytesEchoIntact() throws Exception {
        try (EngineSocket<Tls13Engine> c = loopback.connect(loopback.clientConfig(loopback.client))) {
            byte[] payload = new byte[3 * 1024 * 1024];
            new Random(3).nextBytes(payload);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    c.getOutputStream().write(payload);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // reading while sending: neither side's buffers can hold 3 MiB
            byte[] back = c.getInputStream().readNBytes(payload.length);
            sender.get(20, TimeUnit.SECONDS);
            assertArrayEquals(payload, back);
        }
        ChannelEngine.Handshake h = (ChannelEngine.Handshake) outcomes.get(0);
        assertEquals("TLSv1.3", h.protocol());
        assertEquals("TLS_SM4_GCM_SM3", h.suite());
        assertEquals(loopback.client.certificate(), h.peerChain().get(0));
    }

    @Test
    void aClientWithoutACertificateIsRefusedWithATlsCode() throws Exception {
        Tls13Exception seen = assertThrows(Tls13Exception.class, () -> {
            try (EngineSocket<Tls13Engine> c = loopback.connect(loopback.clientConfig(null))) {
                c.getOutputStream().write(1);
                c.getInputStream().read();
            }
        });
        assertTrue(seen.getMessage().contains("certificate_required"), seen.getMessage());
        assertEquals(Tls13Errors.CLIENT_CERTIFICATE_REQUIRED.code(), awaitOutcome());
    }

    @Test
    void aClientFromAnotherPkiIsRefused() throws Exception {
        TestPki other = TestPki.create("intruder");
        TestPki.Credential stranger = other.issueSign("8009999");
        Tls13ClientConfig cfg = new Tls13ClientConfig(List.of(loopback.pki.rootCertificate()), Tls13Loopback.creds(stranger),
                "localhost", Clock.systemUTC(), Tls13Loopback.RANDOM);
        Tls13Exception seen = assertThrows(Tls13Exception.class, () -> {
            try (EngineSocket<Tls13Engine> c = loopback.connect(cfg)) {
                c.getOutputStream().write(1);
                c.getInputStream().read();
            }
        });
        assertTrue(seen.getMessage().contains("unknown_ca"), seen.getMessage());
        String code = awaitOutcome();
        assertEquals("CERT-100", code, "the certificate policy's code: no path to a configured root");
    }

    private String awaitOutcome() {
        await("the gateway's handshake outcome").atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        return (String) outcomes.get(0);
    }
}
