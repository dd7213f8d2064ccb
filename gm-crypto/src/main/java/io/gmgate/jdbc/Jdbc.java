package io.gmgate.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The little JDBC every PostgreSQL store here needs (the key store, the CA tables, the cosign
 * tables): statements on a pooled connection, a transaction that commits when its work returns and
 * rolls back when it throws, and one place that turns an {@link SQLException} into the caller's coded
 * error ({@link Failure}: KEY- for the key store and cosign, CA- for the CA tables).
 *
 * <p>A caller is told "done" only after COMMIT returned; a failure during COMMIT leaves the outcome
 * unknown, so callers that retry writes must be idempotent or re-read first.
 */
public final class Jdbc {

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** The coded error for a failed operation; {@code what} names the operation for the reader. */
    @FunctionalInterface
    public interface Failure {
        RuntimeException of(String what, SQLException e);
    }

    /** Told how long each statement or transaction took (a node's pg_read and pg_write timers). */
    @FunctionalInterface
    public interface Timing {
        Timing NONE = (write, nanos) -> { };

        void record(boolean write, long nanos);
    }

    private final DataSource dataSource;
    private final String name;
    private final Failure failure;
    private final Timing timing;

    public Jdbc(DataSource dataSource, String name, Failure failure) {
        this(dataSource, name, failure, Timing.NONE);
    }

    public Jdbc(DataSource dataSource, String name, Failure failure, Timing timing) {
        this.dataSource = dataSource;
        this.name = name;
        this.failure = failure;
        this.timing = timing;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The store's name, as its errors and logs show it. */
    public String name() {
        return name;
    }

    /** Runs work in one transaction (READ COMMITTED, the pool's default): commit when it returns, roll back when it throws. Timed as a write. */
    public <T> T tx(String what, Work<T> work) {
        long started = System.nanoTime();
        try {
            return untimedTx(what, work);
        } finally {
            timing.record(true, System.nanoTime() - started);
        }
    }

    /** Runs work outside a transaction (autocommit): reads, single statements. Timed as a read. */
    public <T> T read(String what, Work<T> work) {
        return autocommit(what, work, false);
    }

    public int update(String what, String sql, Object... args) {
        return autocommit(what, c -> update(c, sql, args), true);
    }

    public <T> List<T> query(String what, String sql, Row<T> row, Object... args) {
        return read(what, c -> query(c, sql, row, args));
    }

    private <T> T autocommit(String what, Work<T> work, boolean write) {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw failure.of(what, e);
        } finally {
            timing.record(write, System.nanoTime() - started);
        }
    }

    private <T> T untimedTx(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            T out;
            try {
                out = work.run(c);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            throw failure.of(what, e);
        }
    }

    public <T> Optional<T> one(String what, String sql, Row<T> row, Object... args) {
        return query(what, sql, row, args).stream().findFirst();
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, args);
            return ps.executeUpdate();
        }
    }

    public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        }
    }

    /** Binds in order: an {@link Instant} as a timestamp, a {@code byte[][]} as a bytea array, anything else as is. */
    public static void bind(Connection c, PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Instant t) {
                ps.setTimestamp(i + 1, Timestamp.from(t));
            } else if (a instanceof byte[][] arrays) {
                Array array = c.createArrayOf("bytea", arrays);
                ps.setArray(i + 1, array);
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** SQLSTATE 23505: a unique or primary key was already taken. */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r); // the connection is already broken; the original failure is what matters
        }
    }

    @Override
    public String toString() {
        return "Jdbc[" + name + "]";
    }
}
