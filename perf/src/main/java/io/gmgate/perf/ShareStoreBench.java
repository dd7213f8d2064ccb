package io.gmgate.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import com.zaxxer.hikari.HikariDataSource;

import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.crypto.twoparty.ClientKeyGen;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.TwoPartyServer;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.PgPool;
import io.gmgate.keystore.PgPoolSettings;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.gmgate.testkit.PgFixture;
import io.gmgate.testkit.PgServer;

/**
 * Server shares loaded from PostgreSQL and opened (card unwrap + SM4-GCM + parse into a
 * ServerKeyShare) per second, with the software card; the database is testkit's embedded
 * PostgreSQL 17 on 127.0.0.1 (or GMGATE_TEST_PG_URL), reached through the HikariCP pool.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ShareStoreBench {

    private static final int KEYS = 256;

    /** Decrypted-share cache entries: 0 = off (the default), 512 = every key cached. */
    @Param({"0"})
    public int cache;

    private String schema;
    private Path dir;
    private SoftCipherCard card;
    private HikariDataSource pool;
    private PgShardStore store;
    private long[] keyIds;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        PgServer server = PgFixture.server();
        schema = PgFixture.createSchema("bench");
        String url = server.jdbcUrl() + (server.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        pool = PgPool.open(new PgPoolSettings("bench", url, server.user(), server.password(), 8, Duration.ofSeconds(5)));
        KeystoreSchema.migrate(pool);
        dir = Files.createTempDirectory("gmgate-bench-card");
        card = SoftCipherCard.init(dir.resolve("card.bin"), "benchmark card passphrase".toCharArray());
        ShardStoreSettings settings = ShardStoreSettings.defaults();
        if (cache > 0) {
            settings = settings.withCache(cache, Duration.ofMinutes(10));
        }
        store = new PgShardStore(pool, card, settings);
        store.createAccount("bench", "bench");
        keyIds = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            String device = "pc-" + i;
            store.createDevice("bench", device, "bench");
            KeyGenBinding binding = new KeyGenBinding("bench", "bench", device);
            ClientKeyGen client = ClientKeyGen.start(binding);
            KeyRecord k = store.storeKey("bench", device, Purpose.SIGN, TwoPartyServer.keyGen(binding, client.request()).share(), "bench");
            keyIds[i] = k.keyId();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        card.close();
        pool.close();
        PgFixture.dropSchema(schema);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private long anyKey() {
        return keyIds[ThreadLocalRandom.current().nextInt(KEYS)];
    }

    /** What the cosign service does per request: SELECT key + share + PIN lock, unwrap, open, parse. */
    @Benchmark
    public Object loadAndOpen() {
        try (OpenedShare o = store.openShare(anyKey())) {
            return o.key();
        }
    }

    /** The database part alone: one SELECT of the key record through the pool. */
    @Benchmark
    public KeyRecord loadRecordOnly() {
        return store.key(anyKey());
    }
}
