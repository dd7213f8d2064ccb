package io.gmgate.cosign.pg;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.gmgate.jdbc.Jdbc;

/**
 * Operators' approvals of a new device for an account with a live certificate, and the notices that
 * tell the account's other devices a device was added (V51; docs/terminal.md, "A second device").
 */
public final class PgDeviceApprovals {

    /** How long an operator's approval waits for the device to enrol. */
    public static final Duration APPROVAL_LIFE = Duration.ofHours(24);

    /** A device added to an account: which, how, when. */
    public record Notice(long id, String device, String via, Instant at) {
    }

    private final Jdbc jdbc;

    public PgDeviceApprovals(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void approve(String account, String device, String by, String reason, Instant now) {
        jdbc.update("approve device " + account + "/" + device, "INSERT INTO cosign_device_approvals (account, device, approved_by, "
                + "reason, approved_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)", account, device, by, reason == null ? "" : reason,
                java.sql.Timestamp.from(now), java.sql.Timestamp.from(now.plus(APPROVAL_LIFE)));
    }

    /** Uses an unexpired, unused approval for this device; returns who gave it, or null if there is none. */
    public String use(String account, String device, Instant now) {
        return jdbc.one("use approval of " + account + "/" + device, "UPDATE cosign_device_approvals SET used_at = ? "
                + "WHERE (account, device, approved_at) = (SELECT account, device, approved_at FROM cosign_device_approvals "
                + "WHERE account = ? AND device = ? AND used_at IS NULL AND expires_at > ? ORDER BY approved_at LIMIT 1 FOR UPDATE) "
                + "RETURNING approved_by", rs -> rs.getString(1), java.sql.Timestamp.from(now), account, device,
                java.sql.Timestamp.from(now)).orElse(null);
    }

    public void notice(String account, String device, String via) {
        jdbc.update("notice of device " + account + "/" + device, "INSERT INTO cosign_device_notices (account, device, via) "
                + "VALUES (?, ?, ?)", account, device, via);
    }

    /**
     * Notices about devices added after device {@code to} itself was (so a newer device never hears of, and
     * never uses up, a notice meant for the trader's older ones), not yet delivered; now delivered to it.
     */
    public List<Notice> deliver(String account, String to, Instant now) {
        return jdbc.query("deliver device notices of " + account, "UPDATE cosign_device_notices SET delivered_at = ?, delivered_to = ? "
                + "WHERE account = ? AND device <> ? AND delivered_at IS NULL AND created_at > (SELECT d.created_at FROM ks_devices d "
                + "WHERE d.account = ? AND d.device = ?) RETURNING id, device, via, created_at",
                rs -> new Notice(rs.getLong(1), rs.getString(2), rs.getString(3), Jdbc.instant(rs, "created_at")),
                java.sql.Timestamp.from(now), to, account, to, account, to);
    }
}
