package io.gmgate.keystore;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Runs work in one READ COMMITTED transaction on a pooled connection: commit when it returns, roll back
 * when it throws. A caller is told "done" only after COMMIT returned; a failure during COMMIT is a
 * KEY-101 whose outcome is unknown, so callers that retry writes must be idempotent or re-read first.
 */
final class PgTransactions {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final String instance;

    PgTransactions(DataSource dataSource, String instance) {
        this.dataSource = dataSource;
        this.instance = instance;
    }

    String instance() {
        return instance;
    }

    <T> T inTransaction(String operation, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
            c.commit();
            return result;
        } catch (SQLException e) {
            throw PgFailures.translate(instance, operation, e);
        }
    }

    /** A read outside a transaction (autocommit). */
    <T> T read(String operation, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw PgFailures.translate(instance, operation, e);
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }
}
