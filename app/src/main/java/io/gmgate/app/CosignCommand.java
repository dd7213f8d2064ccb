package io.gmgate.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.gmgate.app.config.ConfigException;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.cosign.CosignNode;
import io.gmgate.error.GmgateException;
import io.vertx.core.Vertx;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gmgate cosign serve}: run a co-signing node (docs/cosign-api.md) until stopped. */
@Command(name = "cosign", mixinStandardHelpOptions = true,
        description = "The co-signing service: enrolment, two-party SM2 signing and co-decryption (design §4, §11).",
        subcommands = {CosignCommand.Serve.class})
final class CosignCommand {

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Start a cosign node from the configuration's node, database, card and cosign sections.",
                "Needs the embedded CA (gmgate ca init) in the same database. Stops on SIGTERM/Ctrl-C."})
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, description = "the gmgate YAML configuration file")
        Path config;

        @Option(names = "--passphrase-file", description = "the card's secret: passphrase, token PIN or device password "
                + "(else card.passphraseFile, the card type's environment variable, or a prompt)")
        Path passphraseFile;

        /** Completed by the shutdown hook; tests count it down themselves. */
        final CountDownLatch stop = new CountDownLatch(1);
        volatile int port;
        volatile int adminPort;

        @Override
        public Integer call() throws InterruptedException {
            CommandLine cli = spec.commandLine();
            PrintWriter out = cli.getOut();
            PrintWriter err = cli.getErr();
            GmgateConfig cfg;
            try {
                cfg = GmgateConfig.load(config);
            } catch (ConfigException e) {
                err.println("gmgate: " + e.getMessage());
                err.flush();
                return 2;
            }
            io.gmgate.app.wiring.CardSecrets passphrase = CardPassphrase.read(cli, cfg.card(), passphraseFile);
            Vertx vertx = null;
            io.gmgate.session.ClusterNode cluster = null;
            try (CosignWiring w = new CosignWiring(cfg, passphrase)) {
                CosignNode node;
                if (cfg.cluster().configured()) {
                    // several cosign nodes: sessions and nonces live in the cluster, so any node serves any request
                    cluster = io.gmgate.session.ClusterNode.start(cfg.cluster().settings(), io.gmgate.session.NodeVertx.options())
                            .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
                    vertx = cluster.vertx();
                    // sealed under the cosign KEK: a member that gets into the cluster cannot forge a login
                    node = w.node(new io.gmgate.app.wiring.ClusterLoginSessions(cluster.hazelcast(), java.time.Clock.systemUTC(),
                            java.time.Duration.ofMinutes(15), java.time.Duration.ofHours(12),
                            new io.gmgate.session.ClusterSeal(w.card, w.cosign.kekIndex(), cluster.identity().name())),
                            new io.gmgate.app.wiring.ClusterNonces(cluster.hazelcast(), java.time.Duration.ofSeconds(120)));
                } else {
                    vertx = Vertx.vertx(io.gmgate.session.NodeVertx.options().setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
                    node = w.node();
                }
                port = node.listen(vertx, w.cosign.bindHost(), w.cosign.port(), w.cosign.workers(), w.cosign.listener())
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                out.println("cosign node " + cfg.node().name() + " listening on http://" + w.cosign.bindHost() + ":" + port
                        + " (API v1, " + w.cosign.workers() + " workers, identity "
                        + w.cosign.identityCallback().map(Object::toString).orElse("builtin") + ", transport "
                        + io.gmgate.session.NodeVertx.transport(vertx) + ")");
                io.gmgate.cosign.http.CosignAdminServer admin = new io.gmgate.cosign.http.CosignAdminServer(vertx,
                        w.metrics::scrape, node::readyToServe);
                adminPort = admin.listen(w.cosign.adminHost(), w.cosign.adminPort())
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                out.println("cosign node " + cfg.node().name() + " admin (metrics, health) on http://" + w.cosign.adminHost() + ":"
                        + adminPort);
                out.flush();
                Optional<AutoCloseable> caDown = w.caDownRule(vertx);
                Thread hook = new Thread(stop::countDown, "cosign-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                stop.await();
                if (caDown.isPresent()) {
                    caDown.get().close();
                }
                admin.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                node.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                node.close();
                return 0;
            } catch (GmgateException | ConfigException e) {
                err.println("gmgate: " + e.getMessage());
                if (e instanceof GmgateException g) {
                    err.println("  action: " + g.errorCode().action());
                }
                err.flush();
                return 1;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                err.println("gmgate: cosign listener did not start: " + e.getCause());
                err.flush();
                return 1;
            } catch (Exception e) {
                err.println("gmgate: cosign node did not start: " + e);
                err.flush();
                return 1;
            } finally {
                if (cluster != null) {
                    cluster.close();
                } else if (vertx != null) {
                    vertx.close();
                }
            }
        }
    }
}
