package io.gmgate.cosign.pg;

import java.util.Optional;

import io.gmgate.jdbc.Jdbc;

/**
 * Why a device's keys were locked when the PIN counter did not lock them (V44): USER or OPERATOR. No longer read:
 * V50 carried these reasons onto the key rows (keystore ks_keys.lock_reasons), which decide (docs/keystore.md, "Lock reasons").
 */
public final class PgKeyLocks {

    public enum Reason { USER, OPERATOR }

    public record Lock(String account, String device, Reason reason, String note, String lockedBy) {
    }

    private final Jdbc jdbc;

    public PgKeyLocks(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the reason; an operator's lock is never downgraded to a user's. */
    public void lock(String account, String device, Reason reason, String note, String by) {
        jdbc.update("record lock of " + account + "/" + device, "INSERT INTO cosign_key_locks (account, device, reason, note, locked_by) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, device) DO UPDATE SET reason = CASE WHEN cosign_key_locks.reason = "
                + "'OPERATOR' THEN 'OPERATOR' ELSE excluded.reason END, note = excluded.note, locked_by = excluded.locked_by, "
                + "locked_at = now()", account, device, reason.name(), note == null ? "" : note, by);
    }

    public Optional<Lock> find(String account, String device) {
        return jdbc.one("read lock of " + account + "/" + device, "SELECT reason, note, locked_by FROM cosign_key_locks "
                + "WHERE account = ? AND device = ?", rs -> new Lock(account, device, Reason.valueOf(rs.getString(1)),
                rs.getString(2), rs.getString(3)), account, device);
    }

    public void clear(String account, String device) {
        jdbc.update("clear lock of " + account + "/" + device, "DELETE FROM cosign_key_locks WHERE account = ? AND device = ?",
                account, device);
    }
}
