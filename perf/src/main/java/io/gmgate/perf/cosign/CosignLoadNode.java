package io.gmgate.perf.cosign;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.PgCaStore;
import io.gmgate.cosign.CosignNode;
import io.gmgate.cosign.CosignSettings;
import io.gmgate.cosign.http.ListenerLimits;
import io.gmgate.cosign.identity.BuiltinIdentityVerifier;
import io.gmgate.cosign.identity.PasswordHash;
import io.gmgate.cosign.state.InProcessLoginSessions;
import io.gmgate.cosign.state.InProcessNonces;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.session.NodeVertx;
import io.vertx.core.Vertx;

/**
 * The cosign node of {@link CosignLoad}: the software card, the embedded CA, the shard store with its
 * share cache, 2 event loops, the API's rates lifted (every load client is 127.0.0.1), and the load
 * accounts {@code load0..}. {@link CosignLoad} starts it in a child JVM ({@link #main}) so that the
 * node's CPU — its JIT and GC included — is its own, or in its own process with {@code --in-process}.
 *
 * <pre>java -cp benchmarks.jar io.gmgate.perf.cosign.CosignLoadNode DIR JDBC_URL USER SCHEMA POOL WORKERS SYNC_COMMIT ACCOUNTS</pre>
 * writes {@code DIR/cosign.port} once listening and runs until its standard input closes.
 */
public final class CosignLoadNode implements AutoCloseable {

    static final String PASSWORD = "load-password";

    private final CosignNode node;
    private final Vertx vertx;
    private final SoftCipherCard card;
    private final int port;

    private CosignLoadNode(CosignNode node, Vertx vertx, SoftCipherCard card, int port) {
        this.node = node;
        this.vertx = vertx;
        this.card = card;
        this.port = port;
    }

    int port() {
        return port;
    }

    /** Migrates the schema behind {@code ds}, builds the node, listens on 127.0.0.1 and adds the accounts. */
    static CosignLoadNode start(DataSource ds, Path dir, int workers, int accounts) throws Exception {
        KeystoreSchema.migrate(ds);
        SoftCipherCard card = SoftCipherCard.init(dir.resolve("card.bin"), "load".toCharArray());
        CosignSettings settings = CosignSettings.defaults("load").withRates(100_000, 100_000, 1_000_000, 1_000_000)
                .withMaxInFlight(100_000);
        PgShardStore shards = new PgShardStore(ds, card, ShardStoreSettings.defaults()
                .withPinLockThreshold(settings.shardStoreLockThreshold()).withCache(10_000, Duration.ofSeconds(60)));
        Clock clock = Clock.systemUTC();
        EmbeddedCa ca = EmbeddedCa.init(EmbeddedCaConfig.defaults("Load Futures"), card, new PgCaStore(ds), clock);
        Vertx vertx = Vertx.vertx(NodeVertx.options().setEventLoopPoolSize(2));
        CosignNode node = CosignNode.create(new CosignNode.Parts(settings, ds, card, 1, shards, shards.audit(), ca,
                BuiltinIdentityVerifier::new, new InProcessLoginSessions(clock, Duration.ofMinutes(15), Duration.ofHours(12)),
                new InProcessNonces(clock, Duration.ofSeconds(120), 64), clock,
                PasswordHash.MIN_ITERATIONS, Duration.ofSeconds(120), Duration.ofMinutes(15)));
        // every load client comes from 127.0.0.1: the per-source caps are lifted for the measurement
        int port = node.listen(vertx, "127.0.0.1", 0, workers, ListenerLimits.defaults().withConnections(100_000, 100_000, 100_000))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (int a = 0; a < accounts; a++) {
            node.accounts().addBuiltin("load" + a, PASSWORD.toCharArray(), "perf");
            node.accounts().setPassword("load" + a, PASSWORD.toCharArray(), false);
        }
        return new CosignLoadNode(node, vertx, card, port);
    }

    /** A pool of {@code pool} connections to the schema, each committing with the given synchronous_commit. */
    static HikariConfig pool(DataSource schemaSource, int pool, String syncCommit) {
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(schemaSource);
        hc.setMaximumPoolSize(pool);
        hc.setPoolName("cosign-load");
        hc.setConnectionInitSql("SET synchronous_commit = " + syncCommit);
        return hc;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
        pg.setUrl(args[1]);
        pg.setUser(args[2]);
        pg.setCurrentSchema(args[3]);
        String password = System.getenv("GMGATE_TEST_PG_PASSWORD"); // inherited, never on the command line
        pg.setPassword(password == null ? "" : password);
        try (HikariDataSource ds = new HikariDataSource(pool(pg, Integer.parseInt(args[4]), args[6]));
             CosignLoadNode node = start(ds, dir, Integer.parseInt(args[5]), Integer.parseInt(args[7]))) {
            Files.writeString(dir.resolve("cosign.tmp"), Integer.toString(node.port()));
            Files.move(dir.resolve("cosign.tmp"), dir.resolve("cosign.port"), StandardCopyOption.ATOMIC_MOVE);
            System.out.println("cosign listening on " + node.port() + ", pid " + ProcessHandle.current().pid());
            while (System.in.read() >= 0) {
                // the parent keeps stdin open while it wants this node
            }
        }
        System.exit(0);
    }

    @Override
    public void close() throws Exception {
        node.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        node.close();
        vertx.close();
        card.close();
    }
}
