package io.gmgate.keystore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm3;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * The shard store in PostgreSQL (V1..V6, V10): plain JDBC over a pooled {@link DataSource}, one short
 * READ COMMITTED transaction per operation, audited changes appended to the chain in the same
 * transaction. Shares are sealed by {@link ShareSealer}; plaintext shares and data keys are zeroed
 * as soon as they are used.
 *
 * <p>Destruction sets the sealed columns to NULL. PostgreSQL keeps the superseded row version until
 * VACUUM removes it (and WAL archives keep it longer); it holds only ciphertext whose data key the
 * card's KEK wraps, so rotating the KEK and retiring the old version afterwards finishes the job.
 */
public final class PgShardStore implements ShardStore {

    private static final String KEY_COLUMNS = "k.key_id, k.account, k.device, k.purpose, k.key_version, k.public_key, "
            + "k.state, k.row_version, k.created_at, k.destroyed_at";
    private static final int MAX_NAME = 128;

    private final PgTransactions tx;
    private final ShareSealer sealer;
    private final PgAuditLog audit;
    private final ShardStoreSettings settings;
    private final ShareCache cache;
    private final PgPinOprfKeys oprfKeys;

    public PgShardStore(DataSource dataSource, CipherCard card, ShardStoreSettings settings) {
        this(dataSource, card, settings, Clock.systemUTC(), System::nanoTime);
    }

    PgShardStore(DataSource dataSource, CipherCard card, ShardStoreSettings settings, Clock clock, LongSupplier nanoClock) {
        this.settings = settings;
        this.tx = new PgTransactions(dataSource, settings.name());
        this.sealer = new ShareSealer(card, settings.kekIndex());
        this.audit = new PgAuditLog(dataSource, card, settings.kekIndex(), clock, settings.name());
        this.cache = settings.cacheEntries() == 0 ? null : new ShareCache(settings.cacheEntries(), settings.cacheTtl(), nanoClock);
        this.oprfKeys = new PgPinOprfKeys(tx, sealer, audit);
    }

    /** The audit chain this store appends to. */
    public AuditLog audit() {
        return audit;
    }

    public ShardStoreSettings settings() {
        return settings;
    }

    /**
     * A cheap readiness probe (design §9): one round trip that also proves the schema is there.
     * Returns a one-line detail, or throws KEY-101 (database down) / KEY-110 (schema missing).
     */
    public String probe() {
        return tx.read("readiness probe", c -> "database ok, audit chain at #"
                + scalar(c, "SELECT seq FROM ks_audit_head WHERE id = 1"));
    }

    @Override
    public void createAccount(String account, String actor) {
        name("account", account);
        tx.inTransaction("create account " + account, c -> {
            update(c, "INSERT INTO ks_accounts (account) VALUES (?)", account);
            audit.append(c, new AuditEvent(actor, "account-create", account, null, null, null, "", null));
            return null;
        });
    }

    @Override
    public void createDevice(String account, String device, String actor) {
        name("account", account);
        name("device", device);
        tx.inTransaction("create device " + account + "/" + device, c -> {
            update(c, "INSERT INTO ks_devices (account, device) VALUES (?, ?)", account, device);
            audit.append(c, new AuditEvent(actor, "device-create", account, device, null, null, "", null));
            return null;
        });
    }

    @Override
    public KeyRecord storeKey(String account, String device, Purpose purpose, ServerKeyShare share, String actor) {
        name("account", account);
        name("device", device);
        String what = "store " + purpose + " key for " + account + "/" + device;
        return tx.inTransaction(what, c -> {
            // One writer per device at a time, so the next key version is computed without a race.
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM ks_devices WHERE account = ? AND device = ? FOR NO KEY UPDATE")) {
                ps.setString(1, account);
                ps.setString(2, device);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound("device " + account + "/" + device);
                    }
                }
            }
            int keyVersion = (int) scalar(c, "SELECT coalesce(max(key_version), 0) + 1 FROM ks_keys "
                    + "WHERE account = ? AND device = ? AND purpose = ?", account, device, purpose.name());
            long keyId = scalar(c, "SELECT nextval(pg_get_serial_sequence('ks_keys', 'key_id'))");
            ShareBinding binding = new ShareBinding(account, device, keyId, purpose, keyVersion);
            SealedShare sealed;
            byte[] plain = share.toBytes();
            try {
                sealed = sealer.seal(binding, plain);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
            update(c, "INSERT INTO ks_keys (key_id, account, device, purpose, key_version, public_key) VALUES (?, ?, ?, ?, ?, ?)",
                    keyId, account, device, purpose.name(), keyVersion, share.jointKey().encoded());
            update(c, "INSERT INTO ks_shares (key_id, kek_index, kek_version, wrapped_data_key, nonce, ciphertext) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", keyId, sealed.kek().index(), sealed.kek().version(),
                    sealed.wrappedDataKey(), sealed.nonce(), sealed.ciphertext());
            KeyRecord stored = selectKey(c, keyId, false);
            audit.append(c, AuditEvent.aboutKey(actor, "key-store", stored, "sealed under " + sealed.kek()));
            return stored;
        });
    }

    @Override
    public KeyRecord key(long keyId) {
        return tx.read("read key " + keyId, c -> selectKey(c, keyId, false));
    }

    private static KeystoreException destroyedForBackup(KeyRecord key) {
        return new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "key " + key.keyId() + " is DESTROYED: nothing to back up");
    }

    @Override
    public List<KeyRecord> keysAfter(long afterKeyId, int limit) {
        return tx.read("list keys after " + afterKeyId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS
                    + " FROM ks_keys k WHERE k.key_id > ? ORDER BY k.key_id LIMIT ?")) {
                ps.setLong(1, afterKeyId);
                ps.setInt(2, limit);
                List<KeyRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(keyRow(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<KeyRecord> keysForCertificate(String serialHex) {
        return tx.read("keys of certificate " + serialHex, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS
                    + " FROM ks_keys k JOIN ks_key_certificates kc ON kc.key_id = k.key_id WHERE kc.serial = ? ORDER BY k.key_id")) {
                ps.setString(1, serialHex.toLowerCase(java.util.Locale.ROOT));
                List<KeyRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(keyRow(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<KeyRecord> keys(String account, String device) {
        return tx.read("list keys of " + account + "/" + device, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS
                    + " FROM ks_keys k WHERE k.account = ? AND k.device = ? ORDER BY k.key_id")) {
                ps.setString(1, account);
                ps.setString(2, device);
                List<KeyRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(keyRow(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public OpenedShare openShare(long keyId) {
        return openShare(keyId, true);
    }

    @Override
    public OpenedShare openShareForBackup(long keyId) {
        return openShare(keyId, false);
    }

    private OpenedShare openShare(long keyId, boolean forUse) {
        record Loaded(KeyRecord key, SealedShare sealed, boolean pinLocked) {
        }
        Loaded loaded = tx.read("open share of key " + keyId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS + ", s.kek_index, s.kek_version, "
                    + "s.wrapped_data_key, s.nonce, s.ciphertext, p.locked_at IS NOT NULL "
                    + "FROM ks_keys k JOIN ks_shares s ON s.key_id = k.key_id "
                    + "LEFT JOIN ks_pin_counters p ON p.account = k.account AND p.device = k.device WHERE k.key_id = ?")) {
                ps.setLong(1, keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound("key " + keyId);
                    }
                    KeyRecord key = keyRow(rs);
                    byte[] ciphertext = rs.getBytes(15);
                    SealedShare sealed = ciphertext == null ? null : new SealedShare(new KekId(rs.getInt(11), rs.getInt(12)),
                            rs.getBytes(13), rs.getBytes(14), ciphertext);
                    return new Loaded(key, sealed, rs.getBoolean(16));
                }
            }
        });
        KeyRecord key = loaded.key();
        if (forUse) {
            requireUsable(key, loaded.pinLocked());
        } else if (key.state() == KeyState.DESTROYED) {
            throw destroyedForBackup(key);
        }
        if (loaded.sealed() == null) {
            throw integrity(key, "its share is missing although the key is not DESTROYED");
        }
        byte[] plain = open(key, loaded.sealed());
        try {
            ServerKeyShare share = ServerKeyShare.fromBytes(plain);
            if (!share.jointKey().equals(key.publicKey())) {
                share.destroy();
                throw integrity(key, "its share belongs to another public key than the record's");
            }
            return new OpenedShare(key, share);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private byte[] open(KeyRecord key, SealedShare sealed) {
        if (cache == null) {
            return sealer.open(key.binding(), sealed);
        }
        byte[] fingerprint = Sm3.digest(key.binding().associatedData(), sealed.wrappedDataKey(), sealed.nonce(), sealed.ciphertext());
        byte[] hit = cache.get(key.keyId(), fingerprint);
        if (hit != null) {
            return hit;
        }
        byte[] plain = sealer.open(key.binding(), sealed);
        cache.put(key.keyId(), fingerprint, plain.clone());
        return plain;
    }

    @Override
    public KeyRecord changeState(long keyId, long expectedRowVersion, KeyState next, String actor, String reason) {
        return transition(keyId, expectedRowVersion, next, actor, reason);
    }

    @Override
    public KeyRecord destroy(long keyId, long expectedRowVersion, String actor, String reason) {
        return transition(keyId, expectedRowVersion, KeyState.DESTROYED, actor, reason);
    }

    private KeyRecord transition(long keyId, long expectedRowVersion, KeyState next, String actor, String reason) {
        KeyRecord changed = tx.inTransaction("change key " + keyId + " to " + next, c -> {
            KeyRecord current = selectKey(c, keyId, true);
            if (current.state() == KeyState.DESTROYED) {
                throw destroyed(current);
            }
            if (current.rowVersion() != expectedRowVersion) {
                throw new KeystoreException(KeystoreErrors.CONFLICT, "[KEY " + tx.instance() + "] key " + keyId + " is at row version "
                        + current.rowVersion() + " (" + current.state() + "), not " + expectedRowVersion + ": re-read it");
            }
            if (!current.state().canBecome(next)) {
                throw new KeystoreException(KeystoreErrors.ILLEGAL_TRANSITION, "[KEY " + tx.instance() + "] key " + keyId
                        + " cannot go from " + current.state() + " to " + next);
            }
            update(c, "UPDATE ks_keys SET state = ?, row_version = row_version + 1, updated_at = now(), "
                    + "destroyed_at = CASE WHEN ? THEN now() END WHERE key_id = ?", next.name(), next == KeyState.DESTROYED, keyId);
            if (next == KeyState.DESTROYED) {
                update(c, "UPDATE ks_shares SET wrapped_data_key = NULL, nonce = NULL, ciphertext = NULL WHERE key_id = ?", keyId);
            }
            if (current.state() == KeyState.LOCKED && next == KeyState.ACTIVE) {
                update(c, "UPDATE ks_pin_counters SET failures = 0, locked_at = NULL WHERE account = ? AND device = ?",
                        current.account(), current.device());
                update(c, "DELETE FROM ks_pin_attempts WHERE account = ? AND device = ?", current.account(), current.device());
            }
            KeyRecord after = selectKey(c, keyId, false);
            audit.append(c, AuditEvent.aboutKey(actor, next == KeyState.DESTROYED ? "key-destroy" : "key-state",
                    after, current.state() + "->" + next + (reason == null || reason.isEmpty() ? "" : ": " + reason)));
            return after;
        });
        if (cache != null) {
            cache.invalidate(keyId);
        }
        return changed;
    }

    @Override
    public void linkCertificate(long keyId, String issuer, String serial, String actor) {
        name("issuer", issuer);
        name("serial", serial);
        tx.inTransaction("link certificate " + serial + " to key " + keyId, c -> {
            KeyRecord key = selectKey(c, keyId, false);
            update(c, "INSERT INTO ks_key_certificates (key_id, issuer, serial) VALUES (?, ?, ?)", keyId, issuer, serial);
            audit.append(c, AuditEvent.aboutKey(actor, "certificate-link", key, issuer + " " + serial));
            return null;
        });
    }

    @Override
    public List<CertificateLink> certificates(long keyId) {
        return tx.read("certificates of key " + keyId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT issuer, serial, linked_at FROM ks_key_certificates WHERE key_id = ? ORDER BY linked_at, serial")) {
                ps.setLong(1, keyId);
                List<CertificateLink> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new CertificateLink(keyId, rs.getString(1), rs.getString(2),
                                rs.getObject(3, OffsetDateTime.class).toInstant()));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public PinCounter recordPinFailure(String account, String device) {
        return tx.inTransaction("count PIN failure of " + account + "/" + device, c -> countFailure(c, account, device));
    }

    @Override
    public PinAttempt recordPinAttempt(String account, String device, String sessionId, PinAttempt.Kind kind) {
        name("session", sessionId);
        return tx.inTransaction("count PIN " + kind + " of " + account + "/" + device, c -> {
            if (kind == PinAttempt.Kind.SIGN) {
                // A co-signing round with the share that this session's unforgiven evaluation gave tests
                // no new PIN: that guess was counted by the evaluation (design §11). Lock the row first.
                long covering = scalar(c, "SELECT coalesce(max(a.attempt_id), 0) FROM ks_pin_attempts a WHERE a.account = ? "
                        + "AND a.device = ? AND a.session_id = ? AND EXISTS (SELECT 1 FROM ks_pin_attempts e WHERE e.account = a.account "
                        + "AND e.device = a.device AND e.session_id = a.session_id AND e.kind = 'EVALUATE')", account, device, sessionId);
                if (covering > 0) {
                    PinCounter now = counterRow(c, account, device);
                    if (!now.locked()) {
                        return new PinAttempt(covering, now);
                    }
                }
            }
            PinCounter counter = countFailure(c, account, device);
            long id = 0;
            if (!counter.locked()) {
                id = scalar(c, "INSERT INTO ks_pin_attempts (account, device, session_id, kind) VALUES (?, ?, ?, ?) "
                        + "RETURNING attempt_id", account, device, sessionId, kind.name());
            }
            return new PinAttempt(id, counter);
        });
    }

    @Override
    public PinCounter forgivePinAttempts(String account, String device, long upToAttempt) {
        return tx.inTransaction("forgive PIN tries of " + account + "/" + device, c -> {
            // The counter row's lock first: a concurrent failure is counted before or after, never lost.
            boolean locked;
            try (PreparedStatement ps = c.prepareStatement("SELECT locked_at IS NOT NULL FROM ks_pin_counters "
                    + "WHERE account = ? AND device = ? FOR UPDATE")) {
                ps.setString(1, account);
                ps.setString(2, device);
                try (ResultSet rs = ps.executeQuery()) {
                    locked = rs.next() && rs.getBoolean(1);
                }
            }
            if (!locked) {
                int forgiven = update(c, "DELETE FROM ks_pin_attempts WHERE account = ? AND device = ? AND attempt_id <= ?",
                        account, device, upToAttempt);
                if (forgiven > 0) {
                    update(c, "UPDATE ks_pin_counters SET failures = greatest(failures - ?, 0) WHERE account = ? AND device = ? "
                            + "AND locked_at IS NULL", forgiven, account, device);
                }
            }
            return counterRow(c, account, device);
        });
    }

    @Override
    public org.bouncycastle.math.ec.ECPoint evaluatePinOprf(String account, String device, org.bouncycastle.math.ec.ECPoint blinded,
                                                            String actor) {
        return oprfKeys.evaluate(account, device, blinded, actor);
    }

    @Override
    public int pendingPinAttempts(String account, String device, String sessionId) {
        return tx.read("pending PIN tries of " + account + "/" + device, c -> (int) scalar(c, "SELECT count(*) FROM ks_pin_attempts "
                + "WHERE account = ? AND device = ? AND session_id = ?", account, device, sessionId));
    }

    private PinCounter countFailure(Connection c, String account, String device) throws SQLException {
        int threshold = settings.pinLockThreshold();
        int failures;
        // The upsert takes the counter row's lock: concurrent failures are counted one by one.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ks_pin_counters (account, device, failures, last_failure_at) "
                + "VALUES (?, ?, 1, now()) ON CONFLICT (account, device) DO UPDATE "
                + "SET failures = ks_pin_counters.failures + 1, last_failure_at = now() RETURNING failures")) {
            ps.setString(1, account);
            ps.setString(2, device);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                failures = rs.getInt(1);
            }
        }
        boolean locked = false;
        if (failures >= threshold) {
            // Only the attempt that finds the counter unlocked locks the keys and audits it.
            boolean lockedNow = update(c, "UPDATE ks_pin_counters SET locked_at = now() "
                    + "WHERE account = ? AND device = ? AND locked_at IS NULL", account, device) == 1;
            locked = true;
            if (lockedNow) {
                List<Long> keys = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("UPDATE ks_keys SET state = 'LOCKED', row_version = row_version + 1, "
                        + "updated_at = now() WHERE account = ? AND device = ? AND state = 'ACTIVE' RETURNING key_id")) {
                    ps.setString(1, account);
                    ps.setString(2, device);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            keys.add(rs.getLong(1));
                        }
                    }
                }
                keys.forEach(id -> {
                    if (cache != null) {
                        cache.invalidate(id);
                    }
                });
                audit.append(c, new AuditEvent("pin-counter", "pin-lock", account, device, null, null,
                        failures + " failed attempts (threshold " + threshold + "); locked keys " + keys, null));
            }
        }
        return new PinCounter(account, device, failures, threshold, locked);
    }

    @Override
    public void resetPinFailures(String account, String device) {
        tx.inTransaction("reset PIN failures of " + account + "/" + device, c -> {
            if (update(c, "UPDATE ks_pin_counters SET failures = 0 WHERE account = ? AND device = ? AND locked_at IS NULL",
                    account, device) == 1) {
                update(c, "DELETE FROM ks_pin_attempts WHERE account = ? AND device = ?", account, device);
            }
            return null;
        });
    }

    @Override
    public PinCounter pinCounter(String account, String device) {
        return tx.read("read PIN counter of " + account + "/" + device, c -> counterRow(c, account, device));
    }

    private PinCounter counterRow(Connection c, String account, String device) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(p.failures, 0), p.locked_at IS NOT NULL FROM ks_devices d "
                + "LEFT JOIN ks_pin_counters p ON p.account = d.account AND p.device = d.device WHERE d.account = ? AND d.device = ?")) {
            ps.setString(1, account);
            ps.setString(2, device);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw notFound("device " + account + "/" + device);
                }
                return new PinCounter(account, device, rs.getInt(1), settings.pinLockThreshold(), rs.getBoolean(2));
            }
        }
    }

    private void requireUsable(KeyRecord key, boolean pinLocked) {
        if (key.state() == KeyState.DESTROYED) {
            throw destroyed(key);
        }
        if (!key.state().usable()) {
            if (key.state() == KeyState.LOCKED && pinLocked) {
                throw new KeystoreException(KeystoreErrors.PIN_LOCKED, "[KEY " + tx.instance() + "] key " + key.keyId() + " of "
                        + key.account() + "/" + key.device() + " is locked after " + settings.pinLockThreshold() + " failed attempts");
            }
            throw new KeystoreException(KeystoreErrors.KEY_NOT_USABLE, "[KEY " + tx.instance() + "] key " + key.keyId() + " of "
                    + key.account() + "/" + key.device() + " is " + key.state());
        }
    }

    private KeyRecord selectKey(Connection c, long keyId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM ks_keys k WHERE k.key_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setLong(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw notFound("key " + keyId);
                }
                return keyRow(rs);
            }
        }
    }

    private static KeyRecord keyRow(ResultSet rs) throws SQLException {
        OffsetDateTime destroyedAt = rs.getObject(10, OffsetDateTime.class);
        return new KeyRecord(rs.getLong(1), rs.getString(2), rs.getString(3), Purpose.valueOf(rs.getString(4)), rs.getInt(5),
                Sm2PublicKey.decode(rs.getBytes(6)), KeyState.valueOf(rs.getString(7)), rs.getLong(8),
                rs.getObject(9, OffsetDateTime.class).toInstant(), destroyedAt == null ? null : destroyedAt.toInstant());
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private static long scalar(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private KeystoreException notFound(String what) {
        return new KeystoreException(KeystoreErrors.NOT_FOUND, "[KEY " + tx.instance() + "] no " + what);
    }

    private KeystoreException destroyed(KeyRecord key) {
        return new KeystoreException(KeystoreErrors.DESTROYED, "[KEY " + tx.instance() + "] key " + key.keyId() + " of "
                + key.account() + "/" + key.device() + " was destroyed at " + key.destroyedAt());
    }

    private KeystoreException integrity(KeyRecord key, String what) {
        return new KeystoreException(KeystoreErrors.SHARE_INTEGRITY, "[KEY " + tx.instance() + "] key " + key.keyId() + " of "
                + key.account() + "/" + key.device() + ": " + what);
    }

    private static void name(String field, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_NAME) {
            throw new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "[KEY shard-store] " + field + " must be 1-" + MAX_NAME
                    + " characters" + (value == null ? " (was null)" : " (was " + value.length() + ")"));
        }
    }

    @Override
    public String toString() {
        return "PgShardStore[" + settings.name() + ", kek index " + settings.kekIndex() + ", cache "
                + (cache == null ? "off" : cache) + "]";
    }
}
