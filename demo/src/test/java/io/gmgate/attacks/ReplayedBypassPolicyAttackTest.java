package io.gmgate.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gmgate.app.demo.FrontClient;
import io.gmgate.error.GmgateException;
import io.gmgate.proxy.ProxyV2Header;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.LocalStore;
import io.gmgate.sdk.TradingChannel;
import io.gmgate.sdk.TradingPath;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.sdk.policy.TerminalPolicy;

/**
 * docs/security.md, "Access modes and signed policies", replay: an attacker on the network kept a firm-signed BYPASS policy from an
 * earlier emergency. The firm has since published NORMAL #2, which this terminal has not seen. The
 * attacker hands the terminal the old BYPASS #1 and drops its connections to the trading listener,
 * hoping it falls back to the emergency address in clear. Before a weaker path the terminal asks the
 * cosign nodes for the current policy; #2 supersedes #1, the plain path is refused (MODE-402), and
 * #1 is a replay from then on (MODE-401, kept in the store's policy.serial).
 */
class ReplayedBypassPolicyAttackTest {

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
    void aCapturedBypassPolicyIsSupersededByTheNormalOneTheCosignNodesServe() throws Exception {
        String account = "8300001";
        s.enrol(account);
        byte[] captured = s.sign(1, AccessPolicy.Mode.BYPASS, Duration.ofHours(2));
        s.site.publishPolicy(2, s.sign(2, AccessPolicy.Mode.NORMAL, Duration.ofHours(24)));
        Path file = PolicyAttackSite.write(s.site.directory().resolve(account + ".policy"), captured);
        GmgateClient terminal = s.terminal(account, file);
        assertEquals(AccessPolicy.Mode.BYPASS, terminal.policyInForce().orElseThrow().mode(), "#1 is genuinely signed and fresh");

        s.trading.blocked = true;
        try {
            GmgateException refused = assertThrows(GmgateException.class,
                    () -> terminal.openTrading(PolicyAttackSite.password(account), PolicyAttackSite.PIN).close());
            assertEquals("MODE-402", refused.errorCode().code(), refused.getMessage());
            assertTrue(refused.getMessage().contains("PLAIN: not allowed by the firm's current policy #2 (NORMAL)"),
                    refused.getMessage());
            assertEquals(0, s.plainConnections(), "nothing went to the emergency address in clear");
        } finally {
            s.trading.blocked = false;
        }
        assertEquals(2, terminal.policyInForce().orElseThrow().serial());
        assertEquals("2", Files.readString(s.store(account).resolve("policy.serial")).trim());

        // from now on the captured #1 is a replay, after a restart too
        GmgateException replay = assertThrows(GmgateException.class, () -> TerminalPolicy.accept(LocalStore.open(s.store(account)),
                s.firm.publicKey(), captured, Clock.systemUTC(), GmgateClient.POLICY_SKEW));
        assertEquals("MODE-401", replay.errorCode().code());

        // the node still serves the terminal, two-way, under its verified account
        try (TradingChannel channel = terminal.openTrading(PolicyAttackSite.password(account), PolicyAttackSite.PIN)) {
            assertEquals(TradingPath.TWO_WAY, channel.path());
            assertEquals("OK LOGIN " + account, new FrontClient(channel.input(), channel.output()).ask("LOGIN " + account));
            assertEquals(account, s.lastFrontHeader().tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).orElseThrow().text());
        }
        assertEquals(0, s.plainConnections());
    }
}
