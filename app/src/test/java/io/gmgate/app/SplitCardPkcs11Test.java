package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.CardCommandPkcs11Test.Result;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.wiring.CardSecrets;
import io.gmgate.app.wiring.Cards;
import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.card.SplitCipherCard;
import io.gmgate.card.pkcs11.Pkcs11CipherCard;
import io.gmgate.card.pkcs11.Pkcs11Settings;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.crypto.twoparty.TwoPartyServer;
import io.gmgate.keystore.AuditVerification;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.PgAuditLog;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.PgSchema;
import io.gmgate.ports.ReservedPort;
import io.gmgate.testkit.SoftHsm;
import io.vertx.core.json.JsonObject;

/**
 * card.type pkcs11 with an sm2Card: the KEKs in a real SoftHSM2 token, the SM2 keys on a soft card.
 * The key store wraps under the token, and a gateway node serves TLCP with keys the token could not hold.
 */
@Tag("softhsm")
class SplitCardPkcs11Test {

    private static final String SM2_PASSPHRASE = "sm2 card passphrase";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    static SoftHsm hsm;
    static long storeSlot;
    static long gatewaySlot;
    static Path pin;
    static Path sm2Pass;

    @BeforeAll
    static void tokens() throws Exception {
        hsm = SoftHsm.startIfInstalled(dir);
        if (hsm == null) {
            return;
        }
        storeSlot = hsm.initToken("split-store");
        gatewaySlot = hsm.initToken("split-gateway"); // SoftHSM2 sees only tokens made before its first C_Initialize
        pin = Files.writeString(dir.resolve("pin"), SoftHsm.USER_PIN + "\n");
        sm2Pass = Files.writeString(dir.resolve("sm2.pass"), SM2_PASSPHRASE + "\n");
        KeystoreSchema.migrate(PG.dataSource());
    }

    @BeforeEach
    void softHsmInstalled() {
        SoftHsm.assumeInstalled(hsm);
    }

    @Test
    void theKeyStoreWrapsUnderTheTokenWhileSm2KeysLandOnTheSoftCard() throws Exception {
        assertEquals(0, run("card", "init", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", Long.toString(storeSlot), "--pin-file", pin.toString()).exit());
        Path sm2File = dir.resolve("store-sm2.gmc");
        SoftCipherCard.init(sm2File, SM2_PASSPHRASE.toCharArray()).close();
        Path config = Files.writeString(dir.resolve("store.yaml"), "node: {name: store}\n" + database()
                + card("hsm-store", storeSlot, "sm2-store", sm2File));
        GmgateConfig cfg = GmgateConfig.load(config);
        assertTrue(cfg.card().sm2Card().isPresent(), cfg.card().toString());

        byte[] signBytes;
        long keyId;
        try (CardSecrets secrets = CardPassphrase.read(Gmgate.commandLine(), cfg.card(), null);
                CipherCard card = Cards.open(cfg.card(), secrets)) {
            assertTrue(card instanceof SplitCipherCard, card.toString());
            assertEquals("split(pkcs11:hsm-store + soft:" + sm2File + ")", card.name());
            PgShardStore store = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
            store.createAccount("8201", "t");
            store.createDevice("8201", "pc", "t");
            KeyGenBinding b = new KeyGenBinding("s", "8201", "pc");
            ServerKeyShare share = TwoPartyServer.keyGen(b, ClientKeyGen.start(b).request()).share();
            signBytes = share.toBytes();
            store.storeKey("8201", "pc", Purpose.SIGN, share, "t");
            keyId = store.keys("8201", "pc").get(0).keyId();
            try (OpenedShare o = store.openShare(keyId)) {
                assertArrayEquals(signBytes, o.share().toBytes());
            }
            card.generateSm2Key(203);
        }

        // The token alone opens the share and verifies the audit chain: the KEKs and MAC keys were its own.
        try (Pkcs11CipherCard token = Pkcs11CipherCard.open(Pkcs11Settings.slot("token-alone", hsm.library(), storeSlot,
                SoftHsm.USER_PIN.toCharArray()))) {
            PgShardStore store = new PgShardStore(PG.dataSource(), token, ShardStoreSettings.defaults());
            KeyRecord k = store.keys("8201", "pc").get(0);
            assertEquals(keyId, k.keyId());
            try (OpenedShare o = store.openShare(k.keyId())) {
                assertArrayEquals(signBytes, o.share().toBytes(), "unwrapped inside the token");
            }
            AuditVerification audit = new PgAuditLog(PG.dataSource(), token, 1).verify();
            assertTrue(audit.intact() && audit.recordsVerified() > 0, audit.toString());
            assertEquals(java.util.List.of(new KekId(1, 1)), token.keks());
        }
        // ...and the SM2 key is on the soft card, which the token could not have held.
        try (SoftCipherCard soft = SoftCipherCard.open(sm2File, SM2_PASSPHRASE.toCharArray())) {
            soft.sm2PublicKey(203);
        }

        Result status = run("card", "status", "--config", config.toString());
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.out().contains("card:   split(pkcs11:hsm-store + soft:" + sm2File + ")"), status.out());
        assertTrue(status.out().contains("KEKs:   [kek-1v1]"), status.out());
        assertTrue(status.out().contains("  SM4: fallback AES-256-GCM in the token (card pkcs11:hsm-store) [KEK wrap]"), status.out());
        assertTrue(status.out().contains("  SM2: SM2 in software (card soft:" + sm2File + ") [sign/decrypt/key exchange]"), status.out());
        assertTrue(status.out().contains("health: KEK card pkcs11:hsm-store: ok") && status.out().contains("SM2 card soft:"),
                status.out());
        assertFalse((status.out() + status.err()).contains(SoftHsm.USER_PIN) || (status.out() + status.err()).contains(SM2_PASSPHRASE));
        assertEquals(2, run("card", "status", "--config", config.toString(), "--type", "pkcs11").exit(),
                "a card named twice is refused");

        Result policyKey = run("policy", "key", "--config", config.toString(), "--key-index", "203");
        assertEquals(0, policyKey.exit(), policyKey.toString());
        assertTrue(policyKey.out().contains("BEGIN PUBLIC KEY"), policyKey.out());
    }

    @Test
    void aGatewayNodeServesTlcpWithItsSm2KeysOnTheSm2CardAndItsKeksInTheToken() throws Exception {
        assertEquals(0, run("card", "init", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", Long.toString(gatewaySlot), "--pin-file", pin.toString()).exit());
        Path sm2File = dir.resolve("gateway-sm2.gmc");
        SoftCipherCard.init(sm2File, SM2_PASSPHRASE.toCharArray()).close();
        Path pki = dir.resolve("pki");
        Result init = run("ca", "init", "--card", sm2File.toString(), "--passphrase-file", sm2Pass.toString(),
                "--db-url", url() + "&user=" + PG.server().user(), "--firm", "Example Futures", "--out", pki.toString(),
                "--gateway-ip", "127.0.0.1", "--gateway-dns", "localhost");
        assertEquals(0, init.exit(), init.toString());
        Path yaml = Files.writeString(dir.resolve("gateway.yaml"), String.join("\n",
                "node: {name: gw-split, site: sh}",
                database().strip(),
                card("hsm-gw", gatewaySlot, "sm2-gw", sm2File).strip(),
                "cluster: {host: 127.0.0.1, port: " + freePort() + ", modeRefresh: 300ms}",
                "gateway:",
                "  bindHost: 127.0.0.1",
                "  trading: {port: 0, fronts: [{name: f, host: 127.0.0.1, port: 1}]}",
                "  enrolment: {port: 0, cosignNodes: [{name: cs, host: 127.0.0.1, port: 1}]}",
                "  admin: {port: 0}",
                "  tlcp:",
                "    signCertificate: '" + pki.resolve("gateway-sign.pem") + "'",
                "    encCertificate: '" + pki.resolve("gateway-enc.pem") + "'",
                "    chain: '" + pki.resolve("ca-chain.pem") + "'",
                "    trustRoots: '" + pki.resolve("root.pem") + "'",
                ""));
        GmgateConfig cfg = GmgateConfig.load(yaml);
        try (CardSecrets secrets = CardPassphrase.read(Gmgate.commandLine(), cfg.card(), null);
                ServeCommand.Running node = ServeCommand.start(cfg, cfg.gateway().orElseThrow(), secrets)) {
            assertEquals("split(pkcs11:hsm-gw + soft:" + sm2File + ")", node.card().name());

            // ECC_SM4_GCM_SM3: the ServerKeyExchange is signed with key 201 and the pre-master secret
            // decrypted with key 202, both on the soft card
            Result probe = run("probe", "127.0.0.1:" + node.node().port(GatewayNode.ENROLMENT), "--ca",
                    pki.resolve("root.pem").toString());
            assertEquals(0, probe.exit(), probe.toString());
            assertTrue(probe.out().contains("suite     ECC_SM4_GCM_SM3") && probe.out().contains("verify    OK"), probe.out());
            Result cbc = run("probe", "127.0.0.1:" + node.node().port(GatewayNode.ENROLMENT), "--ca",
                    pki.resolve("root.pem").toString(), "--suite", "ECC_SM4_CBC_SM3");
            assertEquals(0, cbc.exit(), cbc.toString());

            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + node.node().port("admin") + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            JsonObject cardCheck = new JsonObject(ready.body()).getJsonObject("checks").getJsonObject("card");
            assertEquals("UP", cardCheck.getString("status"), ready.body());
            assertTrue(cardCheck.getString("detail").startsWith("split(pkcs11:hsm-gw + soft:"), ready.body());
        }
    }

    private static String card(String tokenName, long slot, String sm2Name, Path sm2File) {
        return "card:\n"
                + "  type: pkcs11\n"
                + "  name: " + tokenName + "\n"
                + "  pkcs11Library: '" + hsm.library() + "'\n"
                + "  slot: " + slot + "\n"
                + "  passphraseFile: '" + pin + "'\n"
                + "  sm2Card: {type: soft, name: " + sm2Name + ", path: '" + sm2File + "', passphraseFile: '" + sm2Pass + "'}\n";
    }

    private static String url() {
        return PG.server().jdbcUrl() + (PG.server().jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + PG.name()
                + "&password=" + PG.server().password();
    }

    private static String database() {
        return "database: {url: '" + url() + "', user: " + PG.server().user() + ", poolSize: 2}\n";
    }

    private static int freePort() {
        return ReservedPort.forThisJvm();
    }

    private static Result run(String... args) {
        return CardCommandPkcs11Test.run(args);
    }
}
