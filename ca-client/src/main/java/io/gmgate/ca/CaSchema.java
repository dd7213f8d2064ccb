package io.gmgate.ca;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * Applies ca-client's migrations (V20..V39 in classpath db/migration) to a database. The history is
 * shared with the other modules (keystore-shards V1..V19, …), which may migrate before or after this
 * one and with other jars on the classpath: hence out-of-order and ignoring applied migrations this
 * classpath does not carry — the same settings as keystore-shards' {@code KeystoreSchema}.
 */
public final class CaSchema {

    private CaSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .outOfOrder(true)
                .ignoreMigrationPatterns("*:missing", "*:future")
                .load().migrate();
    }
}
