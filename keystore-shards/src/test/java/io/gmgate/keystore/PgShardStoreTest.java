package io.gmgate.keystore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.error.ErrorCode;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.PgSchema;

class PgShardStoreTest {

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
        card = SoftCipherCard.init(dir.resolve("card.bin"), "shard store test".toCharArray());
        store = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
    }

    @AfterAll
    static void tearDown() {
        card.close();
    }

    /** A fresh account with one device; returns {account, device}. */
    private static String[] device() {
        String account = "acct-" + NAMES.incrementAndGet();
        store.createAccount(account, "test");
        store.createDevice(account, "pc-1", "test");
        return new String[] {account, "pc-1"};
    }

    @Test
    void aStoredShareOpensToTheSameShareAndVersionsCount() {
        String[] d = device();
        ServerKeyShare share = Shares.generate(d[0], d[1]);
        KeyRecord first = store.storeKey(d[0], d[1], Purpose.SIGN, share, "enrolment");
        assertEquals(KeyState.ACTIVE, first.state());
        assertEquals(1, first.keyVersion());
        assertEquals(share.jointKey(), first.publicKey());
        try (OpenedShare opened = store.openShare(first.keyId())) {
            assertArrayEquals(share.toBytes(), opened.share().toBytes());
            assertEquals(first, opened.key());
            assertTrue(opened.toString().contains("redacted"));
        }
        KeyRecord second = store.storeKey(d[0], d[1], Purpose.SIGN, Shares.generate(d[0], d[1]), "enrolment");
        KeyRecord enc = store.storeKey(d[0], d[1], Purpose.ENCRYPT, Shares.generate(d[0], d[1]), "enrolment");
        assertEquals(2, second.keyVersion());
        assertEquals(1, enc.keyVersion());
        assertEquals(List.of(first.keyId(), second.keyId(), enc.keyId()),
                store.keys(d[0], d[1]).stream().map(KeyRecord::keyId).toList());
        assertEquals(first, store.key(first.keyId()));
    }

    @Test
    void unknownOrDuplicateOrMalformedNamesGetTheirOwnCodes() {
        String[] d = device();
        ServerKeyShare share = Shares.generate(d[0], d[1]);
        expect(KeystoreErrors.NOT_FOUND, () -> store.storeKey(d[0], "no-such-device", Purpose.SIGN, share, "t"));
        expect(KeystoreErrors.NOT_FOUND, () -> store.createDevice("no-such-account", "pc", "t"));
        expect(KeystoreErrors.NOT_FOUND, () -> store.key(987_654_321L));
        expect(KeystoreErrors.NOT_FOUND, () -> store.openShare(987_654_321L));
        expect(KeystoreErrors.NOT_FOUND, () -> store.pinCounter(d[0], "no-such-device"));
        expect(KeystoreErrors.ALREADY_EXISTS, () -> store.createAccount(d[0], "t"));
        expect(KeystoreErrors.ALREADY_EXISTS, () -> store.createDevice(d[0], d[1], "t"));
        expect(KeystoreErrors.INVALID_ARGUMENT, () -> store.createAccount("", "t"));
        expect(KeystoreErrors.INVALID_ARGUMENT, () -> store.createAccount("x".repeat(129), "t"));
        expect(KeystoreErrors.INVALID_ARGUMENT, () -> store.createDevice(d[0], null, "t"));
    }

    @Test
    void aFlippedByteInAnySealedColumnFailsWithKey100() throws SQLException {
        String[] d = device();
        KeyRecord key = store.storeKey(d[0], d[1], Purpose.SIGN, Shares.generate(d[0], d[1]), "t");
        for (String column : List.of("wrapped_data_key", "nonce", "ciphertext")) {
            flip(key.keyId(), column);
            expect(KeystoreErrors.SHARE_INTEGRITY, () -> store.openShare(key.keyId()));
            flip(key.keyId(), column);
            store.openShare(key.keyId()).close();
        }
    }

    @Test
    void aSealedShareSwappedOntoAnotherRowFailsWithKey100() throws SQLException {
        String[] a = device();
        String[] b = device();
        KeyRecord alice = store.storeKey(a[0], a[1], Purpose.SIGN, Shares.generate(a[0], a[1]), "t");
        KeyRecord bob = store.storeKey(b[0], b[1], Purpose.SIGN, Shares.generate(b[0], b[1]), "t");
        sql("UPDATE ks_shares s SET wrapped_data_key = o.wrapped_data_key, nonce = o.nonce, ciphertext = o.ciphertext, "
                + "kek_index = o.kek_index, kek_version = o.kek_version FROM ks_shares o "
                + "WHERE (s.key_id, o.key_id) IN ((" + alice.keyId() + ", " + bob.keyId() + "), (" + bob.keyId() + ", " + alice.keyId() + "))");
        expect(KeystoreErrors.SHARE_INTEGRITY, () -> store.openShare(alice.keyId()));
        expect(KeystoreErrors.SHARE_INTEGRITY, () -> store.openShare(bob.keyId()));
        // a public key swapped between records is caught too: since V7 the row's seal covers the public key (KEY-130);
        // with the seal copied along, the opened share still belongs to another key (KEY-100)
        String[] c = device();
        KeyRecord carol = store.storeKey(c[0], c[1], Purpose.SIGN, Shares.generate(c[0], c[1]), "t");
        KeyRecord carol2 = store.storeKey(c[0], c[1], Purpose.SIGN, Shares.generate(c[0], c[1]), "t");
        sql("UPDATE ks_keys SET public_key = (SELECT public_key FROM ks_keys WHERE key_id = " + carol2.keyId() + ") WHERE key_id = " + carol.keyId());
        expect(KeystoreErrors.ROW_SEAL_BROKEN, () -> store.openShare(carol.keyId()));
    }

    @Test
    void concurrentWritersOnOneKeyExactlyOneWinsTheRestConflict() throws Exception {
        String[] d = device();
        KeyRecord key = store.storeKey(d[0], d[1], Purpose.SIGN, Shares.generate(d[0], d[1]), "t");
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 3; round++) {
                KeyRecord now = store.key(key.keyId());
                KeyState next = now.state() == KeyState.ACTIVE ? KeyState.LOCKED : KeyState.ACTIVE;
                CyclicBarrier start = new CyclicBarrier(writers);
                List<Future<KeyRecord>> results = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    results.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return store.changeState(key.keyId(), now.rowVersion(), next, "officer", "race");
                    }));
                }
                int won = 0;
                int conflicts = 0;
                for (Future<KeyRecord> f : results) {
                    try {
                        KeyRecord r = f.get(60, TimeUnit.SECONDS);
                        assertEquals(next, r.state());
                        assertEquals(now.rowVersion() + 1, r.rowVersion());
                        won++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        KeystoreException k = (KeystoreException) e.getCause();
                        assertEquals(KeystoreErrors.CONFLICT, k.errorCode(), k.getMessage());
                        assertTrue(k.errorCode().retryable());
                        conflicts++;
                    }
                }
                assertEquals(1, won, "round " + round);
                assertEquals(writers - 1, conflicts);
                assertEquals(now.rowVersion() + 1, store.key(key.keyId()).rowVersion());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stateTransitionsFollowTheTable() {
        String[] d = device();
        KeyRecord key = store.storeKey(d[0], d[1], Purpose.SIGN, Shares.generate(d[0], d[1]), "t");
        KeyRecord locked = store.changeState(key.keyId(), key.rowVersion(), KeyState.LOCKED, "officer", "holder on leave");
        // an officer's lock is the OPERATOR reason, and the refusal names it (KEY-132, was KEY-105 before reasons existed)
        expect(KeystoreErrors.LOCKED_BY_OPERATOR, () -> store.openShare(key.keyId()));
        KeyRecord active = store.changeState(key.keyId(), locked.rowVersion(), KeyState.ACTIVE, "officer", "back");
        store.openShare(key.keyId()).close();
        KeyRecord revoked = store.changeState(key.keyId(), active.rowVersion(), KeyState.REVOKED, "officer", "lost device");
        expect(KeystoreErrors.KEY_NOT_USABLE, () -> store.openShare(key.keyId()));
        expect(KeystoreErrors.ILLEGAL_TRANSITION, () -> store.changeState(key.keyId(), revoked.rowVersion(), KeyState.ACTIVE, "officer", ""));
        expect(KeystoreErrors.CONFLICT, () -> store.changeState(key.keyId(), key.rowVersion(), KeyState.LOCKED, "officer", ""));
        for (KeyState from : KeyState.values()) {
            assertFalse(from.canBecome(from), from + " to itself");
            assertEquals(from != KeyState.DESTROYED, from.canBecome(KeyState.DESTROYED), from + " to DESTROYED");
        }
    }

    @Test
    void destructionNullsTheShareKeepsATombstoneAndAudits() throws SQLException {
        String[] d = device();
        KeyRecord key = store.storeKey(d[0], d[1], Purpose.SIGN, Shares.generate(d[0], d[1]), "t");
        KeyRecord tomb = store.destroy(key.keyId(), key.rowVersion(), "officer-7", "device retired");
        assertEquals(KeyState.DESTROYED, tomb.state());
        assertNotNull(tomb.destroyedAt());
        assertEquals(key.publicKey(), tomb.publicKey(), "the tombstone keeps the public key for the record");
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT wrapped_data_key, nonce, ciphertext FROM ks_shares WHERE key_id = " + key.keyId())) {
            assertTrue(rs.next(), "the share row stays as part of the tombstone");
            assertNull(rs.getBytes(1));
            assertNull(rs.getBytes(2));
            assertNull(rs.getBytes(3));
        }
        expect(KeystoreErrors.DESTROYED, () -> store.openShare(key.keyId()));
        expect(KeystoreErrors.DESTROYED, () -> store.changeState(key.keyId(), tomb.rowVersion(), KeyState.ACTIVE, "officer", ""));
        expect(KeystoreErrors.DESTROYED, () -> store.destroy(key.keyId(), tomb.rowVersion(), "officer", ""));
        AuditRecord last = lastAudit();
        assertEquals("key-destroy", last.event().action());
        assertEquals("officer-7", last.event().actor());
        assertEquals(key.keyId(), last.event().keyId());
        assertTrue(last.event().detail().contains("ACTIVE->DESTROYED: device retired"), last.event().detail());
        assertTrue(store.audit().verify().intact());
    }

    @Test
    void theSixthFailedAttemptLocksTheDeviceOnceEvenWhenTheyRace() throws Exception {
        String[] d = device();
        KeyRecord sign = store.storeKey(d[0], d[1], Purpose.SIGN, Shares.generate(d[0], d[1]), "t");
        KeyRecord enc = store.storeKey(d[0], d[1], Purpose.ENCRYPT, Shares.generate(d[0], d[1]), "t");
        for (int i = 1; i <= 5; i++) {
            PinCounter c = store.recordPinFailure(d[0], d[1]);
            assertEquals(i, c.failures());
            assertFalse(c.locked());
        }
        assertEquals(1, store.pinCounter(d[0], d[1]).remaining());
        store.resetPinFailures(d[0], d[1]);
        assertEquals(0, store.pinCounter(d[0], d[1]).failures());

        long auditBefore = store.audit().verify().lastSeq();
        int attempts = 10;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            CyclicBarrier start = new CyclicBarrier(attempts);
            List<Future<PinCounter>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                results.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return store.recordPinFailure(d[0], d[1]);
                }));
            }
            List<Integer> seen = new ArrayList<>();
            for (Future<PinCounter> f : results) {
                PinCounter c = f.get(60, TimeUnit.SECONDS);
                seen.add(c.failures());
                assertEquals(c.failures() >= 6, c.locked());
            }
            seen.sort(null);
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), seen, "every attempt counted exactly once");
        } finally {
            pool.shutdownNow();
        }
        List<AuditRecord> after = store.audit().read(auditBefore + 1, 100);
        assertEquals(1, after.stream().filter(r -> r.event().action().equals("pin-lock")).count());
        assertEquals(KeyState.LOCKED, store.key(sign.keyId()).state());
        assertEquals(KeyState.LOCKED, store.key(enc.keyId()).state());
        expect(KeystoreErrors.PIN_LOCKED, () -> store.openShare(sign.keyId()));
        store.resetPinFailures(d[0], d[1]);
        assertTrue(store.pinCounter(d[0], d[1]).locked(), "a valid signature cannot clear a lock; an officer must");

        KeyRecord locked = store.key(sign.keyId());
        store.changeState(sign.keyId(), locked.rowVersion(), KeyState.ACTIVE, "officer", "identity checked");
        PinCounter cleared = store.pinCounter(d[0], d[1]);
        assertEquals(0, cleared.failures());
        assertFalse(cleared.locked());
        store.openShare(sign.keyId()).close();
        assertEquals(KeyState.LOCKED, store.key(enc.keyId()).state(), "other keys stay locked until unlocked one by one");
    }

    @Test
    void forgivingTriesReturnsWhatTheStoreReadsRightAfter() {
        String[] d = device();
        store.storeKey(d[0], d[1], Purpose.SIGN, Shares.generate(d[0], d[1]), "t");
        long a1 = store.recordPinAttempt(d[0], d[1], "session-a", PinAttempt.Kind.SIGN).attemptId();
        store.recordPinAttempt(d[0], d[1], "session-b", PinAttempt.Kind.SIGN);
        long a2 = store.recordPinAttempt(d[0], d[1], "session-a", PinAttempt.Kind.SIGN).attemptId();
        store.recordPinAttempt(d[0], d[1], "session-a", PinAttempt.Kind.EVALUATE);

        PinStanding standing = store.forgivePinAttempts(d[0], d[1], "session-a", a2);
        assertEquals(store.pinCounter(d[0], d[1]), standing.counter());
        assertEquals(1, standing.counter().failures(), "the three tries up to a2 are forgiven, in both sessions");
        assertEquals(store.pendingPinAttempts(d[0], d[1], "session-a"), standing.pendingInSession());
        assertEquals(1, standing.pendingInSession(), "session-a's try after a2 stays");
        assertFalse(standing.proven());

        PinStanding replayed = store.forgivePinAttempts(d[0], d[1], "session-b", a1);
        assertEquals(1, replayed.counter().failures(), "an older confirmation forgives nothing new");
        assertEquals(0, replayed.pendingInSession());
        assertTrue(replayed.proven(), "session-b has nothing left unforgiven");
    }

    @Test
    void aLockedCounterForgivesNothingAndProvesNothing() {
        String[] d = device();
        store.storeKey(d[0], d[1], Purpose.SIGN, Shares.generate(d[0], d[1]), "t");
        long fifth = 0;
        for (int i = 1; i <= 5; i++) {
            fifth = store.recordPinAttempt(d[0], d[1], "session-a", PinAttempt.Kind.SIGN).attemptId();
        }
        assertTrue(store.recordPinAttempt(d[0], d[1], "session-a", PinAttempt.Kind.SIGN).counter().locked(), "the sixth locks");
        PinStanding standing = store.forgivePinAttempts(d[0], d[1], "session-a", fifth);
        assertTrue(standing.counter().locked());
        assertEquals(6, standing.counter().failures());
        assertEquals(store.pendingPinAttempts(d[0], d[1], "session-a"), standing.pendingInSession());
        assertEquals(5, standing.pendingInSession(), "nothing forgiven: the five recorded tries stay");
        assertFalse(standing.proven());
    }

    @Test
    void certificatesAreLinkedToTheirKey() {
        String[] d = device();
        KeyRecord key = store.storeKey(d[0], d[1], Purpose.SIGN, Shares.generate(d[0], d[1]), "t");
        store.linkCertificate(key.keyId(), "CN=gmgate issuing CA", "1f2e3d", "ca-client");
        store.linkCertificate(key.keyId(), "CN=gmgate issuing CA", "1f2e3e", "ca-client");
        assertEquals(List.of("1f2e3d", "1f2e3e"), store.certificates(key.keyId()).stream().map(CertificateLink::serial).toList());
        expect(KeystoreErrors.ALREADY_EXISTS, () -> store.linkCertificate(key.keyId(), "CN=gmgate issuing CA", "1f2e3d", "ca-client"));
        expect(KeystoreErrors.NOT_FOUND, () -> store.linkCertificate(987_654_321L, "CN=x", "01", "ca-client"));
    }

    @Test
    void aCertificateLeadsToTheKeyRecordsOfEveryDeviceThatUsesIt() {
        String[] a = device();
        String[] b = device();
        KeyRecord first = store.storeKey(a[0], a[1], Purpose.SIGN, Shares.generate(a[0], a[1]), "t");
        KeyRecord second = store.storeKey(b[0], b[1], Purpose.SIGN, Shares.generate(b[0], b[1]), "t");
        store.linkCertificate(first.keyId(), "CN=gmgate issuing CA", "ab12cd", "ca-client");
        store.linkCertificate(second.keyId(), "CN=gmgate issuing CA", "ab12cd", "ca-client");
        assertEquals(List.of(first.keyId(), second.keyId()),
                store.keysForCertificate("AB12CD").stream().map(KeyRecord::keyId).toList(), "hex case does not matter");
        store.changeState(first.keyId(), first.rowVersion(), KeyState.LOCKED, "officer", "lost laptop");
        assertEquals(List.of(KeyState.LOCKED, KeyState.ACTIVE),
                store.keysForCertificate("ab12cd").stream().map(KeyRecord::state).toList());
        assertTrue(store.keysForCertificate("ffff").isEmpty());
    }

    @Test
    void noPlaintextShareBytesAppearAnywhereInTheDatabase() throws SQLException {
        List<byte[]> secrets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String[] d = device();
            ServerKeyShare share = Shares.generate(d[0], d[1]);
            byte[] stored = share.toBytes();
            secrets.add(java.util.Arrays.copyOfRange(stored, 1, 33)); // d2 itself
            store.storeKey(d[0], d[1], i % 2 == 0 ? Purpose.SIGN : Purpose.ENCRYPT, share, "t");
        }
        int scanned = DatabaseScan.forEachValue(PG.dataSource(), (table, column, value) -> {
            for (byte[] secret : secrets) {
                assertFalse(DatabaseScan.contains(value, secret), "a share's d2 appears in " + table + "." + column);
            }
        });
        assertTrue(scanned > 20, "scanned " + scanned + " values");

        // control: the same scan does find a share written somewhere in plaintext (here as hex text)
        sql("CREATE TABLE scan_probe (note text)");
        try {
            sql("INSERT INTO scan_probe VALUES ('leak " + java.util.HexFormat.of().formatHex(secrets.get(2)) + "')");
            List<String> found = new ArrayList<>();
            DatabaseScan.forEachValue(PG.dataSource(), (table, column, value) -> {
                if (DatabaseScan.contains(value, secrets.get(2))) {
                    found.add(table + "." + column);
                }
            });
            assertEquals(List.of("scan_probe.note"), found);
        } finally {
            sql("DROP TABLE scan_probe");
        }
    }

    @Test
    void theCacheNeverHidesTamperingOrAStateChange() throws SQLException {
        PgShardStore cached = new PgShardStore(PG.dataSource(), card,
                ShardStoreSettings.defaults().withCache(16, java.time.Duration.ofMinutes(5)));
        String[] d = device();
        ServerKeyShare share = Shares.generate(d[0], d[1]);
        KeyRecord key = cached.storeKey(d[0], d[1], Purpose.SIGN, share, "t");
        for (int i = 0; i < 3; i++) {
            try (OpenedShare o = cached.openShare(key.keyId())) {
                assertArrayEquals(share.toBytes(), o.share().toBytes());
            }
        }
        flip(key.keyId(), "ciphertext");
        expect(KeystoreErrors.SHARE_INTEGRITY, () -> cached.openShare(key.keyId()));
        flip(key.keyId(), "ciphertext");
        cached.openShare(key.keyId()).close();
        store.changeState(key.keyId(), key.rowVersion(), KeyState.LOCKED, "officer on another node", "");
        expect(KeystoreErrors.LOCKED_BY_OPERATOR, () -> cached.openShare(key.keyId()));
    }

    @Test
    void theReadinessProbeNeedsTheDatabaseAndItsSchema() {
        assertTrue(store.probe().startsWith("database ok, audit chain at #"), store.probe());
        String bare = io.gmgate.testkit.PgFixture.createSchema("unmigrated");
        try {
            PgShardStore unmigrated = new PgShardStore(io.gmgate.testkit.PgFixture.dataSource(bare), card, ShardStoreSettings.defaults());
            expect(KeystoreErrors.DATABASE_ERROR, unmigrated::probe);
        } finally {
            io.gmgate.testkit.PgFixture.dropSchema(bare);
        }
    }

    private static AuditRecord lastAudit() {
        long last = store.audit().verify().lastSeq();
        return store.audit().read(last, 1).get(0);
    }

    private static void flip(long keyId, String column) throws SQLException {
        sql("UPDATE ks_shares SET " + column + " = set_byte(" + column + ", 3, get_byte(" + column + ", 3) # 1) WHERE key_id = " + keyId);
    }

    static void sql(String sql) throws SQLException {
        sql(PG, sql);
    }

    static void sql(PgSchema pg, String sql) throws SQLException {
        try (Connection c = pg.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }

    /** Runs a statement and maps a refusal the way the store does (KEY-1xx). */
    static void sqlUnchecked(PgSchema pg, String sql) {
        try {
            sql(pg, sql);
        } catch (SQLException e) {
            throw PgFailures.translate("test", "test statement", e);
        }
    }

    static void expect(ErrorCode code, Executable call) {
        KeystoreException e = assertThrows(KeystoreException.class, call);
        assertEquals(code, e.errorCode(), e.getMessage());
        assertTrue(e.getMessage().startsWith(code.code() + " [KEY "), e.getMessage());
    }
}
