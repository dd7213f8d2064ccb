package io.gmgate.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;

import com.zaxxer.hikari.HikariDataSource;

import io.gmgate.app.config.ConfigException;
import io.gmgate.app.config.CosignConfig;
import io.gmgate.app.config.DatabaseSettings;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.config.CaLines;
import io.gmgate.ca.CaSchema;
import io.gmgate.ca.CertificateAuthority;
import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.FailoverCertificateAuthority;
import io.gmgate.ca.FailoverSettings;
import io.gmgate.ca.PgServedCertificates;
import io.gmgate.ca.cmp.CmpCertificateAuthority;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.FailoverCertificateAuthority;
import io.gmgate.ca.FailoverSettings;
import io.gmgate.ca.PgCaStore;
import io.gmgate.ca.PgServedCertificates;
import io.gmgate.ca.cmp.CmpCaConfig;
import io.gmgate.ca.cmp.CmpCertificateAuthority;
import io.gmgate.ca.cmp.CmpProtection;
import io.gmgate.cosign.CosignNode;
import io.gmgate.cosign.identity.BuiltinIdentityVerifier;
import io.gmgate.cosign.identity.HttpIdentityVerifier;
import io.gmgate.cosign.identity.PgAccounts;
import io.gmgate.cosign.pg.CosignJdbc;
import io.gmgate.cosign.state.InProcessLoginSessions;
import io.gmgate.cosign.state.InProcessNonces;
import io.gmgate.app.wiring.CardSecrets;
import io.gmgate.app.wiring.Cards;
import io.gmgate.app.wiring.DownSignal;
import io.gmgate.session.DegradationRule;
import io.gmgate.session.ModeRegistry;
import io.gmgate.session.PgModeStore;
import io.gmgate.session.PgPolicyStore;
import io.vertx.core.Vertx;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;

/**
 * Opens what a cosign node or an accounts command needs from the configuration records: the
 * database pool (migrated), the cipher card, the shard store, and the node itself. The only place
 * that wires cosign-server to the other modules.
 */
final class CosignWiring implements AutoCloseable {

    static final String DB_PASSWORD_ENV = AuditCommand.DB_PASSWORD_ENV;

    final GmgateConfig config;
    final CosignConfig cosign;
    final HikariDataSource dataSource;
    final CipherCard card;
    final PgShardStore shards;
    /** The node's meters, scraped on its admin listener. */
    final io.micrometer.prometheusmetrics.PrometheusMeterRegistry metrics =
            new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    private final StoreWiring store;
    private FailoverCertificateAuthority failover;

    CosignWiring(GmgateConfig config, CardSecrets passphrase) {
        this.config = config;
        this.cosign = config.cosign().orElseThrow(() -> new ConfigException("the configuration has no cosign: section"));
        this.store = new StoreWiring(config, "cosign-" + config.node().name(), passphrase, ShardStoreSettings.defaults()
                .withPinLockThreshold(cosign.settings().shardStoreLockThreshold()));
        this.dataSource = store.dataSource;
        this.card = store.card;
        this.shards = store.shards;
    }

    /** The built-in accounts table (for `gmgate accounts`). */
    PgAccounts accounts() {
        return new PgAccounts(CosignJdbc.of(dataSource, config.node().name()), shards, Clock.systemUTC(), cosign.passwordIterations());
    }

    /**
     * A node over the embedded CA (created by `gmgate ca init`). Sessions and nonces are
     * this process's own until the session module's cluster maps are wired: run one node per database,
     * or put the nodes behind a gateway with sticky sessions.
     */
    CosignNode node() {
        Clock clock = Clock.systemUTC();
        return node(new InProcessLoginSessions(clock, Duration.ofMinutes(15), Duration.ofHours(12)),
                new InProcessNonces(clock, Duration.ofSeconds(120), 64));
    }

    /** A node whose sessions and nonces live where the caller says: the cluster's maps for several nodes. */
    CosignNode node(io.gmgate.cosign.state.LoginSessions sessions, io.gmgate.cosign.state.Nonces nonces) {
        Clock clock = Clock.systemUTC();
        CosignNode node = CosignNode.create(new CosignNode.Parts(cosign.settings(), dataSource, card, cosign.kekIndex(), shards, shards.audit(),
                certificateAuthority(clock),
                accounts -> cosign.identityCallback().<io.gmgate.cosign.identity.IdentityVerifier>map(
                        uri -> new HttpIdentityVerifier(uri, cosign.identityTimeout(), accounts))
                        .orElseGet(() -> new BuiltinIdentityVerifier(accounts)),
                sessions, nonces,
                clock, cosign.passwordIterations(), Duration.ofSeconds(120), Duration.ofMinutes(15),
                new PgPolicyStore(dataSource)::newest), new io.gmgate.cosign.CosignMeters(metrics));
        io.gmgate.app.wiring.CosignGauges.register(metrics, dataSource, failover());
        return node;
    }

    /**
     * The embedded CA alone, or — with a {@code cosign.ca} section — the configured CAs in priority
     * order, each behind its own breaker (docs/drills.md C3), kept in {@link #failover} for the CA-down rule.
     */
    private CertificateAuthority certificateAuthority(Clock clock) {
        if (cosign.ca().isEmpty()) {
            return embeddedCa(clock);
        }
        CaLines config = cosign.ca().get();
        CaSchema.migrate(dataSource);
        List<CertificateAuthority> lines = new ArrayList<>();
        for (CaLines.Line line : config.lines()) {
            if (line instanceof CaLines.Cmp c) {
                lines.add(CmpCertificateAuthority.overHttp(cmpConfig(c), clock));
            } else {
                lines.add(embeddedCa(clock));
            }
        }
        FailoverSettings guard = FailoverSettings.defaults().withClock(clock).withTimeout(config.timeout())
                .withRetry(config.attempts(), Duration.ofMillis(200))
                .withBreaker(FailoverSettings.defaults().slidingWindow(), FailoverSettings.defaults().minimumCalls(), config.openWait());
        failover = new FailoverCertificateAuthority("cosign-" + this.config.node().name(), lines, guard,
                new PgServedCertificates(dataSource));
        return failover;
    }

    private EmbeddedCa embeddedCa(Clock clock) {
        Cards.requireSm2(card, "the embedded CA's signing keys");
        return EmbeddedCa.open(EmbeddedCaConfig.defaults(cosign.firm()), card, new PgCaStore(dataSource), clock);
    }

    private static CmpCaConfig cmpConfig(CaLines.Cmp c) {
        byte[] secret;
        try {
            secret = Files.readAllBytes(Path.of(c.secretFile()));
        } catch (IOException e) {
            throw new ConfigException("cosign.ca " + c.name() + ": cannot read the CMP secret file " + c.secretFile() + ": " + e.getMessage());
        }
        int end = secret.length;
        while (end > 0 && (secret[end - 1] == '\n' || secret[end - 1] == '\r')) {
            end--;
        }
        byte[] trimmed = Arrays.copyOf(secret, end);
        Arrays.fill(secret, (byte) 0);
        Optional<org.bouncycastle.cert.X509CertificateHolder> issuer = c.issuerCertificate().map(file -> {
            try {
                return ServeCommand.onePem(file);
            } catch (IOException e) {
                throw new ConfigException("cosign.ca " + c.name() + ": cannot read " + file + ": " + e.getMessage());
            }
        });
        // the CA's name as it signs: given, or read from its certificate
        X500Name caName = c.caName().map(X500Name::new).orElseGet(() -> issuer.orElseThrow().getSubject());
        CmpCaConfig cmp = CmpCaConfig.of(c.name(), c.url(), caName, CmpProtection.Mac.sm3(c.reference(), trimmed))
                .withTimeouts(c.connectTimeout(), c.requestTimeout());
        Arrays.fill(trimmed, (byte) 0);
        return issuer.map(cmp::withIssuerCertificate).orElse(cmp);
    }

    /** The CAs behind breakers, when the configuration lists them. */
    Optional<FailoverCertificateAuthority> failover() {
        return Optional.ofNullable(failover);
    }

    /**
     * Seed 003 C.3 / design §5: when every CA's breaker has been open for the configured time, the
     * rule moves its scope to ONE_WAY (if allowed to act), alerts and audits; the SRE confirms or
     * reverts. Empty without a {@code cosign.degradation} section. Call after {@link #node}.
     */
    Optional<AutoCloseable> caDownRule(Vertx vertx) throws Exception {
        if (cosign.caDown().isEmpty() || failover == null) {
            return Optional.empty();
        }
        Clock clock = Clock.systemUTC();
        // the cluster's copy of the modes sealed as the gateways seal it: same site KEK, same cluster name
        ModeRegistry modes = new ModeRegistry(vertx, new PgModeStore(dataSource), clock, config.cluster().modeRefresh(),
                Optional.of(shards.audit()), config.node().site(),
                Optional.of(new io.gmgate.session.ClusterSeal(card, cosign.kekIndex(), config.cluster().name())));
        modes.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        FailoverCertificateAuthority cas = failover;
        DegradationRule rule = new DegradationRule(cosign.caDown().get(), new DownSignal("ca", cas::allBreakersOpen, clock),
                modes, clock, (settings, outcome, detail) -> { /* the rule logs at WARNING; the mode change is audited */ });
        AutoCloseable running = DegradationRule.every(vertx, Duration.ofSeconds(1), List.of(rule));
        return Optional.of(() -> {
            running.close();
            modes.close();
        });
    }

    static String dbPassword(DatabaseSettings db) {
        if (db.passwordFile().isPresent()) {
            try {
                return Files.readAllLines(Path.of(db.passwordFile().get())).get(0);
            } catch (IOException | IndexOutOfBoundsException e) {
                throw new ConfigException("cannot read the database password from " + db.passwordFile().get());
            }
        }
        String env = System.getenv(db.passwordEnv().orElse(DB_PASSWORD_ENV));
        return env == null ? "" : env;
    }

    @Override
    public void close() {
        if (failover != null) {
            failover.close();
        }
        store.close();
    }
}
