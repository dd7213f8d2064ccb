package io.gmgate.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The access modes in PostgreSQL (migration V60): the source of truth that survives a restart of
 * the whole cluster. A change is one transaction — current row and history row together — under a
 * cluster-wide epoch, committed before anyone is told.
 */
public final class PgModeStore {

    /** One line of the mode history. */
    public record Change(long id, Scope scope, AccessMode from, AccessMode to, String reason, String operator,
                         Instant at, Optional<Instant> expiresAt, long epoch) {
    }

    private final DataSource dataSource;

    public PgModeStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<ModeSetting> current() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT scope, mode, reason, operator, set_at, expires_at, epoch FROM gm_access_modes ORDER BY scope");
             ResultSet rs = ps.executeQuery()) {
            List<ModeSetting> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new ModeSetting(Scope.parse(rs.getString(1)), AccessMode.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant(),
                        Optional.ofNullable(rs.getTimestamp(6)).map(Timestamp::toInstant), rs.getLong(7)));
            }
            return out;
        } catch (SQLException e) {
            throw down("read the access modes", e);
        }
    }

    public ModeSetting set(Scope scope, AccessMode mode, String reason, String operator, Optional<Duration> ttl, Instant now) {
        if (reason == null || reason.isBlank() || reason.length() > 500 || operator == null || operator.isBlank()) {
            throw new SessionException(SessionErrors.BAD_CHANGE, "a mode change needs a reason (≤ 500 characters) and an operator");
        }
        if (ttl.isPresent() && (ttl.get().isNegative() || ttl.get().isZero())) {
            throw new SessionException(SessionErrors.BAD_CHANGE, "time-to-live " + ttl.get() + " is not positive");
        }
        Optional<Instant> expires = ttl.map(now::plus);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                AccessMode from = AccessMode.NORMAL;
                try (PreparedStatement ps = c.prepareStatement("SELECT mode FROM gm_access_modes WHERE scope = ? FOR UPDATE")) {
                    ps.setString(1, scope.toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            from = AccessMode.valueOf(rs.getString(1));
                        }
                    }
                }
                long epoch = nextEpoch(c);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO gm_access_modes (scope, mode, reason, operator, set_at, "
                        + "expires_at, epoch) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope) DO UPDATE SET mode = EXCLUDED.mode, "
                        + "reason = EXCLUDED.reason, operator = EXCLUDED.operator, set_at = EXCLUDED.set_at, "
                        + "expires_at = EXCLUDED.expires_at, epoch = EXCLUDED.epoch")) {
                    ps.setString(1, scope.toString());
                    ps.setString(2, mode.name());
                    ps.setString(3, reason);
                    ps.setString(4, operator);
                    ps.setTimestamp(5, Timestamp.from(now));
                    ps.setTimestamp(6, expires.map(Timestamp::from).orElse(null));
                    ps.setLong(7, epoch);
                    ps.executeUpdate();
                }
                history(c, scope, from, mode, reason, operator, now, expires, epoch);
                c.commit();
                return new ModeSetting(scope, mode, reason, operator, now, expires, epoch);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw down("change the mode of " + scope, e);
        }
    }

    /**
     * Ends every setting whose time-to-live has passed, recording each in the history; the scope
     * falls back to its wider scope. Safe on every node at once: a row is deleted by one of them.
     */
    public List<Change> expire(Instant now) {
        List<Change> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM gm_access_modes WHERE expires_at <= ? "
                        + "RETURNING scope, mode, expires_at")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new Change(0, Scope.parse(rs.getString(1)), AccessMode.valueOf(rs.getString(2)),
                                    AccessMode.NORMAL, "time-to-live expired", "gmgate", now,
                                    Optional.of(rs.getTimestamp(3).toInstant()), 0));
                        }
                    }
                }
                List<Change> recorded = new ArrayList<>();
                for (Change ch : out) {
                    long epoch = nextEpoch(c);
                    history(c, ch.scope(), ch.from(), ch.to(), ch.reason(), ch.operator(), now, Optional.empty(), epoch);
                    recorded.add(new Change(0, ch.scope(), ch.from(), ch.to(), ch.reason(), ch.operator(), now, ch.expiresAt(), epoch));
                }
                c.commit();
                return recorded;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw down("expire access modes", e);
        }
    }

    public List<Change> history(int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, scope, from_mode, to_mode, reason, operator, changed_at, "
                     + "expires_at, epoch FROM gm_access_mode_history ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            List<Change> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getLong(1), Scope.parse(rs.getString(2)), AccessMode.valueOf(rs.getString(3)),
                            AccessMode.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(),
                            Optional.ofNullable(rs.getTimestamp(8)).map(Timestamp::toInstant), rs.getLong(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw down("read the mode history", e);
        }
    }

    private static long nextEpoch(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('gm_access_mode_epoch')"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void history(Connection c, Scope scope, AccessMode from, AccessMode to, String reason, String operator,
                                Instant at, Optional<Instant> expires, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gm_access_mode_history (scope, from_mode, to_mode, reason, "
                + "operator, changed_at, expires_at, epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, scope.toString());
            ps.setString(2, from.name());
            ps.setString(3, to.name());
            ps.setString(4, reason);
            ps.setString(5, operator);
            ps.setTimestamp(6, Timestamp.from(at));
            ps.setTimestamp(7, expires.map(Timestamp::from).orElse(null));
            ps.setLong(8, epoch);
            ps.executeUpdate();
        }
    }

    private static SessionException down(String what, SQLException e) {
        return new SessionException(SessionErrors.STORE_DOWN, "could not " + what + ": " + e.getMessage(), e);
    }
}
