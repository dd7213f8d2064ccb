package io.gmgate.keystore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.KekId;
import io.gmgate.jdbc.Jdbc;

/**
 * Online KEK rotation (docs/keystore.md): after {@code card.rotateKek(index)} made a new KEK version
 * current, this job moves every row still protected by an older version — the wrapped data keys of
 * server shares and PIN OPRF keys, and the card seals of key rows, PIN counters and tombstones — one
 * kind after the other through the same loop, in small transactions that lock only their own batch
 * ({@code FOR UPDATE SKIP LOCKED}), so reads, logins and other writes go on throughout. Several nodes
 * may run it at once; each takes rows the others have not.
 *
 * <p>It is idempotent by the KEK version each row names: a stopped or crashed run is resumed by running
 * again, and it only ever selects rows below the target version, so a second rotation during a run
 * cannot make it loop. A row whose wrap or seal no longer verifies (tampering: KEY-100, KEY-130) is left
 * as it is — still detected after the rotation — and reported in {@link Progress#refused()}; the old KEK
 * version must stay in the card until {@link Progress#remaining()} is zero. The audit chain's own MACs
 * are not rewritten (each record names its KEK version; rewriting would mean re-chaining history).
 */
public final class KekRotation {

    public static final String SERVER_SHARES = "server shares";
    public static final String PIN_OPRF_KEYS = "PIN OPRF keys";
    public static final String KEY_ROWS = "key rows";
    public static final String PIN_COUNTERS = "PIN counters";
    public static final String TOMBSTONES = "tombstones";

    /** One kind's rows: at (or above) the target version, and still below it. */
    public record KindProgress(String kind, long done, long remaining) {
    }

    /**
     * @param target  the KEK version rows are moved to
     * @param kinds   each kind of row, in the order the job moves them
     * @param moved   rows this job instance has moved so far
     * @param refused rows left as they were because their wrap or seal did not verify, as "kind id"
     */
    public record Progress(KekId target, List<KindProgress> kinds, long moved, List<String> refused) {

        public Progress {
            kinds = List.copyOf(kinds);
            refused = List.copyOf(refused);
        }

        public long done() {
            return kinds.stream().mapToLong(KindProgress::done).sum();
        }

        public long remaining() {
            return kinds.stream().mapToLong(KindProgress::remaining).sum();
        }

        public KindProgress of(String kind) {
            return kinds.stream().filter(k -> k.kind().equals(kind)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no kind " + kind));
        }

        public boolean finished() {
            return remaining() == 0;
        }
    }

    private static final int MAX_IDLE_ROUNDS = 50;

    private final Jdbc db;
    private final CipherCard card;
    private final PgAuditLog audit;
    private final int kekIndex;
    private final int batchSize;
    private final Duration idlePause;
    private final List<RotatedKind> kinds;
    private final Map<String, Set<String>> refused = new LinkedHashMap<>();
    private final AtomicLong moved = new AtomicLong();
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
        this.audit = new PgAuditLog(dataSource, card, settings.kekIndex(), java.time.Clock.systemUTC(), settings.name());
        this.kekIndex = settings.kekIndex();
        this.batchSize = batchSize;
        this.idlePause = idlePause;
        ShareSealer sealer = new ShareSealer(card, kekIndex);
        RowSeal seal = new RowSeal(card, kekIndex);
        this.kinds = List.of(WrappedSecrets.serverShares(sealer, kekIndex), WrappedSecrets.pinOprfKeys(sealer, kekIndex),
                SealedRows.keyRows(seal, kekIndex), SealedRows.pinCounters(seal, kekIndex), SealedRows.tombstones(seal, kekIndex));
        kinds.forEach(k -> refused.put(k.kind(), new ConcurrentSkipListSet<>()));
    }

    /** The card's current KEK version for the store's index: what rows are moved to. */
    public KekId target() {
        return card.currentKek(kekIndex);
    }

    /** How far rotation to the current KEK version has come; cheap enough to poll. */
    public Progress progress() {
        KekId target = target();
        return db.read("rotation progress", c -> {
            List<KindProgress> counts = new ArrayList<>();
            for (RotatedKind kind : kinds) {
                RotatedKind.Count n = kind.count(c, target);
                counts.add(new KindProgress(n.kind(), n.done(), n.remaining()));
            }
            return new Progress(target, counts, moved.get(), refusedList());
        });
    }

    /** Asks a running {@link #run()} to stop after its current batch. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Moves batches until no row below the target remains (or only refused rows, or rows locked elsewhere
     * for too long), then audits the outcome. Throws KEY-112 when stopped or interrupted before the end;
     * run again to resume.
     */
    public Progress run() {
        return run("kek-rotation");
    }

    /** {@link #run()}, audited as done by {@code actor} (the operator who ran the command). */
    public Progress run(String actor) {
        KekId target = target();
        int idle = 0;
        while (!stopRequested && !Thread.currentThread().isInterrupted()) {
            if (runBatch(target) > 0) {
                idle = 0;
                continue;
            }
            Progress p = progress();
            if (p.remaining() <= p.refused().size()) {
                audit.append(new AuditEvent(actor, "kek-rotate", null, null, null, null, "moved " + p.moved()
                        + " rows to " + target + (p.refused().isEmpty() ? "" : "; refused (did not verify, left as they were): "
                        + abbreviated(p.refused())), null));
                return p;
            }
            // rows remain but another node's batch (or a login, a destroy) holds them: wait and look again
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

    /** One transaction: up to batchSize rows of the first kind that has any below the target. Returns rows moved. */
    public int runBatch() {
        long before = moved.get();
        runBatch(target());
        return (int) (moved.get() - before);
    }

    /** Rows handled (moved, or refused for the first time): 0 means no kind had an unrefused row below the target to take. */
    private int runBatch(KekId target) {
        for (RotatedKind kind : kinds) {
            Set<String> refusedOfKind = refused.get(kind.kind());
            int refusedBefore = refusedOfKind.size();
            int n = db.tx("move " + kind.kind() + " to " + target,
                    c -> kind.moveBatch(c, target, refusedOfKind, batchSize));
            moved.addAndGet(n);
            int handled = n + refusedOfKind.size() - refusedBefore;
            if (handled > 0) {
                return handled;
            }
        }
        return 0;
    }

    /** An audit detail holds 1024 characters: the first refused rows, and how many more (the command lists them all). */
    private static String abbreviated(List<String> refused) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (String r : refused) {
            if (out.length() + r.length() > 700) {
                break;
            }
            out.append(shown == 0 ? "" : ", ").append(r);
            shown++;
        }
        return shown == refused.size() ? "[" + out + "]" : "[" + out + ", and " + (refused.size() - shown) + " more]";
    }

    private List<String> refusedList() {
        List<String> out = new ArrayList<>();
        refused.forEach((kind, ids) -> ids.forEach(id -> out.add(kind + " " + id)));
        return out;
    }

    private KeystoreException incomplete(Progress p, String why) {
        return new KeystoreException(KeystoreErrors.ROTATION_INCOMPLETE, "[KEY " + db.name() + "] rotation to " + p.target()
                + " " + why + ": " + p.remaining() + " rows left, " + p.done() + " done, " + p.moved() + " moved by this run");
    }

    @Override
    public String toString() {
        return "KekRotation[" + db.name() + ", kek index " + kekIndex + ", batch " + batchSize + "]";
    }
}
