package io.gmgate.attacks;

import static io.gmgate.attacks.SessionAttackKit.anonymous;
import static io.gmgate.attacks.SessionAttackKit.connect;
import static io.gmgate.attacks.SessionAttackKit.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.app.demo.FrontClient;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.session.AccessMode;
import io.gmgate.session.Scope;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * docs/security.md, "Access modes and signed policies": a one-way connection admitted while the trading listener was in ONE_WAY (the
 * trader logs in in-band, the front takes any account) kept relaying after the SRE returned to
 * NORMAL. Now the mode change closes it (NET-311) on the node that carries it, and only it: a
 * two-way connection admitted in NORMAL stays.
 */
class OneWayKeptAfterNormalAttackTest {

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
    void aOneWayConnectionIsClosedWhenTheListenerReturnsToNormal() throws Exception {
        String account = "8300201";
        GmgateClient trader = SessionAttackKit.enrolled(site, account);
        try (GmgateClient.Session traderSession = trader.login(SessionAttackKit.password(account), SessionAttackKit.PIN);
             TlcpSocket twoWay = traderSession.connect()) {
            FrontClient kept = new FrontClient(twoWay.getInputStream(), twoWay.getOutputStream());
            assertEquals("OK LOGIN " + account, kept.ask("LOGIN " + account));

            site.node().modes().set(Scope.listener("trading"), AccessMode.ONE_WAY, "cosign down", "attack-test",
                    Optional.of(Duration.ofMinutes(10)));
            SessionAttackKit.await("ONE_WAY", () -> site.node().modes().effective("trading") == AccessMode.ONE_WAY,
                    Duration.ofSeconds(5));
            TlcpSocket oneWay = connect(site.tradingPort(), anonymous(site, Optional.empty()));
            FrontClient anyone = new FrontClient(oneWay.getInputStream(), oneWay.getOutputStream());
            assertEquals("OK LOGIN 8300299", anyone.ask("LOGIN 8300299"), "ONE_WAY: the counter takes the in-band login");
            double closedBefore = counter(site, "gmgate.refused", "listener", "trading", "code", "NET-311");

            site.node().modes().set(Scope.listener("trading"), AccessMode.NORMAL, "cosign back", "attack-test", Optional.empty());
            SessionAttackKit.await("the one-way connection is closed (NET-311)",
                    () -> counter(site, "gmgate.refused", "listener", "trading", "code", "NET-311") > closedBefore,
                    Duration.ofSeconds(5));
            assertFalse(stillAnswers(anyone), "the one-way connection no longer reaches the front");
            oneWay.socket().close();
            assertTrue(kept.ask("ORDER k1 IF2612 BUY 1 LIMIT 3500").startsWith("ACK " + account + " "),
                    "the two-way connection admitted in NORMAL keeps trading");
        }
        SessionAttackKit.aLegitimateTraderStillTrades(trader, account);
    }

    private static boolean stillAnswers(FrontClient c) {
        try {
            String answer = c.ask("POSITIONS");
            return answer != null;
        } catch (IOException | RuntimeException closed) {
            return false;
        }
    }
}
