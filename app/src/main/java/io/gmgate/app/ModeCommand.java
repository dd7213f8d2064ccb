package io.gmgate.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.zaxxer.hikari.HikariDataSource;

import io.gmgate.app.config.ConfigNode;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.error.GmgateException;
import io.gmgate.keystore.PgPool;
import io.gmgate.keystore.PgPoolSettings;
import io.gmgate.session.AccessMode;
import io.gmgate.session.ModeOrigin;
import io.gmgate.session.ModeSetting;
import io.gmgate.session.PgModeStore;
import io.gmgate.session.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate mode set|show}: the SRE's switch of design §5 from a shell. It talks to PostgreSQL
 * only: the change and its history row commit together, and the same transaction sends a
 * PostgreSQL notification that every node listens for, so the nodes re-read at once — the shell
 * need not reach the cluster's network, and joining the cluster just to announce it would take
 * longer (design §14) than the nodes' own re-read interval, which remains the safety net. The
 * admin API does the same through the node it reaches and also announces on the event bus.
 */
@Command(name = "mode", mixinStandardHelpOptions = true,
        description = "Show or change the access mode (NORMAL, ONE_WAY, BYPASS) of a scope.",
        subcommands = {ModeCommand.Set.class, ModeCommand.Show.class})
final class ModeCommand {

    abstract static class WithConfig implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, description = "the node's gmgate.yaml (its database section is used)")
        Path config;

        HikariDataSource open() {
            GmgateConfig cfg = GmgateConfig.load(config);
            return PgPool.open(new PgPoolSettings("mode-cli", cfg.database().url(), cfg.database().user(),
                    CosignWiring.dbPassword(cfg.database()), 2, Duration.ofSeconds(5)));
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (HikariDataSource ds = open()) {
                return run(out, new PgModeStore(ds), ds);
            } catch (GmgateException e) {
                err.println("gmgate: " + e.getMessage());
                err.println("  action: " + e.errorCode().action());
                return 1;
            } catch (io.gmgate.app.config.ConfigException e) {
                err.println("gmgate: " + e.getMessage());
                return 2;
            }
        }

        abstract int run(PrintWriter out, PgModeStore store, HikariDataSource ds);
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set the mode of a scope (audited).")
    static final class Set extends WithConfig {
        @Parameters(index = "0", description = "NORMAL, ONE_WAY or BYPASS")
        AccessMode mode;

        @Option(names = "--scope", defaultValue = "cluster", description = "cluster, site:NAME or listener:NAME (default: ${DEFAULT-VALUE})")
        String scope;

        @Option(names = "--reason", required = true, description = "why (incident, ticket); kept in the history")
        String reason;

        @Option(names = "--ttl", description = "how long before it ends by itself, e.g. 30m, 2h (BYPASS should not stay on by accident)")
        String ttl;

        @Option(names = "--operator", description = "who is changing it (default: $USER)")
        String operator;

        @Override
        int run(PrintWriter out, PgModeStore store, HikariDataSource ds) {
            Optional<Duration> life = Optional.ofNullable(ttl).map(t -> ConfigNode.duration("--ttl", t));
            String who = operator != null ? operator : "cli:" + System.getProperty("user.name", "unknown");
            ModeSetting s = store.set(Scope.parse(scope), mode, reason, who, life, Clock.systemUTC().instant());
            out.println(s.scope() + " -> " + s.mode() + s.expiresAt().map(e -> " until " + e).orElse("")
                    + " (epoch " + s.epoch() + "); nodes are notified now and re-read within their refresh interval at the latest");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the modes in force and the recent changes.")
    static final class Show extends WithConfig {
        @Option(names = "--history", defaultValue = "10", description = "how many recent changes to list (default: ${DEFAULT-VALUE})")
        int history;

        @Override
        int run(PrintWriter out, PgModeStore store, HikariDataSource ds) {
            var current = store.current();
            if (current.isEmpty()) {
                out.println("cluster: NORMAL (default; nothing set)");
            }
            for (ModeSetting s : current) {
                out.println(s.scope() + ": " + s.mode() + " since " + s.setAt() + s.expiresAt().map(e -> " until " + e).orElse("")
                        + " by " + s.operator() + " — " + s.reason());
            }
            out.println();
            out.println("recent changes:");
            for (PgModeStore.Change c : store.history(history)) {
                out.println("  " + c.at() + "  " + c.scope() + "  " + c.from() + " -> " + c.to() + "  by " + c.operator()
                        + " — " + c.reason() + (c.origin() == ModeOrigin.OPERATOR ? "" : "  [" + c.origin() + "]"));
            }
            return 0;
        }
    }
}
