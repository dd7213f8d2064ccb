package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.FrontClient;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.TradingChannel;
import io.gmgate.sdk.TradingPath;
import io.gmgate.policy.AccessPolicy;

/**
 * docs/security.md, "Access modes and signed policies", expiry: a terminal accepted a short BYPASS policy (on disk) while it was valid
 * and keeps running after it expired. An attacker drops its connections to the trading listener so
 * that it would fall back to the emergency address. The validity is judged again at every connect:
 * the expired BYPASS decides nothing, NORMAL applies, and the terminal reports the two-way failure
 * (NET-400) instead of sending anything in clear.
 */
class ExpiredBypassPolicyAttackTest {

    private static PolicyAttackSite s;

    @BeforeAll
    static void start() throws Exception {
        s = new PolicyAttackSite();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    @Test
    void aBypassPolicyThatExpiredUnderARunningTerminalMeansNormal() throws Exception {
        String account = "8300002";
        s.enrol(account);
        Path file = PolicyAttackSite.write(s.site.directory().resolve(account + ".policy"),
                s.sign(1, AccessPolicy.Mode.BYPASS, Duration.ofSeconds(3)));
        GmgateClient terminal = s.terminal(account, file);
        AccessPolicy bypass = terminal.policyInForce().orElseThrow();
        assertEquals(AccessPolicy.Mode.BYPASS, bypass.mode(), "accepted while valid");

        SessionAttackKit.await("the policy's end", () -> Instant.now().isAfter(bypass.notAfter()), Duration.ofSeconds(15));
        s.trading.blocked = true;
        try {
            GmgateException refused = assertThrows(GmgateException.class,
                    () -> terminal.openTrading(PolicyAttackSite.password(account), PolicyAttackSite.PIN).close());
            assertEquals("NET-400", refused.errorCode().code(), "NORMAL: the two-way failure itself, " + refused.getMessage());
            assertEquals(0, s.plainConnections(), "the expired BYPASS sent nothing to the emergency address");
        } finally {
            s.trading.blocked = false;
        }

        try (TradingChannel channel = terminal.openTrading(PolicyAttackSite.password(account), PolicyAttackSite.PIN)) {
            assertEquals(TradingPath.TWO_WAY, channel.path(), "the node still serves the terminal");
            assertEquals("OK LOGIN " + account, new FrontClient(channel.input(), channel.output()).ask("LOGIN " + account));
        }
    }
}
