package io.gmgate.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.config.ConfigException;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.FailoverCertificateAuthority;
import io.gmgate.ca.IssueRequest;
import io.gmgate.ca.PgCaStore;
import io.gmgate.ca.Sm2ContentSigner;
import io.gmgate.ca.cmp.CmpHttpListener;
import io.gmgate.ca.cmp.CmpProtection;
import io.gmgate.ca.cmp.CmpServer;
import io.gmgate.ca.cmp.CmpServerSettings;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.session.AccessMode;
import io.gmgate.session.ModeSetting;
import io.gmgate.session.PgModeStore;
import io.gmgate.session.Scope;
import io.gmgate.testkit.PgSchema;
import io.vertx.core.Vertx;

/**
 * Seed 003 C.3 through the cosign node's own configuration: two CMP lines to the CA (a primary and a
 * backup line) behind breakers; the primary dies and the backup issues; then both die, their
 * breakers open, and the CA-down rule moves the trading listener to ONE_WAY by itself — persisted,
 * with origin RULE and a time-to-live, so enrolled terminals keep two-way and new ones get in one-way.
 */
class CaDownRuleTest {

    private static final byte[] SECRET = "a shared CMP secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    Path dir;

    @Test
    void everyCaLineDownForLongEnoughMovesTradingToOneWay() throws Exception {
        Path pass = dir.resolve("card.pass");
        Files.writeString(pass, "a card passphrase\n");
        Path cardFile = dir.resolve("card.gmc");
        KeystoreSchema.migrate(PG.dataSource());
        EmbeddedCa ca;
        SoftCipherCard caCard = SoftCipherCard.init(cardFile, "a card passphrase".toCharArray());
        ca = EmbeddedCa.init(EmbeddedCaConfig.defaults("Example Futures"), caCard, new PgCaStore(PG.dataSource()), Clock.systemUTC());
        CmpServer cmp = new CmpServer(ca, new CmpServerSettings(List.of(new CmpServerSettings.Client(
                CmpProtection.Mac.sm3("gmgate-ra", SECRET), true)), false), Clock.systemUTC());
        CmpHttpListener primary = CmpHttpListener.start(cmp, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "/cmp");
        CmpHttpListener backup = CmpHttpListener.start(cmp, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "/cmp");
        Path secret = dir.resolve("cmp.secret");
        Files.write(secret, SECRET);
        String url = PG.server().jdbcUrl() + (PG.server().jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + PG.name();
        String caName = ca.issuingCertificate().getSubject().toString();
        Path config = dir.resolve("gmgate.yaml");
        Files.writeString(config, String.join("\n",
                "node: {name: cosign-ca-down, site: site-a}",
                "database: {url: \"" + url + "\", user: " + PG.server().user() + ", poolSize: 4}",
                "card: {type: soft, path: \"" + cardFile + "\", passphraseFile: \"" + pass + "\"}",
                "cluster: {modeRefresh: 300ms}",
                "cosign:",
                "  firm: Example Futures",
                "  ca:",
                "    timeout: 30s", // generous: the lines that fail here are closed, refused at once
                "    attempts: 1",
                "    openWait: 10m",
                "    lines:",
                "      - {kind: cmp, name: ca-line-1, url: \"" + primary.uri() + "\", caName: \"" + caName + "\",",
                "         reference: gmgate-ra, secretFile: \"" + secret + "\"}",
                "      - {kind: cmp, name: ca-line-2, url: \"" + backup.uri() + "\", caName: \"" + caName + "\",",
                "         reference: gmgate-ra, secretFile: \"" + secret + "\"}",
                "  degradation: {whenCaDownFor: 1s, ttl: 10m, scope: \"listener:trading\", act: true}", ""));

        Vertx vertx = Vertx.vertx();
        try (CosignWiring w = new CosignWiring(GmgateConfig.load(config),
                io.gmgate.app.wiring.CardSecrets.of("a card passphrase".toCharArray()))) {
            w.node();
            FailoverCertificateAuthority cas = w.failover().orElseThrow();
            assertEquals("ca-line-1", cas.issue(request("alice")).servedBy());
            Optional<AutoCloseable> rule = w.caDownRule(vertx);
            assertTrue(rule.isPresent());
            try (AutoCloseable running = rule.get()) {
                primary.close();
                assertEquals("ca-line-2", cas.issue(request("bob")).servedBy(), "the backup line takes over");
                assertTrue(!cas.allBreakersOpen(), cas.breakers()::toString);
                // Nothing may happen here: watch for longer than the rule's second, not one look after a sleep.
                await("one line down is not the CA down").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                        .until(() -> mode() == AccessMode.NORMAL);

                backup.close();
                for (String account : List.of("carol", "dave", "erin", "frank", "grace")) {
                    CaException e = assertThrows(CaException.class, () -> cas.issue(request(account)));
                    assertEquals(CaErrors.ALL_CAS_DOWN, e.errorCode());
                    if (cas.allBreakersOpen()) {
                        break;
                    }
                }
                assertTrue(cas.allBreakersOpen(), cas.breakers()::toString);
                await("the rule moves trading to ONE_WAY").atMost(Duration.ofSeconds(15)).until(() -> mode() == AccessMode.ONE_WAY);
                ModeSetting set = new PgModeStore(PG.dataSource()).current().stream()
                        .filter(s -> s.scope().equals(Scope.listener("trading"))).findFirst().orElseThrow();
                assertEquals("rule:ca", set.operator());
                assertTrue(set.expiresAt().isPresent(), "an automatic change ends by itself");
                assertTrue(set.reason().contains("'ca' open"), set.reason());
            }
        } finally {
            primary.close();
            backup.close();
            caCard.close();
            vertx.close();
        }
    }

    @Test
    void aDegradationRuleWithoutCaLinesIsAConfigurationError() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, String.join("\n",
                "node: {name: n1, site: a}",
                "database: {url: \"jdbc:postgresql://127.0.0.1:1/x\", user: u}",
                "card: {type: soft, path: /nonexistent, passphraseFile: /nonexistent}",
                "cosign: {degradation: {whenCaDownFor: 1s, act: true}}", ""));
        ConfigException e = assertThrows(ConfigException.class, () -> GmgateConfig.load(config));
        assertTrue(e.getMessage().contains("cosign.degradation"), e.getMessage());
    }

    private static AccessMode mode() {
        return new PgModeStore(PG.dataSource()).current().stream().filter(s -> s.scope().equals(Scope.listener("trading")))
                .map(ModeSetting::mode).findFirst().orElse(AccessMode.NORMAL);
    }

    private static IssueRequest request(String account) throws Exception {
        Sm2SignKey signer = Sm2SignKey.of(Sm2PrivateKey.generate());
        byte[] csr = new PKCS10CertificationRequestBuilder(new X500Name("CN=" + account), GmPem.toSpki(signer.publicKey()))
                .build(new Sm2ContentSigner(signer)).getEncoded();
        return IssueRequest.of(account, "pc-1", csr, null);
    }
}
