package io.gmgate.keystore;

import static io.gmgate.keystore.PgShardStoreTest.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.PgSchema;

/**
 * KEK rotation re-seals the card-MAC'd rows (key rows, PIN counters, tombstones) under the new KEK
 * version, so the old version is no longer needed to check them; a row edited in SQL before the
 * rotation is not laundered into a valid seal and is still refused (KEY-130) afterwards.
 */
class KekRotationResealTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    Path dir;

    @Test
    void intactRowsAreResealedUnderTheNewVersionAndRowsTamperedBeforeStayDetected() throws SQLException {
        KeystoreSchema.migrate(PG.dataSource());
        try (SoftCipherCard card = SoftCipherCard.init(dir.resolve("card.bin"), "reseal test card".toCharArray())) {
            PgShardStore store = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
            KeyRecord honest = key(store, "honest");
            store.recordPinFailure("honest", "pc");
            KeyRecord gone = key(store, "gone");
            store.destroy(gone.keyId(), gone.rowVersion(), "officer", "left the firm");
            KeyRecord edited = key(store, "edited");
            store.lock("edited", "pc", LockReason.OPERATOR, "admin:ops", "fraud check");
            for (int i = 0; i < 3; i++) {
                store.recordPinFailure("edited", "pc");
            }
            // before the rotation someone with SQL access unlocks the key and clears the PIN failures
            PgShardStoreTest.sql(PG, "UPDATE ks_keys SET state = 'ACTIVE', lock_reasons = '{}' WHERE key_id = " + edited.keyId());
            PgShardStoreTest.sql(PG, "UPDATE ks_pin_counters SET failures = 0 WHERE account = 'edited'");
            List<String> before = store.scanRows();
            assertEquals(2, before.size(), before.toString());

            KekId target = card.rotateKek(1);
            KekRotation rotation = new KekRotation(PG.dataSource(), card, ShardStoreSettings.defaults(), 2);
            KekRotation.Progress start = rotation.progress();
            assertEquals(3, start.of(KekRotation.KEY_ROWS).remaining());
            assertEquals(3, start.of(KekRotation.PIN_COUNTERS).remaining());
            assertEquals(1, start.of(KekRotation.TOMBSTONES).remaining());

            KekRotation.Progress end = rotation.run();
            assertEquals(Set.of(KekRotation.KEY_ROWS + " " + edited.keyId(), KekRotation.PIN_COUNTERS + " edited/pc"),
                    Set.copyOf(end.refused()));
            assertEquals(2, end.remaining(), "only the two edited rows stay under the old version");
            assertEquals(2, end.of(KekRotation.KEY_ROWS).done());
            assertEquals(2, end.of(KekRotation.PIN_COUNTERS).done());
            assertEquals(1, end.of(KekRotation.TOMBSTONES).done());
            assertEquals(target.version(), sealVersion("SELECT seal FROM ks_keys WHERE key_id = " + honest.keyId()));
            assertEquals(target.version(), sealVersion("SELECT seal FROM ks_pin_counters WHERE account = 'honest'"));
            assertEquals(target.version(), sealVersion("SELECT seal FROM ks_key_tombstones WHERE key_id = " + gone.keyId()));
            assertEquals(target.version() - 1, sealVersion("SELECT seal FROM ks_keys WHERE key_id = " + edited.keyId()));
            // the tombstones stay append-only but for that re-seal: no other column, no older seal, no delete
            expect(KeystoreErrors.DATABASE_ERROR, () -> PgShardStoreTest.sqlUnchecked(PG, "UPDATE ks_key_tombstones SET account = 'x'"));
            expect(KeystoreErrors.DATABASE_ERROR, () -> PgShardStoreTest.sqlUnchecked(PG,
                    "UPDATE ks_key_tombstones SET seal = overlay(seal placing '\\x00000001'::bytea from 5 for 4)"));
            expect(KeystoreErrors.DATABASE_ERROR, () -> PgShardStoreTest.sqlUnchecked(PG, "DELETE FROM ks_key_tombstones"));

            // the honest device works as before: its key reads, its counter counts
            assertEquals(KeyState.ACTIVE, store.key(honest.keyId()).state());
            store.openShare(honest.keyId()).close();
            assertEquals(1, store.pinCounter("honest", "pc").failures());
            assertEquals(2, store.recordPinFailure("honest", "pc").failures());
            // the edited rows are still refused, and the scan still names exactly them
            expect(KeystoreErrors.ROW_SEAL_BROKEN, () -> store.key(edited.keyId()));
            expect(KeystoreErrors.ROW_SEAL_BROKEN, () -> store.openShare(edited.keyId()));
            expect(KeystoreErrors.ROW_SEAL_BROKEN, () -> store.pinCounter("edited", "pc"));
            assertEquals(before, store.scanRows());
            assertTrue(store.audit().verify().intact());
            assertEquals(0, new KekRotation(PG.dataSource(), card, ShardStoreSettings.defaults(), 2).runBatch(),
                    "a second run moves nothing: the refused rows are not retried into a seal");
        }
    }

    private static KeyRecord key(PgShardStore store, String account) {
        store.createAccount(account, "t");
        store.createDevice(account, "pc", "t");
        return store.storeKey(account, "pc", Purpose.SIGN, Shares.generate(account, "pc"), "t");
    }

    /** The KEK version a stored seal names (bytes 4..7). */
    private static int sealVersion(String query) throws SQLException {
        try (Connection c = PG.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(query);
             ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), query);
            return java.nio.ByteBuffer.wrap(rs.getBytes(1), 4, 4).getInt();
        }
    }
}
