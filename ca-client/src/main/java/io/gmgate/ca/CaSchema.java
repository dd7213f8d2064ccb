package io.gmgate.ca;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/** Applies ca-client's migrations (V20..V39 in classpath db/migration) to a database. */
public final class CaSchema {

    private CaSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }
}
