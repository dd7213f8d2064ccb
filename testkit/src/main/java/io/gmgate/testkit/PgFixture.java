package io.gmgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import io.gmgate.ports.ReservedPort;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One PostgreSQL per test JVM, chosen in this order: the external database named by
 * {@code GMGATE_TEST_PG_URL} (with {@code GMGATE_TEST_PG_USER} / {@code GMGATE_TEST_PG_PASSWORD});
 * Testcontainers when a Docker engine answers; otherwise embedded PostgreSQL 17. Each test class
 * gets a fresh schema through {@link PgSchema}.
 */
public final class PgFixture {

    private static PgServer server;

    private PgFixture() {
    }

    public static synchronized PgServer server() {
        if (server == null) {
            server = start();
        }
        return server;
    }

    private static PgServer start() {
        String url = setting("GMGATE_TEST_PG_URL");
        if (url != null && !url.isBlank()) {
            return new PgServer("external", url, orDefault(setting("GMGATE_TEST_PG_USER"), "postgres"),
                    orDefault(setting("GMGATE_TEST_PG_PASSWORD"), ""));
        }
        if (dockerAnswers()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:17-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "pg-testcontainer-stop"));
            return new PgServer("testcontainers", container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        // a reserved port: zonky's own free-port pick races with other builds' servers on this host
        EmbeddedPostgres pg = EmbeddedPg.start(ReservedPort.forThisJvm(), null);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> EmbeddedPg.close(pg), "pg-embedded-stop"));
        return new PgServer("embedded", pg.getJdbcUrl("postgres", "postgres"), "postgres", "");
    }

    private static boolean dockerAnswers() {
        if ("false".equalsIgnoreCase(setting("GMGATE_TEST_DOCKER"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Creates an empty schema named after the hint plus a random suffix; returns its name. */
    public static String createSchema(String hint) {
        String clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        String name = "t_" + clean.substring(0, Math.min(40, clean.length())) + "_"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFFFL);
        execute("CREATE SCHEMA " + name);
        return name;
    }

    public static void dropSchema(String name) {
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    /** A data source whose connections use the given schema first on the search path. */
    public static DataSource dataSource(String schema) {
        PgServer s = server();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(s.jdbcUrl());
        ds.setUser(s.user());
        ds.setPassword(s.password());
        ds.setCurrentSchema(schema);
        return ds;
    }

    static void execute(String sql) {
        PgServer s = server();
        try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database " + s + " refused: " + sql, e);
        }
    }

    private static String setting(String name) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv(name);
    }

    private static String orDefault(String v, String d) {
        return v == null ? d : v;
    }

    /** Embedded PostgreSQL start/stop, shared by the fixture and {@link RestartablePg}. */
    static final class EmbeddedPg {
        private EmbeddedPg() {
        }

        static EmbeddedPostgres start(int port, java.io.File dataDir) {
            try {
                EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", "on")
                        // a loaded 2-core machine can take longer than the library's 10 s to start a server
                        .setPGStartupWait(java.time.Duration.ofSeconds(90));
                if (port > 0) {
                    b.setPort(port);
                }
                if (dataDir != null) {
                    b.setDataDirectory(dataDir).setCleanDataDirectory(false);
                }
                return b.start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
        }

        static void close(EmbeddedPostgres pg) {
            try {
                pg.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
