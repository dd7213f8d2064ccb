package io.gmgate.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class GmgateConfigTest {

    @Test
    void theShippedExampleIsValid() {
        GmgateConfig c = GmgateConfig.load(Path.of("../deploy/gmgate.example.yaml"));
        GatewaySettings g = c.gateway().orElseThrow();
        assertEquals("gw-sh-1", c.node().name());
        assertEquals(9000, g.tradingPort());
        assertEquals(8090, g.enrolmentPort());
        assertEquals(2, g.fronts().size());
        assertEquals(Duration.ofMinutes(30), g.admission().idleTimeout());
        assertEquals(201, g.tlcp().signKeyIndex());
        assertEquals(false, g.tlcp().tls13());
        assertEquals(CardSettings.Type.SOFT, c.card().type());
        io.gmgate.session.DegradationSettings rule = g.cosignDown().orElseThrow();
        assertEquals(io.gmgate.session.Scope.listener("trading"), rule.scope());
        assertEquals(Duration.ofSeconds(60), rule.openFor());
        assertEquals(false, rule.allowed(), "the shipped example only alerts");
    }

    @Test
    void defaultsApplyWhenSectionsAreOmitted() {
        GmgateConfig c = GmgateConfig.from(ConfigFile.parse("node: {name: n1}\n", "t.yaml"));
        assertEquals("n1", c.node().name());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/gmgate", c.database().url());
        assertTrue(c.gateway().isEmpty());
    }

    @Test
    void errorsNameTheFileTheKeyAndTheRule() {
        String[][] cases = {
                {"node: {nmae: x}", "t.yaml: node.nmae is not a known setting"},
                {"gateway: {trading: {fronts: [{name: a, host: h, port: 70000}]}}", "gateway.trading.fronts[0].port must be within 1..65535, got 70000"},
                {"gateway: {trading: {fronts: []}}", "gateway.trading.fronts must list at least one trading front"},
                {"gateway: {trading: {fronts: [{name: a, host: h, port: 1}]}, frontConnectTimeout: soon}", "gateway.frontConnectTimeout: 'soon' is not a duration"},
                {"database: {password: hunter2}", "database.password must not be written in the file"},
                {"gateway: {trading: {fronts: [{name: a, host: h, port: 1}]}, tlcp: {suites: [ECDHE_SM4_GCM_SM3]}}", "gateway.tlcp.suites offers ECDHE_SM4_GCM_SM3"},
                {"card: {type: usb}", "card.type must be one of [soft, pkcs11, sdf], got 'usb'"},
                {"card: {type: pkcs11}", "card.pkcs11Library is required"},
                {"node: [1, 2]", "node must be a mapping of keys"},
                {"gateway: {trading: {fronts: [{name: a, host: h, port: 1}]}, degradation: {scope: 'region:x'}}",
                        "gateway.degradation MODE-300 scope 'region:x' must be cluster, site:NAME or listener:NAME"},
                {"node: {name: x\n", "t.yaml: not valid YAML"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> GmgateConfig.from(ConfigFile.parse(c[0], "t.yaml")), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void shortDurationsRead() {
        assertEquals(Duration.ofMillis(500), ConfigNode.parseDuration("x", "500ms"));
        assertEquals(Duration.ofDays(90), ConfigNode.parseDuration("x", "90d"));
        assertEquals(Duration.ofSeconds(30), ConfigNode.parseDuration("x", "PT30S"));
        assertThrows(ConfigException.class, () -> ConfigNode.parseDuration("x", "-5s"));
    }
}
