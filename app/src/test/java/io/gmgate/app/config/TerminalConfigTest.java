package io.gmgate.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.policy.Endpoint;

/** The terminal file: the shipped example reads, defaults apply, paths are relative to the file, typos are refused. */
class TerminalConfigTest {

    @TempDir
    Path dir;

    @Test
    void theShippedExampleReads() {
        Path example = Path.of("..", "deploy", "terminal.example.yaml").toAbsolutePath().normalize();
        TerminalConfig t = TerminalConfig.load(example);
        assertEquals(new Endpoint("main", "gw1.main.example.com", 8090), t.client().enrolment().get(0));
        assertEquals(new Endpoint("backup", "gw1.backup.example.com", 9000), t.client().trading().get(2));
        assertEquals(example.getParent().resolve("roots.pem"), t.client().roots());
        assertEquals(Duration.ofSeconds(20), t.client().failoverBudget());
        assertEquals(9000, t.agent().settings().tradingPort());
        assertEquals(8090, t.agent().settings().enrolmentPort());
        assertTrue(t.agentSection());
    }

    @Test
    void withoutAnAgentSectionTheClearingHousePortsAreTheDefaults() throws Exception {
        Path f = Files.writeString(dir.resolve("t.yaml"), String.join("\n", "client:",
                "  enrolment: [{host: 10.0.0.1, port: 8090}]", "  trading: [{host: 10.0.0.1, port: 9000}]",
                "  roots: /etc/gmgate/roots.pem", "  store: store", ""));
        TerminalConfig t = TerminalConfig.load(f);
        assertFalse(t.agentSection());
        assertEquals(9000, t.agent().settings().tradingPort());
        assertEquals(8090, t.agent().settings().enrolmentPort());
        assertEquals("main", t.client().trading().get(0).site());
        assertEquals(Path.of("/etc/gmgate/roots.pem"), t.client().roots());
        assertEquals(dir.resolve("store"), t.client().store());
        assertEquals(100_000, t.client().pinIterations());
    }

    @Test
    void mistakesAreNamedByTheirKey() throws Exception {
        String base = "client:\n  enrolment: [{host: h, port: 8090}]\n  trading: [{host: h, port: 9000}]\n  roots: r.pem\n  store: s\n";
        assertTrue(refused(base + "agent:\n  tradingPrt: 9000\n").contains("agent.tradingPrt is not a known setting"));
        assertTrue(refused(base.replace("  trading: [{host: h, port: 9000}]\n", "")).contains("at least one enrolment"));
        assertTrue(refused(base + "  policy: p.bin\n").contains("client.policy needs policyKey"));
        assertTrue(refused("agent:\n  tradingPort: 9000\n").contains("client is required"));
        assertTrue(refused(base + "agent:\n  maxConnections: 0\n").contains("agent.maxConnections"));
    }

    @Test
    void gatewayPinsAreParsedWhenTheFileIsReadAndAMalformedOneIsNamed() throws Exception {
        String base = "client:\n  enrolment: [{host: h, port: 8090}]\n  trading: [{host: h, port: 9000}]\n  roots: r.pem\n  store: s\n";
        String spki = "spki-sm3:" + "ab".repeat(32);
        String cert = "cert-sm3:" + "CD".repeat(32);
        Path f = Files.writeString(dir.resolve("pins.yaml"), base + "  gatewayPins: [" + spki + ", " + cert + "]\n");
        TerminalConfig t = TerminalConfig.load(f);
        assertEquals(java.util.List.of(io.gmgate.tlcp.CertificatePin.parse(spki), io.gmgate.tlcp.CertificatePin.parse(cert)),
                t.client().gatewayPins());
        assertTrue(refused(base + "  gatewayPins: [sha256:00]\n").contains("client.gatewayPins"));
        assertTrue(refused(base + "  gatewayPins: [spki-sm3:abcd]\n").contains("64 hex digits"));
    }

    private String refused(String yaml) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), yaml);
        return assertThrows(ConfigException.class, () -> TerminalConfig.load(f)).getMessage();
    }
}
