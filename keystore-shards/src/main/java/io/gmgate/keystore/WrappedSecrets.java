package io.gmgate.keystore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.gmgate.crypto.card.KekId;

/**
 * Secrets sealed by {@link ShareSealer} (a data key wrapped under the card's KEK), moved by
 * re-wrapping the data key: the ciphertext and its binding stay as they are. Server shares and PIN
 * OPRF keys are two tables of the same shape, told apart by their key columns.
 */
final class WrappedSecrets implements RotatedKind {

    private final String kind;
    private final String table;
    private final List<String> keyColumns;
    private final String filter;
    private final ShareSealer sealer;
    private final int kekIndex;

    private WrappedSecrets(String kind, String table, List<String> keyColumns, String filter, ShareSealer sealer, int kekIndex) {
        this.kind = kind;
        this.table = table;
        this.keyColumns = keyColumns;
        this.filter = filter;
        this.sealer = sealer;
        this.kekIndex = kekIndex;
    }

    /** Server shares; destroyed keys' rows keep no ciphertext and are not counted. */
    static WrappedSecrets serverShares(ShareSealer sealer, int kekIndex) {
        return new WrappedSecrets("server shares", "ks_shares", List.of("key_id"), "ciphertext IS NOT NULL", sealer, kekIndex);
    }

    /** The devices' PIN OPRF keys k_s (V11). */
    static WrappedSecrets pinOprfKeys(ShareSealer sealer, int kekIndex) {
        return new WrappedSecrets("PIN OPRF keys", "ks_pin_oprf_keys", List.of("account", "device"), "TRUE", sealer, kekIndex);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public Count count(Connection c, KekId target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE kek_version >= ?), "
                + "count(*) FILTER (WHERE kek_version < ?) FROM " + table + " WHERE kek_index = ? AND " + filter)) {
            ps.setInt(1, target.version());
            ps.setInt(2, target.version());
            ps.setInt(3, kekIndex);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Count(kind, rs.getLong(1), rs.getLong(2));
            }
        }
    }

    @Override
    public int moveBatch(Connection c, KekId target, Set<String> refused, int limit) throws SQLException {
        record Row(String id, Object[] key, SealedShare sealed) {
        }
        String keys = String.join(", ", keyColumns);
        String id = String.join(" || '/' || ", keyColumns.stream().map(k -> k + "::text").toList());
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + keys + ", kek_version, wrapped_data_key, nonce, ciphertext FROM "
                + table + " WHERE kek_index = ? AND kek_version < ? AND " + filter + " AND " + id + " <> ALL (?) ORDER BY " + keys
                + " LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setInt(1, kekIndex);
            ps.setInt(2, target.version());
            RotatedKind.bindRefused(c, ps, 3, refused);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                int n = keyColumns.size();
                while (rs.next()) {
                    Object[] key = new Object[n];
                    StringBuilder name = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        key[i] = rs.getObject(i + 1);
                        name.append(i == 0 ? "" : "/").append(key[i]);
                    }
                    rows.add(new Row(name.toString(), key, new SealedShare(new KekId(kekIndex, rs.getInt(n + 1)), rs.getBytes(n + 2),
                            rs.getBytes(n + 3), rs.getBytes(n + 4))));
                }
            }
        }
        String where = String.join(" AND ", keyColumns.stream().map(k -> k + " = ?").toList());
        int moved = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET kek_version = ?, wrapped_data_key = ? WHERE "
                + where + " AND kek_version = ?")) {
            for (Row r : rows) {
                SealedShare next;
                try {
                    next = sealer.rewrap(r.sealed(), kind + " " + r.id());
                } catch (KeystoreException e) {
                    if (e.errorCode() != KeystoreErrors.SHARE_INTEGRITY) {
                        throw e;
                    }
                    refused.add(r.id());
                    continue;
                }
                ps.setInt(1, next.kek().version());
                ps.setBytes(2, next.wrappedDataKey());
                for (int i = 0; i < r.key().length; i++) {
                    ps.setObject(3 + i, r.key()[i]);
                }
                ps.setInt(3 + r.key().length, r.sealed().kek().version());
                ps.addBatch();
                moved++;
            }
            if (moved > 0) {
                ps.executeBatch();
            }
        }
        return moved;
    }
}
