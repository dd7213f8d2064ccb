package io.gmgate.app.drills;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.gmgate.sdk.GmgateClient;
import io.gmgate.testkit.PgSchema;

/**
 * Seed 003 appendix C.4 (协同签名系统故障) as a drill, runbook docs/runbooks/C4-cosign-down.md: a
 * gateway node and two cosign node processes in their own cluster (login sessions and nonces in the
 * cluster's maps), two enrolled terminals trading two-way and reconnecting with a full, co-signed
 * handshake every few orders. One cosign node is killed: the other co-signs, and logins, signatures
 * and two-way handshakes go on. The second is killed: two-way handshakes fail, the gateway's
 * cosign-down rule (act: true) moves the trading listener to ONE_WAY, the SRE confirms it and signs a
 * ONE_WAY policy, and the terminals keep trading one-way. A cosign node comes back, the SRE flips back
 * to NORMAL, the terminals log in again and are two-way. No acknowledged order may be lost.
 */
class C4CosignDownDrillTest {

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
    void theSecondCosignNodeTakesOverThenOneWayThenBack() throws Exception {
        DrillReport report = new DrillReport("C4", "co-signing service down (协同签名系统故障)");
        site = new DrillSite(PG, "C4", 1, 2, String.join("\n",
                "  degradation: {whenCosignDownFor: 2s, scope: 'listener:trading', ttl: 30m, act: true}"));
        site.up("cosign-1");
        site.up("cosign-2", "gw-1");
        site.publishPolicy("NORMAL", List.of());
        List<Terminal> terminals = List.of(site.enrolledTerminal("t1", "84001").fullHandshakeEvery(10).start(),
                site.enrolledTerminal("t2", "84002").fullHandshakeEvery(10).start());
        long start = System.nanoTime();
        for (Terminal t : terminals) {
            t.awaitAcks(start, 5, Duration.ofSeconds(60), "two-way");
        }

        // 1. one cosign node dies: the other co-signs handshakes and business signatures
        long killed = System.nanoTime();
        site.process("cosign-1").kill();
        for (Terminal t : terminals) {
            t.awaitConnects(killed, 3, Duration.ofSeconds(60), "two-way");
            report.recovered("cosign-1 killed (" + t.name + "): cosign-2 co-signs", t.connectedMillis(killed, "two-way"),
                    "first full co-signed two-way handshake after the kill");
        }
        byte[] message = "drill C.4 order book signature".getBytes(StandardCharsets.UTF_8);
        GmgateClient.Session s1 = terminals.get(0).session();
        assertTrue(GmgateClient.verify(s1.signCertificate(), message, s1.sign(message)), "cosign-2 co-signs business data");

        // 2. no cosign node left: the rule moves trading to ONE_WAY; the SRE confirms and signs a ONE_WAY policy
        long allDown = System.nanoTime();
        site.process("cosign-2").kill();
        awaitMode("listener:trading: ONE_WAY", Duration.ofSeconds(60));
        report.note("cosign-down rule switched listener:trading to ONE_WAY "
                + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - allDown) + " ms after the last kill");
        site.modeSet("ONE_WAY", "listener:trading", "C.4 drill: cosign down, confirmed");
        site.publishPolicy("ONE_WAY", List.of());
        for (Terminal t : terminals) {
            t.awaitAcks(allDown, 5, Duration.ofSeconds(90), "one-way");
            report.recovered("cosign-2 killed, none left: rule + SRE ONE_WAY + ONE_WAY policy", t, allDown, "one-way", "one-way TLCP, identity in-band");
            assertTrue(t.failures().keySet().stream().anyMatch(c -> c.contains("COSIGN-400")),
                    t.name + "'s two-way attempts failed with COSIGN-400 in the cause: " + t.failureSamples());
        }

        // 3. a cosign node is back: flip back to NORMAL; terminals log in again and are two-way
        site.up("cosign-1");
        long flipBack = System.nanoTime();
        site.modeSet("NORMAL", "listener:trading", "C.4 drill: recovered");
        site.publishPolicy("NORMAL", List.of());
        for (Terminal t : terminals) {
            t.awaitAcks(flipBack, 5, Duration.ofSeconds(90), "two-way");
            report.recovered("cosign-1 restarted, mode set NORMAL + NORMAL policy", t, flipBack, "two-way", "two-way after a new login");
        }

        site.finish(report, "NORMAL", "ONE_WAY");
    }

    private static void awaitMode(String line, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String shown = "";
        while (System.nanoTime() < deadline) {
            shown = site.cli("mode", "show", "--config", site.yaml("gw-1").toString());
            if (shown.contains(line)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("'" + line + "' not in gmgate mode show within " + within + ":\n" + shown);
    }
}
