package io.gmgate.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.gmgate.testkit.PgFixture;
import io.gmgate.testkit.PgSchema;

class KeystoreSchemaTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    private static final String OTHER = "classpath:db/othermodule";

    @Test
    void migratesEveryKeystoreTableAndIsIdempotent() throws SQLException {
        String fresh = PgFixture.createSchema("fresh");
        DataSource ds = PgFixture.dataSource(fresh);
        List<String> tables;
        try {
            assertEquals(10, KeystoreSchema.migrate(ds));
            assertEquals(0, KeystoreSchema.migrate(ds));
            tables = strings(ds, "SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = current_schema() AND table_name LIKE 'ks\\_%' ORDER BY 1");
        } finally {
            PgFixture.dropSchema(fresh);
        }
        assertEquals(List.of("ks_accounts", "ks_audit", "ks_audit_head", "ks_devices", "ks_key_certificates",
                "ks_key_tombstones", "ks_keys", "ks_pin_attempts", "ks_pin_counters", "ks_pin_oprf_keys", "ks_shares"), tables);
    }

    @Test
    void anotherModuleMigratingFirstOrLaterSharesOneHistory() throws SQLException {
        String otherFirst = PgFixture.createSchema("other_first");
        String keystoreFirst = PgFixture.createSchema("keystore_first");
        try {
            DataSource a = PgFixture.dataSource(otherFirst);
            assertEquals(1, KeystoreSchema.migrate(a, OTHER));
            assertEquals(10, KeystoreSchema.migrate(a), "keystore's lower versions are applied out of order");
            assertEquals(0, KeystoreSchema.migrate(a, OTHER), "the other module tolerates versions it does not carry");
            assertEquals(0, KeystoreSchema.migrate(a, KeystoreSchema.LOCATION, OTHER));

            DataSource b = PgFixture.dataSource(keystoreFirst);
            assertEquals(10, KeystoreSchema.migrate(b));
            assertEquals(1, KeystoreSchema.migrate(b, OTHER));
            assertEquals(0, KeystoreSchema.migrate(b));

            for (DataSource ds : List.of(a, b)) {
                List<String> history = strings(ds, "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank");
                assertEquals(11, history.size(), history.toString());
                assertTrue(history.containsAll(List.of("1", "2", "3", "4", "5", "6", "7", "10", "11", "12", "20")), history.toString());
            }
        } finally {
            PgFixture.dropSchema(otherFirst);
            PgFixture.dropSchema(keystoreFirst);
        }
    }

    @Test
    void theAuditTableRefusesUpdatesAndDeletes() throws SQLException {
        KeystoreSchema.migrate(PG.dataSource());
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO ks_audit (seq, at, actor, action, kek_index, kek_version, mac) "
                    + "VALUES (1000, now(), 't', 'probe', 1, 1, '\\x00')");
            for (String sql : List.of("UPDATE ks_audit SET actor = 'x' WHERE seq = 1000",
                    "DELETE FROM ks_audit WHERE seq = 1000", "TRUNCATE ks_audit")) {
                SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> st.execute(sql), sql);
                assertTrue(e.getMessage().contains("append-only"), e.getMessage());
            }
        }
    }

    static List<String> strings(DataSource ds, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
