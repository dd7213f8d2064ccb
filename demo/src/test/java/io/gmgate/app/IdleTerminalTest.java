package io.gmgate.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.app.demo.FrontClient;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * A terminal that sat idle longer than the request nonce lives (120 s by default; a trader back from
 * lunch) still logs in: the SDK fetches a fresh nonce instead of sending the stale one and failing
 * its co-signature with COSIGN-114 (found by LoginStorm, docs/perf-login.md).
 */
class IdleTerminalTest {

    private static final Duration NONCE_LIFE = Duration.ofSeconds(2);
    private static final String ACCOUNT = "8300777";
    private static final char[] PASSWORD = "Trader-Passw0rd-8300777".toCharArray();
    private static final char[] PIN = "135246".toCharArray();
    private static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite(part -> { }, s -> s, io.gmgate.cosign.http.ListenerLimits.defaults(), NONCE_LIFE);
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    @Test
    void aTerminalIdleLongerThanTheNonceLifeStillCoSignsItsLogin() throws Exception {
        site.addTrader(ACCOUNT, PASSWORD);
        GmgateClient terminal = new GmgateClient(new GmgateClient.Options(
                List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()),
                site.directory().resolve("idle-desk"), Duration.ofSeconds(2), Duration.ofSeconds(10), 10_000));
        terminal.enroll(ACCOUNT, PASSWORD, "desk", PIN);
        try (GmgateClient.Session session = terminal.login(PASSWORD, PIN)) {
            session.forgetSession();
            long idleFrom = System.nanoTime();
            // the condition is the idle time itself: the nonce the session holds has expired on the server
            await().pollDelay(NONCE_LIFE.plusMillis(500)).atMost(NONCE_LIFE.multipliedBy(3))
                    .until(() -> System.nanoTime() - idleFrom > NONCE_LIFE.plusMillis(500).toNanos());
            try (TlcpSocket channel = session.connect()) {
                String answer = new FrontClient(channel.getInputStream(), channel.getOutputStream()).ask("LOGIN " + ACCOUNT);
                assertEquals("OK LOGIN " + ACCOUNT, answer);
            }
        }
    }
}
