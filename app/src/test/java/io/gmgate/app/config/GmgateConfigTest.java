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
    void cosignAsksExternalCasInTheListedOrder() {
        GmgateConfig c = GmgateConfig.from(ConfigFile.parse(String.join("\n", "node: {name: cosign-1}",
                "cosign:",
                "  cas:",
                "    - {name: ca-primary, url: 'http://10.1.1.5:8080/cmp', reference: gmgate-ra, secretFile: /run/ra, issuer: /etc/i.pem}",
                "    - {name: ca-backup, url: 'http://10.2.1.5:8080/cmp', reference: gmgate-ra, secretFile: /run/ra, issuer: /etc/i.pem}",
                "  caBreakerOpenWait: 5s",
                ""), "t.yaml"));
        CosignConfig cosign = c.cosign().orElseThrow();
        assertEquals(java.util.List.of("ca-primary", "ca-backup"), cosign.cas().stream().map(CmpCaSettings::name).toList());
        assertEquals("http://10.2.1.5:8080/cmp", cosign.cas().get(1).url().toString());
        assertEquals(Duration.ofSeconds(5), cosign.caBreakerOpenWait());
        assertTrue(GmgateConfig.from(ConfigFile.parse("cosign: {firm: F}\n", "t.yaml")).cosign().orElseThrow().cas().isEmpty(),
                "no cas: the embedded CA");
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
                {"card: {type: pkcs11, pkcs11Library: /x.so}", "card.slot or slotIndex (exactly one) is required"},
                {"card: {type: pkcs11, pkcs11Library: /x.so, slot: 1, slotIndex: 0}", "card.slot or slotIndex (exactly one)"},
                {"card: {type: pkcs11, pkcs11Library: /x.so, slot: -4}", "card.slot must be a slot id"},
                {"card: {type: pkcs11, pkcs11Library: /x.so, slot: 1, path: /c.gmc}", "card mixes settings of card types"},
                {"card: {type: soft, pkcs11Library: /x.so}", "card mixes settings of card types: a soft card takes path"},
                {"card: {type: sdf}", "card.sdfLibrary is required"},
                {"card: {type: sdf, sdfLibrary: v, sdfOptions: [a]}", "card.sdfOptions must be a mapping"},
                {"card: {type: sdf, sdfLibrary: v, sdfOptions: {file: {a: b}}}", "card.sdfOptions.file must be a text value"},
                {"card: {name: 'a b'}", "card.name must be 1..41 letters"},
                {"card: {tokenLabel: gmgate}", "card.tokenLabel is not a known setting"},
                {"node: [1, 2]", "node must be a mapping of keys"},
                {"gateway: {trading: {fronts: [{name: a, host: h, port: 1}]}, degradation: {scope: 'region:x'}}",
                        "gateway.degradation MODE-300 scope 'region:x' must be cluster, site:NAME or listener:NAME"},
                {"node: {name: x\n", "t.yaml: not valid YAML"},
                {"cosign: {cas: [{name: p, url: 'ftp://ca', reference: r, secretFile: s, issuer: i}]}",
                        "cosign.cas[0].url must be an http(s) CMP endpoint"},
                {"cosign: {cas: [{name: p, url: 'http://ca', reference: r, secretFile: s}]}", "cosign.cas[0].issuer is required"},
                {"cosign: {cas: [{name: p, url: 'http://a', reference: r, secretFile: s, issuer: i},"
                        + " {name: p, url: 'http://b', reference: r, secretFile: s, issuer: i}]}", "CA names must be unique"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> GmgateConfig.from(ConfigFile.parse(c[0], "t.yaml")), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void eachCardTypeReadsItsOwnSettingsAndNamesItsSecretVariable() {
        CardSettings soft = GmgateConfig.from(ConfigFile.parse("card: {path: /c.gmc}\n", "t.yaml")).card();
        assertEquals(CardSettings.Type.SOFT, soft.type());
        assertEquals("GMGATE_CARD_PASSPHRASE", soft.secretEnv());

        CardSettings hsm = GmgateConfig.from(ConfigFile.parse("""
                card:
                  type: pkcs11
                  name: hsm-a
                  pkcs11Library: /usr/lib/softhsm/libsofthsm2.so
                  slot: 3364598853
                  passphraseFile: /run/secrets/pin
                """, "t.yaml")).card();
        assertEquals(CardSettings.Type.PKCS11, hsm.type());
        assertEquals(3_364_598_853L, hsm.slot().orElseThrow(), "slot ids are unsigned 32-bit: past int");
        assertTrue(hsm.slotIndex().isEmpty());
        assertEquals("GMGATE_CARD_PIN", hsm.secretEnv());
        assertEquals("/run/secrets/pin", hsm.passphraseFile().orElseThrow());

        CardSettings sdf = GmgateConfig.from(ConfigFile.parse("""
                card:
                  type: sdf
                  sdfLibrary: soft-sdf
                  sdfOptions: {file: /etc/gmgate/device.card}
                  sdfKeks: ["1:1=1/2", "1:2=3/4"]
                """, "t.yaml")).card();
        assertEquals("soft-sdf", sdf.sdfLibrary().orElseThrow());
        assertEquals(java.util.Map.of("file", "/etc/gmgate/device.card"), sdf.sdfOptions());
        assertEquals(java.util.List.of("1:1=1/2", "1:2=3/4"), sdf.sdfKeks());
        assertEquals("GMGATE_CARD_PASSWORD", sdf.secretEnv());
        assertTrue(sdf.toString().contains("sdfOptions=[file]"), "option values stay out of toString: " + sdf);
    }

    @Test
    void shortDurationsRead() {
        assertEquals(Duration.ofMillis(500), ConfigNode.parseDuration("x", "500ms"));
        assertEquals(Duration.ofDays(90), ConfigNode.parseDuration("x", "90d"));
        assertEquals(Duration.ofSeconds(30), ConfigNode.parseDuration("x", "PT30S"));
        assertThrows(ConfigException.class, () -> ConfigNode.parseDuration("x", "-5s"));
    }
}
