package io.gmgate.keystore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one-time sealing of rows written before V7 (docs/keystore.md, "Sealed rows"): key records and
 * PIN counters without a seal are sealed as they are, every device gets a counter row, and tombstones
 * the migration made are sealed. It runs inside one transaction holding the audit head, so two nodes
 * starting together do it once; its audit record marks it done for good, and the audit chain makes
 * that record impossible to remove unseen, so nulling a seal later can never get a row re-sealed.
 */
final class SealUpgrade {

    private final RowSeal seal;

    SealUpgrade(RowSeal seal) {
        this.seal = seal;
    }

    long run(Connection c, String actor, PgAuditLog audit, boolean markWhenNothingToSeal) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ks_audit_head WHERE id = 1 FOR UPDATE")) {
            ps.executeQuery().close();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ks_audit WHERE action = ? LIMIT 1")) {
            ps.setString(1, PgShardStore.SEAL_UPGRADE);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return -1;
                }
            }
        }
        List<KeyRecord> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + KeyRows.COLUMNS + KeyRows.FROM + " WHERE k.seal IS NULL "
                + "ORDER BY k.key_id FOR UPDATE OF k"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.add(KeyRows.raw(rs));
            }
        }
        for (KeyRecord k : keys) {
            KeyRows.update(c, "UPDATE ks_keys SET seal = ? WHERE key_id = ?", seal.key(k), k.keyId());
        }
        int created = KeyRows.update(c, "INSERT INTO ks_pin_counters (account, device, failures, row_version) "
                + "SELECT d.account, d.device, 0, 1 FROM ks_devices d WHERE NOT EXISTS (SELECT 1 FROM ks_pin_counters p "
                + "WHERE p.account = d.account AND p.device = d.device)");
        int counters = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT account, device, failures, locked_at IS NOT NULL, row_version "
                + "FROM ks_pin_counters WHERE seal IS NULL FOR UPDATE"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                KeyRows.update(c, "UPDATE ks_pin_counters SET seal = ? WHERE account = ? AND device = ?",
                        seal.counter(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4), rs.getLong(5)),
                        rs.getString(1), rs.getString(2));
                counters++;
            }
        }
        int tombstones = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT key_id, account, device, purpose, key_version FROM ks_key_tombstones "
                + "WHERE seal IS NULL"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                KeyRows.update(c, "UPDATE ks_key_tombstones SET seal = ? WHERE key_id = ?", seal.tombstone(rs.getLong(1),
                        rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)), rs.getLong(1));
                tombstones++;
            }
        }
        if (keys.isEmpty() && created == 0 && counters == 0 && tombstones == 0 && !markWhenNothingToSeal) {
            return 0;
        }
        audit.append(c, new AuditEvent(actor, PgShardStore.SEAL_UPGRADE, null, null, null, null, "sealed " + keys.size()
                + " key rows, " + counters + " PIN counters (" + created + " created for devices without one), " + tombstones
                + " tombstones, as they were", null));
        return keys.size() + counters + tombstones;
    }
}
