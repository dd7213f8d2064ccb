package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.crypto.twoparty.TwoPartyServer;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.PgSchema;
import picocli.CommandLine;

/**
 * {@code gmgate backup export|import} between two real key stores: the old site's database and card,
 * and a new site with an empty database and a different card, each named by its configuration file.
 */
class BackupCommandStoreTest {

    @RegisterExtension
    static final PgSchema OLD_SITE = new PgSchema();
    @RegisterExtension
    static final PgSchema NEW_SITE = new PgSchema();

    @TempDir
    Path dir;

    @Test
    void threeOfFiveCustodiansMoveTheKeyStoreToANewSiteWithANewCard() throws Exception {
        Path oldConfig = site(OLD_SITE, "old", "old card passphrase");
        Path newConfig = site(NEW_SITE, "new", "new card passphrase");
        byte[] signBytes;
        ECPoint probe = Sm2Curve.multiplyG(Sm2Curve.randomScalar());
        ECPoint evaluated;
        try (SoftCipherCard card = SoftCipherCard.open(dir.resolve("old.gmc"), "old card passphrase".toCharArray())) {
            PgShardStore store = new PgShardStore(OLD_SITE.dataSource(), card, ShardStoreSettings.defaults());
            store.createAccount("8001", "t");
            store.createDevice("8001", "pc", "t");
            KeyRecord sign = store.storeKey("8001", "pc", Purpose.SIGN, share("8001", "pc"), "t");
            KeyRecord enc = store.storeKey("8001", "pc", Purpose.ENCRYPT, share("8001", "pc"), "t");
            store.changeState(enc.keyId(), enc.rowVersion(), KeyState.LOCKED, "officer", "lost laptop");
            try (OpenedShare o = store.openShare(sign.keyId())) {
                signBytes = o.share().toBytes();
            }
            evaluated = store.evaluatePinOprf("8001", "pc", probe, "cosign"); // the device's k_s, made at its first login
        }

        Path export = dir.resolve("keys.gmb");
        Path shares = dir.resolve("shares");
        String[] made = run(0, "backup", "export", "--config", oldConfig.toString(), "--out", export.toString(),
                "--shares-dir", shares.toString(), "-m", "3", "-n", "5");
        assertTrue(made[0].contains("3-of-5 custodians"), made[0]);
        assertTrue(made[0].contains("keys:    2 key share(s)"), made[0]);
        assertTrue(made[0].contains("pins:    1 PIN OPRF key(s)"), made[0]);
        assertEquals(5, Files.list(shares).count());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(shares.resolve("share-4-of-5.txt"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(export)));

        String[] again = run(2, "backup", "export", "--config", oldConfig.toString(), "--out", export.toString(),
                "--shares-dir", shares.toString(), "-m", "3", "-n", "5");
        assertTrue(again[1].contains("never overwritten"), again[1]);

        String[] tooFew = run(1, "backup", "import", "--config", newConfig.toString(), "--file", export.toString(),
                "--share-file", shares.resolve("share-1-of-5.txt").toString(),
                "--share-file", shares.resolve("share-5-of-5.txt").toString());
        assertTrue(tooFew[1].contains("KEY-113"), tooFew[1]);
        try (SoftCipherCard card = SoftCipherCard.open(dir.resolve("new.gmc"), "new card passphrase".toCharArray())) {
            assertTrue(new PgShardStore(NEW_SITE.dataSource(), card, ShardStoreSettings.defaults()).keysAfter(0, 10).isEmpty(),
                    "a refused import writes nothing");
        }

        String[] restored = run(0, "backup", "import", "--config", newConfig.toString(), "--file", export.toString(),
                "--share-file", shares.resolve("share-5-of-5.txt").toString(),
                "--share-file", shares.resolve("share-2-of-5.txt").toString(),
                "--share-file", shares.resolve("share-3-of-5.txt").toString());
        assertTrue(restored[0].contains("restored: 2 key share(s), 1 PIN OPRF key(s)") && restored[0].contains("soft:"), restored[0]);
        assertFalse(restored[0].contains("predates"), restored[0]);
        try (SoftCipherCard card = SoftCipherCard.open(dir.resolve("new.gmc"), "new card passphrase".toCharArray())) {
            PgShardStore target = new PgShardStore(NEW_SITE.dataSource(), card, ShardStoreSettings.defaults());
            List<KeyRecord> keys = target.keys("8001", "pc");
            assertEquals(List.of(KeyState.ACTIVE, KeyState.LOCKED), keys.stream().map(KeyRecord::state).toList());
            try (OpenedShare o = target.openShare(keys.get(0).keyId())) {
                assertArrayEquals(signBytes, o.share().toBytes(), "the same share, now under the new card's KEK");
            }
            assertEquals(evaluated, target.evaluatePinOprf("8001", "pc", probe, "cosign"), "the same k_s: the trader's store still unmasks");
        }

        String[] twice = run(2, "backup", "import", "--config", newConfig.toString(), "--file", export.toString(),
                "--share-file", shares.resolve("share-1-of-5.txt").toString(),
                "--share-file", shares.resolve("share-2-of-5.txt").toString(),
                "--share-file", shares.resolve("share-3-of-5.txt").toString());
        assertTrue(twice[1].contains("already holds keys"), twice[1]);
        assertFalse(String.join("", made).contains("passphrase"), "no secret in the output");
    }

    private Path site(PgSchema pg, String name, String passphrase) throws Exception {
        KeystoreSchema.migrate(pg.dataSource());
        Path card = dir.resolve(name + ".gmc");
        SoftCipherCard.init(card, passphrase.toCharArray()).close();
        Path pass = Files.writeString(dir.resolve(name + ".pass"), passphrase + "\n");
        String url = pg.server().jdbcUrl() + (pg.server().jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + pg.name();
        return Files.writeString(dir.resolve(name + ".yaml"), String.join("\n",
                "node: {name: " + name + "-site}",
                "database: {url: \"" + url + "\", user: " + pg.server().user() + ", poolSize: 2}",
                "card: {type: soft, path: \"" + card + "\", passphraseFile: \"" + pass + "\"}", ""));
    }

    private static ServerKeyShare share(String account, String device) {
        KeyGenBinding b = new KeyGenBinding("s", account, device);
        return TwoPartyServer.keyGen(b, ClientKeyGen.start(b).request()).share();
    }

    private static String[] run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(expectedExit, cli.execute(args), out + " / " + err);
        return new String[] {out.toString(), err.toString()};
    }
}
