package io.gmgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PgFixtureTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @Test
    void tablesLandInTheClassSchemaAndOnlyThere() throws SQLException {
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE probe (id int PRIMARY KEY)");
            st.execute("INSERT INTO probe VALUES (1)");
            try (ResultSet rs = st.executeQuery(
                    "SELECT table_schema FROM information_schema.tables WHERE table_name = 'probe'")) {
                assertTrue(rs.next());
                assertEquals(PG.name(), rs.getString(1));
            }
        }
        String other = PgFixture.createSchema("other");
        try (Connection c = PgFixture.dataSource(other).getConnection(); Statement st = c.createStatement()) {
            assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM probe"));
        } finally {
            PgFixture.dropSchema(other);
        }
    }

    @Test
    void serverIsPostgres17OrAnExternalOne() throws SQLException {
        try (Connection c = PG.dataSource().getConnection()) {
            int major = c.getMetaData().getDatabaseMajorVersion();
            if (!"external".equals(PG.server().kind())) {
                assertEquals(17, major, "embedded and container databases are PostgreSQL 17");
            }
        }
    }

    @Test
    void restartablePgKeepsCommittedRowsAcrossARestart() throws SQLException {
        try (RestartablePg pg = new RestartablePg()) {
            try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl()); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE kept (v text)");
                st.execute("INSERT INTO kept VALUES ('before restart')");
            }
            pg.stop();
            assertThrows(SQLException.class, () -> java.sql.DriverManager.getConnection(pg.jdbcUrl()).close());
            pg.start();
            try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals("before restart", rs.getString(1));
            }
        }
    }
}
