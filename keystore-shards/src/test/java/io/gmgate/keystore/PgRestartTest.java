package io.gmgate.keystore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.zaxxer.hikari.HikariDataSource;

import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.RestartablePg;

/** PostgreSQL stops and starts again in the middle of a burst of writes (docs/keystore.md). */
class PgRestartTest {

    @TempDir
    Path dir;

    private static final int WRITERS = 4;
    private static final int ACKS_PER_WRITER = 25;

    @Test
    void thePoolRecoversAndNothingAcknowledgedIsLost() throws Exception {
        try (RestartablePg pg = new RestartablePg();
             SoftCipherCard card = SoftCipherCard.init(dir.resolve("card.bin"), "restart test card".toCharArray());
             HikariDataSource ds = PgPool.open(new PgPoolSettings("restart-test", pg.jdbcUrl(), "postgres", "", WRITERS + 2,
                     Duration.ofMillis(500)))) {
            KeystoreSchema.migrate(ds);
            PgShardStore store = new PgShardStore(ds, card, ShardStoreSettings.defaults());
            store.createAccount("burst", "t");
            for (int w = 0; w < WRITERS; w++) {
                store.createDevice("burst", "pc-" + w, "t");
            }

            Map<Long, byte[]> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger unavailable = new AtomicInteger();
            List<Throwable> unexpected = new CopyOnWriteArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String device = "pc-" + w;
                writers.add(pool.submit(() -> {
                    int acks = 0;
                    for (int attempt = 0; attempt < 5_000 && acks < ACKS_PER_WRITER; attempt++) {
                        ServerKeyShare share = Shares.generate("burst", device);
                        try {
                            KeyRecord k = store.storeKey("burst", device, Purpose.SIGN, share, "burst");
                            acknowledged.put(k.keyId(), share.toBytes()); // told "stored": must survive
                            acks++;
                        } catch (KeystoreException e) {
                            if (e.errorCode() != KeystoreErrors.DATABASE_UNAVAILABLE) {
                                unexpected.add(e);
                                return;
                            }
                            unavailable.incrementAndGet();
                            sleep(50);
                        }
                    }
                }));
            }
            waitFor(() -> acknowledged.size() >= WRITERS * 3);
            pg.stop();
            waitFor(() -> unavailable.get() >= WRITERS);
            KeystoreException down = org.junit.jupiter.api.Assertions.assertThrows(KeystoreException.class, store::probe);
            assertEquals(KeystoreErrors.DATABASE_UNAVAILABLE, down.errorCode(), down.getMessage());
            assertTrue(down.errorCode().retryable());
            pg.start();
            for (Future<?> f : writers) {
                f.get(300, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            assertTrue(store.probe().startsWith("database ok"));

            assertTrue(unexpected.isEmpty(), () -> "only KEY-101 may surface during the outage: " + unexpected);
            assertTrue(unavailable.get() >= WRITERS, "the burst did run into the outage");
            assertEquals(WRITERS * ACKS_PER_WRITER, acknowledged.size(), "every writer got all its acknowledgements after the restart");
            for (Map.Entry<Long, byte[]> e : acknowledged.entrySet()) {
                try (OpenedShare o = store.openShare(e.getKey())) {
                    assertArrayEquals(e.getValue(), o.share().toBytes(), "key " + e.getKey());
                }
            }
            AuditVerification v = store.audit().verify();
            assertTrue(v.intact(), v.toString());
            assertTrue(v.recordsVerified() >= 1 + WRITERS + acknowledged.size());
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        for (int i = 0; i < 1_200 && !condition.getAsBoolean(); i++) {
            sleep(50);
        }
        assertTrue(condition.getAsBoolean(), "condition not reached within 60 s");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
