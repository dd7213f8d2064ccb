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
        assertEquals("127.0.0.1", g.adminHost());
    }

    @Test
    void aNodesTimingsAreReadFromTheGatewaySectionAndDefaultToTheOldConstants() {
        String fronts = "gateway: {trading: {fronts: [{name: a, host: h, port: 1}]}";
        GatewaySettings plain = GmgateConfig.from(ConfigFile.parse(fronts + "}\n", "t.yaml")).gateway().orElseThrow();
        assertEquals(GatewayTimings.defaults(), plain.timings());
        assertEquals(Duration.ofSeconds(20), plain.timings().handshakeTimeout());
        assertEquals(Duration.ofHours(8), plain.timings().sessionLifetime());
        GatewaySettings tuned = GmgateConfig.from(ConfigFile.parse(fronts
                + ", timings: {handshakeTimeout: 5s, sessionLifetime: 1h, ruleEvery: 500ms, closeDeadline: 3s}}\n", "t.yaml"))
                .gateway().orElseThrow();
        assertEquals(Duration.ofSeconds(5), tuned.timings().handshakeTimeout());
        assertEquals(Duration.ofHours(1), tuned.timings().sessionLifetime());
        assertEquals(Duration.ofMillis(500), tuned.timings().ruleEvery());
        assertEquals(Duration.ofSeconds(3), tuned.timings().closeDeadline());
        assertEquals(GatewayTimings.defaults().bytesEvery(), tuned.timings().bytesEvery());
        ConfigException zero = assertThrows(ConfigException.class, () -> GmgateConfig.from(ConfigFile.parse(fronts
                + ", timings: {handshakeTimeout: 0s}}\n", "t.yaml")));
        assertTrue(zero.getMessage().contains("handshakeTimeout must be a positive duration"), zero.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> GmgateConfig.from(ConfigFile.parse(fronts
                + ", timings: {handshakeTimout: 5s}}\n", "t.yaml")));
        assertTrue(unknown.getMessage().contains("handshakeTimout"), unknown.getMessage());
    }

    @Test
    void theAdminApiAndTheCosignListenerHaveSafeDefaults() {
        GatewaySettings g = GmgateConfig.from(ConfigFile.parse("gateway: {trading: {fronts: [{name: a, host: h, port: 1}]}}\n",
                "t.yaml")).gateway().orElseThrow();
        assertEquals("127.0.0.1", g.adminHost(), "the admin API is not on the street unless configured");
        CosignConfig c = GmgateConfig.from(ConfigFile.parse(String.join("\n", "cosign:", "  trustedProxies: [10.0.3.7, 10.244.0.0/16]",
                "  bodyTimeout: 5s", "  connectionsPerSource: 32", ""), "t.yaml")).cosign().orElseThrow();
        assertEquals(java.util.Set.of("10.0.3.7", "10.244.0.0/16"), c.settings().trustedProxies());
        assertEquals(Duration.ofSeconds(5), c.listener().bodyTimeout());
        assertEquals(32, c.listener().connectionsPerSource());
        assertEquals(io.gmgate.cosign.http.ListenerLimits.defaults().idleTimeout(), c.listener().idleTimeout());
    }

    @Test
    void cosignAsksExternalCasInTheListedOrder() {
        GmgateConfig c = GmgateConfig.from(ConfigFile.parse(String.join("\n", "node: {name: cosign-1}",
                "cosign:",
                "  ca:",
                "    openWait: 5s",
                "    lines:",
                "      - {kind: cmp, name: ca-primary, url: 'http://10.1.1.5:8080/cmp', reference: gmgate-ra, secretFile: /run/ra, issuerCertificate: /etc/i.pem}",
                "      - {kind: cmp, name: ca-backup, url: 'http://10.2.1.5:8080/cmp', reference: gmgate-ra, secretFile: /run/ra, caName: 'CN=CA'}",
                ""), "t.yaml"));
        CaLines ca = c.cosign().orElseThrow().ca().orElseThrow();
        assertEquals(java.util.List.of("ca-primary", "ca-backup"), ca.lines().stream().map(CaLines.Line::name).toList());
        assertEquals("http://10.2.1.5:8080/cmp", ((CaLines.Cmp) ca.lines().get(1)).url().toString());
        assertEquals(Duration.ofSeconds(5), ca.openWait());
        assertTrue(GmgateConfig.from(ConfigFile.parse("cosign: {firm: F}\n", "t.yaml")).cosign().orElseThrow().ca().isEmpty(),
                "no ca section: the embedded CA alone");
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
                {"gateway: {trading: {fronts: [{name: a, host: h, port: 1}]}, tlcp: {suites: [ECDH_SM4]}}", "gateway.tlcp.suites names an unknown suite"},
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
                {"card: {type: pkcs11, pkcs11Library: /x.so, slot: 1, sm2Card: {type: pkcs11, pkcs11Library: /y.so, slot: 2}}",
                        "card.sm2Card.type must be soft or sdf"},
                {"card: {type: sdf, sdfLibrary: v, sm2Card: {type: sdf, sdfLibrary: w}}", "card.sm2Card.type must differ from the card's own type (sdf)"},
                {"card: {type: pkcs11, pkcs11Library: /x.so, slot: 1, sm2Card: {type: soft, path: /s.gmc, sm2Card: {type: sdf, sdfLibrary: v}}}",
                        "card.sm2Card.sm2Card is not allowed"},
                {"card: {type: pkcs11, pkcs11Library: /x.so, slot: 1, sm2Card: {type: soft, slot: 1}}",
                        "card.sm2Card mixes settings of card types: a soft card takes path"},
                {"card: {type: pkcs11, pkcs11Library: /x.so, slot: 1, sm2Card: {type: soft, pin: 1234}}", "card.sm2Card.pin is not a known setting"},
                {"node: [1, 2]", "node must be a mapping of keys"},
                {"cosign: {trustedProxies: [gateway.example.com]}", "is not an IP address or CIDR block"},
                {"cosign: {trustedProxies: [10.0.0.0/33]}", "prefix length outside 0..32"},
                {"gateway: {trading: {fronts: [{name: a, host: h, port: 1}]}, degradation: {scope: 'region:x'}}",
                        "gateway.degradation MODE-300 scope 'region:x' must be cluster, site:NAME or listener:NAME"},
                {"node: {name: x\n", "t.yaml: not valid YAML"},
                {"cluster: {host: 0.0.0.0}", "cluster.host is a wildcard"},
                {"cluster: {host: gw-1.example}", "cluster.host must be an IP address"},
                {"cluster: {members: ['10.0.0.1:5701', '10.0.0.2:5701']}", "cluster.secretFile is required when the node joins other members"},
                {"cluster: {host: 10.0.0.7, kubernetesService: gmgate-cluster}", "cluster.secretFile is required"},
                {"cosign: {ca: {lines: [{kind: cmp, name: p, url: 'ftp://ca', reference: r, secretFile: s, caName: 'CN=C'}]}}",
                        "cosign.ca.lines[0].url must be an http(s) URL"},
                {"cosign: {ca: {lines: [{kind: cmp, name: p, url: 'http://ca', reference: r, secretFile: s}]}}",
                        "needs caName or issuerCertificate"},
                {"cosign: {ca: {lines: [{kind: cmp, name: p, url: 'http://a', reference: r, secretFile: s, caName: 'CN=C'},"
                        + " {kind: cmp, name: p, url: 'http://b', reference: r, secretFile: s, caName: 'CN=C'}]}}", "CA names must be unique"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> GmgateConfig.from(ConfigFile.parse(c[0], "t.yaml")), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void theClusterIsTheSitesNameAndSecretAndWithoutASecretAClusterOfItsOwn(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        Path secret = java.nio.file.Files.writeString(dir.resolve("cluster.secret"), "9f".repeat(32) + "\n");
        String joined = "node: {site: sh}\ncluster: {host: 10.0.0.7, members: ['10.0.0.7', '10.0.0.8'], eventBusPort: 5702, "
                + "secretFile: '" + secret + "'}\n";
        var a = GmgateConfig.from(ConfigFile.parse(joined, "a.yaml")).cluster().settings();
        var b = GmgateConfig.from(ConfigFile.parse(joined, "b.yaml")).cluster().settings();
        assertEquals("sh", a.identity().name(), "the site names its cluster unless cluster.name does");
        assertEquals(a.identity().hazelcastName(), b.identity().hazelcastName(), "nodes with one secret form one cluster");
        assertEquals(5702, a.eventBusPort());
        assertTrue(!a.identity().hazelcastName().contains("sh") && !a.identity().toString().contains("9f9f"),
                "neither the name Hazelcast sees nor a log line shows the secret or the site");

        var alone1 = GmgateConfig.from(ConfigFile.parse("node: {site: sh}\n", "c.yaml")).cluster().settings();
        var alone2 = GmgateConfig.from(ConfigFile.parse("node: {site: sh}\ncluster: {host: 127.0.0.1}\n", "d.yaml")).cluster().settings();
        assertTrue(!alone1.identity().hazelcastName().equals(alone2.identity().hazelcastName()),
                "two sites with default settings on one host: two clusters");

        java.nio.file.Files.writeString(secret, "short\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> GmgateConfig.from(ConfigFile.parse(joined, "a.yaml")).cluster().settings());
        assertTrue(e.getMessage().contains("at least 32"), e.getMessage());
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
        assertTrue(sdf.sm2Card().isEmpty());
    }

    @Test
    void aPkcs11CardTakesAnSm2CardWithItsOwnSecret() {
        CardSettings split = GmgateConfig.from(ConfigFile.parse("""
                card:
                  type: pkcs11
                  name: hsm-a
                  pkcs11Library: /usr/lib/softhsm/libsofthsm2.so
                  slotIndex: 0
                  passphraseFile: /run/secrets/pin
                  sm2Card:
                    type: soft
                    path: /var/lib/gmgate/sm2.gmc
                    passphraseFile: /run/secrets/sm2-passphrase
                """, "t.yaml")).card();
        assertEquals(CardSettings.Type.PKCS11, split.type());
        assertEquals("GMGATE_CARD_PIN", split.secretEnv());
        CardSettings sm2 = split.sm2Card().orElseThrow();
        assertEquals(CardSettings.Type.SOFT, sm2.type());
        assertEquals("sm2-card", sm2.name());
        assertEquals("/var/lib/gmgate/sm2.gmc", sm2.path());
        assertEquals("/run/secrets/sm2-passphrase", sm2.passphraseFile().orElseThrow());
        assertEquals("GMGATE_CARD_PASSPHRASE", sm2.secretEnv(), "the types differ, so the variables do");
        assertTrue(sm2.sm2Card().isEmpty());

        CardSettings sdfSm2 = GmgateConfig.from(ConfigFile.parse(
                "card: {type: pkcs11, pkcs11Library: /x.so, slot: 1, sm2Card: {type: sdf, sdfLibrary: soft-sdf, sdfOptions: {file: /d}}}\n",
                "t.yaml")).card();
        assertEquals("GMGATE_CARD_PASSWORD", sdfSm2.sm2Card().orElseThrow().secretEnv());
    }

    @Test
    void shortDurationsRead() {
        assertEquals(Duration.ofMillis(500), ConfigNode.parseDuration("x", "500ms"));
        assertEquals(Duration.ofDays(90), ConfigNode.parseDuration("x", "90d"));
        assertEquals(Duration.ofSeconds(30), ConfigNode.parseDuration("x", "PT30S"));
        assertThrows(ConfigException.class, () -> ConfigNode.parseDuration("x", "-5s"));
    }
}
