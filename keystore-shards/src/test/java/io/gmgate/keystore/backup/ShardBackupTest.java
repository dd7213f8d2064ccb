package io.gmgate.keystore.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.crypto.twoparty.TwoPartyServer;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.PgSchema;

/** Custodian backup and restore (docs/backup.md) against real PostgreSQL, with the card lost in between. */
class ShardBackupTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();
    @TempDir
    static Path dir;

    private static SoftCipherCard card;
    private static PgShardStore store;

    @BeforeAll
    static void setUp() {
        KeystoreSchema.migrate(PG.dataSource());
        card = SoftCipherCard.init(dir.resolve("card.bin"), "backup test card".toCharArray());
        store = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
    }

    @AfterAll
    static void tearDown() {
        card.close();
    }

    private static ServerKeyShare share(String account, String device) {
        KeyGenBinding b = new KeyGenBinding("s", account, device);
        return TwoPartyServer.keyGen(b, ClientKeyGen.start(b).request()).share();
    }

    @Test
    void threeOfFiveCustodiansRestoreEveryLiveShareOntoANewCard() throws Exception {
        wipe();
        store.createAccount("8001", "t");
        store.createDevice("8001", "pc", "t");
        KeyRecord sign = store.storeKey("8001", "pc", Purpose.SIGN, share("8001", "pc"), "t");
        KeyRecord enc = store.storeKey("8001", "pc", Purpose.ENCRYPT, share("8001", "pc"), "t");
        KeyRecord gone = store.storeKey("8001", "pc", Purpose.SIGN, share("8001", "pc"), "t");
        store.changeState(enc.keyId(), enc.rowVersion(), KeyState.LOCKED, "officer", "lost laptop");
        store.destroy(gone.keyId(), gone.rowVersion(), "officer", "superseded");
        byte[] signBytes;
        try (OpenedShare o = store.openShare(sign.keyId())) {
            signBytes = o.share().toBytes();
        }

        ShardBackup.Export export = ShardBackup.export(store, 3, 5, "key-admin");
        assertEquals(2, export.keys(), "destroyed keys are not exported");
        assertEquals(5, export.custodians().size());
        assertTrue(ShardBackup.describe(export.file()).contains("3-of-5"));
        List<String> printed = export.custodians().stream().map(CustodianShare::encode).toList();

        wipe(); // disaster: the database and the card are gone; a new card, an empty store
        try (SoftCipherCard fresh = SoftCipherCard.init(dir.resolve("new-card.bin"), "replacement card".toCharArray())) {
            PgShardStore target = new PgShardStore(PG.dataSource(), fresh, ShardStoreSettings.defaults());
            ShardBackup.Restored r = ShardBackup.restore(export.file(), List.of(printed.get(4), printed.get(0), printed.get(2)),
                    target, "key-admin");
            assertEquals(2, r.keys());
            List<KeyRecord> keys = target.keys("8001", "pc");
            assertEquals(List.of(KeyState.ACTIVE, KeyState.LOCKED), keys.stream().map(KeyRecord::state).toList());
            try (OpenedShare o = target.openShare(keys.get(0).keyId())) {
                assertArrayEquals(signBytes, o.share().toBytes(), "the same share, now under the new card's KEK");
            }
        }
    }

    private static void wipe() throws Exception {
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE ks_shares, ks_key_certificates, ks_pin_counters, ks_keys, ks_devices, ks_accounts CASCADE");
        }
    }

    @Test
    void tooFewWrongOrForeignSharesAndATamperedFileAreRefused() {
        store.createAccount("8002", "t");
        store.createDevice("8002", "pc", "t");
        store.storeKey("8002", "pc", Purpose.SIGN, share("8002", "pc"), "t");
        ShardBackup.Export a = ShardBackup.export(store, 2, 3, "key-admin");
        ShardBackup.Export b = ShardBackup.export(store, 2, 3, "key-admin");
        List<String> sa = a.custodians().stream().map(CustodianShare::encode).toList();
        List<String> sb = b.custodians().stream().map(CustodianShare::encode).toList();

        KeystoreException few = assertThrows(KeystoreException.class, () -> ShardBackup.restore(a.file(), List.of(sa.get(0)), store, "t"));
        assertEquals(KeystoreErrors.BACKUP_TOO_FEW_SHARES, few.errorCode());
        KeystoreException same = assertThrows(KeystoreException.class,
                () -> ShardBackup.restore(a.file(), List.of(sa.get(1), sa.get(1)), store, "t"));
        assertEquals(KeystoreErrors.BACKUP_TOO_FEW_SHARES, same.errorCode(), "the same share twice counts once");

        String typo = sa.get(1).substring(0, 20) + (sa.get(1).charAt(20) == 'a' ? 'b' : 'a') + sa.get(1).substring(21);
        KeystoreException wrong = assertThrows(KeystoreException.class,
                () -> ShardBackup.restore(a.file(), List.of(sa.get(0), typo), store, "t"));
        assertEquals(KeystoreErrors.BACKUP_SHARE_INVALID, wrong.errorCode());
        assertTrue(wrong.getMessage().contains("share 2 fails its check digits"), wrong.getMessage());
        KeystoreException foreign = assertThrows(KeystoreException.class,
                () -> ShardBackup.restore(a.file(), List.of(sa.get(0), sb.get(1)), store, "t"));
        assertEquals(KeystoreErrors.BACKUP_SHARE_INVALID, foreign.errorCode());

        byte[] tampered = a.file().clone();
        tampered[tampered.length - 5] ^= 1;
        assertEquals(KeystoreErrors.BACKUP_TAMPERED, assertThrows(KeystoreException.class,
                () -> ShardBackup.restore(tampered, sa.subList(0, 2), store, "t")).errorCode());
    }
}
