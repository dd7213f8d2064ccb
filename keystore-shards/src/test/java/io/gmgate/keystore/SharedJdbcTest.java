package io.gmgate.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.gmgate.jdbc.Jdbc;
import io.gmgate.testkit.PgFixture;

/** The shared io.gmgate.jdbc.Jdbc with the key store's errors, against a real PostgreSQL. */
class SharedJdbcTest {

    private String schema;
    private Jdbc db;

    @BeforeEach
    void fresh() {
        schema = PgFixture.createSchema("jdbc");
        DataSource ds = PgFixture.dataSource(schema);
        db = PgFailures.jdbc(ds, "jdbc-test");
        db.update("create table", "CREATE TABLE t (k text PRIMARY KEY, at timestamptz, blobs bytea[])");
    }

    @AfterEach
    void drop() {
        PgFixture.dropSchema(schema);
    }

    @Test
    void aTransactionCommitsWhenItsWorkReturnsAndRollsBackWhenItThrows() {
        db.tx("insert a", c -> Jdbc.update(c, "INSERT INTO t (k) VALUES (?)", "a"));
        IllegalStateException boom = assertThrows(IllegalStateException.class, () -> db.tx("insert b then fail", c -> {
            Jdbc.update(c, "INSERT INTO t (k) VALUES (?)", "b");
            throw new IllegalStateException("boom");
        }));
        assertEquals("boom", boom.getMessage());
        assertEquals(List.of("a"), db.query("keys", "SELECT k FROM t ORDER BY k", rs -> rs.getString(1)));
    }

    @Test
    void bindsInstantsAndByteaArrays() {
        Instant at = Instant.parse("2026-12-07T10:15:30.123456Z");
        db.update("insert", "INSERT INTO t (k, at, blobs) VALUES (?, ?, ?)", "x", at, new byte[][] {{1, 2}, {3}});
        assertEquals(at, db.one("read at", "SELECT at FROM t WHERE k = ?", rs -> Jdbc.instant(rs, "at"), "x").orElseThrow());
        assertEquals(2, db.one("read blobs", "SELECT cardinality(blobs) FROM t WHERE k = ?", rs -> rs.getInt(1), "x").orElseThrow());
    }

    @Test
    void aFailureBecomesTheCallersCodedErrorNamingTheOperation() {
        db.update("insert", "INSERT INTO t (k) VALUES (?)", "dup");
        KeystoreException e = assertThrows(KeystoreException.class,
                () -> db.update("insert dup again", "INSERT INTO t (k) VALUES (?)", "dup"));
        assertEquals(KeystoreErrors.ALREADY_EXISTS, e.errorCode());
        assertTrue(e.getMessage().contains("[KEY jdbc-test] insert dup again"), e.getMessage());
        assertTrue(e.getCause() instanceof SQLException s && Jdbc.isUniqueViolation(s));
    }
}
