package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.DemoSite;

/**
 * docs/security.md, "The cosign service under load", "anyone blocks everyone's login": failed logins with made-up account names through
 * the gateway's :8090. Before the fix the cosign node saw every terminal as the gateway's address, so
 * 20 failures drained the one bucket all traders shared and every correct login answered 429 COSIGN-121.
 * Now the gateway names the client in a PROXY v2 header and the node limits the real source.
 */
class LoginBucketExhaustionAttackTest {

    private static final String ATTACKER = "127.0.0.2";
    private static final String TRADER = "127.0.0.1";

    static DemoSite site;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
        site.addTrader("8001001", "trader-password-1".toCharArray());
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    @Test
    void madeUpNamesFromOneSourceDoNotLockOutATraderAtAnother() {
        CosignWire.Answer last = null;
        int failures = 0;
        for (int i = 0; i < 30 && (last == null || last.status() == 401); i++) {
            last = CosignWire.viaGateway(ATTACKER, site.enrolmentPort(), site.root(), "login",
                    CosignWire.login("nobody-" + i, "guess-" + i));
            failures += last.status() == 401 ? 1 : 0;
        }
        assertEquals(20, failures, "the node's budget of failed logins per source: " + last);
        assertEquals(429, last.status(), last::toString);
        assertEquals("COSIGN-121", last.code(), "the attacker's own source is limited");

        CosignWire.Answer trader = CosignWire.viaGateway(TRADER, site.enrolmentPort(), site.root(), "login",
                CosignWire.login("8001001", "trader-password-1"));
        assertEquals(200, trader.status(), "the trader's correct login is served: " + trader);
    }
}
