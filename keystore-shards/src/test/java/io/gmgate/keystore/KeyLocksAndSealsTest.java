package io.gmgate.keystore;

import static io.gmgate.keystore.PgShardStoreTest.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.PgSchema;

/** docs/security.md, "Key rows and locks" at the key store: lock reasons lift separately; sealed rows refuse SQL edits and restored rows. */
class KeyLocksAndSealsTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    private static SoftCipherCard card;
    private static PgShardStore store;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @BeforeAll
    static void setUp() {
        KeystoreSchema.migrate(PG.dataSource());
        card = SoftCipherCard.init(dir.resolve("card.bin"), "locks and seals test".toCharArray());
        store = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
    }

    @AfterAll
    static void tearDown() {
        card.close();
    }

    private record Device(String account, String device, KeyRecord sign, KeyRecord enc) {
    }

    private static Device device() {
        String account = "lk-" + NAMES.incrementAndGet();
        store.createAccount(account, "test");
        store.createDevice(account, "pc", "test");
        return new Device(account, "pc", store.storeKey(account, "pc", Purpose.SIGN, Shares.generate(account, "pc"), "t"),
                store.storeKey(account, "pc", Purpose.ENCRYPT, Shares.generate(account, "pc"), "t"));
    }

    private static void pinLock(Device d) {
        for (int i = 0; i < ShardStoreSettings.DEFAULT_PIN_LOCK_THRESHOLD; i++) {
            store.recordPinFailure(d.account(), d.device());
        }
        assertTrue(store.pinCounter(d.account(), d.device()).locked());
    }

    @Test
    void anOperatorLockOnAPinLockedDeviceSurvivesThePinReset() {
        Device d = device();
        pinLock(d);
        store.lock(d.account(), d.device(), LockReason.OPERATOR, "admin:ops", "fraud check");
        assertEquals(Set.of(LockReason.PIN, LockReason.OPERATOR), store.key(d.sign().keyId()).lockReasons(),
                "locking an already PIN-locked key records the operator's reason too");

        store.unlock(d.account(), d.device(), LockReason.PIN, "cosign", "PIN reset");
        assertFalse(store.pinCounter(d.account(), d.device()).locked());
        for (KeyRecord k : List.of(d.sign(), d.enc())) {
            assertEquals(KeyState.LOCKED, store.key(k.keyId()).state(), "a PIN reset lifts only the PIN reason");
            expect(KeystoreErrors.LOCKED_BY_OPERATOR, () -> store.openShare(k.keyId()));
        }
        store.unlock(d.account(), d.device(), LockReason.OPERATOR, "admin:ops", "cleared");
        store.openShare(d.sign().keyId()).close();
        store.openShare(d.enc().keyId()).close();
    }

    @Test
    void theTradersLockAndThePinLockAreLiftedEachByItsOwner() {
        Device d = device();
        store.lock(d.account(), d.device(), LockReason.TRADER, "8001/pc", "lost laptop");
        expect(KeystoreErrors.LOCKED_BY_HOLDER, () -> store.openShare(d.sign().keyId()));
        pinLock(d);
        store.unlock(d.account(), d.device(), LockReason.TRADER, "8001/pc", "found it");
        expect(KeystoreErrors.PIN_LOCKED, () -> store.openShare(d.sign().keyId()));
        store.unlock(d.account(), d.device(), LockReason.PIN, "cosign", "PIN reset");
        store.openShare(d.sign().keyId()).close();

        // an officer's unlock (changeState ACTIVE) lifts OPERATOR and PIN, never the holder's own lock
        store.lock(d.account(), d.device(), LockReason.TRADER, "8001/pc", "lost again");
        KeyRecord k = store.key(d.sign().keyId());
        KeyRecord after = store.changeState(k.keyId(), k.rowVersion(), KeyState.ACTIVE, "officer", "unlock");
        assertEquals(KeyState.LOCKED, after.state());
        assertEquals(Set.of(LockReason.TRADER), after.lockReasons());
    }

    @Test
    void anSqlEditOfStateOrLockReasonsIsRefusedLoggedAuditedAndCounted() throws SQLException {
        Device d = device();
        store.lock(d.account(), d.device(), LockReason.OPERATOR, "admin:ops", "hold");
        long before = store.tamperings();
        sql("UPDATE ks_keys SET state = 'ACTIVE', lock_reasons = '{}' WHERE key_id = " + d.sign().keyId());
        expect(KeystoreErrors.ROW_SEAL_BROKEN, () -> store.openShare(d.sign().keyId()));
        expect(KeystoreErrors.ROW_SEAL_BROKEN, () -> store.key(d.sign().keyId()));
        assertEquals(before + 2, store.tamperings());
        assertTrue(store.audit().read(1, 10_000).stream().anyMatch(r -> r.event().action().equals(PgShardStore.TAMPER)
                && r.event().detail().startsWith("KEY-130") && r.event().detail().contains("key " + d.sign().keyId() + " ")));
        assertTrue(store.scanRows().stream().anyMatch(f -> f.startsWith("KEY-130 key " + d.sign().keyId() + " ")), store.scanRows().toString());
        assertTrue(store.audit().verify().intact(), "the chain itself is intact; the scan is what names the row");
        // put it back as it was: the seal matches again
        sql("UPDATE ks_keys SET state = 'LOCKED', lock_reasons = '{OPERATOR}' WHERE key_id = " + d.sign().keyId());
        expect(KeystoreErrors.LOCKED_BY_OPERATOR, () -> store.openShare(d.sign().keyId()));
    }

    @Test
    void anSqlEditOfThePinCounterIsRefused() throws SQLException {
        Device d = device();
        for (int i = 0; i < 5; i++) {
            store.recordPinFailure(d.account(), d.device());
        }
        sql("UPDATE ks_pin_counters SET failures = 0 WHERE account = '" + d.account() + "'");
        expect(KeystoreErrors.ROW_SEAL_BROKEN, () -> store.pinCounter(d.account(), d.device()));
        expect(KeystoreErrors.ROW_SEAL_BROKEN, () -> store.recordPinFailure(d.account(), d.device()));
        sql("DELETE FROM ks_pin_counters WHERE account = '" + d.account() + "'");
        expect(KeystoreErrors.ROW_SEAL_BROKEN, () -> store.pinCounter(d.account(), d.device()));
        assertTrue(store.scanRows().stream().anyMatch(f -> f.contains("PIN counter of " + d.account() + "/pc is missing")));
    }

    @Test
    void aDestroyedKeysRowPutBackFromAnOldCopyIsRefused() throws SQLException {
        Device d = device();
        String snap = "snap_" + d.sign().keyId();
        sql("CREATE TABLE " + snap + "_k AS SELECT * FROM ks_keys WHERE key_id = " + d.sign().keyId());
        sql("CREATE TABLE " + snap + "_s AS SELECT * FROM ks_shares WHERE key_id = " + d.sign().keyId());
        store.destroy(d.sign().keyId(), d.sign().rowVersion(), "cosign", "replaced by PIN reset re-share");
        sql("UPDATE ks_keys k SET state = o.state, row_version = o.row_version, destroyed_at = o.destroyed_at, "
                + "lock_reasons = o.lock_reasons, seal = o.seal FROM " + snap + "_k o WHERE k.key_id = o.key_id");
        sql("UPDATE ks_shares s SET wrapped_data_key = o.wrapped_data_key, nonce = o.nonce, ciphertext = o.ciphertext "
                + "FROM " + snap + "_s o WHERE s.key_id = o.key_id");
        expect(KeystoreErrors.DESTROYED_KEY_RESTORED, () -> store.openShare(d.sign().keyId()));
        List<String> findings = store.scanRows();
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("KEY-131 key " + d.sign().keyId() + " ")), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f.contains("key " + d.sign().keyId() + " is at row 1 but the audit log records row 2")),
                findings.toString());
        expect(KeystoreErrors.DATABASE_ERROR, () -> PgShardStoreTest.sqlUnchecked(PG, "DELETE FROM ks_key_tombstones"));
    }

    @Test
    void anOlderCopyOfALiveRowIsNamedByTheScan() throws SQLException {
        Device d = device();
        String snap = "snap_" + d.enc().keyId();
        sql("CREATE TABLE " + snap + " AS SELECT * FROM ks_keys WHERE key_id = " + d.enc().keyId());
        store.lock(d.account(), d.device(), LockReason.OPERATOR, "admin:ops", "hold");
        sql("UPDATE ks_keys k SET state = o.state, row_version = o.row_version, lock_reasons = o.lock_reasons, seal = o.seal "
                + "FROM " + snap + " o WHERE k.key_id = o.key_id");
        List<String> findings = store.scanRows();
        assertTrue(findings.stream().anyMatch(f -> f.contains("key " + d.enc().keyId() + " is at row 1 but the audit log records row 2")),
                findings.toString());
    }

    private static void sql(String sql) throws SQLException {
        PgShardStoreTest.sql(PG, sql);
    }
}
