package io.gmgate.keystore;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.gmgate.crypto.card.KekId;

/**
 * Rows carrying a {@link RowSeal} (key rows, PIN counters, tombstones), moved by sealing them again
 * under the target KEK version. A row is re-sealed only if its old seal still matches: a row edited
 * outside gmgate keeps its broken seal and stays detected (KEY-130) after the rotation, instead of
 * being laundered into a valid one. The seal's first 8 bytes name its KEK (index, version, big-endian),
 * which is how rows below the target are found without a column of their own.
 */
final class SealedRows implements RotatedKind {

    /** A locked row as read: its id for reports, whether its seal holds, its new seal, and the update's WHERE values. */
    private record Candidate(String id, boolean intact, byte[] newSeal, Object[] where) {
    }

    @FunctionalInterface
    private interface Reader {
        Candidate read(ResultSet rs, RowSeal seal) throws SQLException;
    }

    private final String kind;
    private final String from;
    private final String sealColumn;
    private final String columns;
    private final String idExpression;
    private final String orderAndLock;
    private final String update;
    private final Reader reader;
    private final RowSeal seal;
    private final int kekIndex;

    private SealedRows(String kind, String from, String sealColumn, String columns, String idExpression, String orderAndLock,
                       String update, Reader reader, RowSeal seal, int kekIndex) {
        this.kind = kind;
        this.from = from;
        this.sealColumn = sealColumn;
        this.columns = columns;
        this.idExpression = idExpression;
        this.orderAndLock = orderAndLock;
        this.update = update;
        this.reader = reader;
        this.seal = seal;
        this.kekIndex = kekIndex;
    }

    static SealedRows keyRows(RowSeal seal, int kekIndex) {
        return new SealedRows("key rows", KeyRows.FROM, "k.seal", KeyRows.COLUMNS, "k.key_id::text",
                " ORDER BY k.key_id LIMIT ? FOR UPDATE OF k SKIP LOCKED",
                "UPDATE ks_keys SET seal = ? WHERE key_id = ? AND row_version = ?", (rs, s) -> {
                    KeyRecord k = KeyRows.raw(rs);
                    // a destroyed key's row put back (KEY-131) is not re-sealed either, whatever its old seal says
                    boolean intact = s.keyMatches(k, rs.getBytes(12)) && !(rs.getBoolean(13) && k.state() != KeyState.DESTROYED);
                    return new Candidate(Long.toString(k.keyId()), intact, intact ? s.key(k) : null,
                            new Object[] {k.keyId(), k.rowVersion()});
                }, seal, kekIndex);
    }

    static SealedRows pinCounters(RowSeal seal, int kekIndex) {
        return new SealedRows("PIN counters", " FROM ks_pin_counters p", "p.seal",
                "p.account, p.device, p.failures, p.locked_at IS NOT NULL, p.row_version, p.seal", "p.account || '/' || p.device",
                " ORDER BY p.account, p.device LIMIT ? FOR UPDATE SKIP LOCKED",
                "UPDATE ks_pin_counters SET seal = ? WHERE account = ? AND device = ? AND row_version = ?", (rs, s) -> {
                    String account = rs.getString(1);
                    String device = rs.getString(2);
                    int failures = rs.getInt(3);
                    boolean locked = rs.getBoolean(4);
                    long row = rs.getLong(5);
                    boolean intact = s.counterMatches(account, device, failures, locked, row, rs.getBytes(6));
                    return new Candidate(account + "/" + device, intact, intact ? s.counter(account, device, failures, locked, row) : null,
                            new Object[] {account, device, row});
                }, seal, kekIndex);
    }

    static SealedRows tombstones(RowSeal seal, int kekIndex) {
        return new SealedRows("tombstones", " FROM ks_key_tombstones t", "t.seal",
                "t.key_id, t.account, t.device, t.purpose, t.key_version, t.seal", "t.key_id::text",
                " ORDER BY t.key_id LIMIT ? FOR UPDATE SKIP LOCKED", "UPDATE ks_key_tombstones SET seal = ? WHERE key_id = ?", (rs, s) -> {
                    long keyId = rs.getLong(1);
                    String account = rs.getString(2);
                    String device = rs.getString(3);
                    String purpose = rs.getString(4);
                    int version = rs.getInt(5);
                    boolean intact = s.tombstoneMatches(keyId, account, device, purpose, version, rs.getBytes(6));
                    return new Candidate(Long.toString(keyId), intact, intact ? s.tombstone(keyId, account, device, purpose, version) : null,
                            new Object[] {keyId});
                }, seal, kekIndex);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public Count count(Connection c, KekId target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE " + version() + " >= ?), count(*) FILTER (WHERE "
                + version() + " < ?)" + from + " WHERE " + ofThisKek())) {
            ps.setBytes(1, bigEndian(target.version()));
            ps.setBytes(2, bigEndian(target.version()));
            ps.setBytes(3, bigEndian(kekIndex));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Count(kind, rs.getLong(1), rs.getLong(2));
            }
        }
    }

    @Override
    public int moveBatch(Connection c, KekId target, Set<String> refused, int limit) throws SQLException {
        List<Candidate> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + from + " WHERE " + ofThisKek() + " AND " + version()
                + " < ? AND " + idExpression + " <> ALL (?)" + orderAndLock)) {
            ps.setBytes(1, bigEndian(kekIndex));
            ps.setBytes(2, bigEndian(target.version()));
            RotatedKind.bindRefused(c, ps, 3, refused);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs, seal));
                }
            }
        }
        int moved = 0;
        try (PreparedStatement ps = c.prepareStatement(update)) {
            for (Candidate r : rows) {
                if (!r.intact()) {
                    refused.add(r.id());
                    continue;
                }
                ps.setBytes(1, r.newSeal());
                for (int i = 0; i < r.where().length; i++) {
                    ps.setObject(2 + i, r.where()[i]);
                }
                ps.addBatch();
                moved++;
            }
            if (moved > 0) {
                ps.executeBatch();
            }
        }
        return moved;
    }

    /** Rows sealed under this store's KEK index (a seal too short to name one is left to the row checks). */
    private String ofThisKek() {
        return sealColumn + " IS NOT NULL AND length(" + sealColumn + ") > 8 AND substring(" + sealColumn + " from 1 for 4) = ?";
    }

    /** The seal's KEK version as 4 big-endian bytes: for non-negative versions bytea order is numeric order. */
    private String version() {
        return "substring(" + sealColumn + " from 5 for 4)";
    }

    private static byte[] bigEndian(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }
}
