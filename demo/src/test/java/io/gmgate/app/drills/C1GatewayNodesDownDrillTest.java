package io.gmgate.app.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.gmgate.testkit.PgSchema;

/**
 * Seed 003 appendix C.1 (SSL接入网关故障) as a drill, runbook docs/runbooks/C1-gateway-nodes-down.md:
 * two gateway node processes in one cluster on one PostgreSQL, a cosign node process, two enrolled
 * terminals trading two-way. One node is killed with SIGKILL: the terminals fail over to the other
 * and keep trading. Then the last one: the SRE sets BYPASS with {@code gmgate mode set} and signs a
 * BYPASS policy whose emergency address is the front's original door, and the terminals keep trading
 * on the plain path. A node is restarted (it comes back in BYPASS), the SRE flips back to NORMAL with
 * a new policy, and the terminals are two-way again. No acknowledged order may be lost on the way.
 */
class C1GatewayNodesDownDrillTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    private static DrillSite site;

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close(); // terminals and every child process, also when the drill failed
        }
    }

    @Test
    void terminalsFailOverThenBypassThenComeBackTwoWay() throws Exception {
        DrillReport report = new DrillReport("C1", "gateway nodes down (SSL接入网关故障)");
        site = new DrillSite(PG, "C1", 2, 1);
        site.up("cosign-1", "gw-1");
        site.up("gw-2");
        site.publishPolicy("NORMAL", List.of(site.frontDirect()));
        List<Terminal> terminals = List.of(site.enrolledTerminal("t1", "80001").start(), site.enrolledTerminal("t2", "80002").start());
        long start = System.nanoTime();
        for (Terminal t : terminals) {
            t.awaitAcks(start, 5, Duration.ofSeconds(60), "two-way");
        }

        // 1. one node dies under the terminals (every terminal prefers gw-1, the first in its policy)
        long killed = System.nanoTime();
        site.process("gw-1").kill();
        for (Terminal t : terminals) {
            t.awaitAcks(killed, 5, Duration.ofSeconds(60), "two-way");
            report.recovered("gw-1 killed: failover to gw-2", t, killed, "two-way", "two-way via gw-2");
        }

        // 2. the last node dies: the SRE sets BYPASS and publishes the emergency address (guide C.1)
        long allDown = System.nanoTime();
        site.process("gw-2").kill();
        site.modeSet("BYPASS", "cluster", "C.1 drill: all gateways down");
        site.publishPolicy("BYPASS", List.of(site.frontDirect()));
        for (Terminal t : terminals) {
            t.awaitAcks(allDown, 5, Duration.ofSeconds(60), "plain");
            report.recovered("gw-2 killed, no node left: mode set BYPASS + signed BYPASS policy", t, allDown, "plain", "plain, straight to the front's original door");
        }

        // 3. a node comes back (in BYPASS, from the database); flip back to NORMAL
        site.launch("gw-1");
        String up = site.awaitUp("gw-1");
        assertTrue(up.endsWith("mode BYPASS"), "a node started during the incident takes the cluster's mode: " + up);
        long flipBack = System.nanoTime();
        site.modeSet("NORMAL", "cluster", "C.1 drill: recovered");
        site.publishPolicy("NORMAL", List.of(site.frontDirect()));
        for (Terminal t : terminals) {
            t.awaitAcks(flipBack, 5, Duration.ofSeconds(60), "two-way");
            report.recovered("gw-1 restarted, mode set NORMAL + NORMAL policy", t, flipBack, "two-way", "two-way via gw-1");
        }
        assertEquals(200, site.ready("gw-1"), "the restarted node is ready");

        site.finish(report, "NORMAL", "DIRECT");
    }
}
