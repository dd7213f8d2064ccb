package io.gmgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * docs/security.md, "Access modes and signed policies" at the bypass listener: a plain connection remembers the mode that admitted it
 * and is closed once a stronger mode is in force; an accept after the plain path stopped being
 * wanted (a TTL ended before the refresh closed the listener) is refused. Both NET-311.
 */
class PlainRelayModeTest {

    private Vertx vertx;
    private EchoFront front;
    private final AtomicReference<String> mode = new AtomicReference<>("BYPASS");
    private final AtomicBoolean wanted = new AtomicBoolean(true);
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private PlainRelayListener bypass;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        front = new EchoFront();
        FrontPool pool = new FrontPool(vertx, "test", List.of(front.asFront("f1")), Duration.ofSeconds(2), Duration.ofSeconds(30));
        ConnectionObserver observer = new ConnectionObserver() {
            @Override
            public void refused(String source, GatewayException why) {
                refusals.add(why.errorCode().code());
            }
        };
        bypass = new PlainRelayListener(vertx, "127.0.0.1", 0, new FrontConnector(pool, ConnectionObserver.NONE),
                new AdmissionControl(AdmissionPolicy.defaults(), System::nanoTime), mode::get, observer, wanted::get);
    }

    @AfterEach
    void stop() throws Exception {
        await(bypass.close());
        front.close();
        await(vertx.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5_000);
        return s;
    }

    private static int echo(Socket s) {
        try {
            s.getOutputStream().write('x');
            return s.getInputStream().read();
        } catch (IOException closed) {
            return -1;
        }
    }

    @Test
    void aPlainConnectionAdmittedInBypassIsClosedOnceTheModeIsStronger() throws Exception {
        int port = await(bypass.open());
        try (Socket s = connect(port)) {
            assertEquals('x', echo(s));
            mode.set("ONE_WAY");
            assertEquals(1, bypass.enforceMode());
            assertEquals(-1, echo(s), "closed");
        }
        assertEquals(List.of("NET-311"), refusals);
    }

    @Test
    void aConnectionAdmittedInTheModeInForceStays() throws Exception {
        mode.set("NORMAL"); // a gradual rollout keeps the plain path open in NORMAL
        int port = await(bypass.open());
        try (Socket s = connect(port)) {
            assertEquals('x', echo(s));
            assertEquals(0, bypass.enforceMode());
            assertEquals('x', echo(s));
        }
    }

    @Test
    void anAcceptAfterThePlainPathEndedIsRefused() throws Exception {
        int port = await(bypass.open());
        wanted.set(false);
        int before = front.headers.size();
        try (Socket s = connect(port)) {
            assertEquals(-1, echo(s), "closed without relaying");
        }
        assertEquals(before, front.headers.size(), "nothing reached the front");
        assertTrue(refusals.contains("NET-311"), refusals.toString());
    }
}
