package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.cosign.http.ListenerLimits;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * docs/security.md, "The cosign service under load", "slow bodies starve the node": requests whose bodies never finish, through the
 * gateway's :8090. Before the fix each one counted as in flight from its headers on and nothing timed
 * it out, so maxInFlight of them answered every client 503 COSIGN-122 while /health/ready said UP.
 * Now a request counts once its body is complete, bodies time out, one source holds a bounded number
 * of connections, and readiness goes DOWN while the node is saturated.
 */
class SlowBodyFloodAttackTest {

    private static final int MAX_IN_FLIGHT = 48;
    private static final int PER_SOURCE = 40;
    private static final int MAX_CONNECTIONS = 120;
    /** Long enough that the whole flood is open before the first body times out. */
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(8);

    static DemoSite site;
    private final List<TlcpSocket> held = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite(p -> { }, s -> s.withMaxInFlight(MAX_IN_FLIGHT), ListenerLimits.defaults()
                .withTimeouts(BODY_TIMEOUT, Duration.ofSeconds(30)).withConnections(MAX_CONNECTIONS, PER_SOURCE, 8));
        site.addTrader("8001003", "trader-password-3".toCharArray());
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    @AfterEach
    void release() throws IOException {
        for (TlcpSocket s : held) {
            s.close();
        }
        held.clear();
    }

    /** A login whose body says 200 bytes and sends 12. */
    private void partialBody(String source) throws IOException {
        TlcpSocket s = CosignWire.tlcp(source, site.enrolmentPort(), site.root());
        held.add(s);
        CosignWire.send(s.getOutputStream(), CosignWire.request("POST", "/v1/login",
                "{\"account\":\"".getBytes(StandardCharsets.UTF_8), 200));
    }

    private CosignWire.Answer traderLogin() {
        return CosignWire.viaGateway("127.0.0.1", site.enrolmentPort(), site.root(), "login",
                CosignWire.login("8001003", "trader-password-3"));
    }

    private static int readiness() {
        return CosignWire.direct("127.0.0.9", site.cosignPort(), CosignWire.request("GET", "/health/ready", null, 0)).status();
    }

    @Test
    void oneSourceWithHundredsOfPartialBodiesStarvesNobody() throws Exception {
        for (int i = 0; i < 200; i++) {
            partialBody("127.0.0.2");
        }
        CosignWire.Answer trader = traderLogin();
        assertEquals(200, trader.status(), "a trader is served during the flood: " + trader);
        assertEquals(200, readiness(), "one greedy source does not saturate the node");

        int refused = 0;
        for (TlcpSocket s : held) { // each is answered: refused at once, or timed out after BODY_TIMEOUT
            CosignWire.Answer a = CosignWire.read(s.getInputStream());
            if (a.status() == 429) {
                assertEquals("COSIGN-127", a.code(), a::toString);
                refused++;
            } else {
                assertEquals("COSIGN-128", a.code(), a::toString);
            }
        }
        assertTrue(refused > 0, "past its connection cap (" + PER_SOURCE + ") the source is refused with a code");
    }

    @Test
    void aFloodFromManySourcesMakesTheNodeNotReadyUntilTheBodyTimeoutFreesIt() throws Exception {
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
            partialBody("127.0.1." + (1 + i / 30));
        }
        assertEquals(503, readiness(), "saturated: readiness says DOWN so the balancer sends terminals elsewhere");

        long deadline = System.nanoTime() + BODY_TIMEOUT.plusSeconds(20).toNanos();
        int status = 503;
        while (status != 200 && System.nanoTime() < deadline) {
            status = readiness();
        }
        assertEquals(200, status, "ready again once the body timeout has closed the slow requests");
        CosignWire.Answer timedOut = CosignWire.read(held.get(0).getInputStream());
        assertEquals(408, timedOut.status(), timedOut::toString);
        assertEquals("COSIGN-128", timedOut.code());
        CosignWire.Answer trader = traderLogin();
        assertEquals(200, trader.status(), "and serves traders: " + trader);
    }
}
