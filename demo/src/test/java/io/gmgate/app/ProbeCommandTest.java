package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.crypto.GmPem;
import io.gmgate.session.AccessMode;
import io.gmgate.session.Scope;
import io.gmgate.ports.ReservedPort;
import picocli.CommandLine;

/** gmgate probe against the demo gateway's one-way listener, and against nothing. */
class ProbeCommandTest {

    private static DemoSite site;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        return cli.execute(args);
    }

    @Test
    void probeShowsTheSuiteAndTheDoubleCertificate() throws Exception {
        Path root = Files.writeString(dir.resolve("root.pem"), GmPem.toPem(site.root()));
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "probe", "127.0.0.1:" + site.enrolmentPort(), "--ca", root.toString()), out.toString());
        String s = out.toString();
        assertTrue(s.contains("suite     ECC_SM4_GCM_SM3"), s);
        assertTrue(s.contains("cert 0    CN=gateway") && s.contains("usage digitalSignature"), s);
        assertTrue(s.contains("cert 1    CN=gateway") && s.contains("keyEncipherment"), s);
        assertTrue(s.contains("          issuer ") && s.contains("          serial "), s);
        assertTrue(s.contains("verify    OK"), s);
    }

    @Test
    void probeChecksTheGatewayRoleNameAndPinsLikeATerminalAndForeignRelaxesOnlyRoleAndName() throws Exception {
        Path root = Files.writeString(dir.resolve("root.pem"), GmPem.toPem(site.root()));
        StringWriter byName = new StringWriter();
        assertEquals(0, run(byName, "probe", "localhost:" + site.enrolmentPort(), "--ca", root.toString()), byName.toString());
        String s = byName.toString();
        assertTrue(s.contains("a gmgate gateway for localhost") && s.contains("role serverAuth (gateway)"), s);
        // both halves must be pinned (or a CA above them): the sign and the encryption certificate's pins
        java.util.List<String> pins = s.lines().filter(l -> l.contains("pin spki-sm3:")).map(l -> l.trim().substring(4)).toList();
        StringWriter signOnly = new StringWriter();
        assertEquals(1, run(signOnly, "probe", "127.0.0.1:" + site.enrolmentPort(), "--ca", root.toString(), "--pin", pins.get(0)),
                signOnly.toString());
        assertTrue(signOnly.toString().contains("CERT-141") && signOnly.toString().contains("encryption certificate"),
                signOnly.toString());
        StringWriter pinned = new StringWriter();
        assertEquals(0, run(pinned, "probe", "127.0.0.1:" + site.enrolmentPort(), "--ca", root.toString(), "--pin", pins.get(0),
                "--pin", pins.get(1)), pinned.toString());
        assertTrue(pinned.toString().contains(", pinned"), pinned.toString());
        StringWriter wrongPin = new StringWriter();
        assertEquals(1, run(wrongPin, "probe", "127.0.0.1:" + site.enrolmentPort(), "--ca", root.toString(), "--pin",
                "cert-sm3:" + "00".repeat(32)), wrongPin.toString());
        assertTrue(wrongPin.toString().contains("CERT-141"), wrongPin.toString());

        StringWriter foreign = new StringWriter();
        assertEquals(0, run(foreign, "probe", "127.0.0.1:" + site.enrolmentPort(), "--ca", root.toString(), "--foreign"),
                foreign.toString());
        assertTrue(foreign.toString().contains("foreign server: gateway role and name not checked"), foreign.toString());
    }

    @Test
    void probeShowsSessionIdServerClockAndTiming() throws Exception {
        Path root = Files.writeString(dir.resolve("root.pem"), GmPem.toPem(site.root()));
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "probe", "127.0.0.1:" + site.enrolmentPort(), "--ca", root.toString(), "--suite", "ECC_SM4_CBC_SM3"),
                out.toString());
        String s = out.toString();
        assertTrue(s.contains("protocol  TLCP 1.1 (0x0101)") && s.contains("suite     ECC_SM4_CBC_SM3"), s);
        assertTrue(s.matches("(?s).*session   [0-9a-f]{64}\n.*"), s);
        assertTrue(s.contains("server    clock ") && s.contains("client    no certificate (one-way)"), s);
        assertTrue(s.matches("(?s).*CONNECTED 127\\.0\\.0\\.1:\\d+ \\(127\\.0\\.0\\.1\\) in [0-9.]+ ms.*handshake [0-9.]+ ms.*total +[0-9.]+ ms.*"), s);
    }

    @Test
    void probeSpeaksTls13ToTheTradingPortAndNamesTheRefusalOfAOneWayClient() throws Exception {
        Path root = Files.writeString(dir.resolve("root.pem"), GmPem.toPem(site.root()));
        // NORMAL: the trading port wants a client certificate, which a bare probe does not have
        StringWriter refused = new StringWriter();
        assertEquals(1, run(refused, "probe", "127.0.0.1:" + site.tradingPort(), "--protocol", "tls13", "--ca", root.toString()),
                refused.toString());
        assertTrue(refused.toString().matches("(?s).*gmgate: (TLS|NET)-\\d{3} .*\\n  action: .*"), refused.toString());

        // ONE_WAY (docs/drills.md C3/C4): the same port serves a one-way handshake
        var modes = site.node().modes();
        modes.set(Scope.CLUSTER, AccessMode.ONE_WAY, "probe test", "test", Optional.of(Duration.ofMinutes(5)));
        try {
            for (int i = 0; i < 100 && modes.effective(GatewayNode.TRADING) != AccessMode.ONE_WAY; i++) {
                Thread.sleep(50);
            }
            StringWriter out = new StringWriter();
            assertEquals(0, run(out, "probe", "127.0.0.1:" + site.tradingPort(), "--protocol", "tls13", "--ca", root.toString()),
                    out.toString());
            String s = out.toString();
            assertTrue(s.contains("protocol  TLS 1.3 (0x0304)") && s.contains("TLS_SM4_GCM_SM3"), s);
            assertTrue(s.contains("cert 0    CN=gateway") && s.contains("usage digitalSignature"), s);
            assertTrue(s.contains("verify    OK against"), s);
        } finally {
            modes.set(Scope.CLUSTER, AccessMode.NORMAL, "probe test over", "test", Optional.empty());
        }
    }

    @Test
    void theEnrolmentPortSpeaksTls13OneWayToo() throws Exception {
        Path root = Files.writeString(dir.resolve("root.pem"), GmPem.toPem(site.root()));
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "probe", "127.0.0.1:" + site.enrolmentPort(), "--protocol", "tls13", "--ca", root.toString()),
                out.toString());
        assertTrue(out.toString().contains("protocol  TLS 1.3 (0x0304)") && out.toString().contains("TLS_SM4_GCM_SM3"),
                out.toString());
    }

    @Test
    void aTls13ProbeNeedsRoots() {
        StringWriter out = new StringWriter();
        assertEquals(2, run(out, "probe", "127.0.0.1:" + site.tradingPort(), "--protocol", "tls13"), out.toString());
        assertTrue(out.toString().contains("needs --ca"), out.toString());
    }

    @Test
    void anUntrustedServerIsNamedWithItsCode() throws Exception {
        Path other = Files.writeString(dir.resolve("other.pem"),
                GmPem.toPem(io.gmgate.tlcp.interop.TestPki.create("someone else").rootCertificate()));
        StringWriter out = new StringWriter();
        assertEquals(1, run(out, "probe", "127.0.0.1:" + site.enrolmentPort(), "--ca", other.toString()), out.toString());
        assertTrue(out.toString().contains("CERT-100"), out.toString());
    }

    /**
     * What a GmSSL 3.x client needs of the demo's enrolment port (docs/tlcp-interop.md): the gateway's
     * name as a DNS name (it matches DNS names only, so it dials localhost), and no certificate in the
     * chain valid for more than 3653 days (X509_VALIDITY_MAX_DAYS; the embedded CA's root was 20 years
     * and GmSSL refused the chain — seen by hand with gmssl tlcp_client, docs/tlcp-interop.md).
     */
    @Test
    void theDemoChainSuitsAGmsslClientDialingByName() throws Exception {
        Path root = Files.writeString(dir.resolve("root.pem"), GmPem.toPem(site.root()));
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "probe", "localhost:" + site.enrolmentPort(), "--ca", root.toString()), out.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("valid (\\S+) \\.\\. (\\S+)").matcher(out.toString());
        int certificates = 0;
        while (m.find()) {
            Duration span = Duration.between(java.time.Instant.parse(m.group(1)), java.time.Instant.parse(m.group(2)));
            assertTrue(span.toDays() <= 3653, "valid " + span.toDays() + " days: GmSSL refuses more than 3653\n" + out);
            certificates++;
        }
        assertEquals(4, certificates, "sign, enc, issuing CA, root: " + out);
    }

    @Test
    void nothingListeningIsAConnectionError() throws Exception {
        int dead = ReservedPort.forThisJvm();
        StringWriter out = new StringWriter();
        assertEquals(1, run(out, "probe", "127.0.0.1:" + dead), out.toString());
        assertTrue(out.toString().contains("gmgate: NET-400 127.0.0.1:" + dead + ": "), out.toString());
        assertTrue(out.toString().contains("  action: check the network"), out.toString());
    }
}
