package io.gmgate.cosign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.PgCaStore;
import io.gmgate.cosign.http.ListenerLimits;
import io.gmgate.cosign.identity.BuiltinIdentityVerifier;
import io.gmgate.cosign.identity.PasswordHash;
import io.gmgate.cosign.state.InProcessLoginSessions;
import io.gmgate.cosign.state.InProcessNonces;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.testkit.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * A cosign deployment in one JVM for the tests: one database schema, one software cipher card, the
 * embedded CA, and N nodes — each its own Vert.x instance on its own 127.0.0.1 port — sharing the
 * database. Sessions, nonces and renewal codes are shared in-process (the stand-in for the cluster
 * maps the session module provides).
 */
final class CosignCluster implements AutoCloseable {

    static final int KEK = 1;

    final MutableClock clock = new MutableClock();
    final DataSource dataSource;
    final SoftCipherCard card;
    final PgShardStore shards;
    final EmbeddedCa embeddedCa;
    final SwitchableCa ca;
    final PgCaStore caStore;
    final InProcessLoginSessions sessions;
    final InProcessNonces nonces;
    final CosignSettings settings;
    private final ListenerLimits listener;
    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<CosignNode> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    CosignCluster(DataSource dataSource, Path dir, int nodeCount, UnaryOperator<CosignSettings> tweak) {
        this(dataSource, dir, nodeCount, tweak, ListenerLimits.defaults());
    }

    CosignCluster(DataSource dataSource, Path dir, int nodeCount, UnaryOperator<CosignSettings> tweak, ListenerLimits listener) {
        this.dataSource = dataSource;
        this.listener = listener;
        KeystoreSchema.migrate(dataSource);
        this.card = card(dir);
        this.settings = tweak.apply(CosignSettings.defaults("node-0"));
        this.shards = new PgShardStore(dataSource, card, ShardStoreSettings.defaults().withPinLockThreshold(settings.shardStoreLockThreshold()));
        this.caStore = new PgCaStore(dataSource);
        this.embeddedCa = EmbeddedCa.init(EmbeddedCaConfig.defaults("Example Futures"), card, caStore, clock);
        this.ca = new SwitchableCa(embeddedCa);
        this.sessions = new InProcessLoginSessions(clock, Duration.ofMinutes(15), Duration.ofHours(12));
        this.nonces = new InProcessNonces(clock, Duration.ofSeconds(120), 64);
        for (int i = 0; i < nodeCount; i++) {
            startNode(i);
        }
    }

    private void startNode(int i) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        CosignNode node = CosignNode.create(new CosignNode.Parts(settings.withNode("node-" + i), dataSource, card, KEK, shards,
                shards.audit(), ca, BuiltinIdentityVerifier::new, sessions, nonces, clock, PasswordHash.MIN_ITERATIONS,
                Duration.ofSeconds(120), Duration.ofMinutes(15)));
        int port = await(node.listen(vertx, "127.0.0.1", 0, 16, listener).toCompletionStage().toCompletableFuture());
        vertxes.add(vertx);
        nodes.add(node);
        ports.add(port);
    }

    int port(int node) {
        return ports.get(node);
    }

    CosignNode node(int i) {
        return nodes.get(i);
    }

    /** Closes node i's Vert.x: its listener goes away, in-flight requests lose their connections. */
    void kill(int i) {
        await(vertxes.get(i).close().toCompletionStage().toCompletableFuture());
        nodes.get(i).close();
    }

    /** A built-in account with a password that does not need changing. */
    void trader(String account, String password) {
        nodes.get(0).accounts().addBuiltin(account, password.toCharArray(), "test");
        nodes.get(0).accounts().setPassword(account, password.toCharArray(), false);
    }

    Terminal terminal(String account, String device, int node) {
        return new Terminal(this, account, device, port(node));
    }

    private static SoftCipherCard card(Path dir) {
        try {
            Path file = Files.createTempFile(dir, "card", ".bin");
            Files.delete(file);
            return SoftCipherCard.init(file, "test passphrase".toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < vertxes.size(); i++) {
            try {
                await(vertxes.get(i).close().toCompletionStage().toCompletableFuture());
            } catch (RuntimeException ignored) {
                // already closed by the test
            }
            nodes.get(i).close();
        }
        card.close();
    }
}
