package io.gmgate.keystore;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.KekId;
import io.gmgate.jdbc.Jdbc;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * Online KEK rotation (docs/keystore.md): after {@code card.rotateKek(index)} made a new KEK version current,
 * this job re-wraps every data key still under an older version — server shares, then the PIN OPRF
 * keys — in small transactions that lock only
 * their own batch ({@code FOR UPDATE SKIP LOCKED}), so share reads — which never lock — and other
 * writes go on throughout. Several nodes may run it at once; each takes rows the others have not.
 *
 * <p>It is idempotent by the {@code kek_version} column: a stopped or crashed run is resumed by running
 * again, and it only ever selects rows below the target version, so a second rotation during a run
 * cannot make it loop. A row whose data key no longer verifies (tampering, KEY-100) is left as it is
 * and reported in {@link Progress#failedKeyIds()}; the old KEK version must stay in the card until
 * {@link Progress#remaining()} is zero.
 */
public final class KekRotation {

    /**
     * @param target     the KEK version rows are moved to
     * @param done       sealed shares at (or above) the target version
     * @param remaining  sealed shares still under an older version
     * @param rewrapped  rows this job instance has re-wrapped so far
     */
    public record Progress(KekId target, long done, long remaining, long rewrapped, List<Long> failedKeyIds) {

        public Progress {
            failedKeyIds = List.copyOf(failedKeyIds);
        }

        public boolean finished() {
            return remaining == 0;
        }
    }

    private static final int MAX_IDLE_ROUNDS = 50;

    private final Jdbc db;
    private final CipherCard card;
    private final ShareSealer sealer;
    private final PgAuditLog audit;
    private final int kekIndex;
    private final int batchSize;
    private final Duration idlePause;
    private final AtomicLong rewrapped = new AtomicLong();
    private final Set<Long> failed = new ConcurrentSkipListSet<>();
    private final Set<String> failedPinKeys = new ConcurrentSkipListSet<>();
    private volatile boolean stopRequested;

    public KekRotation(DataSource dataSource, CipherCard card, ShardStoreSettings settings, int batchSize) {
        this(dataSource, card, settings, batchSize, Duration.ofMillis(200));
    }

    KekRotation(DataSource dataSource, CipherCard card, ShardStoreSettings settings, int batchSize, Duration idlePause) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "[KEY " + settings.name() + "] rotation batch size must be 1..10000, was " + batchSize);
        }
        this.db = PgFailures.jdbc(dataSource, settings.name() + " kek-rotation");
        this.card = card;
        this.sealer = new ShareSealer(card, settings.kekIndex());
        this.audit = new PgAuditLog(dataSource, card, settings.kekIndex(), java.time.Clock.systemUTC(), settings.name());
        this.kekIndex = settings.kekIndex();
        this.batchSize = batchSize;
        this.idlePause = idlePause;
    }

    /** The card's current KEK version for the store's index: what rows are moved to. */
    public KekId target() {
        return card.currentKek(kekIndex);
    }

    /** How far rotation to the current KEK version has come; cheap enough to poll. */
    public Progress progress() {
        KekId target = target();
        return db.read("rotation progress", c -> {
            // The PIN OPRF keys (V11) are sealed the same way and count alike: the old KEK version must stay until both are moved.
            try (PreparedStatement ps = c.prepareStatement("SELECT sum(d), sum(r) FROM ("
                    + "SELECT count(*) FILTER (WHERE kek_version >= ?) d, count(*) FILTER (WHERE kek_version < ?) r FROM ks_shares "
                    + "WHERE kek_index = ? AND ciphertext IS NOT NULL UNION ALL "
                    + "SELECT count(*) FILTER (WHERE kek_version >= ?), count(*) FILTER (WHERE kek_version < ?) FROM ks_pin_oprf_keys "
                    + "WHERE kek_index = ?) t")) {
                ps.setInt(1, target.version());
                ps.setInt(2, target.version());
                ps.setInt(3, kekIndex);
                ps.setInt(4, target.version());
                ps.setInt(5, target.version());
                ps.setInt(6, kekIndex);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Progress(target, rs.getLong(1), rs.getLong(2), rewrapped.get(), new ArrayList<>(failed));
                }
            }
        });
    }

    /** Asks a running {@link #run()} to stop after its current batch. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Re-wraps batches until no row below the target remains (or only rows that failed, or rows locked
     * elsewhere for too long). Throws KEY-112 when stopped or interrupted before the end; run again to resume.
     */
    public Progress run() {
        KekId target = target();
        int idle = 0;
        while (!stopRequested && !Thread.currentThread().isInterrupted()) {
            if (runBatch(target) > 0) {
                idle = 0;
                continue;
            }
            Progress p = progress();
            if (p.remaining() <= failed.size() + failedPinKeys.size()) {
                audit.append(new AuditEvent("kek-rotation", "kek-rotate", null, null, null, null, "re-wrapped " + p.rewrapped()
                        + " data keys to " + target + (failed.isEmpty() && failedPinKeys.isEmpty() ? "" : "; refused (KEY-100): " + failed
                        + " " + failedPinKeys), null));
                return p;
            }
            // rows remain but another node's batch (or a destroy) holds them: wait and look again
            if (++idle > MAX_IDLE_ROUNDS) {
                throw incomplete(p, "rows stayed locked by other transactions");
            }
            try {
                Thread.sleep(idlePause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw incomplete(progress(), stopRequested ? "stopped on request" : "interrupted");
    }

    /** One transaction: up to batchSize rows below the target, skipping rows others hold. Returns rows re-wrapped. */
    public int runBatch() {
        return runBatch(target());
    }

    private int runBatch(KekId target) {
        int shares = runShareBatch(target);
        return shares > 0 ? shares : runPinKeyBatch(target);
    }

    /** The PIN OPRF keys below the target, once no share is left to move. */
    private int runPinKeyBatch(KekId target) {
        record Row(String account, String device, SealedShare sealed) {
        }
        int done = db.tx("re-wrap PIN OPRF keys to " + target, c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT account, device, kek_version, wrapped_data_key, nonce, ciphertext "
                    + "FROM ks_pin_oprf_keys WHERE kek_index = ? AND kek_version < ? AND account || '/' || device <> ALL (?) "
                    + "ORDER BY account, device LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setInt(1, kekIndex);
                ps.setInt(2, target.version());
                Array skip = c.createArrayOf("text", failedPinKeys.toArray());
                ps.setArray(3, skip);
                ps.setInt(4, batchSize);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getString(1), rs.getString(2), new SealedShare(new KekId(kekIndex, rs.getInt(3)),
                                rs.getBytes(4), rs.getBytes(5), rs.getBytes(6))));
                    }
                }
                skip.free();
            }
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("UPDATE ks_pin_oprf_keys SET kek_version = ?, wrapped_data_key = ? "
                    + "WHERE account = ? AND device = ? AND kek_version = ?")) {
                for (Row r : rows) {
                    SealedShare moved;
                    try {
                        moved = sealer.rewrap(r.sealed(), "PIN OPRF key of " + r.account() + "/" + r.device());
                    } catch (KeystoreException e) {
                        if (e.errorCode() != KeystoreErrors.SHARE_INTEGRITY) {
                            throw e;
                        }
                        failedPinKeys.add(r.account() + "/" + r.device());
                        continue;
                    }
                    ps.setInt(1, moved.kek().version());
                    ps.setBytes(2, moved.wrappedDataKey());
                    ps.setString(3, r.account());
                    ps.setString(4, r.device());
                    ps.setInt(5, r.sealed().kek().version());
                    ps.addBatch();
                    n++;
                }
                if (n > 0) {
                    ps.executeBatch();
                }
            }
            return n;
        });
        rewrapped.addAndGet(done);
        return done;
    }

    private int runShareBatch(KekId target) {
        record Row(ShareBinding binding, SealedShare sealed) {
        }
        int done = db.tx("re-wrap batch to " + target, c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.key_id, k.account, k.device, k.purpose, k.key_version, "
                    + "s.kek_version, s.wrapped_data_key, s.nonce, s.ciphertext FROM ks_shares s JOIN ks_keys k ON k.key_id = s.key_id "
                    + "WHERE s.kek_index = ? AND s.kek_version < ? AND s.ciphertext IS NOT NULL AND s.key_id <> ALL (?) "
                    + "ORDER BY s.key_id LIMIT ? FOR UPDATE OF s SKIP LOCKED")) {
                ps.setInt(1, kekIndex);
                ps.setInt(2, target.version());
                Array skip = c.createArrayOf("bigint", failed.toArray());
                ps.setArray(3, skip);
                ps.setInt(4, batchSize);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ShareBinding b = new ShareBinding(rs.getString(2), rs.getString(3), rs.getLong(1),
                                Purpose.valueOf(rs.getString(4)), rs.getInt(5));
                        rows.add(new Row(b, new SealedShare(new KekId(kekIndex, rs.getInt(6)), rs.getBytes(7), rs.getBytes(8), rs.getBytes(9))));
                    }
                }
                skip.free();
            }
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE ks_shares SET kek_version = ?, wrapped_data_key = ? WHERE key_id = ? AND kek_version = ?")) {
                for (Row r : rows) {
                    SealedShare moved;
                    try {
                        moved = sealer.rewrap(r.binding(), r.sealed());
                    } catch (KeystoreException e) {
                        if (e.errorCode() != KeystoreErrors.SHARE_INTEGRITY) {
                            throw e;
                        }
                        failed.add(r.binding().keyId());
                        continue;
                    }
                    ps.setInt(1, moved.kek().version());
                    ps.setBytes(2, moved.wrappedDataKey());
                    ps.setLong(3, r.binding().keyId());
                    ps.setInt(4, r.sealed().kek().version());
                    ps.addBatch();
                    n++;
                }
                if (n > 0) {
                    ps.executeBatch();
                }
            }
            return n;
        });
        rewrapped.addAndGet(done);
        return done;
    }

    private KeystoreException incomplete(Progress p, String why) {
        return new KeystoreException(KeystoreErrors.ROTATION_INCOMPLETE, "[KEY " + db.name() + "] rotation to " + p.target()
                + " " + why + ": " + p.remaining() + " shares left, " + p.done() + " done, " + p.rewrapped() + " re-wrapped by this run");
    }

    @Override
    public String toString() {
        return "KekRotation[" + db.name() + ", kek index " + kekIndex + ", batch " + batchSize + "]";
    }
}
