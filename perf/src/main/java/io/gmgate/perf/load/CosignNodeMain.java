package io.gmgate.perf.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.PgCaStore;
import io.gmgate.cosign.CosignNode;
import io.gmgate.cosign.CosignSettings;
import io.gmgate.cosign.http.ListenerLimits;
import io.gmgate.cosign.identity.PasswordHash;
import io.gmgate.cosign.state.InProcessLoginSessions;
import io.gmgate.cosign.state.InProcessNonces;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.keystore.PgPool;
import io.gmgate.keystore.PgPoolSettings;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.session.NodeVertx;
import io.gmgate.session.PgPolicyStore;
import io.vertx.core.Vertx;

/**
 * One cosign node in its own process, for {@link LoginStorm}: the site's PostgreSQL (prepared by
 * {@link StormSite}), the site's software card and embedded CA, the accounts of a firm identity
 * system ({@link FirmIdentityStandIn}), and the HTTP
 * listener on 127.0.0.1 behind the gateway's :8090, which relays with a PROXY header. Wired as
 * {@code gmgate cosign serve} wires it (pool of 10, CosignConfig's 16 workers, the API's rate
 * defaults); only the listener's per-source caps and idle timeout are raised, because every
 * terminal of the rig comes from 127.0.0.1 and keeps its :8090 session idle between set-up and
 * its login. Writes {@code DIR/cosign.port} and {@code DIR/cosign-admin.port} (metrics); runs until its
 * standard input closes.
 *
 * <pre>java -cp benchmarks.jar io.gmgate.perf.load.CosignNodeMain DIR JDBC_URL PORT</pre>
 */
public final class CosignNodeMain {

    static final String FIRM = "Storm Futures";
    static final char[] CARD_PASSPHRASE = "storm card passphrase".toCharArray();

    private CosignNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int listenPort = Integer.parseInt(args[2]);
        var ds = PgPool.open(new PgPoolSettings("cosign-storm", args[1], "postgres", "", 10, Duration.ofSeconds(2)));
        try (SoftCipherCard card = SoftCipherCard.open(dir.resolve("card.gmc"), CARD_PASSPHRASE)) {
            Clock clock = Clock.systemUTC();
            CosignSettings settings = CosignSettings.defaults("cosign-storm").withTrustedProxies(Set.of("127.0.0.1"));
            PgShardStore shards = new PgShardStore(ds, card, ShardStoreSettings.defaults()
                    .withPinLockThreshold(settings.shardStoreLockThreshold()));
            EmbeddedCa ca = EmbeddedCa.open(EmbeddedCaConfig.defaults(FIRM), card, new PgCaStore(ds), clock);
            var metrics = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
            CosignNode node = CosignNode.create(new CosignNode.Parts(settings, ds, card, 1, shards, shards.audit(), ca,
                    accounts -> new FirmIdentityStandIn(accounts, StormSite.PASSWORD), new InProcessLoginSessions(clock, Duration.ofMinutes(60), Duration.ofHours(12)),
                    new InProcessNonces(clock, Duration.ofSeconds(120), 64), clock, PasswordHash.MIN_ITERATIONS,
                    Duration.ofSeconds(120), Duration.ofMinutes(60), new PgPolicyStore(ds)::newest),
                    new io.gmgate.cosign.CosignMeters(metrics));
            Vertx vertx = Vertx.vertx(NodeVertx.options().setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
            ListenerLimits limits = ListenerLimits.defaults().withConnections(50_000, 50_000, 10_000)
                    .withTimeouts(Duration.ofSeconds(10), Duration.ofMinutes(60));
            int port = GatewayNodeMain.await(node.listen(vertx, "127.0.0.1", listenPort, 16, limits));
            Files.writeString(dir.resolve("cosign.tmp"), Integer.toString(port));
            Files.move(dir.resolve("cosign.tmp"), dir.resolve("cosign.port"), StandardCopyOption.ATOMIC_MOVE);
            // its admin listener, as `gmgate cosign serve` starts it: LoginStorm reads the phase timers there
            int adminPort = GatewayNodeMain.await(new io.gmgate.cosign.http.CosignAdminServer(vertx, metrics::scrape,
                    node::readyToServe).listen("127.0.0.1", 0));
            Files.writeString(dir.resolve("cosign-admin.tmp"), Integer.toString(adminPort));
            Files.move(dir.resolve("cosign-admin.tmp"), dir.resolve("cosign-admin.port"), StandardCopyOption.ATOMIC_MOVE);
            System.out.println("cosign listening on " + port + ", admin on " + adminPort + ", pid " + ProcessHandle.current().pid());
            while (System.in.read() >= 0) {
                // the parent keeps stdin open while it wants this node
            }
        }
        System.exit(0);
    }
}
