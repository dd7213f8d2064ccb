package io.gmgate.keystore;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;
import io.gmgate.jdbc.Jdbc;

/**
 * The audit log in PostgreSQL (V6 ks_audit, ks_audit_head). Every append locks the single head row
 * FOR UPDATE, so appends from all nodes form one linear chain; record n's MAC, made in the card under
 * the current KEK of the configured index, covers its content and record n−1's MAC. The head carries
 * its own MAC over (last seq, last MAC), so deleting records at the end is noticed too.
 *
 * <p>What the chain cannot see: someone who replaces the whole log and head with an older copy of
 * both (a restored backup). Exporting the head's MAC elsewhere from time to time closes that gap.
 */
public final class PgAuditLog implements AuditLog {

    private static final String COLUMNS = "seq, at, actor, action, account, device, key_id, key_version, detail, "
            + "detail_hash, kek_index, kek_version, mac";
    private static final int FETCH = 500;

    private final Jdbc db;
    private final CipherCard card;
    private final int kekIndex;
    private final Clock clock;

    public PgAuditLog(DataSource dataSource, CipherCard card, int kekIndex, Clock clock, String instance) {
        this.db = PgFailures.jdbc(dataSource, instance);
        this.card = card;
        this.kekIndex = kekIndex;
        this.clock = clock;
    }

    public PgAuditLog(DataSource dataSource, CipherCard card, int kekIndex) {
        this(dataSource, card, kekIndex, Clock.systemUTC(), "audit");
    }

    @Override
    public AuditRecord append(AuditEvent event) {
        return db.tx("audit append " + event.action(), c -> append(c, event));
    }

    /** Appends inside the caller's transaction, so the audited change and its record commit together. */
    @Override
    public AuditRecord append(Connection c, AuditEvent event) throws SQLException {
        long seq;
        byte[] prevMac;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, last_mac FROM ks_audit_head WHERE id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new KeystoreException(KeystoreErrors.DATABASE_ERROR, "[KEY " + db.name() + "] audit head row is missing: "
                        + "the V6 migration did not run, or the row was deleted (run gmgate audit verify)");
            }
            seq = rs.getLong(1) + 1;
            prevMac = rs.getBytes(2);
        }
        KekId kek = card.currentKek(kekIndex);
        AuditRecord unsigned = new AuditRecord(seq, Instant.now(clock), event, kek, null);
        byte[] mac = card.mac(kek, unsigned.chainInput(prevMac));
        AuditRecord record = new AuditRecord(seq, unsigned.at(), event, kek, mac);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ks_audit (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setObject(2, OffsetDateTime.ofInstant(record.at(), ZoneOffset.UTC));
            ps.setString(3, event.actor());
            ps.setString(4, event.action());
            ps.setString(5, event.account());
            ps.setString(6, event.device());
            if (event.keyId() == null) {
                ps.setNull(7, Types.BIGINT);
            } else {
                ps.setLong(7, event.keyId());
            }
            if (event.keyVersion() == null) {
                ps.setNull(8, Types.INTEGER);
            } else {
                ps.setInt(8, event.keyVersion());
            }
            ps.setString(9, event.detail());
            ps.setBytes(10, event.detailHash());
            ps.setInt(11, kek.index());
            ps.setInt(12, kek.version());
            ps.setBytes(13, mac);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE ks_audit_head SET seq = ?, last_mac = ?, kek_index = ?, kek_version = ?, head_mac = ? WHERE id = 1")) {
            ps.setLong(1, seq);
            ps.setBytes(2, mac);
            ps.setInt(3, kek.index());
            ps.setInt(4, kek.version());
            ps.setBytes(5, card.mac(kek, headInput(seq, mac)));
            ps.executeUpdate();
        }
        return record;
    }

    @Override
    public List<AuditRecord> read(long fromSeq, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "[KEY " + db.name() + "] read limit must be 1..10000, was " + limit);
        }
        return db.read("audit read", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ks_audit WHERE seq >= ? AND seq < ? ORDER BY seq")) {
                ps.setLong(1, fromSeq);
                ps.setLong(2, fromSeq + limit);
                List<AuditRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public AuditVerification verify() {
        return db.tx("audit verify", c -> {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // head and records from one snapshot
            c.setReadOnly(true); // the pool restores both settings when the connection goes back
            return walk(c);
        });
    }

    private AuditVerification walk(Connection c) throws SQLException {
        long expected = 1;
        long verified = 0;
        byte[] prevMac = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ks_audit ORDER BY seq")) {
            ps.setFetchSize(FETCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AuditRecord r = row(rs);
                    if (r.seq() != expected) {
                        return AuditVerification.broken(verified, expected - 1, expected, r.seq() > expected
                                ? "record" + range(expected, r.seq() - 1) + " missing: deleted from the chain"
                                : "record #" + r.seq() + " appears twice or out of order");
                    }
                    String bad = macProblem(r.kek(), r.chainInput(prevMac), r.mac());
                    if (bad != null) {
                        return AuditVerification.broken(verified, expected - 1, r.seq(), "record #" + r.seq() + " " + bad
                                + ": it was edited, reordered, or does not follow record #" + (r.seq() - 1));
                    }
                    prevMac = r.mac();
                    verified++;
                    expected++;
                }
            }
        }
        long last = expected - 1;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, last_mac, kek_index, kek_version, head_mac FROM ks_audit_head WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return AuditVerification.broken(verified, last, last + 1, "the chain head row is missing: it was deleted");
            }
            long headSeq = rs.getLong(1);
            if (headSeq == 0 && last == 0) {
                return AuditVerification.intact(0, 0);
            }
            if (headSeq != last || !Arrays.equals(rs.getBytes(2), prevMac)) {
                return AuditVerification.broken(verified, last, last + 1, headSeq > last
                        ? "record" + range(last + 1, headSeq) + " missing: deleted from the end of the chain (the head says #" + headSeq + ")"
                        : "the chain head says #" + headSeq + " but the chain ends at #" + last + ": the head was edited");
            }
            String bad = rs.getObject(3) == null ? "has no MAC key"
                    : macProblem(new KekId(rs.getInt(3), rs.getInt(4)), headInput(headSeq, prevMac), rs.getBytes(5));
            if (bad != null) {
                return AuditVerification.broken(verified, last, last + 1, "the chain head " + bad + ": it was edited");
            }
        }
        return AuditVerification.intact(verified, last);
    }

    /** Null when the MAC verifies; otherwise why not. */
    private String macProblem(KekId kek, byte[] input, byte[] mac) {
        if (mac == null) {
            return "has no MAC";
        }
        try {
            return card.verifyMac(kek, input, mac) ? null : "fails its MAC";
        } catch (CipherCardException e) {
            return "cannot be checked (" + e.errorCode().code() + ": MAC key " + kek + " not in card " + card.name() + ")";
        }
    }

    private static String range(long from, long to) {
        return from == to ? " #" + from + " is" : "s #" + from + "..#" + to + " are";
    }

    private static byte[] headInput(long seq, byte[] lastMac) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("gmgate audit head v1");
            out.writeLong(seq);
            out.writeInt(lastMac.length);
            out.write(lastMac);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static AuditRecord row(ResultSet rs) throws SQLException {
        long keyId = rs.getLong(7);
        Long key = rs.wasNull() ? null : keyId;
        int keyVersion = rs.getInt(8);
        Integer version = rs.wasNull() ? null : keyVersion;
        AuditEvent event = new AuditEvent(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), key, version,
                rs.getString(9), rs.getBytes(10));
        return new AuditRecord(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), event,
                new KekId(rs.getInt(11), rs.getInt(12)), rs.getBytes(13));
    }
}
