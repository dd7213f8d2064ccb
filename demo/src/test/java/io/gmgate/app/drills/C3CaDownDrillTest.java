package io.gmgate.app.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.gmgate.ca.PgServedCertificates;
import io.gmgate.error.GmgateException;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.testkit.PgSchema;

/**
 * Seed 003 appendix C.3 (数字证书认证系统故障) as a drill, runbook docs/runbooks/C3-ca-down.md: the
 * cosign node asks the CA over CMP through two lines, primary and backup, each a process
 * ({@link CmpCaProcess}) behind {@code FailoverCertificateAuthority} ({@code cosign.ca.lines}). The primary
 * is killed: a new terminal still enrols, served by the backup. The backup is killed too: enrolment
 * fails with a CA- code, the SRE sets ONE_WAY on the trading listener and signs a ONE_WAY policy, the
 * new terminal trades one-way while enrolled terminals keep logging in two-way. The primary comes
 * back, the new terminal enrols, the SRE flips back to NORMAL and it trades two-way. No acknowledged
 * order may be lost.
 */
class C3CaDownDrillTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    private static DrillSite site;

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close(); // terminals and every child process, also when the drill failed
        }
    }

    private static final char[] PIN = "112358".toCharArray();

    private static char[] password(int i) {
        return ("trader password " + i).toCharArray();
    }

    private static GmgateClient.Session enrol(GmgateClient client, int i) {
        client.enroll("8300" + i, password(i), "desk-" + i, PIN);
        return client.login(password(i), PIN);
    }

    /** Retries (bounded, as a trader would) while the CA's breaker is still open after it came back. */
    private static GmgateClient.Session enrolOnceTheBreakerLetsATrialThrough(GmgateClient client, int i) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return enrol(client, i);
            } catch (GmgateException e) {
                if (!e.errorCode().code().equals("CA-101") || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static String servedBy(GmgateClient.Session s) {
        return new PgServedCertificates(PG.dataSource()).bySerial(s.signCertificate().getSerialNumber()).orElseThrow().caName();
    }

    private static Terminal terminal(int i, GmgateClient client, Optional<GmgateClient.Session> session) throws Exception {
        return site.terminal("t" + i, "8300" + i, client, session).fullHandshakeEvery(10).start();
    }

    @Test
    void theBackupLineTakesOverThenOneWayForNewTerminalsThenBack() throws Exception {
        DrillReport report = new DrillReport("C3", "CA down (数字证书认证系统故障)");
        site = new DrillSite(PG, "C3", 1, 1, 2, "");
        site.up("ca-primary", "ca-backup", "cosign-1", "gw-1");
        site.publishPolicy("NORMAL", List.of());
        List<GmgateClient> clients = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            site.addTrader("8300" + i, new String(password(i)));
            clients.add(site.client("t" + i));
        }
        long first = System.nanoTime();
        GmgateClient.Session s1 = enrol(clients.get(0), 1);
        assertEquals("ca-primary", servedBy(s1));
        report.note("an enrolment with every CA line up takes " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - first)
                + " ms (login, two-party key generation, co-signed CSR, CMP issuance)");
        Terminal t1 = terminal(1, clients.get(0), Optional.of(s1));
        t1.awaitAcks(0, 5, Duration.ofSeconds(60), "two-way");

        // 1. the primary line dies: the backup line issues
        long killed = System.nanoTime();
        site.process("ca-primary").kill();
        GmgateClient.Session s2 = enrol(clients.get(1), 2);
        report.recovered("ca-primary killed: a new terminal enrols", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed),
                "served by " + servedBy(s2) + " (whole enrolment, login included)");
        assertEquals("ca-backup", servedBy(s2), "the backup line served the enrolment");
        Terminal t2 = terminal(2, clients.get(1), Optional.of(s2));
        t2.awaitAcks(killed, 5, Duration.ofSeconds(60), "two-way");

        // 2. no CA line left: enrolment fails with a CA- code; ONE_WAY for new terminals, two-way for enrolled ones
        long allDown = System.nanoTime();
        site.process("ca-backup").kill();
        GmgateException refused = assertThrows(GmgateException.class, () -> enrol(clients.get(2), 3));
        assertTrue(refused.errorCode().code().startsWith("CA-"), refused.toString());
        report.note("with both CA lines down enrolment fails with " + refused.errorCode().code() + ": " + refused.getMessage());
        site.modeSet("ONE_WAY", "listener:trading", "C.3 drill: both CA lines down");
        site.publishPolicy("ONE_WAY", List.of());
        Terminal t3 = terminal(3, clients.get(2), Optional.empty());
        t3.awaitAcks(allDown, 5, Duration.ofSeconds(60), "one-way");
        report.recovered("ca-backup killed, no CA left, not enrolled: mode set ONE_WAY + ONE_WAY policy", t3, allDown, "one-way",
                "one-way TLCP, identity in-band");
        for (Terminal t : List.of(t1, t2)) {
            t.awaitConnects(allDown, 2, Duration.ofSeconds(60), "two-way");
            report.recovered("ca-backup killed (" + t.name + ", enrolled): keeps two-way", t.connectedMillis(allDown, "two-way"),
                    "first full co-signed two-way handshake after the kill");
        }

        // 3. the primary line is back: the new terminal enrols; flip back to NORMAL
        site.up("ca-primary");
        long back = System.nanoTime();
        GmgateClient.Session s3 = enrolOnceTheBreakerLetsATrialThrough(clients.get(2), 3);
        report.note("with ca-primary back, enrolment works again after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back)
                + " ms (its breaker lets a trial request through after cosign.ca.openWait, 3 s in this drill)");
        assertEquals("ca-primary", servedBy(s3));
        t3.useSession(s3);
        site.modeSet("NORMAL", "listener:trading", "C.3 drill: recovered");
        site.publishPolicy("NORMAL", List.of());
        t3.awaitAcks(back, 5, Duration.ofSeconds(60), "two-way");
        report.recovered("ca-primary restarted: enrols, mode set NORMAL + NORMAL policy", t3, back, "two-way",
                "two-way with its new certificate");

        site.finish(report, "NORMAL", "ONE_WAY");
    }
}
