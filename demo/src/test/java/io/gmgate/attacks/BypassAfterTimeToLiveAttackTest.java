package io.gmgate.attacks;

import static io.gmgate.attacks.SessionAttackKit.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.session.AccessMode;
import io.gmgate.session.ModeSetting;
import io.gmgate.session.Scope;

/**
 * docs/security.md, "Access modes and signed policies": BYPASS with a time-to-live. The bypass listener kept accepting plain
 * connections until the next periodic refresh noticed the expiry (~0.5 s), and plain connections
 * admitted in BYPASS kept relaying. Now the accept asks the clock, a timer closes the listener at
 * the expiry instant, and the plain connections go with it.
 */
class BypassAfterTimeToLiveAttackTest {

    private static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    @Test
    void noPlainConnectionIsAcceptedOrKeptOnceTheBypassTimeToLiveHasEnded() throws Exception {
        String account = "8300301";
        GmgateClient trader = SessionAttackKit.enrolled(site, account);
        ModeSetting bypass = site.node().modes().set(Scope.listener("trading"), AccessMode.BYPASS, "cards down", "attack-test",
                Optional.of(Duration.ofSeconds(3)));
        SessionAttackKit.await("bypass open", site.node()::bypassOpen, Duration.ofSeconds(5));
        int port = site.node().port("bypass");
        Instant expires = bypass.expiresAt().orElseThrow();
        try (Socket during = plain(port)) {
            assertEquals("OK LOGIN 8300399", login(during, "8300399"), "during BYPASS the plain path works");
            double refusedBefore = counter(site, "gmgate.refused", "listener", "bypass", "code", "NET-311");
            SessionAttackKit.await("the time-to-live ends", () -> Instant.now().isAfter(expires), Duration.ofSeconds(10));

            assertEquals(null, answerOrNull(port), "a plain connection right after the expiry is not relayed");
            assertClosed(during);
            SessionAttackKit.await("refusals counted", () -> counter(site, "gmgate.refused", "listener", "bypass", "code",
                    "NET-311") > refusedBefore || !site.node().bypassOpen(), Duration.ofSeconds(5));
        }
        SessionAttackKit.await("the listener is closed", () -> !site.node().bypassOpen(), Duration.ofSeconds(5));
        SessionAttackKit.aLegitimateTraderStillTrades(trader, account);
    }

    /** The connection admitted during BYPASS is closed with it: reading ends. */
    private static void assertClosed(Socket during) throws IOException {
        String more;
        try {
            during.getOutputStream().write("POSITIONS\n".getBytes(StandardCharsets.US_ASCII));
            more = new BufferedReader(new InputStreamReader(during.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        } catch (IOException closed) {
            more = null;
        }
        assertEquals(null, more, "the plain connection admitted in BYPASS is closed at the expiry");
    }

    private static Socket plain(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5_000);
        return s;
    }

    private static String login(Socket s, String account) throws IOException {
        s.getOutputStream().write(("LOGIN " + account + "\n").getBytes(StandardCharsets.US_ASCII));
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    /** The front's answer to a plain login right now, or null when the gateway refused or closed. */
    private static String answerOrNull(int port) {
        try (Socket s = plain(port)) {
            return login(s, "8300398");
        } catch (IOException refused) {
            return null;
        }
    }
}
