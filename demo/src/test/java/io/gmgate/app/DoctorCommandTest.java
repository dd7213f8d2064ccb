package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.agent.AgentSettings;
import io.gmgate.agent.LoginUpstream;
import io.gmgate.agent.TerminalAgent;
import io.gmgate.app.config.TerminalConfig;
import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.policy.AccessPolicy;
import io.gmgate.policy.SignedPolicy;
import io.gmgate.ports.ReservedPort;
import picocli.CommandLine;

/** gmgate doctor on a healthy terminal (store, roots, gateway, agent, policy) and on broken ones. */
class DoctorCommandTest {

    private static final char[] PASSWORD = "doctor-Passw0rd".toCharArray();
    private static final char[] PIN = "975310".toCharArray();
    private static final Sm2PrivateKey FIRM_POLICY_KEY = Sm2PrivateKey.generate();

    private static DemoSite site;
    @TempDir
    static Path dir;
    private static Path roots;
    private static Path store;
    private static Path policyKey;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
        site.addTrader("8007001", PASSWORD);
        roots = Files.writeString(dir.resolve("roots.pem"), GmPem.toPem(site.root()));
        store = dir.resolve("store");
        client().enroll("8007001", PASSWORD, "desk-7", PIN);
        policyKey = Files.writeString(dir.resolve("policy-key.pem"), GmPem.publicKeyToPem(FIRM_POLICY_KEY.publicKey()));
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    private static GmgateClient client() {
        return new GmgateClient(new GmgateClient.Options(List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()), store, Duration.ofSeconds(2),
                Duration.ofSeconds(10), 10_000));
    }

    private static Path policy(String name, Sm2PrivateKey key, AccessPolicy.Mode mode, Instant from, Duration valid) throws Exception {
        AccessPolicy p = new AccessPolicy(7, from, from.plus(valid), mode, List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of());
        return Files.write(dir.resolve(name), SignedPolicy.sign(p, Sm2SignKey.of(key)));
    }

    private static Path config(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    private static int doctor(StringWriter out, String... args) {
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void aHealthyTerminalPassesEveryCheck() throws Exception {
        Path policy = policy("good.policy", FIRM_POLICY_KEY, AccessPolicy.Mode.NORMAL, Instant.now().minusSeconds(60), Duration.ofHours(2));
        GmgateClient c = client();
        try (TerminalAgent agent = TerminalAgent.start(AgentSettings.ephemeral(4), new LoginUpstream(c, PASSWORD, PIN),
                io.gmgate.agent.Upstream.enrolment(c), Clock.systemUTC())) {
            Path cfg = config("good.yaml",
                    "client:",
                    "  enrolment: [{site: sh, host: 127.0.0.1, port: " + site.enrolmentPort() + "}]",
                    "  trading: [{site: sh, host: 127.0.0.1, port: " + site.tradingPort() + "}]",
                    "  roots: roots.pem",
                    "  store: store",
                    "  policyKey: policy-key.pem",
                    "  policy: good.policy",
                    "agent:",
                    "  tradingPort: " + agent.tradingPort(),
                    "  enrolmentPort: " + agent.enrolmentPort(),
                    "  statusPort: " + agent.statusPort());
            StringWriter out = new StringWriter();
            assertEquals(0, doctor(out, "doctor", "--config", cfg.toString()), out.toString());
            String s = out.toString();
            for (String line : List.of("PASS  configuration", "PASS  roots", "PASS  store", "PASS  certificate",
                    "PASS  enrolment 127.0.0.1:" + site.enrolmentPort() + " (sh)", "PASS  GM handshake", "PASS  clock vs",
                    "PASS  trading 127.0.0.1:" + site.tradingPort() + " (sh)", "PASS  policy", "PASS  agent 127.0.0.1:" + agent.enrolmentPort(),
                    "PASS  agent 127.0.0.1:" + agent.tradingPort(), "all checks passed")) {
                assertTrue(s.contains(line), line + " in\n" + s);
            }
            assertTrue(s.contains("relays HTTP to the gateway (answered 404"), s);
            assertTrue(s.contains("#7 NORMAL"), s);
        }
    }

    @Test
    void aBrokenTerminalGetsACodeAndAnActionPerFailure() throws Exception {
        Path forged = policy("forged.policy", Sm2PrivateKey.generate(), AccessPolicy.Mode.BYPASS, Instant.now(), Duration.ofHours(1));
        int dead = deadPort();
        Path cfg = config("broken.yaml",
                "client:",
                "  enrolment: [{site: sh, host: 127.0.0.1, port: " + dead + "}]",
                "  trading: [{site: sh, host: 127.0.0.1, port: " + dead + "}]",
                "  roots: missing.pem",
                "  store: empty-store",
                "  policyKey: policy-key.pem",
                "  policy: forged.policy",
                "agent:",
                "  tradingPort: " + dead,
                "  enrolmentPort: " + dead);
        StringWriter out = new StringWriter();
        assertEquals(1, doctor(out, "doctor", "--config", cfg.toString(), "--timeout", "1000"), out.toString());
        String s = out.toString();
        assertTrue(s.contains("FAIL  roots") && s.contains("CERT-405") && s.contains("→ install the firm's current root"), s);
        assertTrue(s.contains("FAIL  store") && s.contains("CERT-402") && s.contains("→ apply for a certificate first"), s);
        assertTrue(s.contains("FAIL  enrolment 127.0.0.1:" + dead + " (sh)") && s.contains("FAIL  trading 127.0.0.1:" + dead + " (sh)")
                && s.contains("NET-400 cannot connect") && s.contains("→ check the network"), s);
        assertTrue(s.contains("FAIL  policy") && s.contains("MODE-400") && s.contains("→ keep the current endpoints"), s);
        assertTrue(s.contains("FAIL  agent 127.0.0.1:" + dead) && s.contains("NET-413") && s.contains("→ start it: gmgate agent"), s);
        assertTrue(s.contains("7 check(s) failed"), s);
        assertTrue(s.lines().filter(l -> l.startsWith("FAIL")).allMatch(l -> l.matches("FAIL  .+ [A-Z]+-\\d{3} .+")), s);
    }

    @Test
    void expiryStalePolicyAndClockSkewAreNamed() throws Exception {
        Path stale = policy("stale.policy", FIRM_POLICY_KEY, AccessPolicy.Mode.ONE_WAY, Instant.now().minus(Duration.ofDays(2)),
                Duration.ofDays(1));
        Path cfg = config("skewed.yaml",
                "client:",
                "  enrolment: [{site: sh, host: 127.0.0.1, port: " + site.enrolmentPort() + "}]",
                "  trading: [{site: sh, host: 127.0.0.1, port: " + site.tradingPort() + "}]",
                "  roots: roots.pem",
                "  store: store",
                "  policyKey: policy-key.pem",
                "  policy: stale.policy");
        // this terminal's clock runs ten minutes fast; the certificate (80 days) is inside a 100-day warning
        List<TerminalDoctor.Finding> findings = new TerminalDoctor(TerminalConfig.load(cfg), 100, Duration.ofSeconds(2),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10))).run();
        String s = findings.toString();
        assertTrue(findings.stream().anyMatch(f -> f.verdict() == TerminalDoctor.Verdict.WARN && f.check().equals("certificate")
                && f.detail().startsWith("CERT-406 ")), s);
        assertTrue(findings.stream().anyMatch(f -> f.verdict() == TerminalDoctor.Verdict.FAIL && f.check().startsWith("clock vs")
                && f.detail().matches("CERT-408 .* (599|600|601) s off the gateway's")), s);
        assertTrue(findings.stream().anyMatch(f -> f.verdict() == TerminalDoctor.Verdict.FAIL && f.check().equals("policy")
                && f.detail().startsWith("MODE-401 ")), s);
        assertTrue(findings.stream().anyMatch(f -> f.verdict() == TerminalDoctor.Verdict.PASS && f.check().startsWith("GM handshake")), s);
    }

    private static int deadPort() {
        return ReservedPort.forThisJvm();
    }
}
