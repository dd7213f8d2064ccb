package io.gmgate.app;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

import io.gmgate.app.config.DatabaseSettings;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.wiring.CardSecrets;
import io.gmgate.app.wiring.Cards;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.keystore.KeystoreSchema;
import io.gmgate.keystore.PgPool;
import io.gmgate.keystore.PgPoolSettings;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;

/**
 * The key store as the configuration names it: the database pool (migrated), the configured cipher
 * card of any type, and the shard store over both. Cosign nodes and the backup commands open it the
 * same way; closing closes the card and the pool.
 */
final class StoreWiring implements AutoCloseable {

    final HikariDataSource dataSource;
    final CipherCard card;
    final PgShardStore shards;

    /** Opens everything or nothing; zeroes {@code cardSecrets} either way. */
    StoreWiring(GmgateConfig config, String poolName, CardSecrets cardSecrets, ShardStoreSettings settings) {
        DatabaseSettings db = config.database();
        HikariDataSource ds = null;
        CipherCard opened = null;
        try {
            ds = PgPool.open(new PgPoolSettings(poolName, db.url(), db.user(), CosignWiring.dbPassword(db),
                    db.poolSize(), Duration.ofSeconds(2)));
            KeystoreSchema.migrate(ds);
            opened = Cards.open(config.card(), cardSecrets);
            this.shards = new PgShardStore(ds, opened, settings);
            // Rows written before V7 are sealed at the first start after the upgrade, once (docs/keystore.md).
            this.shards.upgradeSeals(poolName);
        } catch (RuntimeException | Error e) {
            if (opened != null) {
                opened.close();
            }
            if (ds != null) {
                ds.close();
            }
            throw e;
        } finally {
            cardSecrets.close();
        }
        this.dataSource = ds;
        this.card = opened;
    }

    @Override
    public void close() {
        card.close();
        dataSource.close();
    }
}
