package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.FrontClient;
import io.gmgate.proxy.ProxyV2Header;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.TradingChannel;
import io.gmgate.sdk.TradingPath;
import io.gmgate.policy.AccessPolicy;

/**
 * docs/security.md, "Access modes and signed policies", needless downgrade: a genuinely signed BYPASS policy is in force (left on by
 * accident, or replayed before the NORMAL one reached the terminal) while the gateway's GM path
 * works. A BYPASS policy allows the plain path, it does not require it: the terminal tries two-way
 * first and trades two-way, under its verified account; it uses the emergency address only when
 * two-way is unavailable.
 */
class BypassSkipsTwoWayAttackTest {

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
    void underBypassTheTerminalStillEndsUpOnTwoWayWhenItWorks() throws Exception {
        String account = "8300004";
        s.enrol(account);
        Path file = PolicyAttackSite.write(s.site.directory().resolve(account + ".policy"),
                s.sign(1, AccessPolicy.Mode.BYPASS, Duration.ofHours(2)));
        GmgateClient terminal = s.terminal(account, file);
        try (TradingChannel channel = terminal.openTrading(PolicyAttackSite.password(account), PolicyAttackSite.PIN)) {
            assertEquals(TradingPath.TWO_WAY, channel.path());
            assertEquals("OK LOGIN " + account, new FrontClient(channel.input(), channel.output()).ask("LOGIN " + account));
            assertEquals(account, s.lastFrontHeader().tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).orElseThrow().text());
            assertEquals("BYPASS", terminal.policyInForce().orElseThrow().mode().name());
        }
        assertEquals(0, s.plainConnections(), "nothing in clear while GM works");

        // the emergency path still serves when two-way really is unavailable
        s.trading.blocked = true;
        try (TradingChannel channel = terminal.openTrading(PolicyAttackSite.password(account), PolicyAttackSite.PIN)) {
            assertEquals(TradingPath.PLAIN, channel.path());
            assertEquals(1, s.plainConnections());
        } finally {
            s.trading.blocked = false;
        }
    }
}
