package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.wiring.Cards;
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
import io.gmgate.testkit.SoftHsm;
import picocli.CommandLine;

/** {@code gmgate card init|status --type pkcs11} against real SoftHSM2 tokens. */
@Tag("softhsm")
class CardCommandPkcs11Test {

    @TempDir
    static Path dir;

    static SoftHsm hsm;
    static long slot;
    static long untouchedSlot;
    static long configSlot;
    static long restoreSlot;

    @RegisterExtension
    static final PgSchema OLD_SITE = new PgSchema();
    @RegisterExtension
    static final PgSchema HSM_SITE = new PgSchema();
    static Path pin;
    static Path wrongPin;

    @BeforeAll
    static void tokens() throws Exception {
        hsm = SoftHsm.startIfInstalled(dir);
        if (hsm == null) {
            return;
        }
        slot = hsm.initToken("cli");
        untouchedSlot = hsm.initToken("cli-never-logged-in");
        configSlot = hsm.initToken("from-config"); // SoftHSM2 sees only tokens made before its first C_Initialize
        restoreSlot = hsm.initToken("restore-target");
        pin = Files.writeString(dir.resolve("pin"), SoftHsm.USER_PIN + "\n");
        wrongPin = Files.writeString(dir.resolve("wrong-pin"), "not-the-pin\n");
    }

    @BeforeEach
    void softHsmInstalled() {
        SoftHsm.assumeInstalled(hsm);
    }

    @Test
    void initCreatesKek1OnceAndStatusPrintsTheAlgorithmReportWithItsFallbacks() {
        Result init = run("card", "init", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", Long.toString(slot), "--pin-file", pin.toString());
        assertEquals(0, init.exit, init.toString());
        assertTrue(init.out.contains("created kek-1v1 on pkcs11:card"), init.out);
        assertTrue(init.out.contains("SM4: fallback AES-256-GCM in the token [KEK wrap]"), init.out);

        Result again = run("card", "init", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", Long.toString(slot), "--pin-file", pin.toString());
        assertEquals(1, again.exit, again.toString());
        assertTrue(again.err.contains("KEY-024"), again.err);

        Result status = run("card", "status", "--type", "pkcs11", "--name", "hsm-a", "--library", hsm.library().toString(),
                "--slot", Long.toString(slot), "--pin-file", pin.toString());
        assertEquals(0, status.exit, status.toString());
        assertTrue(status.out.contains("card:   pkcs11:hsm-a"), status.out);
        assertTrue(status.out.contains("KEKs:   [kek-1v1]"), status.out);
        assertTrue(status.out.contains("  SM3: fallback HMAC-SHA256 in the token [MAC]"), status.out);
        assertTrue(status.out.contains("  SM2: unsupported by token"), status.out);
        assertTrue(status.out.contains("health: ok; SM4: fallback AES-256-GCM"), status.out);
        assertFalse(status.out.contains(SoftHsm.USER_PIN) || status.err.contains(SoftHsm.USER_PIN));
    }

    @Test
    void aWrongPinIsKey021AndAMissingModuleKey150() {
        Result wrong = run("card", "status", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", Long.toString(untouchedSlot), "--pin-file", wrongPin.toString());
        assertEquals(1, wrong.exit, wrong.toString());
        assertTrue(wrong.err.contains("KEY-021"), wrong.err);
        assertFalse(wrong.err.contains("not-the-pin"), wrong.err);

        Result noModule = run("card", "status", "--type", "pkcs11", "--library", dir.resolve("libnone.so").toString(),
                "--slot", Long.toString(slot), "--pin-file", pin.toString());
        assertEquals(1, noModule.exit, noModule.toString());
        assertTrue(noModule.err.contains("KEY-150"), noModule.err);
    }

    @Test
    void optionsThatDoNotFitTheTypeAreRefusedBeforeAnySecretIsRead() {
        assertEquals(2, run("card", "status", "--type", "pkcs11", "--library", hsm.library().toString()).exit,
                "a slot is required");
        assertEquals(2, run("card", "status", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", "1", "--slot-index", "0").exit, "only one of slot and slot index");
        assertEquals(2, run("card", "status", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", "1", "--file", "x").exit, "--file belongs to the soft card");
    }

    @Test
    void theConfigurationFilesCardSectionOpensTheTokenAndSm2OnItIsRefusedWithKey025() throws Exception {
        Path config = Files.writeString(dir.resolve("gmgate.yaml"), "card:\n"
                + "  type: pkcs11\n"
                + "  name: hsm-cfg\n"
                + "  pkcs11Library: " + hsm.library() + "\n"
                + "  slot: " + configSlot + "\n"
                + "  passphraseFile: " + pin + "\n");
        GmgateConfig cfg = GmgateConfig.load(config);
        char[] secret = SoftHsm.USER_PIN.toCharArray();
        try (CipherCard card = Cards.open(cfg.card(), secret)) {
            assertEquals("pkcs11:hsm-cfg", card.name());
            assertTrue(card.algorithms().stream().anyMatch(a -> a.toString().startsWith("SM4: fallback AES-256-GCM")),
                    card.algorithms().toString());
            KekId kek = card.rotateKek(7);
            byte[] wrapped = card.wrap(kek, new byte[16]);
            assertEquals(16, card.unwrap(kek, wrapped).length);
        }

        // the policy key is an SM2 key in the card: a token that cannot do SM2 says so, no software key appears
        Result policy = run("policy", "key", "--config", config.toString());
        assertEquals(1, policy.exit, policy.toString());
        assertTrue(policy.err.contains("KEY-025"), policy.err);
        assertFalse(policy.out.contains("BEGIN PUBLIC KEY"), policy.out);
        assertFalse(policy.err.contains(SoftHsm.USER_PIN), policy.err);
    }

    @Test
    void aBackupOfASoftCardSiteRestoresOntoAnHsmSiteWhoseStoreAndAuditChainThenWorkInTheToken() throws Exception {
        Path oldCard = dir.resolve("old.gmc");
        SoftCipherCard.init(oldCard, "old passphrase".toCharArray()).close();
        Path oldPass = Files.writeString(dir.resolve("old.pass"), "old passphrase\n");
        Path oldConfig = Files.writeString(dir.resolve("old.yaml"), "node: {name: old}\n" + database(OLD_SITE)
                + "card: {type: soft, path: \"" + oldCard + "\", passphraseFile: \"" + oldPass + "\"}\n");
        Path hsmConfig = Files.writeString(dir.resolve("hsm.yaml"), "node: {name: hsm}\n" + database(HSM_SITE)
                + "card: {type: pkcs11, name: hsm-new, pkcs11Library: \"" + hsm.library() + "\", slot: " + restoreSlot
                + ", passphraseFile: \"" + pin + "\"}\n");
        KeystoreSchema.migrate(OLD_SITE.dataSource());
        byte[] signBytes;
        try (SoftCipherCard card = SoftCipherCard.open(oldCard, "old passphrase".toCharArray())) {
            PgShardStore store = new PgShardStore(OLD_SITE.dataSource(), card, ShardStoreSettings.defaults());
            store.createAccount("8101", "t");
            store.createDevice("8101", "pc", "t");
            KeyGenBinding b = new KeyGenBinding("s", "8101", "pc");
            ServerKeyShare share = TwoPartyServer.keyGen(b, ClientKeyGen.start(b).request()).share();
            signBytes = share.toBytes();
            store.storeKey("8101", "pc", Purpose.SIGN, share, "t");
        }
        assertEquals(0, run("card", "init", "--type", "pkcs11", "--library", hsm.library().toString(),
                "--slot", Long.toString(restoreSlot), "--pin-file", pin.toString()).exit);

        Path export = dir.resolve("keys.gmb");
        Result made = run("backup", "export", "--config", oldConfig.toString(), "--out", export.toString(),
                "--shares-dir", dir.resolve("shares").toString(), "-m", "2", "-n", "3");
        assertEquals(0, made.exit, made.toString());
        Result restored = run("backup", "import", "--config", hsmConfig.toString(), "--file", export.toString(),
                "--share-file", dir.resolve("shares/share-3-of-3.txt").toString(),
                "--share-file", dir.resolve("shares/share-1-of-3.txt").toString());
        assertEquals(0, restored.exit, restored.toString());
        assertTrue(restored.out.contains("restored: 1 key share(s)") && restored.out.contains("pkcs11:hsm-new"), restored.out);

        GmgateConfig cfg = GmgateConfig.load(hsmConfig);
        try (CipherCard card = Cards.open(cfg.card(), SoftHsm.USER_PIN.toCharArray())) {
            PgShardStore store = new PgShardStore(HSM_SITE.dataSource(), card, ShardStoreSettings.defaults());
            KeyRecord k = store.keys("8101", "pc").get(0);
            try (OpenedShare o = store.openShare(k.keyId())) {
                assertArrayEquals(signBytes, o.share().toBytes(), "unwrapped inside the token (AES-256-GCM fallback)");
            }
            AuditVerification audit = new PgAuditLog(HSM_SITE.dataSource(), card, 1).verify();
            assertTrue(audit.intact() && audit.recordsVerified() > 0, "the restore's audit records chain under the token's MAC: " + audit);
        }
    }

    @Test
    void aGatewayOrCosignNodeWhoseSm2KeysWouldBeOnTheTokenRefusesToStartWithKey025() throws Exception {
        String card = "card: {type: pkcs11, name: hsm-node, pkcs11Library: \"" + hsm.library() + "\", slot: " + configSlot
                + ", passphraseFile: \"" + pin + "\"}\n";
        Path gateway = Files.writeString(dir.resolve("gateway.yaml"), "node: {name: gw}\n" + database(HSM_SITE) + card
                + "gateway:\n"
                + "  bindHost: 127.0.0.1\n"
                + "  trading: {port: 0, fronts: [{name: f, host: 127.0.0.1, port: 1}]}\n"
                + "  tlcp: {signCertificate: /nonexistent/sign.pem, encCertificate: /nonexistent/enc.pem,"
                + " chain: /nonexistent/chain.pem, trustRoots: /nonexistent/root.pem}\n");
        Result serve = run("serve", "--config", gateway.toString());
        assertEquals(1, serve.exit, serve.toString());
        assertTrue(serve.err.contains("KEY-025") && serve.err.contains("the gateway's TLCP sign and encryption keys")
                && serve.err.contains("SM2: unsupported by token"), serve.err);
        assertTrue(serve.err.matches("(?s).*\\n  action: .*card\\.sm2Card.*"), "the action names the way out: " + serve.err);

        Path cosign = Files.writeString(dir.resolve("cosign.yaml"), "node: {name: cs}\n" + database(HSM_SITE) + card
                + "cosign: {bindHost: 127.0.0.1, port: 0, workers: 2, firm: Example Futures}\n");
        Result cs = run("cosign", "serve", "--config", cosign.toString());
        assertEquals(1, cs.exit, cs.toString());
        assertTrue(cs.err.contains("KEY-025") && cs.err.contains("the embedded CA's signing keys"), cs.err);
        assertFalse((serve.err + cs.err).contains(SoftHsm.USER_PIN));
    }

    private static String database(PgSchema pg) {
        String url = pg.server().jdbcUrl() + (pg.server().jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + pg.name();
        return "database: {url: \"" + url + "\", user: " + pg.server().user() + ", poolSize: 2}\n";
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
