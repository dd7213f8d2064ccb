package io.gmgate.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.gmgate.proxy.ProxyV2Header;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

class PlainRelayListenerTest {

    private Vertx vertx;
    private EchoFront front;

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        front = new EchoFront();
    }

    @AfterEach
    void stop() throws Exception {
        front.close();
        await(vertx.close());
    }

    private PlainRelayListener listener(List<TradingFront> fronts, AdmissionPolicy policy) {
        FrontPool pool = new FrontPool(vertx, "test", fronts, Duration.ofSeconds(2), Duration.ofSeconds(30));
        return new PlainRelayListener(vertx, "127.0.0.1", 0, new FrontConnector(pool, ConnectionObserver.NONE),
                new AdmissionControl(policy, System::nanoTime), () -> "BYPASS", ConnectionObserver.NONE);
    }

    @Test
    void bytesCrossBothWaysIntactBehindAProxyHeader() throws Exception {
        PlainRelayListener bypass = listener(List.of(front.asFront("f1")), AdmissionPolicy.defaults());
        int port = await(bypass.open());

        byte[] payload = new byte[4 * 1024 * 1024]; // far above socket buffers: exercises back-pressure
        new Random(7).nextBytes(payload);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            byte[] echoed = exchange(s, payload);
            assertArrayEquals(payload, echoed);
        }
        ProxyV2Header header = front.headers.get(0);
        assertEquals("BYPASS", header.tlv(ProxyV2Header.TYPE_GMGATE_ACCESS_MODE).orElseThrow().text());
        assertTrue(header.tlv(ProxyV2Header.TYPE_SSL).isEmpty());
        assertEquals("127.0.0.1", header.source().getAddress().getHostAddress());
        assertTrue(front.errors.isEmpty(), front.errors.toString());
        await(bypass.close());
    }

    @Test
    void aDeadFrontIsSkippedForTheNextOne() throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort(); // closed again: connections to it are refused
        }
        PlainRelayListener bypass = listener(
                List.of(new TradingFront("dead", "127.0.0.1", deadPort), front.asFront("alive")),
                AdmissionPolicy.defaults());
        int port = await(bypass.open());
        for (int i = 0; i < 3; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                assertArrayEquals(new byte[] {1, 2, 3}, exchange(s, new byte[] {1, 2, 3}));
            }
        }
        assertEquals(3, front.headers.size());
        await(bypass.close());
    }

    @Test
    void whenEveryFrontIsDownTheTerminalIsDisconnected() throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        PlainRelayListener bypass = listener(List.of(new TradingFront("dead", "127.0.0.1", deadPort)),
                AdmissionPolicy.defaults());
        int port = await(bypass.open());
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(1);
            assertEquals(-1, s.getInputStream().read(), "closed, not hung");
        }
        await(bypass.close());
    }

    @Test
    void closingTheListenerRefusesNewConnectionsAndDropsLiveOnes() throws Exception {
        PlainRelayListener bypass = listener(List.of(front.asFront("f1")), AdmissionPolicy.defaults());
        int port = await(bypass.open());
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            assertArrayEquals(new byte[] {9}, exchange(s, new byte[] {9}));
            await(bypass.close());
            assertFalse(bypass.isOpen());
            assertEquals(-1, s.getInputStream().read(), "the plain path is cut when bypass ends");
        }
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    @Test
    void connectionsOverTheCapAreClosedAtOnce() throws Exception {
        AdmissionPolicy one = new AdmissionPolicy(1, 1000, 1000, 1000, 1000, 100, Duration.ZERO);
        PlainRelayListener bypass = listener(List.of(front.asFront("f1")), one);
        int port = await(bypass.open());
        try (Socket first = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket second = new Socket(InetAddress.getLoopbackAddress(), port)) {
            first.setSoTimeout(10_000);
            second.setSoTimeout(10_000);
            assertArrayEquals(new byte[] {5}, exchange(first, new byte[] {5}));
            assertEquals(-1, second.getInputStream().read(), "refused: at capacity");
        }
        await(bypass.close());
    }

    private static byte[] exchange(Socket s, byte[] payload) throws Exception {
        OutputStream out = s.getOutputStream();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                out.write(payload);
                out.flush();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] back = new byte[payload.length];
        new DataInputStream(s.getInputStream()).readFully(back);
        writer.get(20, TimeUnit.SECONDS);
        return back;
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

}
