package io.gmgate.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.cert.X509CertificateHolder;

import com.zaxxer.hikari.HikariDataSource;

import io.gmgate.app.config.ConfigException;
import io.gmgate.app.config.GatewaySettings;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.wiring.Cards;
import io.gmgate.app.wiring.GatewayNode;
import io.gmgate.app.wiring.NodeAddresses;
import io.gmgate.app.wiring.NodeForwarding;
import io.gmgate.app.wiring.NodePolicy;
import io.gmgate.app.wiring.NodeStores;
import io.gmgate.app.wiring.NodeTls;
import io.gmgate.crypto.GmPem;
import io.gmgate.app.wiring.CardSecrets;
import io.gmgate.app.wiring.Cards;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.error.GmgateException;
import io.gmgate.gateway.admin.AdminTokens;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgPool;
import io.gmgate.keystore.PgPoolSettings;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.session.ClusterNode;
import io.gmgate.session.NodeVertx;
import io.gmgate.tlcp.Sm2Decryptor;
import io.gmgate.tlcp.Sm2KeyAgreement;
import io.gmgate.tlcp.TlcpCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate serve --config FILE}: runs a gateway node — joins the cluster, opens :9000 and
 * :8090 (and the bypass port while in BYPASS) and the admin port — until SIGTERM.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run a gateway node from its configuration until stopped.")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "the node's gmgate.yaml")
    Path config;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GmgateConfig cfg;
        try {
            cfg = GmgateConfig.load(config);
        } catch (ConfigException e) {
            err.println("gmgate: " + e.getMessage());
            return 2;
        }
        GatewaySettings g = cfg.gateway().orElse(null);
        if (g == null) {
            err.println("gmgate: " + config + " has no gateway: section (a cosign node runs with gmgate cosign serve)");
            return 2;
        }
        CardSecrets secrets = CardPassphrase.read(spec.commandLine(), cfg.card(), null);
        Running running;
        try {
            running = start(cfg, g, secrets);
        } catch (GmgateException e) {
            err.println("gmgate: " + e.getMessage());
            err.println("  action: " + e.errorCode().action());
            return 1;
        } finally {
            secrets.close();
        }
        try (running) {
            out.println(running.describe());
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "gmgate-stop"));
            stop.await();
        }
        return 0;
    }

    /** A started node and what it holds open; closing stops it. */
    record Running(GmgateConfig config, GatewayNode node, ClusterNode cluster, HikariDataSource database,
                   CipherCard card) implements AutoCloseable {
        String describe() {
            GatewaySettings g = config.gateway().orElseThrow();
            return "gateway " + config.node().name() + " up: trading :" + node.port(GatewayNode.TRADING)
                    + (g.cosignNodes().isEmpty() ? "" : ", enrolment :" + node.port(GatewayNode.ENROLMENT))
                    + ", admin :" + node.port("admin") + "; transport " + NodeVertx.transport(cluster.vertx())
                    + "; mode " + node.modes().effective(GatewayNode.TRADING);
        }

        @Override
        public void close() {
            try {
                node.close();
            } finally {
                cluster.close();
                card.close();
                database.close();
            }
        }
    }

    static Running start(GmgateConfig cfg, GatewaySettings g, CardSecrets secrets) throws Exception {
        HikariDataSource ds = PgPool.open(new PgPoolSettings("gateway-" + cfg.node().name(), cfg.database().url(),
                cfg.database().user(), CosignWiring.dbPassword(cfg.database()), cfg.database().poolSize(), Duration.ofSeconds(2)));
        CipherCard card = null;
        ClusterNode cluster = null;
        try {
            card = Cards.open(cfg.card(), secrets);
            Cards.requireSm2(card, "the gateway's TLCP sign and encryption keys");
            KeystoreSchema.migrate(ds);
            X509CertificateHolder sign = onePem(g.tlcp().signCertificate());
            X509CertificateHolder enc = onePem(g.tlcp().encCertificate());
            List<X509CertificateHolder> chain = pems(g.tlcp().chain());
            if (g.tlcp().suites().stream().anyMatch(suite -> suite.ecdhe) && !card.exchangesSm2Keys()) {
                throw new ConfigException("gateway.tlcp.suites offers an ECDHE suite, but the card " + card.name()
                        + " cannot do the SM2 key exchange with its internal key (KEY-025): offer the ECC suites only");
            }
            TlcpCredentials creds = new TlcpCredentials(sign, Optional.of(enc), chain,
                    Sm2SignKey.onCard(card, g.tlcp().signKeyIndex()),
                    Optional.of(Sm2Decryptor.onCard(card, g.tlcp().encKeyIndex())),
                    card.exchangesSm2Keys() ? Optional.of(Sm2KeyAgreement.onCard(card, g.tlcp().encKeyIndex())) : Optional.empty());
            AdminTokens tokens = g.adminTokensFile().isPresent() ? AdminTokens.load(Path.of(g.adminTokensFile().get()))
                    : AdminTokens.parse(List.of(), "none");
            cluster = ClusterNode.start(cfg.cluster().settings(), NodeVertx.options())
                    .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            GatewayNode.Parts parts = new GatewayNode.Parts(cfg.node().name(), cfg.node().site(),
                    new NodeAddresses(g.bindHost(), g.tradingPort(), g.enrolmentPort(), g.bypassPort(), g.adminHost(), g.adminPort()),
                    new NodeTls(creds, pems(g.tlcp().trustRoots()), g.tlcp().suites(), g.tlcp().tls13(),
                            g.tlcp().acceptExternalWholeKeys()),
                    new NodeForwarding(g.fronts(), g.cosignNodes(), g.frontConnectTimeout(), g.frontProbeInterval()),
                    new NodeStores(ds, card, 1, sealedStore(ds, card, "gateway:" + cfg.node().name()), tokens),
                    new NodePolicy(g.admission(), cfg.cluster().modeRefresh(), g.cosignDown(), g.rollout(), Clock.systemUTC()));
            GatewayNode node = GatewayNode.start(parts, g.timings(), cluster).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            return new Running(cfg, node, cluster, ds, card);
        } catch (Exception | Error e) {
            if (cluster != null) {
                cluster.close();
            }
            if (card != null) {
                card.close();
            }
            ds.close();
            throw e;
        }
    }

    /** The gateway's view of the key store; rows from before V7 are sealed at the first start (docs/keystore.md). */
    private static PgShardStore sealedStore(javax.sql.DataSource ds, CipherCard card, String actor) {
        PgShardStore store = new PgShardStore(ds, card, ShardStoreSettings.defaults());
        store.upgradeSeals(actor, false); // the cosign nodes own the key store and leave the mark
        return store;
    }

    static List<X509CertificateHolder> pems(String file) throws IOException {
        List<X509CertificateHolder> certs = GmPem.certificatesFromPem(Files.readString(Path.of(file)));
        if (certs.isEmpty()) {
            throw new ConfigException(file + " holds no PEM certificate");
        }
        return certs;
    }

    static X509CertificateHolder onePem(String file) throws IOException {
        return pems(file).get(0);
    }
}
