package io.gmgate.keystore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code gmgate audit verify} adds to the chain walk (docs/security.md, "Key rows and locks"): every key record, PIN
 * counter and tombstone against its seal, every destroyed key against its tombstone, and every key row
 * against the highest row version the audit chain recorded for it ({@code [row n]} in each key-row
 * write's record). The last check is what sees a whole older row put back with its then-valid seal.
 */
final class RowScan {

    private static final int MAX_FINDINGS = 200;

    private final RowSeal seal;
    private final List<String> findings = new ArrayList<>();
    private int more;

    RowScan(RowSeal seal) {
        this.seal = seal;
    }

    List<String> run(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + KeyRows.COLUMNS + KeyRows.FROM + " ORDER BY k.key_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                KeyRecord k = KeyRows.raw(rs);
                boolean tombstone = rs.getBoolean(13);
                if (tombstone && k.state() != KeyState.DESTROYED) {
                    add("KEY-131 key " + k.keyId() + " of " + k.account() + "/" + k.device() + " reads " + k.state()
                            + " but was destroyed: restored from an old copy");
                } else if (!tombstone && k.state() == KeyState.DESTROYED) {
                    add("KEY-130 key " + k.keyId() + " of " + k.account() + "/" + k.device() + " is DESTROYED but its tombstone is gone");
                }
                if (!seal.keyMatches(k, rs.getBytes(12))) {
                    add("KEY-130 key " + k.keyId() + " of " + k.account() + "/" + k.device() + " (" + k.state() + " " + k.lockReasons()
                            + ", row " + k.rowVersion() + ") does not match its seal");
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT d.account, d.device, p.failures, p.locked_at IS NOT NULL, p.row_version, "
                + "p.seal, p.account IS NOT NULL FROM ks_devices d LEFT JOIN ks_pin_counters p ON p.account = d.account "
                + "AND p.device = d.device ORDER BY d.account, d.device"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String who = rs.getString(1) + "/" + rs.getString(2);
                if (!rs.getBoolean(7)) {
                    add("KEY-130 the PIN counter of " + who + " is missing");
                } else if (!seal.counterMatches(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4), rs.getLong(5),
                        rs.getBytes(6))) {
                    add("KEY-130 the PIN counter of " + who + " (" + rs.getInt(3) + " failures, row " + rs.getLong(5)
                            + ") does not match its seal");
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT key_id, account, device, purpose, key_version, seal FROM ks_key_tombstones "
                + "ORDER BY key_id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (!seal.tombstoneMatches(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getBytes(6))) {
                    add("KEY-130 the tombstone of key " + rs.getLong(1) + " does not match its seal");
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT a.key_id, a.audited, k.row_version FROM (SELECT key_id, "
                + "max(substring(detail from '\\[row ([0-9]+)\\]$')::bigint) AS audited FROM ks_audit WHERE key_id IS NOT NULL "
                + "AND detail ~ '\\[row [0-9]+\\]$' GROUP BY key_id) a LEFT JOIN ks_keys k ON k.key_id = a.key_id "
                + "WHERE k.key_id IS NULL OR k.row_version < a.audited ORDER BY a.key_id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long version = rs.getLong(3);
                add("KEY-130 key " + rs.getLong(1) + (rs.wasNull() ? " is gone although the audit log records its row "
                        + rs.getLong(2) : " is at row " + version + " but the audit log records row " + rs.getLong(2)
                        + ": an older copy of the row was put back"));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT a.key_id FROM ks_audit a WHERE a.action = 'key-destroy' "
                + "AND a.key_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ks_key_tombstones t WHERE t.key_id = a.key_id) "
                + "ORDER BY a.key_id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                add("KEY-130 key " + rs.getLong(1) + " was destroyed (audit log) but has no tombstone: it was deleted");
            }
        }
        if (more > 0) {
            findings.add("... and " + more + " more");
        }
        return List.copyOf(findings);
    }

    private void add(String finding) {
        if (findings.size() < MAX_FINDINGS) {
            findings.add(finding);
        } else {
            more++;
        }
    }
}
