package io.gmgate.app.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.gmgate.testkit.PgSchema;

/**
 * Seed 003 appendix C.2 (密码卡故障) as a drill, runbook docs/runbooks/C2-cipher-card-failure.md: two
 * gateway node processes, each with its own card holding the gateway's keys, and two enrolled
 * terminals trading two-way. The card of one node fails under the running process; its readiness
 * drops, it refuses new GM connections, and the terminals move to the node with a healthy card. Then
 * the other card fails: the SRE sets BYPASS and signs a BYPASS policy naming the nodes' bypass
 * listeners (which need no card), and trading continues on the plain path. The replacement card goes
 * in, the SRE flips back to NORMAL, and the terminals are two-way again. No acknowledged order lost.
 *
 * <p>Which failure, and why: the cards that can hold the gateway's SM2 keys today are the soft card
 * and SDF devices (SoftHSM2's PKCS#11 has no SM2, so a gateway refuses a PKCS#11 card with KEY-025,
 * docs/cipher-cards.md). A soft card is its file, as a hardware card is its device: the drill makes
 * the node lose it (the file moved away under the running process, as a device that drops off the
 * bus). {@code SoftCipherCard.health()} reads and checks the file on every probe, so this is exactly
 * what the node's probe sees; the keys already in memory would still sign, which is why the node
 * gates new connections on the probe rather than on a failed signature.
 */
class C2CipherCardFailureDrillTest {

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
    void readinessDropsTrafficMovesThenBypassThenTheNewCard() throws Exception {
        DrillReport report = new DrillReport("C2", "cipher card failure (密码卡故障)");
        site = new DrillSite(PG, "C2", 2, 1);
        site.up("cosign-1", "gw-1");
        site.up("gw-2");
        List<io.gmgate.policy.Endpoint> bypass = site.bypass();
        site.publishPolicy("NORMAL", bypass);
        List<Terminal> terminals = List.of(site.enrolledTerminal("t1", "82001").fullHandshakeEvery(10).start(),
                site.enrolledTerminal("t2", "82002").fullHandshakeEvery(10).start());
        long start = System.nanoTime();
        for (Terminal t : terminals) {
            t.awaitAcks(start, 5, Duration.ofSeconds(60), "two-way");
        }

        // 1. gw-1's card fails: readiness drops, new GM connections are refused, terminals move to gw-2
        long lost = System.nanoTime();
        site.loseCard("gw-1");
        long notReady = await("gw-1 not ready", () -> site.ready("gw-1") == 503, lost);
        long refused = await("gw-1 refuses GM handshakes", () -> refusesGm(site.ports("gw-1").trading()), lost);
        report.recovered("gw-1's card lost: /health/ready 503", notReady, "readiness probe (card: DOWN)");
        report.recovered("gw-1's card lost: new GM connections refused", refused, "card probe every second");
        assertEquals(200, site.ready("gw-2"), "gw-2's card is healthy");
        assertTrue(site.process("gw-1").alive(), "the node still runs; only its card is gone");
        for (Terminal t : terminals) {
            t.awaitConnects(lost + TimeUnit.MILLISECONDS.toNanos(refused), 2, Duration.ofSeconds(60), "two-way");
            report.recovered("gw-1's card lost: terminals move to gw-2", t.connectedMillis(lost, "two-way"),
                    t.name + ": first two-way connection after the loss (its earlier one on gw-1 ran on)");
        }

        // 2. gw-2's card fails too: the SRE sets BYPASS; the nodes' bypass listeners need no card
        long allLost = System.nanoTime();
        site.loseCard("gw-2");
        await("gw-2 not ready", () -> site.ready("gw-2") == 503, allLost);
        site.modeSet("BYPASS", "cluster", "C.2 drill: all cards down, vendor ticket 42");
        site.publishPolicy("BYPASS", bypass);
        for (Terminal t : terminals) {
            t.awaitAcks(allLost, 5, Duration.ofSeconds(60), "plain");
            report.recovered("gw-2's card lost too: mode set BYPASS + BYPASS policy", t, allLost, "plain",
                    "plain through the nodes' bypass listeners");
        }

        // 3. the replacement card (keys restored from backup) goes into gw-1; flip back
        site.replaceCard("gw-1");
        long replaced = System.nanoTime();
        await("gw-1 ready again", () -> site.ready("gw-1") == 200, replaced);
        site.modeSet("NORMAL", "cluster", "C.2 drill: card replaced");
        site.publishPolicy("NORMAL", bypass);
        for (Terminal t : terminals) {
            t.awaitAcks(replaced, 5, Duration.ofSeconds(60), "two-way");
            report.recovered("gw-1's card replaced, mode set NORMAL + NORMAL policy", t, replaced, "two-way", "two-way via gw-1");
        }

        site.finish(report, "NORMAL", "BYPASS");
    }

    /** Milliseconds from {@code sinceNanos} until {@code ok} holds; bounded at 30 s. */
    private static long await(String what, BooleanSupplier ok, long sinceNanos) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " within 30 s");
            }
            Thread.sleep(50);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }

    /**
     * True when the GM listener on {@code port} hangs up at once, before any ClientHello: the refusal
     * of a node whose card is down. A node that takes terminals waits for the ClientHello instead.
     */
    private static boolean refusesGm(int port) {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            raw.setSoTimeout(1000);
            return raw.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException waitingForTheHello) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
