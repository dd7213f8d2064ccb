package io.gmgate.keystore;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * Reads and writes the sealed rows of the shard store (V7): key records with their lock reasons, PIN
 * counters and tombstones. Every read that a decision rests on checks the row's {@link RowSeal} and the
 * key's tombstone and throws KEY-130 / KEY-131 on a mismatch; every write seals what it wrote.
 */
final class KeyRows {

    /** Columns of a key read; {@link #FROM} joins the tombstone. */
    static final String COLUMNS = "k.key_id, k.account, k.device, k.purpose, k.key_version, k.public_key, k.state, k.row_version, "
            + "k.created_at, k.destroyed_at, k.lock_reasons, k.seal, t.key_id IS NOT NULL";
    static final String FROM = " FROM ks_keys k LEFT JOIN ks_key_tombstones t ON t.key_id = k.key_id";
    /** The next free column after {@link #COLUMNS}. */
    static final int NEXT = 14;

    /** A device's PIN counter row as stored. */
    record Counter(int failures, boolean locked, long rowVersion) {
    }

    private final RowSeal seal;
    private final String instance;

    KeyRows(RowSeal seal, String instance) {
        this.seal = seal;
        this.instance = instance;
    }

    RowSeal seal() {
        return seal;
    }

    KeyRecord select(Connection c, long keyId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE k.key_id = ?"
                + (forUpdate ? " FOR UPDATE OF k" : ""))) {
            ps.setLong(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new KeystoreException(KeystoreErrors.NOT_FOUND, "[KEY " + instance + "] no key " + keyId);
                }
                return verified(rs);
            }
        }
    }

    /** The row at the cursor, refused unless its seal matches and no tombstone says it was destroyed. */
    KeyRecord verified(ResultSet rs) throws SQLException {
        KeyRecord k = raw(rs);
        if (rs.getBoolean(13) && k.state() != KeyState.DESTROYED) {
            throw new KeystoreException(KeystoreErrors.DESTROYED_KEY_RESTORED, "[KEY " + instance + "] key " + k.keyId() + " of "
                    + k.account() + "/" + k.device() + " v" + k.keyVersion() + " reads " + k.state() + " but its tombstone says it was "
                    + "destroyed: the row was restored from an old copy");
        }
        if (!seal.keyMatches(k, rs.getBytes(12))) {
            throw new KeystoreException(KeystoreErrors.ROW_SEAL_BROKEN, "[KEY " + instance + "] key " + k.keyId() + " of "
                    + k.account() + "/" + k.device() + " (" + k.state() + " " + k.lockReasons() + ", row " + k.rowVersion()
                    + ") does not match its seal: edited outside gmgate");
        }
        return k;
    }

    /** A row as stored, unchecked: for sealing it (a new row, the V7 upgrade) and for the scan that reports mismatches. */
    static KeyRecord raw(Connection c, long keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE k.key_id = ?")) {
            ps.setLong(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return raw(rs);
            }
        }
    }

    static KeyRecord raw(ResultSet rs) throws SQLException {
        OffsetDateTime destroyedAt = rs.getObject(10, OffsetDateTime.class);
        return new KeyRecord(rs.getLong(1), rs.getString(2), rs.getString(3), Purpose.valueOf(rs.getString(4)), rs.getInt(5),
                Sm2PublicKey.decode(rs.getBytes(6)), KeyState.valueOf(rs.getString(7)), rs.getLong(8),
                rs.getObject(9, OffsetDateTime.class).toInstant(), destroyedAt == null ? null : destroyedAt.toInstant(),
                reasons(rs.getArray(11)));
    }

    private static Set<LockReason> reasons(Array array) throws SQLException {
        Set<LockReason> out = EnumSet.noneOf(LockReason.class);
        if (array != null) {
            for (Object o : (Object[]) array.getArray()) {
                out.add(LockReason.valueOf((String) o));
            }
        }
        return out;
    }

    /** Writes a key's new state and lock reasons under the next row version, sealed; returns the row as re-read. */
    KeyRecord write(Connection c, KeyRecord current, KeyState state, Set<LockReason> reasons) throws SQLException {
        KeyRecord next = new KeyRecord(current.keyId(), current.account(), current.device(), current.purpose(), current.keyVersion(),
                current.publicKey(), state, current.rowVersion() + 1, current.createdAt(), current.destroyedAt(), reasons);
        try (PreparedStatement ps = c.prepareStatement("UPDATE ks_keys SET state = ?, lock_reasons = ?, row_version = ?, "
                + "updated_at = now(), destroyed_at = CASE WHEN ? THEN now() END, seal = ? WHERE key_id = ? AND row_version = ?")) {
            ps.setString(1, state.name());
            ps.setArray(2, c.createArrayOf("text", next.lockReasons().stream().map(Enum::name).sorted().toArray()));
            ps.setLong(3, next.rowVersion());
            ps.setBoolean(4, state == KeyState.DESTROYED);
            ps.setBytes(5, seal.key(next));
            ps.setLong(6, current.keyId());
            ps.setLong(7, current.rowVersion());
            if (ps.executeUpdate() != 1) {
                throw new KeystoreException(KeystoreErrors.CONFLICT, "[KEY " + instance + "] key " + current.keyId()
                        + " changed while it was being written");
            }
        }
        if (state == KeyState.DESTROYED) {
            tombstone(c, current);
        }
        return select(c, current.keyId(), false);
    }

    /** Seals a freshly inserted key row (row version 1, ACTIVE, no reasons). */
    void sealInserted(Connection c, KeyRecord inserted) throws SQLException {
        update(c, "UPDATE ks_keys SET seal = ? WHERE key_id = ?", seal.key(inserted), inserted.keyId());
    }

    private void tombstone(Connection c, KeyRecord k) throws SQLException {
        update(c, "INSERT INTO ks_key_tombstones (key_id, account, device, purpose, key_version, seal) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (key_id) DO NOTHING", k.keyId(), k.account(), k.device(), k.purpose().name(), k.keyVersion(),
                seal.tombstone(k.keyId(), k.account(), k.device(), k.purpose().name(), k.keyVersion()));
    }

    /** The live (ACTIVE or LOCKED) keys of a device, locked for update, each checked. */
    List<KeyRecord> liveForUpdate(Connection c, String account, String device) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE k.account = ? AND k.device = ? "
                + "AND k.state IN ('ACTIVE', 'LOCKED') ORDER BY k.key_id FOR UPDATE OF k")) {
            ps.setString(1, account);
            ps.setString(2, device);
            List<KeyRecord> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(verified(rs));
                }
            }
            return out;
        }
    }

    // --- PIN counters ---------------------------------------------------------------------------------

    void insertCounter(Connection c, String account, String device) throws SQLException {
        update(c, "INSERT INTO ks_pin_counters (account, device, failures, row_version, seal) VALUES (?, ?, 0, 1, ?)",
                account, device, seal.counter(account, device, 0, false, 1));
    }

    /**
     * A device's counter, checked against its seal. Every device has one from its creation (or from the
     * seal upgrade), so a missing row is a deleted one: KEY-130. An unknown device is KEY-102.
     */
    Counter counter(Connection c, String account, String device, boolean forUpdate) throws SQLException {
        // FOR UPDATE on the counter row itself: after waiting for another writer, READ COMMITTED re-reads this row.
        try (PreparedStatement ps = c.prepareStatement("SELECT failures, locked_at IS NOT NULL, row_version, seal FROM ks_pin_counters "
                + "WHERE account = ? AND device = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, account);
            ps.setString(2, device);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return checked(rs, account, device);
                }
            }
        }
        throw missingCounter(c, account, device);
    }

    /** The newest PIN try of a session that an unforgiven evaluation of the same session covers, or 0. */
    private static final String COVERING = "(SELECT coalesce(max(a.attempt_id), 0) FROM ks_pin_attempts a WHERE a.account = p.account "
            + "AND a.device = p.device AND a.session_id = ? AND EXISTS (SELECT 1 FROM ks_pin_attempts e WHERE e.account = a.account "
            + "AND e.device = a.device AND e.session_id = a.session_id AND e.kind = 'EVALUATE'))";

    /** A locked, checked counter and the try of this session that already covers a co-signing round (0: none). */
    record ForSign(Counter counter, long covering) {
    }

    /**
     * The counter locked and checked as {@link #counter}, and in the same round trip the session's
     * covering try (see PgShardStore.recordPinAttempt): the co-signing hot path's first statement.
     */
    ForSign counterForSign(Connection c, String account, String device, String sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT p.failures, p.locked_at IS NOT NULL, p.row_version, p.seal, " + COVERING
                + " FROM ks_pin_counters p WHERE p.account = ? AND p.device = ? FOR UPDATE OF p")) {
            ps.setString(1, sessionId);
            ps.setString(2, account);
            ps.setString(3, device);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new ForSign(checked(rs, account, device), rs.getLong(5));
                }
            }
        }
        throw missingCounter(c, account, device);
    }

    private Counter checked(ResultSet rs, String account, String device) throws SQLException {
        Counter counter = new Counter(rs.getInt(1), rs.getBoolean(2), rs.getLong(3));
        if (!seal.counterMatches(account, device, counter.failures(), counter.locked(), counter.rowVersion(), rs.getBytes(4))) {
            throw new KeystoreException(KeystoreErrors.ROW_SEAL_BROKEN, "[KEY " + instance + "] the PIN counter of "
                    + account + "/" + device + " (" + counter.failures() + " failures, " + (counter.locked() ? "locked" : "not locked")
                    + ", row " + counter.rowVersion() + ") does not match its seal: edited outside gmgate");
        }
        return counter;
    }

    private KeystoreException missingCounter(Connection c, String account, String device) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ks_devices WHERE account = ? AND device = ?")) {
            ps.setString(1, account);
            ps.setString(2, device);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new KeystoreException(KeystoreErrors.NOT_FOUND, "[KEY " + instance + "] no device " + account + "/" + device);
                }
            }
        }
        return new KeystoreException(KeystoreErrors.ROW_SEAL_BROKEN, "[KEY " + instance + "] the PIN counter of "
                + account + "/" + device + " is missing: deleted outside gmgate");
    }

    /** Writes the counter as the next row version, sealed. */
    Counter writeCounter(Connection c, String account, String device, Counter current, int failures, boolean locked,
                         boolean failedNow) throws SQLException {
        Counter next = new Counter(failures, locked, current.rowVersion() + 1);
        update(c, "UPDATE ks_pin_counters SET failures = ?, locked_at = CASE WHEN ? THEN coalesce(locked_at, now()) END, "
                + "last_failure_at = CASE WHEN ? THEN now() ELSE last_failure_at END, row_version = ?, seal = ? "
                + "WHERE account = ? AND device = ?", failures, locked, failedNow, next.rowVersion(),
                seal.counter(account, device, failures, locked, next.rowVersion()), account, device);
        return next;
    }

    /**
     * One more failure on an unlocked counter that stays below the threshold, and the try recorded for
     * a later confirmation to forgive, in one statement: the counter row is written sealed as the next
     * row version and the try's id is returned. The caller holds the row's lock ({@link #counterForSign}).
     */
    long countTry(Connection c, String account, String device, Counter current, String sessionId, String kind) throws SQLException {
        int failures = current.failures() + 1;
        long version = current.rowVersion() + 1;
        try (PreparedStatement ps = c.prepareStatement("WITH counted AS (UPDATE ks_pin_counters SET failures = ?, locked_at = NULL, "
                + "last_failure_at = now(), row_version = ?, seal = ? WHERE account = ? AND device = ? AND row_version = ? "
                + "AND locked_at IS NULL RETURNING account) INSERT INTO ks_pin_attempts (account, device, session_id, kind) "
                + "SELECT ?, ?, ?, ? FROM counted RETURNING attempt_id")) {
            ps.setInt(1, failures);
            ps.setLong(2, version);
            ps.setBytes(3, seal.counter(account, device, failures, false, version));
            ps.setString(4, account);
            ps.setString(5, device);
            ps.setLong(6, current.rowVersion());
            ps.setString(7, account);
            ps.setString(8, device);
            ps.setString(9, sessionId);
            ps.setString(10, kind);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    // the caller holds the row lock, so only an edit outside gmgate gets here
                    throw new KeystoreException(KeystoreErrors.ROW_SEAL_BROKEN, "[KEY " + instance + "] the PIN counter of "
                            + account + "/" + device + " changed under its row lock (row " + current.rowVersion() + ")");
                }
                return rs.getLong(1);
            }
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
