package io.gmgate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.cosign.http.ListenerLimits;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.json.JsonObject;

/**
 * docs/security.md, "The cosign service under load" at the node's own socket: who the client is (PROXY v2 from configured
 * gateways only), failed logins per real source and per existing account, body and idle timeouts,
 * per-source caps and readiness under saturation. 127.0.0.1 plays the gateway; 127.0.0.x (x > 1)
 * are clients that connect directly.
 */
class ListenerDefenceTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static CosignCluster cluster;
    static int port;

    static final String GATEWAY = "127.0.0.1";

    @BeforeAll
    static void start() {
        cluster = new CosignCluster(PG.dataSource(), dir, 1, s -> s.withTrustedProxies(Set.of(GATEWAY)).withMaxInFlight(8),
                ListenerLimits.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).withConnections(40, 12, 4));
        cluster.trader("kim", "kim-password-1");
        port = cluster.port(0);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static JsonObject login(String account, String password) {
        return new JsonObject().put("account", account).put("password", password).put("device", "pc-1");
    }

    private static Api.Response viaGateway(String client, JsonObject body, String op) {
        return RawHttp.exchange(GATEWAY, port, RawHttp.proxyHeader(client), RawHttp.post(op, body));
    }

    private static Api.Response direct(String local, JsonObject body, String op) {
        return RawHttp.exchange(local, port, new byte[0], RawHttp.post(op, body));
    }

    @Test
    void aProxyHeaderFromAPeerThatIsNotAGatewayIsRefused() {
        Api.Response r = RawHttp.exchange("127.0.0.2", port, RawHttp.proxyHeader("10.9.9.9"), RawHttp.post("login",
                login("kim", "kim-password-1")));
        assertEquals(403, r.status(), r::toString);
        assertEquals("COSIGN-125", r.code());
        Api.Response plain = direct("127.0.0.2", login("kim", "kim-password-1"), "login");
        assertEquals(200, plain.status(), "the same peer without a header is served: " + plain);
    }

    @Test
    void aGatewayConnectionWithoutAValidHeaderIsRefused() {
        Api.Response none = direct(GATEWAY, login("kim", "kim-password-1"), "login");
        assertEquals(400, none.status(), none::toString);
        assertEquals("COSIGN-126", none.code());
        byte[] bad = RawHttp.proxyHeader("10.9.9.9");
        bad[12] = 0x20; // LOCAL command, not PROXY
        Api.Response malformed = RawHttp.exchange(GATEWAY, port, bad, RawHttp.post("login", login("kim", "kim-password-1")));
        assertEquals("COSIGN-126", malformed.code(), malformed::toString);
        assertEquals(200, viaGateway("10.9.9.8", login("kim", "kim-password-1"), "login").status());
    }

    @Test
    void guessesAtMadeUpNamesThroughTheGatewayBlockOnlyTheGuesser() {
        Api.Response last = null;
        for (int i = 0; i < 25 && (last == null || last.status() == 401); i++) {
            last = viaGateway("10.1.1.1", login("made-up-" + i, "guess"), "login");
        }
        assertEquals(429, last.status(), "the guessing source is limited: " + last);
        assertEquals("COSIGN-121", last.code());
        Api.Response trader = viaGateway("10.2.2.2", login("kim", "kim-password-1"), "login");
        assertEquals(200, trader.status(), "a trader at another source behind the same gateway logs in: " + trader);
    }

    @Test
    void failuresForAnAccountThatDoesNotExistDoNotLockItWhenItIsCreated() {
        for (int i = 0; i < 6; i++) {
            Api.Response r = viaGateway("10.3.3." + i, login("newcomer", "guess-" + i), "login");
            assertEquals("COSIGN-110", r.code(), r::toString);
        }
        cluster.trader("newcomer", "newcomer-password-1");
        Api.Response r = viaGateway("10.3.4.1", login("newcomer", "newcomer-password-1"), "login");
        assertEquals(200, r.status(), "made-up-name failures did not drain the new account's budget: " + r);
    }

    @Test
    void slowBodiesHoldNoRequestSlotTimeOutAndAreCappedPerSource() throws Exception {
        byte[] partial = RawHttp.request("POST", "/v1/login", "{\"account\":".getBytes(StandardCharsets.UTF_8), 200);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) { // more than maxInFlight (8): counted before the body, they would block all
                Socket s = RawHttp.open("127.0.0.3", port);
                s.getOutputStream().write(partial);
                s.getOutputStream().flush();
                slow.add(s);
            }
            Api.Response over = RawHttp.exchange("127.0.0.3", port, new byte[0], RawHttp.post("login", login("kim", "x")));
            assertEquals(429, over.status(), over::toString);
            assertEquals("COSIGN-127", over.code(), "the 13th connection of one source is over its cap");
            Api.Response other = direct("127.0.0.4", login("kim", "kim-password-1"), "login");
            assertEquals(200, other.status(), "another client is served while the slow bodies hang: " + other);
            for (Socket s : slow) {
                Api.Response timedOut = RawHttp.read(s);
                assertEquals(408, timedOut.status(), timedOut::toString);
                assertEquals("COSIGN-128", timedOut.code());
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    /**
     * A refused connection drains its answer for a moment before the node closes it; if it still held a
     * slot then, one source opening connections faster than that would fill the node's cap (40) with its
     * own refusals and lock everyone else out (seen as COSIGN-122 for traders during a one-source flood).
     */
    @Test
    void refusedConnectionsHoldNoSlotOfTheNodesCap() throws Exception {
        byte[] partial = RawHttp.request("POST", "/v1/login", "{".getBytes(StandardCharsets.UTF_8), 200);
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) { // one at a time: 12 admitted, then 48 refused at the source's cap
                Socket s = RawHttp.open("127.0.0.7", port);
                flood.add(s); // kept open: the node closes a refused one only after its answer has drained
                s.getOutputStream().write(partial);
                s.getOutputStream().flush();
                if (i >= 12) {
                    Api.Response refused = RawHttp.read(s);
                    assertEquals("COSIGN-127", refused.code(), refused::toString);
                }
            }
            Api.Response other = direct("127.0.0.8", login("kim", "kim-password-1"), "login");
            assertEquals(200, other.status(), "another client is served while one source is refused: " + other);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
    }

    @Test
    void aSilentConnectionIsClosedAtTheIdleTimeout() throws Exception {
        try (Socket s = RawHttp.open("127.0.0.5", port)) {
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            InputStream in = s.getInputStream();
            try {
                assertEquals(-1, in.read(), "closed without an answer");
            } catch (SocketTimeoutException e) {
                fail("a connection that sends nothing is still open after 10 s (idle timeout 2 s)");
            } catch (IOException reset) {
                // closed by the node: a reset is as good as an EOF here
            }
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(1500).toNanos(), "not closed before the idle timeout");
        }
    }

    @Test
    void readinessGoesDownWhileSaturatedAndBackUpWhenTheTimeoutFreesTheConnections() throws Exception {
        byte[] partial = RawHttp.request("POST", "/v1/login", "{".getBytes(StandardCharsets.UTF_8), 200);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) { // maxConnections 40, 12 per source: four sources
                Socket s = RawHttp.open("127.0.1." + (1 + i / 10), port);
                s.getOutputStream().write(partial);
                s.getOutputStream().flush();
                slow.add(s);
            }
            Api.Response ready = RawHttp.exchange("127.0.0.6", port, new byte[0], RawHttp.request("GET", "/health/ready", null, 0));
            assertEquals(503, ready.status(), "saturated: not ready " + ready);
            // the attackers keep their sockets open: only the body timeout (1 s) can free the node
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int status = 0;
            while (System.nanoTime() < deadline && status != 200) {
                status = RawHttp.exchange("127.0.0.6", port, new byte[0], RawHttp.request("GET", "/health/ready", null, 0)).status();
            }
            assertEquals(200, status, "ready again once the body timeout has closed the slow connections");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
