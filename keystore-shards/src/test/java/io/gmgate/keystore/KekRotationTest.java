package io.gmgate.keystore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.PgSchema;

class KekRotationTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    private static final int KEYS = 60;
    private static SoftCipherCard card;
    private static PgShardStore store;
    private static final Map<Long, byte[]> SHARES = new HashMap<>();

    @BeforeAll
    static void storeKeys() {
        KeystoreSchema.migrate(PG.dataSource());
        card = SoftCipherCard.init(dir.resolve("card.bin"), "rotation test card".toCharArray());
        store = new PgShardStore(PG.dataSource(), card, ShardStoreSettings.defaults());
        for (int a = 0; a < KEYS / 2; a++) {
            String account = "acct-" + a;
            store.createAccount(account, "t");
            store.createDevice(account, "pc", "t");
            for (Purpose p : Purpose.values()) {
                ServerKeyShare share = Shares.generate(account, "pc");
                SHARES.put(store.storeKey(account, "pc", p, share, "t").keyId(), share.toBytes());
            }
        }
    }

    @AfterAll
    static void closeCard() {
        card.close();
    }

    @Test
    void rotationUnderConcurrentReadsAndWritesLosesNoReadAndMovesEveryRow() throws Exception {
        KekId before = card.currentKek(1);
        KekId target = card.rotateKek(1);
        KekRotation rotation = new KekRotation(PG.dataSource(), card, ShardStoreSettings.defaults(), 7);
        KekRotation.Progress start = rotation.progress();
        assertEquals(target, start.target());
        assertEquals(KEYS, start.of(KekRotation.SERVER_SHARES).remaining() + start.of(KekRotation.SERVER_SHARES).done());
        assertEquals(KEYS, start.of(KekRotation.KEY_ROWS).remaining(), "every key row's seal names the old version");
        assertTrue(start.remaining() > 0);

        List<Long> ids = new ArrayList<>(SHARES.keySet());
        AtomicBoolean rotating = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        AtomicLong failedReads = new AtomicLong();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> load = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                load.add(pool.submit(() -> {
                    // readers run until rotation ends, and at least a few rounds; bounded either way
                    for (int i = 0; i < 200_000 && (rotating.get() || i < 50); i++) {
                        long id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                        try (OpenedShare o = store.openShare(id)) {
                            if (!java.util.Arrays.equals(SHARES.get(id), o.share().toBytes())) {
                                throw new AssertionError("key " + id + " opened to another share");
                            }
                            reads.incrementAndGet();
                        } catch (RuntimeException | AssertionError e) {
                            failedReads.incrementAndGet();
                            failures.add(e);
                        }
                    }
                }));
            }
            // a writer: new keys land under the new KEK while old ones are being moved
            load.add(pool.submit(() -> {
                store.createAccount("late", "t");
                store.createDevice("late", "pc", "t");
                for (int i = 0; i < 5; i++) {
                    ServerKeyShare share = Shares.generate("late", "pc");
                    KeyRecord k = store.storeKey("late", "pc", Purpose.SIGN, share, "t");
                    try (OpenedShare o = store.openShare(k.keyId())) {
                        assertArrayEquals(share.toBytes(), o.share().toBytes());
                    }
                }
            }));
            KekRotation.Progress end;
            try {
                end = rotation.run();
            } finally {
                rotating.set(false);
            }
            for (Future<?> f : load) {
                f.get(120, TimeUnit.SECONDS);
            }
            assertTrue(end.finished(), end.toString());
            assertTrue(end.refused().isEmpty(), end.refused().toString());
            assertEquals(start.remaining(), end.moved(), "each old row moved exactly once");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, failedReads.get(), () -> "failed reads: " + failures);
        assertTrue(reads.get() >= 150, "reads went on: " + reads.get());
        assertEquals(Map.of(target.version(), (long) KEYS + 5), versions());
        for (Map.Entry<Long, byte[]> e : SHARES.entrySet()) {
            try (OpenedShare o = store.openShare(e.getKey())) {
                assertArrayEquals(e.getValue(), o.share().toBytes());
            }
        }
        assertTrue(card.keks().contains(before), "the old version is retired by the card operator, not by the job");
        long lastSeq = store.audit().verify().lastSeq();
        assertTrue(store.audit().read(Math.max(1, lastSeq - 20), 21).stream().anyMatch(r -> r.event().action().equals("kek-rotate")
                && r.event().detail().contains("to " + target)), "the rotation is audited");
    }

    @Test
    void anInterruptedRotationResumesWhereItStopped() throws SQLException {
        KekId target = card.rotateKek(1);
        KekRotation first = new KekRotation(PG.dataSource(), card, ShardStoreSettings.defaults(), 10);
        long total = first.progress().remaining();
        long shares = first.progress().of(KekRotation.SERVER_SHARES).remaining();
        assertEquals(10, first.runBatch());
        assertEquals(10, first.runBatch());
        KekRotation.Progress half = first.progress();
        assertEquals(total - 20, half.remaining());
        assertEquals(20, half.moved());
        first.stop();
        KeystoreException stopped = org.junit.jupiter.api.Assertions.assertThrows(KeystoreException.class, first::run);
        assertEquals(KeystoreErrors.ROTATION_INCOMPLETE, stopped.errorCode());
        assertTrue(stopped.getMessage().contains((total - 20) + " rows left"), stopped.getMessage());

        // a new job (another node, or after a restart) finishes the rest and touches nothing twice
        KekRotation resumed = new KekRotation(PG.dataSource(), card, ShardStoreSettings.defaults(), 10);
        KekRotation.Progress end = resumed.run();
        assertTrue(end.finished());
        assertEquals(total - 20, end.moved());
        assertEquals(0, resumed.runBatch(), "nothing left: running again is a no-op");
        assertEquals(Map.of(target.version(), shares), versions());
    }

    @Test
    void aTamperedRowIsReportedAndSkippedNotRetriedForever() throws SQLException {
        KekId target = card.rotateKek(1);
        long victim = SHARES.keySet().iterator().next();
        long sealed = versions().values().stream().mapToLong(Long::longValue).sum();
        PgShardStoreTest.sql(PG, "UPDATE ks_shares SET wrapped_data_key = set_byte(wrapped_data_key, 20, get_byte(wrapped_data_key, 20) # 1) "
                + "WHERE key_id = " + victim);
        try {
            KekRotation.Progress end = new KekRotation(PG.dataSource(), card, ShardStoreSettings.defaults(), 16, Duration.ofMillis(10)).run();
            assertEquals(List.of(KekRotation.SERVER_SHARES + " " + victim), end.refused());
            assertEquals(1, end.remaining());
            assertEquals(sealed - 1, versions().getOrDefault(target.version(), 0L));
        } finally {
            PgShardStoreTest.sql(PG, "UPDATE ks_shares SET wrapped_data_key = set_byte(wrapped_data_key, 20, get_byte(wrapped_data_key, 20) # 1) "
                    + "WHERE key_id = " + victim);
        }
        assertTrue(new KekRotation(PG.dataSource(), card, ShardStoreSettings.defaults(), 16).run().finished());
    }

    /** kek_version → sealed rows. */
    private static Map<Integer, Long> versions() throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT kek_version, count(*) FROM ks_shares WHERE ciphertext IS NOT NULL GROUP BY 1")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return out;
    }

    @Test
    void thePinOprfKeysMoveTooAndEvaluateAsBefore() throws SQLException {
        org.bouncycastle.math.ec.ECPoint b = io.gmgate.crypto.Sm2Curve.multiplyG(io.gmgate.crypto.Sm2Curve.randomScalar());
        org.bouncycastle.math.ec.ECPoint before = store.evaluatePinOprf("acct-0", "pc", b, "t");
        KekId target = card.rotateKek(1);
        KekRotation rotation = new KekRotation(PG.dataSource(), card, ShardStoreSettings.defaults(), 16);
        assertTrue(rotation.progress().remaining() >= 1, "the OPRF key counts as a row to move");
        assertTrue(rotation.run().finished());
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT kek_version FROM ks_pin_oprf_keys WHERE account = 'acct-0' AND device = 'pc'")) {
            assertTrue(rs.next());
            assertEquals(target.version(), rs.getInt(1));
        }
        assertEquals(before, store.evaluatePinOprf("acct-0", "pc", b, "t"), "the same k_s after the re-wrap");
        // the other tests count shares only
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM ks_pin_oprf_keys");
        }
    }
}
