package io.gmgate.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import io.gmgate.ports.ReservedPort;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A dedicated embedded PostgreSQL that a test can stop and start again on the same port and data
 * directory, to check that pools recover and nothing acknowledged is lost across a restart.
 */
public final class RestartablePg implements AutoCloseable {

    private final File dataDir;
    private final int port;
    private EmbeddedPostgres pg;

    public RestartablePg() {
        try {
            this.dataDir = Files.createTempDirectory("gmgate-pg-").toFile();
            // restarted on the same port: a reserved one, never handed back to the kernel in between
            this.port = ReservedPort.forThisJvm();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.pg = PgFixture.EmbeddedPg.start(port, dataDir);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public int port() {
        return port;
    }

    public synchronized void stop() {
        if (pg != null) {
            PgFixture.EmbeddedPg.close(pg);
            pg = null;
        }
    }

    public synchronized void start() {
        if (pg == null) {
            pg = PgFixture.EmbeddedPg.start(port, dataDir);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
