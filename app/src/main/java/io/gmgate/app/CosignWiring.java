package io.gmgate.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;

import io.gmgate.app.config.ConfigException;
import io.gmgate.app.config.CosignConfig;
import io.gmgate.app.config.DatabaseSettings;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.ca.CertificateAuthority;
import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.FailoverCertificateAuthority;
import io.gmgate.ca.FailoverSettings;
import io.gmgate.ca.PgServedCertificates;
import io.gmgate.ca.cmp.CmpCertificateAuthority;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.PgCaStore;
import io.gmgate.cosign.CosignNode;
import io.gmgate.cosign.identity.BuiltinIdentityVerifier;
import io.gmgate.cosign.identity.HttpIdentityVerifier;
import io.gmgate.cosign.identity.PgAccounts;
import io.gmgate.cosign.pg.Jdbc;
import io.gmgate.cosign.state.InProcessLoginSessions;
import io.gmgate.cosign.state.InProcessNonces;
import io.gmgate.app.wiring.Cards;
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
    private final StoreWiring store;

    CosignWiring(GmgateConfig config, char[] passphrase) {
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
        return new PgAccounts(new Jdbc(dataSource, config.node().name()), shards, Clock.systemUTC(), cosign.passwordIterations());
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
        CertificateAuthority ca = certificateAuthority(clock);
        return CosignNode.create(new CosignNode.Parts(cosign.settings(), dataSource, card, cosign.kekIndex(), shards, shards.audit(), ca,
                accounts -> cosign.identityCallback().<io.gmgate.cosign.identity.IdentityVerifier>map(
                        uri -> new HttpIdentityVerifier(uri, cosign.identityTimeout(), accounts))
                        .orElseGet(() -> new BuiltinIdentityVerifier(accounts)),
                sessions, nonces,
                clock, cosign.passwordIterations(), Duration.ofSeconds(120), Duration.ofMinutes(15)));
    }

    /**
     * The embedded CA (gmgate ca init), or with {@code cosign.cas} the external CAs over CMP behind
     * {@link FailoverCertificateAuthority}: primary first, the backup line or second vendor when it
     * cannot serve (seed 003 C.3), every certificate recorded with the CA that served it.
     */
    private CertificateAuthority certificateAuthority(Clock clock) {
        if (cosign.cas().isEmpty()) {
            Cards.requireSm2(card, "the embedded CA's signing keys");
            return EmbeddedCa.open(EmbeddedCaConfig.defaults(cosign.firm()), card, new PgCaStore(dataSource), clock);
        }
        List<CmpCertificateAuthority> cas = cosign.cas().stream()
                .map(c -> CmpCertificateAuthority.overHttp(c.config(), clock)).toList();
        return new FailoverCertificateAuthority("cas-" + config.node().name(), cas,
                FailoverSettings.defaults().withBreaker(10, 4, cosign.caBreakerOpenWait()),
                new PgServedCertificates(dataSource));
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
        store.close();
    }
}
