package io.gmgate.keystore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The devices' PIN counters (design §11): every try is counted when it is made and recorded for its
 * confirmation to forgive; the try that reaches the threshold locks the device's keys. The counter
 * row is sealed ({@link KeyRows}) and its row lock orders concurrent tries, so each is counted once.
 */
final class PgPinCounters {

    /** Locks every live key of a device for the PIN, in the counting transaction; returns the keys it changed. */
    @FunctionalInterface
    interface KeyLocker {
        List<KeyRecord> lockForPin(Connection c, String account, String device) throws SQLException;
    }

    private final ReportedJdbc db;
    private final KeyRows rows;
    private final PgAuditLog audit;
    private final int threshold;
    private final KeyLocker locker;

    PgPinCounters(ReportedJdbc db, KeyRows rows, PgAuditLog audit, int threshold, KeyLocker locker) {
        this.db = db;
        this.rows = rows;
        this.audit = audit;
        this.threshold = threshold;
        this.locker = locker;
    }

    PinCounter recordFailure(String account, String device) {
        return db.write("count PIN failure of " + account + "/" + device,
                // The counter row's lock orders concurrent failures: each is counted once, on a checked counter.
                c -> countFailure(c, account, device, rows.counter(c, account, device, true)));
    }

    PinAttempt recordAttempt(String account, String device, String sessionId, PinAttempt.Kind kind) {
        return db.write("count PIN " + kind + " of " + account + "/" + device, c -> {
            KeyRows.Counter current;
            if (kind == PinAttempt.Kind.SIGN) {
                // A co-signing round with the share that this session's unforgiven evaluation gave tests
                // no new PIN: that guess was counted by the evaluation (design §11). The counter row is
                // locked by the same statement that finds the covering evaluation.
                KeyRows.ForSign forSign = rows.counterForSign(c, account, device, sessionId);
                current = forSign.counter();
                if (forSign.covering() > 0 && !current.locked()) {
                    return new PinAttempt(forSign.covering(), counter(account, device, current));
                }
            } else {
                current = rows.counter(c, account, device, true);
            }
            if (!current.locked() && current.failures() + 1 < threshold) {
                // the common case, one statement: counted, and the try recorded for its confirmation to forgive
                long id = rows.countTry(c, account, device, current, sessionId, kind.name());
                return new PinAttempt(id, new PinCounter(account, device, current.failures() + 1, threshold, false));
            }
            PinCounter counter = countFailure(c, account, device, current);
            long id = 0;
            if (!counter.locked()) {
                id = PgShardStore.scalar(c, "INSERT INTO ks_pin_attempts (account, device, session_id, kind) VALUES (?, ?, ?, ?) "
                        + "RETURNING attempt_id", account, device, sessionId, kind.name());
            }
            return new PinAttempt(id, counter);
        });
    }

    PinStanding forgive(String account, String device, String sessionId, long upToAttempt) {
        return db.write("forgive PIN tries of " + account + "/" + device, c -> {
            // The counter row's lock first: a concurrent failure is counted before or after, never lost.
            KeyRows.Counter counter = rows.counter(c, account, device, true);
            if (counter.locked()) {
                return new PinStanding(counter(account, device, counter), pending(c, account, device, sessionId));
            }
            // One statement deletes the forgiven tries and counts the session's others; the count reads the
            // snapshot from before the delete, hence its attempt_id > ?.
            long forgiven;
            long pending;
            try (PreparedStatement ps = c.prepareStatement("WITH forgiven AS (DELETE FROM ks_pin_attempts WHERE account = ? "
                    + "AND device = ? AND attempt_id <= ? RETURNING 1) SELECT (SELECT count(*) FROM forgiven), (SELECT count(*) "
                    + "FROM ks_pin_attempts WHERE account = ? AND device = ? AND session_id = ? AND attempt_id > ?)")) {
                PgShardStore.bind(ps, account, device, upToAttempt, account, device, sessionId, upToAttempt);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    forgiven = rs.getLong(1);
                    pending = rs.getLong(2);
                }
            }
            if (forgiven > 0) {
                // still under the row lock: what was written is what a re-read would return
                counter = rows.writeCounter(c, account, device, counter, (int) Math.max(counter.failures() - forgiven, 0), false, false);
            }
            return new PinStanding(counter(account, device, counter), (int) pending);
        });
    }

    int pending(String account, String device, String sessionId) {
        return db.read("pending PIN tries of " + account + "/" + device, c -> pending(c, account, device, sessionId));
    }

    void reset(String account, String device) {
        db.write("reset PIN failures of " + account + "/" + device, c -> {
            KeyRows.Counter counter = rows.counter(c, account, device, true);
            if (counter.failures() > 0 && !counter.locked()) {
                rows.writeCounter(c, account, device, counter, 0, false, false);
                KeyRows.update(c, "DELETE FROM ks_pin_attempts WHERE account = ? AND device = ?", account, device);
            }
            return null;
        });
    }

    PinCounter counter(String account, String device) {
        return db.read("read PIN counter of " + account + "/" + device,
                c -> counter(account, device, rows.counter(c, account, device, false)));
    }

    /** Back to zero with nothing pending, in the caller's transaction: an officer lifted the PIN lock. */
    void clear(Connection c, String account, String device) throws SQLException {
        KeyRows.Counter counter = rows.counter(c, account, device, true);
        if (counter.failures() != 0 || counter.locked()) {
            rows.writeCounter(c, account, device, counter, 0, false, false);
        }
        KeyRows.update(c, "DELETE FROM ks_pin_attempts WHERE account = ? AND device = ?", account, device);
    }

    private static int pending(Connection c, String account, String device, String sessionId) throws SQLException {
        return (int) PgShardStore.scalar(c, "SELECT count(*) FROM ks_pin_attempts WHERE account = ? AND device = ? AND session_id = ?",
                account, device, sessionId);
    }

    /** Counts one failure on a counter read under its row lock, locking the device's keys at the threshold. */
    private PinCounter countFailure(Connection c, String account, String device, KeyRows.Counter counter) throws SQLException {
        int failures = counter.failures() + 1;
        boolean lockNow = failures >= threshold && !counter.locked();
        rows.writeCounter(c, account, device, counter, failures, counter.locked() || lockNow, true);
        if (lockNow) {
            // Only the attempt that finds the counter unlocked locks the keys and audits it.
            List<KeyRecord> lockedKeys = locker.lockForPin(c, account, device);
            audit.append(c, new AuditEvent("pin-counter", "pin-lock", account, device, null, null,
                    failures + " failed attempts (threshold " + threshold + "); locked keys "
                            + lockedKeys.stream().map(KeyRecord::keyId).toList(), null));
        }
        return new PinCounter(account, device, failures, threshold, counter.locked() || failures >= threshold);
    }

    private PinCounter counter(String account, String device, KeyRows.Counter counter) {
        return new PinCounter(account, device, counter.failures(), threshold, counter.locked());
    }
}
