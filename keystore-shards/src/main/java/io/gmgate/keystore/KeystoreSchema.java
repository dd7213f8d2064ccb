package io.gmgate.keystore;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the migrations found in {@code classpath:db/migration} — keystore-shards' V1..V19 and those
 * of every other module on the classpath (ca-client V20.., cosign V40.., gateway V60..) — as one
 * Flyway history.
 *
 * <p>Modules may migrate in any order and with only some of the modules on the classpath (a test of
 * one module, a tool that links fewer jars), so every module configures Flyway the same way:
 * {@code outOfOrder} applies a lower module's migrations after a higher module's, and
 * {@code *:missing} / {@code *:future} accept applied migrations that this classpath does not carry.
 * ca-client's {@code CaSchema} uses the same settings.
 */
public final class KeystoreSchema {

    static final String LOCATION = "classpath:db/migration";

    private KeystoreSchema() {
    }

    /** Migrates to the latest version; returns how many migrations were applied. */
    public static int migrate(DataSource dataSource) {
        return migrate(dataSource, LOCATION);
    }

    static int migrate(DataSource dataSource, String... locations) {
        MigrateResult result = flyway(dataSource, locations).migrate();
        return result.migrationsExecuted;
    }

    static Flyway flyway(DataSource dataSource, String... locations) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(locations)
                .outOfOrder(true)
                .ignoreMigrationPatterns("*:missing", "*:future")
                .load();
    }
}
