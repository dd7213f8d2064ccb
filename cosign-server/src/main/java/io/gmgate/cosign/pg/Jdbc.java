package io.gmgate.cosign.pg;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;

/**
 * The little JDBC the cosign tables need. A database that does not answer is the key store being
 * down for the terminal (KEY-101, retryable, HTTP 503); any other SQL failure is KEY-110.
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

    /** Told how long each statement or transaction took (the node's pg_read and pg_write timers). */
    @FunctionalInterface
    public interface Timing {
        Timing NONE = (write, nanos) -> { };

        void record(boolean write, long nanos);
    }

    private final DataSource dataSource;
    private final String name;
    private final Timing timing;

    public Jdbc(DataSource dataSource, String name) {
        this(dataSource, name, Timing.NONE);
    }

    public Jdbc(DataSource dataSource, String name, Timing timing) {
        this.dataSource = dataSource;
        this.name = name;
        this.timing = timing;
    }

    /** A transaction: timed as a write, whatever it does. */
    public <T> T tx(String what, Work<T> work) {
        long started = System.nanoTime();
        try {
            return untimedTx(what, work);
        } finally {
            timing.record(true, System.nanoTime() - started);
        }
    }

    public int update(String what, String sql, Object... args) {
        long started = System.nanoTime();
        try {
            return untimedUpdate(what, sql, args);
        } finally {
            timing.record(true, System.nanoTime() - started);
        }
    }

    public <T> List<T> query(String what, String sql, Row<T> row, Object... args) {
        long started = System.nanoTime();
        try {
            return untimedQuery(what, sql, row, args);
        } finally {
            timing.record(false, System.nanoTime() - started);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    private <T> T untimedTx(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private int untimedUpdate(String what, String sql, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            return update(c, sql, args);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private <T> List<T> untimedQuery(String what, String sql, Row<T> row, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            return query(c, sql, row, args);
        } catch (SQLException e) {
            throw failure(what, e);
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

    private static void bind(Connection c, PreparedStatement ps, Object... args) throws SQLException {
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

    KeystoreException failure(String what, SQLException e) {
        String state = e.getSQLState();
        boolean down = e instanceof SQLTransientConnectionException || (state != null && (state.startsWith("08")
                || state.startsWith("57P") || state.equals("53300")));
        KeystoreException k = new KeystoreException(down ? KeystoreErrors.DATABASE_UNAVAILABLE : KeystoreErrors.DATABASE_ERROR,
                "[cosign " + name + "] " + what + " failed: " + (state == null ? "" : "SQLSTATE " + state + " ") + e.getMessage());
        k.initCause(e);
        return k;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is already broken; the original failure is what matters
        }
    }
}
