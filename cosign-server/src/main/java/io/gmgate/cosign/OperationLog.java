package io.gmgate.cosign;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.gmgate.jdbc.Jdbc;
import io.gmgate.crypto.Sm3;
import io.gmgate.keystore.AuditEvent;
import io.gmgate.keystore.AuditLog;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;

/**
 * The audit trail of co-signatures and co-decryptions (design §11 rules) with group commit: callers
 * block until their entry is stored, but one flusher thread writes everything that queued up while
 * the previous batch was being written, in one transaction, and anchors the batch in the MAC-chained
 * audit log with one record (the SM3 of the batch). So the chain's single head lock is taken once per
 * batch, not once per signature, and no answer leaves the node before its audit entry is durable. The
 * rows and their anchor are one transaction on the node's database, which holds the key store's audit log.
 */
public final class OperationLog implements AutoCloseable {

    /** One operation. {@code digest} is e for SIGN and CONFIRM, SM3(T1) for DECRYPT; r and s may be null. */
    public record Entry(Instant at, String operation, String account, String device, String sessionId, long keyId,
                        int keyVersion, byte[] digest, byte[] r, byte[] s) {
    }

    private record Queued(Entry entry, CompletableFuture<Void> done) {
    }

    private static final int COLUMNS = 12;

    private final Jdbc jdbc;
    private final AuditLog audit;
    private final String node;
    private final int maxBatch;
    private final Duration timeout;
    private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final Thread flusher;
    private volatile boolean running = true;
    private final CosignMeters meters;

    public OperationLog(Jdbc jdbc, AuditLog audit, String node, int maxBatch, Duration timeout) {
        this(jdbc, audit, node, maxBatch, timeout, CosignMeters.none());
    }

    /** As above, timing each caller's wait for its entry to be durable as the phase {@code audit_commit}. */
    public OperationLog(Jdbc jdbc, AuditLog audit, String node, int maxBatch, Duration timeout, CosignMeters meters) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.audit = audit;
        this.node = node;
        this.maxBatch = maxBatch;
        this.timeout = timeout;
        this.flusher = new Thread(this::flushLoop, "cosign-oplog-" + node);
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /** Stores the entry (with whatever else is queued) and returns once it is durable; KEY-101 otherwise. */
    public void record(Entry entry) {
        if (!running) {
            throw new KeystoreException(KeystoreErrors.DATABASE_UNAVAILABLE, "[cosign " + node + "] operation log is closed");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Queued(entry, done));
        long started = System.nanoTime();
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new KeystoreException(KeystoreErrors.DATABASE_UNAVAILABLE, "[cosign " + node + "] operation log: " + e.getCause());
        } catch (TimeoutException e) {
            throw new KeystoreException(KeystoreErrors.DATABASE_UNAVAILABLE, "[cosign " + node + "] operation log did not store "
                    + entry.operation() + " within " + timeout.toMillis() + "ms (queued=" + queue.size() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeystoreException(KeystoreErrors.DATABASE_UNAVAILABLE, "[cosign " + node + "] interrupted while auditing");
        } finally {
            meters.phase(CosignMeters.AUDIT_COMMIT, System.nanoTime() - started);
        }
    }

    private void flushLoop() {
        List<Queued> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Queued first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                try {
                    write(batch);
                    batch.forEach(q -> q.done().complete(null));
                } catch (RuntimeException e) {
                    batch.forEach(q -> q.done().completeExceptionally(e));
                }
                batch.clear();
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            }
        }
        queue.forEach(q -> q.done().completeExceptionally(
                new KeystoreException(KeystoreErrors.DATABASE_UNAVAILABLE, "[cosign " + node + "] operation log closed")));
    }

    private void write(List<Queued> batch) {
        byte[] hash = Sm3.digest(canonical(batch));
        StringBuilder sql = new StringBuilder("INSERT INTO cosign_operation_log (at, node, operation, account, device, session_id, "
                + "key_id, key_version, digest, r, s, batch_hash) VALUES ");
        for (int i = 0; i < batch.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        }
        jdbc.tx("write " + batch.size() + " operation log entries", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (Queued q : batch) {
                    Entry e = q.entry();
                    ps.setTimestamp(p, Timestamp.from(e.at()));
                    ps.setString(p + 1, node);
                    ps.setString(p + 2, e.operation());
                    ps.setString(p + 3, e.account());
                    ps.setString(p + 4, e.device());
                    ps.setString(p + 5, e.sessionId());
                    ps.setLong(p + 6, e.keyId());
                    ps.setInt(p + 7, e.keyVersion());
                    ps.setBytes(p + 8, e.digest());
                    ps.setBytes(p + 9, e.r());
                    ps.setBytes(p + 10, e.s());
                    ps.setBytes(p + 11, hash);
                    p += COLUMNS;
                }
                ps.executeUpdate();
            }
            // The anchor commits with the rows: one commit (one WAL flush) per batch, and no rows without their anchor.
            audit.append(c, new AuditEvent("cosign:" + node, "cosign-operations", null, null, null, null,
                    batch.size() + " operations from " + batch.get(0).entry().at(), hash));
            return null;
        });
    }

    /** The bytes the anchor's hash covers: every field of every entry, length-prefixed, in order. */
    static byte[] canonical(List<Queued> batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (Queued q : batch) {
                Entry e = q.entry();
                out.writeLong(e.at().toEpochMilli());
                out.writeUTF(e.operation());
                out.writeUTF(e.account());
                out.writeUTF(e.device());
                out.writeUTF(e.sessionId());
                out.writeLong(e.keyId());
                out.writeInt(e.keyVersion());
                for (byte[] b : new byte[][] {e.digest(), e.r(), e.s()}) {
                    out.writeInt(b == null ? -1 : b.length);
                    if (b != null) {
                        out.write(b);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        running = false;
        flusher.interrupt();
        try {
            flusher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
