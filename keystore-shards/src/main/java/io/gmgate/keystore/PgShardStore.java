package io.gmgate.keystore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import io.gmgate.crypto.Sm3;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.twoparty.ServerKeyShare;
import io.gmgate.jdbc.Jdbc;
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

    private static final String KEY_COLUMNS = KeyRows.COLUMNS;
    private static final String KEY_FROM = KeyRows.FROM;
    private static final int MAX_NAME = 128;
    /** The audit action that marks the one-time sealing of rows written before V7. */
    static final String SEAL_UPGRADE = "row-seal-upgrade";
    static final String TAMPER = "row-tamper";

    private final Jdbc db;
    private final ShareSealer sealer;
    private final PgAuditLog audit;
    private final ShardStoreSettings settings;
    private final ShareCache cache;
    private final PgPinOprfKeys oprfKeys;
    private final KeyRows rows;
    private final ReportedJdbc reported;
    private final PgPinCounters pins;

    public PgShardStore(DataSource dataSource, CipherCard card, ShardStoreSettings settings) {
        this(dataSource, card, settings, Clock.systemUTC(), System::nanoTime);
    }

    PgShardStore(DataSource dataSource, CipherCard card, ShardStoreSettings settings, Clock clock, LongSupplier nanoClock) {
        this.settings = settings;
        this.db = PgFailures.jdbc(dataSource, settings.name());
        this.sealer = new ShareSealer(card, settings.kekIndex());
        this.audit = new PgAuditLog(dataSource, card, settings.kekIndex(), clock, settings.name());
        this.cache = settings.cacheEntries() == 0 ? null : new ShareCache(settings.cacheEntries(), settings.cacheTtl(), nanoClock);
        this.oprfKeys = new PgPinOprfKeys(db, sealer, audit);
        this.rows = new KeyRows(new RowSeal(card, settings.kekIndex()), settings.name());
        this.reported = new ReportedJdbc(db, audit, settings.name());
        this.pins = new PgPinCounters(reported, rows, audit, settings.pinLockThreshold(), (c, account, device) -> {
            List<KeyRecord> locked = addOrLift(c, account, device, LockReason.PIN, true, "pin-counter", "PIN counter");
            if (cache != null) {
                locked.forEach(k -> cache.invalidate(k.keyId()));
            }
            return locked;
        });
    }

    /** How many sealed-row mismatches (KEY-130, KEY-131) this store has refused since it started: a metric. */
    public long tamperings() {
        return reported.tamperings();
    }

    /** How many tampering refusals the audit log holds, from every node (V7's partial index keeps this cheap). */
    public long auditedTamperings() {
        return db.read("count tampering refusals", c -> scalar(c, "SELECT count(*) FROM ks_audit WHERE action = ?", TAMPER));
    }

    private <T> T read(String operation, Jdbc.Work<T> work) {
        return reported.read(operation, work);
    }

    private <T> T write(String operation, Jdbc.Work<T> work) {
        return reported.write(operation, work);
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
        return db.read("readiness probe", c -> "database ok, audit chain at #"
                + scalar(c, "SELECT seq FROM ks_audit_head WHERE id = 1"));
    }

    @Override
    public void createAccount(String account, String actor) {
        name("account", account);
        write("create account " + account, c -> {
            update(c, "INSERT INTO ks_accounts (account) VALUES (?)", account);
            audit.append(c, new AuditEvent(actor, "account-create", account, null, null, null, "", null));
            return null;
        });
    }

    @Override
    public void createDevice(String account, String device, String actor) {
        name("account", account);
        name("device", device);
        write("create device " + account + "/" + device, c -> {
            update(c, "INSERT INTO ks_devices (account, device) VALUES (?, ?)", account, device);
            rows.insertCounter(c, account, device);
            audit.append(c, new AuditEvent(actor, "device-create", account, device, null, null, "", null));
            return null;
        });
    }

    @Override
    public KeyRecord storeKey(String account, String device, Purpose purpose, ServerKeyShare share, String actor) {
        name("account", account);
        name("device", device);
        String what = "store " + purpose + " key for " + account + "/" + device;
        return db.tx(what, c -> {
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
            rows.sealInserted(c, KeyRows.raw(c, keyId));
            KeyRecord stored = selectKey(c, keyId, false);
            audit.append(c, AuditEvent.aboutKey(actor, "key-store", stored, "sealed under " + sealed.kek() + row(stored)));
            return stored;
        });
    }

    @Override
    public KeyRecord key(long keyId) {
        return read("read key " + keyId, c -> selectKey(c, keyId, false));
    }

    private static KeystoreException destroyedForBackup(KeyRecord key) {
        return new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "key " + key.keyId() + " is DESTROYED: nothing to back up");
    }

    @Override
    public List<KeyRecord> keysAfter(long afterKeyId, int limit) {
        return read("list keys after " + afterKeyId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS
                    + KEY_FROM + " WHERE k.key_id > ? ORDER BY k.key_id LIMIT ?")) {
                ps.setLong(1, afterKeyId);
                ps.setInt(2, limit);
                List<KeyRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rows.verified(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<KeyRecord> keysForCertificate(String serialHex) {
        return read("keys of certificate " + serialHex, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS
                    + KEY_FROM + " JOIN ks_key_certificates kc ON kc.key_id = k.key_id WHERE kc.serial = ? ORDER BY k.key_id")) {
                ps.setString(1, serialHex.toLowerCase(java.util.Locale.ROOT));
                List<KeyRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rows.verified(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<KeyRecord> keys(String account, String device) {
        return read("list keys of " + account + "/" + device, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS
                    + KEY_FROM + " WHERE k.account = ? AND k.device = ? ORDER BY k.key_id")) {
                ps.setString(1, account);
                ps.setString(2, device);
                List<KeyRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rows.verified(rs));
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
        record Loaded(KeyRecord key, SealedShare sealed) {
        }
        Loaded loaded = read("open share of key " + keyId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS + ", s.kek_index, s.kek_version, "
                    + "s.wrapped_data_key, s.nonce, s.ciphertext" + KEY_FROM + " JOIN ks_shares s ON s.key_id = k.key_id WHERE k.key_id = ?")) {
                ps.setLong(1, keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound("key " + keyId);
                    }
                    KeyRecord key = rows.verified(rs);
                    int at = KeyRows.NEXT;
                    byte[] ciphertext = rs.getBytes(at + 4);
                    SealedShare sealed = ciphertext == null ? null : new SealedShare(new KekId(rs.getInt(at), rs.getInt(at + 1)),
                            rs.getBytes(at + 2), rs.getBytes(at + 3), ciphertext);
                    return new Loaded(key, sealed);
                }
            }
        });
        KeyRecord key = loaded.key();
        if (forUse) {
            requireUsable(key);
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
        KeyRecord changed = write("change key " + keyId + " to " + next, c -> {
            KeyRecord current = selectKey(c, keyId, true);
            if (current.state() == KeyState.DESTROYED) {
                throw destroyed(current);
            }
            if (current.rowVersion() != expectedRowVersion) {
                throw new KeystoreException(KeystoreErrors.CONFLICT, "[KEY " + db.name() + "] key " + keyId + " is at row version "
                        + current.rowVersion() + " (" + current.state() + "), not " + expectedRowVersion + ": re-read it");
            }
            if (!current.state().canBecome(next)) {
                throw new KeystoreException(KeystoreErrors.ILLEGAL_TRANSITION, "[KEY " + db.name() + "] key " + keyId
                        + " cannot go from " + current.state() + " to " + next);
            }
            // An officer's LOCKED is the OPERATOR reason; an officer's unlock lifts OPERATOR and PIN (KEY-108's action)
            // but never the holder's own lock: a key the trader locked stays LOCKED.
            Set<LockReason> reasons = current.lockReasons().isEmpty() ? EnumSet.noneOf(LockReason.class) : EnumSet.copyOf(current.lockReasons());
            KeyState state = next;
            if (next == KeyState.LOCKED) {
                reasons.add(LockReason.OPERATOR);
            } else if (next == KeyState.ACTIVE) {
                reasons.remove(LockReason.OPERATOR);
                if (reasons.remove(LockReason.PIN)) {
                    pins.clear(c, current.account(), current.device());
                }
                state = reasons.isEmpty() ? KeyState.ACTIVE : KeyState.LOCKED;
            }
            KeyRecord after = rows.write(c, current, state, reasons);
            if (next == KeyState.DESTROYED) {
                update(c, "UPDATE ks_shares SET wrapped_data_key = NULL, nonce = NULL, ciphertext = NULL WHERE key_id = ?", keyId);
            }
            audit.append(c, AuditEvent.aboutKey(actor, next == KeyState.DESTROYED ? "key-destroy" : "key-state", after,
                    current.state() + "->" + after.state() + (reason == null || reason.isEmpty() ? "" : ": " + reason) + row(after)));
            return after;
        });
        if (cache != null) {
            cache.invalidate(keyId);
        }
        return changed;
    }

    @Override
    public List<KeyRecord> lock(String account, String device, LockReason reason, String actor, String note) {
        return changeLocks(account, device, reason, true, actor, note);
    }

    @Override
    public List<KeyRecord> unlock(String account, String device, LockReason reason, String actor, String note) {
        return changeLocks(account, device, reason, false, actor, note);
    }

    private List<KeyRecord> changeLocks(String account, String device, LockReason reason, boolean add, String actor, String note) {
        String what = (add ? "lock " : "unlock ") + reason + " of " + account + "/" + device;
        List<KeyRecord> changed = write(what, c -> {
            rows.counter(c, account, device, true); // the counter row's lock orders this against counting; its seal is checked
            if (!add && reason == LockReason.PIN) {
                pins.clear(c, account, device);
            }
            return addOrLift(c, account, device, reason, add, actor, note);
        });
        if (cache != null) {
            changed.forEach(k -> cache.invalidate(k.keyId()));
        }
        return keys(account, device);
    }

    /** Adds or lifts one reason on every live key of the device, each change sealed and audited. */
    private List<KeyRecord> addOrLift(Connection c, String account, String device, LockReason reason, boolean add, String actor,
                                      String note) throws SQLException {
        List<KeyRecord> changed = new ArrayList<>();
        for (KeyRecord k : rows.liveForUpdate(c, account, device)) {
            Set<LockReason> reasons = k.lockReasons().isEmpty() ? EnumSet.noneOf(LockReason.class) : EnumSet.copyOf(k.lockReasons());
            if (add ? !reasons.add(reason) : !reasons.remove(reason)) {
                continue;
            }
            KeyRecord after = rows.write(c, k, reasons.isEmpty() ? KeyState.ACTIVE : KeyState.LOCKED, reasons);
            audit.append(c, AuditEvent.aboutKey(actor, add ? "key-lock" : "key-unlock", after, (add ? "+" : "-") + reason + " -> "
                    + after.state() + (after.lockReasons().isEmpty() ? "" : " " + after.lockReasons())
                    + (note == null || note.isEmpty() ? "" : ": " + note) + row(after)));
            changed.add(after);
        }
        return changed;
    }

    /** The suffix every audit record of a key-row write carries: the scan compares it with the row (RowScan). */
    static String row(KeyRecord k) {
        return " [row " + k.rowVersion() + "]";
    }

    @Override
    public void linkCertificate(long keyId, String issuer, String serial, String actor) {
        name("issuer", issuer);
        name("serial", serial);
        write("link certificate " + serial + " to key " + keyId, c -> {
            KeyRecord key = selectKey(c, keyId, false);
            update(c, "INSERT INTO ks_key_certificates (key_id, issuer, serial) VALUES (?, ?, ?)", keyId, issuer, serial);
            audit.append(c, AuditEvent.aboutKey(actor, "certificate-link", key, issuer + " " + serial));
            return null;
        });
    }

    @Override
    public List<CertificateLink> certificates(long keyId) {
        return read("certificates of key " + keyId, c -> {
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
        return pins.recordFailure(account, device);
    }

    @Override
    public PinAttempt recordPinAttempt(String account, String device, String sessionId, PinAttempt.Kind kind) {
        name("session", sessionId);
        return pins.recordAttempt(account, device, sessionId, kind);
    }

    @Override
    public PinStanding forgivePinAttempts(String account, String device, String sessionId, long upToAttempt) {
        return pins.forgive(account, device, sessionId, upToAttempt);
    }

    @Override
    public org.bouncycastle.math.ec.ECPoint evaluatePinOprf(String account, String device, org.bouncycastle.math.ec.ECPoint blinded,
                                                            String actor) {
        return oprfKeys.evaluate(account, device, blinded, actor);
    }

    @Override
    public List<OpenedPinOprfKey> openPinOprfKeysForBackup(String afterAccount, String afterDevice, int limit) {
        return oprfKeys.openForBackup(afterAccount, afterDevice, limit);
    }

    @Override
    public void restorePinOprfKey(String account, String device, byte[] key, String actor) {
        oprfKeys.restore(account, device, key, actor);
    }

    @Override
    public int pendingPinAttempts(String account, String device, String sessionId) {
        return pins.pending(account, device, sessionId);
    }

    @Override
    public void resetPinFailures(String account, String device) {
        pins.reset(account, device);
    }

    @Override
    public PinCounter pinCounter(String account, String device) {
        return pins.counter(account, device);
    }

    /** Refuses a key that may not be used, naming the strongest reason: OPERATOR, then PIN, then TRADER. */
    private void requireUsable(KeyRecord key) {
        if (key.state() == KeyState.DESTROYED) {
            throw destroyed(key);
        }
        if (!key.state().usable()) {
            String which = "[KEY " + db.name() + "] key " + key.keyId() + " of " + key.account() + "/" + key.device();
            if (key.state() == KeyState.LOCKED && key.lockedFor(LockReason.OPERATOR)) {
                throw new KeystoreException(KeystoreErrors.LOCKED_BY_OPERATOR, which + " is locked by an operator " + key.lockReasons());
            }
            if (key.state() == KeyState.LOCKED && key.lockedFor(LockReason.PIN)) {
                throw new KeystoreException(KeystoreErrors.PIN_LOCKED, which + " is locked after " + settings.pinLockThreshold()
                        + " failed attempts " + key.lockReasons());
            }
            if (key.state() == KeyState.LOCKED && key.lockedFor(LockReason.TRADER)) {
                throw new KeystoreException(KeystoreErrors.LOCKED_BY_HOLDER, which + " is locked by its holder");
            }
            throw new KeystoreException(KeystoreErrors.KEY_NOT_USABLE, which + " is " + key.state());
        }
    }

    private KeyRecord selectKey(Connection c, long keyId, boolean forUpdate) throws SQLException {
        return rows.select(c, keyId, forUpdate);
    }

    /**
     * Seals the rows written before V7, once: at a node's first start after the upgrade (the audit record
     * {@value #SEAL_UPGRADE} marks it done, and after it a missing seal is tampering). It trusts the rows as
     * they are at that moment; see docs/keystore.md. Returns how many rows it sealed, or -1 if already done.
     * The key store's owners (cosign nodes, backup commands) always leave the mark; a gateway node only when it
     * had rows to seal, so it never writes to the audit chain of a site whose cosign nodes have not started yet.
     */
    public long upgradeSeals(String actor) {
        return upgradeSeals(actor, true);
    }

    public long upgradeSeals(String actor, boolean markWhenNothingToSeal) {
        return write("seal rows written before V7", c -> new SealUpgrade(rows.seal()).run(c, actor, audit, markWhenNothingToSeal));
    }

    /** Checks every sealed row, tombstone and audited row version (for gmgate audit verify); findings, empty when all hold. */
    public List<String> scanRows() {
        return db.read("scan sealed rows", c -> new RowScan(rows.seal()).run(c));
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    static long scalar(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private KeystoreException notFound(String what) {
        return new KeystoreException(KeystoreErrors.NOT_FOUND, "[KEY " + db.name() + "] no " + what);
    }

    private KeystoreException destroyed(KeyRecord key) {
        return new KeystoreException(KeystoreErrors.DESTROYED, "[KEY " + db.name() + "] key " + key.keyId() + " of "
                + key.account() + "/" + key.device() + " was destroyed at " + key.destroyedAt());
    }

    private KeystoreException integrity(KeyRecord key, String what) {
        return new KeystoreException(KeystoreErrors.SHARE_INTEGRITY, "[KEY " + db.name() + "] key " + key.keyId() + " of "
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
