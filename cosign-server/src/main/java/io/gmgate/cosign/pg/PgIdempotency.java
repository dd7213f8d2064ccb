package io.gmgate.cosign.pg;

import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import io.gmgate.cosign.CosignErrors;
import io.gmgate.cosign.CosignException;
import io.gmgate.jdbc.Jdbc;

/**
 * Idempotency records (V41, docs/cosign-api.md §7). {@link #run} claims (account, key) before the work,
 * stores the work's response when it succeeds, and answers a retry — on any node — with that stored
 * response. A claim held by a node that died is taken over once its lease ends; a claim still held
 * is COSIGN-131 with the lease's remaining seconds. A failed attempt releases its claim, so the retry
 * redoes the work; the work must therefore be safe to redo after a partial run (callers make it so).
 */
public final class PgIdempotency {

    private final Jdbc jdbc;
    private final Clock clock;
    private final Duration lease;
    private final String node;

    public PgIdempotency(Jdbc jdbc, Clock clock, Duration lease, String node) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.lease = lease;
        this.node = node;
    }

    private record Existing(String operation, byte[] digest, String state, Instant claimedUntil, String response) {
    }

    /** The stored response of an earlier identical request, or {@code work}'s response stored now. */
    public String run(String account, String key, String operation, byte[] requestDigest, Supplier<String> work) {
        String stored = claim(account, key, operation, requestDigest);
        if (stored != null) {
            return stored;
        }
        String response;
        try {
            response = work.get();
        } catch (RuntimeException e) {
            release(account, key);
            throw e;
        }
        int stored2 = jdbc.update("store response of " + operation,
                "UPDATE cosign_idempotency SET state = 'DONE', response = ?, completed_at = ?, claimed_until = NULL "
                        + "WHERE account = ? AND idem_key = ? AND state = 'RUNNING' AND claimed_by = ?",
                response, clock.instant(), account, key, node);
        if (stored2 == 0) {
            // Our lease ran out and another node took the claim over and finished first: its answer is
            // the one every retry gets, so it is the one we give too.
            return jdbc.one("read stored response", "SELECT response FROM cosign_idempotency WHERE account = ? AND "
                    + "idem_key = ? AND state = 'DONE'", rs -> rs.getString(1), account, key).orElse(response);
        }
        return response;
    }

    /** Null when this call holds the claim and must do the work; else the stored response. */
    private String claim(String account, String key, String operation, byte[] digest) {
        Instant now = clock.instant();
        return jdbc.tx("claim idempotency key", c -> {
            int inserted = Jdbc.update(c, "INSERT INTO cosign_idempotency (account, idem_key, operation, request_digest, state, "
                    + "claimed_by, claimed_until) VALUES (?, ?, ?, ?, 'RUNNING', ?, ?) ON CONFLICT (account, idem_key) DO NOTHING",
                    account, key, operation, digest, node, now.plus(lease));
            if (inserted == 1) {
                return null;
            }
            List<Existing> rows = Jdbc.query(c, "SELECT operation, request_digest, state, claimed_until, response "
                    + "FROM cosign_idempotency WHERE account = ? AND idem_key = ? FOR UPDATE",
                    rs -> new Existing(rs.getString(1), rs.getBytes(2), rs.getString(3), Jdbc.instant(rs, "claimed_until"),
                            rs.getString(5)), account, key);
            if (rows.isEmpty()) {
                throw new SQLException("idempotency row vanished under a lock", "40001");
            }
            Existing e = rows.get(0);
            if (!e.operation().equals(operation) || !MessageDigest.isEqual(e.digest(), digest)) {
                throw new CosignException(CosignErrors.IDEMPOTENCY_MISMATCH, "idempotency key " + key + " of account "
                        + account + " was used for a different " + e.operation() + " request");
            }
            if ("DONE".equals(e.state())) {
                return e.response();
            }
            if (e.claimedUntil() != null && e.claimedUntil().isAfter(now)) {
                long wait = Math.max(1, Duration.between(now, e.claimedUntil()).toSeconds() + 1);
                throw new CosignException(CosignErrors.IN_PROGRESS, "[cosign " + node + "] " + operation + " with key " + key
                        + " is still running elsewhere", (int) Math.min(wait, Integer.MAX_VALUE));
            }
            Jdbc.update(c, "UPDATE cosign_idempotency SET claimed_by = ?, claimed_until = ? WHERE account = ? AND idem_key = ?",
                    node, now.plus(lease), account, key);
            return null;
        });
    }

    private void release(String account, String key) {
        try {
            jdbc.update("release idempotency claim", "DELETE FROM cosign_idempotency WHERE account = ? AND idem_key = ? "
                    + "AND state = 'RUNNING' AND claimed_by = ?", account, key, node);
        } catch (RuntimeException ignored) {
            // the lease ends by itself; the original failure is what the caller reports
        }
    }

    /** Deletes records older than the retention (run periodically). */
    public int purge(Duration retention) {
        return jdbc.update("purge idempotency records", "DELETE FROM cosign_idempotency WHERE created_at < ?",
                clock.instant().minus(retention));
    }
}
