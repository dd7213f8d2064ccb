package io.gmgate.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The access modes in PostgreSQL (migrations V60, V61): the source of truth that survives a restart
 * of the whole cluster. A change is one transaction — current row and history row together — under
 * a cluster-wide epoch, committed before anyone is told. Changes take a table lock, so epochs are
 * handed out in commit order and "the newest epoch" names exactly one state; they also send a
 * PostgreSQL notification on {@link #CHANNEL}, delivered at commit to every node listening, which
 * is how a change made from a shell reaches the cluster at once.
 */
public final class PgModeStore {

    /** The LISTEN/NOTIFY channel; the payload is the new epoch. */
    public static final String CHANNEL = "gmgate_access_modes";

    /** One line of the mode history: who, when, why, from, to (design §5). */
    public record Change(long id, Scope scope, AccessMode from, AccessMode to, String reason, String operator,
                         Instant at, Optional<Instant> expiresAt, long epoch, ModeOrigin origin) {
    }

    /** The settings in force and the store's newest epoch, read in one snapshot. */
    public record Snapshot(List<ModeSetting> settings, long epoch) {
        public Snapshot {
            settings = List.copyOf(settings);
        }
    }

    private final DataSource dataSource;

    public PgModeStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    public List<ModeSetting> current() {
        return snapshot().settings();
    }

    /** Settings and the newest epoch in one REPEATABLE READ transaction, so the epoch labels exactly these settings. */
    public Snapshot snapshot() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                List<ModeSetting> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT scope, mode, reason, operator, set_at, expires_at, epoch FROM gm_access_modes ORDER BY scope");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ModeSetting(Scope.parse(rs.getString(1)), AccessMode.valueOf(rs.getString(2)),
                                rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                                Optional.ofNullable(rs.getTimestamp(6)).map(Timestamp::toInstant), rs.getLong(7)));
                    }
                }
                long epoch;
                try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(max(epoch), 0) FROM gm_access_mode_history");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    epoch = rs.getLong(1);
                }
                c.commit();
                return new Snapshot(out, epoch);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw down("read the access modes", e);
        }
    }

    /** An SRE's change (origin OPERATOR). */
    public ModeSetting set(Scope scope, AccessMode mode, String reason, String operator, Optional<Duration> ttl, Instant now) {
        return set(scope, mode, reason, operator, ttl, now, ModeOrigin.OPERATOR);
    }

    /**
     * Changes a scope's mode if {@link ModeTransitions} allows it from the mode the scope is in now
     * (its own setting, else the one it inherits), and records who, when, why, from and to.
     */
    public ModeSetting set(Scope scope, AccessMode mode, String reason, String operator, Optional<Duration> ttl, Instant now,
                           ModeOrigin origin) {
        if (reason == null || reason.isBlank() || reason.length() > 500 || operator == null || operator.isBlank()) {
            throw new SessionException(SessionErrors.BAD_CHANGE, "a mode change needs a reason (≤ 500 characters) and an operator");
        }
        if (ttl.isPresent() && (ttl.get().isNegative() || ttl.get().isZero())) {
            throw new SessionException(SessionErrors.BAD_CHANGE, "time-to-live " + ttl.get() + " is not positive");
        }
        if (origin == ModeOrigin.EXPIRY) {
            throw new SessionException(SessionErrors.BAD_CHANGE, "expiry is the store's own doing, not a change to ask for");
        }
        Optional<Instant> expires = ttl.map(now::plus);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c);
                AccessMode from = inherited(c, scope, now);
                ModeTransitions.check(scope, origin, from, mode);
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
                history(c, new Change(0, scope, from, mode, reason, operator, now, expires, epoch, origin));
                notify(c, epoch);
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
     * falls back to its wider scope. Safe on every node at once: the table lock lets one of them
     * delete a row and the others find nothing.
     */
    public List<Change> expire(Instant now) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // cheap check first, so the periodic refresh of every node does not take the lock for nothing
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM gm_access_modes WHERE expires_at <= ? LIMIT 1")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            c.commit();
                            return List.of();
                        }
                    }
                }
                lock(c);
                List<ModeSetting> ended = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM gm_access_modes WHERE expires_at <= ? "
                        + "RETURNING scope, mode, reason, operator, set_at, expires_at, epoch")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ended.add(new ModeSetting(Scope.parse(rs.getString(1)), AccessMode.valueOf(rs.getString(2)),
                                    rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                                    Optional.of(rs.getTimestamp(6).toInstant()), rs.getLong(7)));
                        }
                    }
                }
                List<Change> recorded = new ArrayList<>();
                for (ModeSetting s : ended) {
                    AccessMode to = inherited(c, s.scope(), now);
                    ModeTransitions.check(s.scope(), ModeOrigin.EXPIRY, s.mode(), to);
                    Change ch = new Change(0, s.scope(), s.mode(), to, "time-to-live expired", "gmgate", now, s.expiresAt(),
                            nextEpoch(c), ModeOrigin.EXPIRY);
                    history(c, ch);
                    recorded.add(ch);
                }
                if (!recorded.isEmpty()) {
                    notify(c, recorded.get(recorded.size() - 1).epoch());
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
                     + "expires_at, epoch, origin FROM gm_access_mode_history ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            List<Change> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getLong(1), Scope.parse(rs.getString(2)), AccessMode.valueOf(rs.getString(3)),
                            AccessMode.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(),
                            Optional.ofNullable(rs.getTimestamp(8)).map(Timestamp::toInstant), rs.getLong(9),
                            ModeOrigin.valueOf(rs.getString(10))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw down("read the mode history", e);
        }
    }

    /**
     * The mode a scope is in now: its own live setting, else the cluster's (a site or a listener
     * inherits the cluster; which site a listener belongs to is a node's knowledge, not the store's).
     */
    private static AccessMode inherited(Connection c, Scope scope, Instant now) throws SQLException {
        List<Scope> chain = scope.equals(Scope.CLUSTER) ? List.of(scope) : List.of(scope, Scope.CLUSTER);
        for (Scope s : chain) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT mode FROM gm_access_modes WHERE scope = ? AND (expires_at IS NULL OR expires_at > ?)")) {
                ps.setString(1, s.toString());
                ps.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return AccessMode.valueOf(rs.getString(1));
                    }
                }
            }
        }
        return AccessMode.NORMAL;
    }

    /** Mode changes are rare: serialising them makes epoch order equal commit order. Readers are not blocked. */
    private static void lock(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE gm_access_modes IN SHARE ROW EXCLUSIVE MODE");
        }
    }

    private static void notify(Connection c, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, Long.toString(epoch));
            ps.execute();
        }
    }

    private static long nextEpoch(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('gm_access_mode_epoch')"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void history(Connection c, Change ch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gm_access_mode_history (scope, from_mode, to_mode, reason, "
                + "operator, changed_at, expires_at, epoch, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, ch.scope().toString());
            ps.setString(2, ch.from().name());
            ps.setString(3, ch.to().name());
            ps.setString(4, ch.reason());
            ps.setString(5, ch.operator());
            ps.setTimestamp(6, Timestamp.from(ch.at()));
            ps.setTimestamp(7, ch.expiresAt().map(Timestamp::from).orElse(null));
            ps.setLong(8, ch.epoch());
            ps.setString(9, ch.origin().name());
            ps.executeUpdate();
        }
    }

    private static SessionException down(String what, SQLException e) {
        return new SessionException(SessionErrors.STORE_DOWN, "could not " + what + ": " + e.getMessage(), e);
    }
}
