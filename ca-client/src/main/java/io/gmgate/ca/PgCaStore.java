package io.gmgate.ca;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.GmPem;
import io.gmgate.jdbc.Jdbc;

/** The embedded CA's tables in PostgreSQL (V20): its own certificates, issued certificates, CRLs. */
public final class PgCaStore {

    /** One issued certificate row. envelopedKey may be null. */
    public record Row(BigInteger serial, String kind, String account, String device, String requestId,
                      BigInteger pairSerial, BigInteger replaces, X509CertificateHolder certificate, byte[] envelopedKey,
                      Instant issuedAt) {
    }

    /** An issued certificate's row and its status, read together. */
    public record Recorded(Row row, CertificateStatus status) {
    }

    /** A revoked serial for the CRL. */
    public record Revoked(BigInteger serial, Instant at, RevocationReason reason) {
    }

    private final DataSource dataSource;
    private final Jdbc jdbc;

    public PgCaStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = jdbc(dataSource);
    }

    public static String hex(BigInteger serial) {
        return serial.toString(16);
    }

    public void saveAuthority(String name, int keyIndex, X509CertificateHolder cert, Instant at) {
        update("INSERT INTO ca_authorities (name, key_index, certificate, created_at) VALUES (?, ?, ?, ?)",
                name, keyIndex, encoded(cert), Timestamp.from(at));
    }

    public record Authority(String name, int keyIndex, X509CertificateHolder certificate) {
    }

    public Optional<Authority> authority(String name) {
        return query("SELECT key_index, certificate FROM ca_authorities WHERE name = ?", rs ->
                new Authority(name, rs.getInt(1), GmPem.certificateFromDer(rs.getBytes(2))), name).stream().findFirst();
    }

    /** Inserts both halves of a double certificate in one transaction; false if a serial is taken. */
    public boolean insertPair(Row sign, Row enc) {
        return insertAll(sign.account(), sign, enc);
    }

    /** Inserts one certificate (a CMP request asks for one key at a time); false if the serial is taken. */
    public boolean insertOne(Row row) {
        return insertAll(row.account(), row);
    }

    private boolean insertAll(String account, Row... rows) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Row r : rows) {
                    insert(c, r);
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if ("23505".equals(e.getSQLState()) && e.getMessage().contains("pkey")) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw storeError("insert certificates for " + account, e);
        }
    }

    private static void insert(Connection c, Row r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ca_certificates (serial, issuer, kind, account, device, "
                + "request_id, pair_serial, replaces, subject, not_before, not_after, der, enveloped_key, issued_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            X509CertificateHolder cert = r.certificate();
            ps.setString(1, hex(r.serial()));
            ps.setString(2, cert.getIssuer().toString());
            ps.setString(3, r.kind());
            ps.setString(4, r.account());
            ps.setString(5, r.device());
            ps.setString(6, r.requestId());
            ps.setString(7, r.pairSerial() == null ? null : hex(r.pairSerial()));
            ps.setString(8, r.replaces() == null ? null : hex(r.replaces()));
            ps.setString(9, cert.getSubject().toString());
            ps.setTimestamp(10, Timestamp.from(cert.getNotBefore().toInstant()));
            ps.setTimestamp(11, Timestamp.from(cert.getNotAfter().toInstant()));
            ps.setBytes(12, encoded(cert));
            ps.setBytes(13, r.envelopedKey());
            ps.setTimestamp(14, Timestamp.from(r.issuedAt()));
            ps.executeUpdate();
        }
    }

    /** Rows already issued for this request id (a retried request). */
    public List<Row> byRequest(String requestId) {
        return query("SELECT " + ROW_COLUMNS + " FROM ca_certificates WHERE request_id = ?", PgCaStore::row, requestId);
    }

    public Optional<Row> bySerial(BigInteger serial) {
        return query("SELECT " + ROW_COLUMNS + " FROM ca_certificates WHERE serial = ?", PgCaStore::row, hex(serial))
                .stream().findFirst();
    }

    public List<Row> byAccount(String account) {
        return query("SELECT " + ROW_COLUMNS + " FROM ca_certificates WHERE account = ? ORDER BY issued_at", PgCaStore::row, account);
    }

    public Optional<CertificateStatus> status(BigInteger serial) {
        return query("SELECT " + STATUS_COLUMNS + " FROM ca_certificates WHERE serial = ?", rs -> status(serial, rs, 1), hex(serial))
                .stream().findFirst();
    }

    /** The row of this serial with its status, in one round trip: what the trading gate asks at every full handshake. */
    public Optional<Recorded> recorded(BigInteger serial) {
        return query("SELECT " + ROW_COLUMNS + ", " + STATUS_COLUMNS + " FROM ca_certificates WHERE serial = ?",
                rs -> new Recorded(row(rs), status(serial, rs, ROW_COLUMN_COUNT + 1)), hex(serial)).stream().findFirst();
    }

    private static CertificateStatus status(BigInteger serial, ResultSet rs, int first) throws SQLException {
        boolean revoked = "REVOKED".equals(rs.getString(first));
        Timestamp at = rs.getTimestamp(first + 3);
        return new CertificateStatus(serial, revoked ? CertificateStatus.State.REVOKED : CertificateStatus.State.GOOD,
                rs.getTimestamp(first + 1).toInstant(), revoked ? RevocationReason.of(rs.getInt(first + 2)) : null,
                at == null ? null : at.toInstant());
    }

    /** Marks a certificate revoked; false if unknown. Revoking twice keeps the first time and reason. */
    public boolean revoke(BigInteger serial, RevocationReason reason, Instant at) {
        int n = update("UPDATE ca_certificates SET status = 'REVOKED', revoked_at = COALESCE(revoked_at, ?), "
                + "revocation_reason = COALESCE(revocation_reason, ?) WHERE serial = ?", Timestamp.from(at), reason.code(), hex(serial));
        return n == 1;
    }

    public List<Revoked> revoked(String issuer) {
        return query("SELECT serial, revoked_at, revocation_reason FROM ca_certificates WHERE issuer = ? AND status = 'REVOKED' "
                + "ORDER BY revoked_at", rs -> new Revoked(new BigInteger(rs.getString(1), 16), rs.getTimestamp(2).toInstant(),
                RevocationReason.of(rs.getInt(3))), issuer);
    }

    /** How many certificates of each kind and status this CA issued, e.g. "SIGN GOOD" → 12. */
    public java.util.Map<String, Long> counts() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        query("SELECT kind, status, count(*) FROM ca_certificates GROUP BY kind, status", rs -> {
            out.put(rs.getString(1) + " " + rs.getString(2), rs.getLong(3));
            return null;
        });
        return out;
    }

    public long nextCrlNumber() {
        return query("SELECT nextval('ca_crl_number')", rs -> rs.getLong(1)).get(0);
    }

    public void saveCrl(long number, String issuer, Instant thisUpdate, Instant nextUpdate, byte[] der) {
        update("INSERT INTO ca_crls (crl_number, issuer, this_update, next_update, der) VALUES (?, ?, ?, ?, ?)",
                number, issuer, Timestamp.from(thisUpdate), Timestamp.from(nextUpdate), der);
    }

    /** The newest CRL: its DER and nextUpdate. */
    public record StoredCrl(long number, Instant thisUpdate, Instant nextUpdate, byte[] der) {
    }

    public Optional<StoredCrl> latestCrl(String issuer) {
        return query("SELECT crl_number, this_update, next_update, der FROM ca_crls WHERE issuer = ? ORDER BY crl_number DESC LIMIT 1",
                rs -> new StoredCrl(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(), rs.getBytes(4)),
                issuer).stream().findFirst();
    }

    private static final String ROW_COLUMNS =
            "serial, kind, account, device, request_id, pair_serial, replaces, der, enveloped_key, issued_at";
    private static final int ROW_COLUMN_COUNT = 10;
    private static final String STATUS_COLUMNS = "status, not_after, revocation_reason, revoked_at";

    private static Row row(ResultSet rs) throws SQLException {
        String pair = rs.getString(6);
        String replaces = rs.getString(7);
        return new Row(new BigInteger(rs.getString(1), 16), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                pair == null ? null : new BigInteger(pair, 16), replaces == null ? null : new BigInteger(replaces, 16),
                GmPem.certificateFromDer(rs.getBytes(8)), rs.getBytes(9), rs.getTimestamp(10).toInstant());
    }

    static byte[] encoded(X509CertificateHolder cert) {
        try {
            return cert.getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    <T> List<T> query(String sql, Jdbc.Row<T> mapper, Object... args) {
        return jdbc.query(sql, sql, mapper, args);
    }

    int update(String sql, Object... args) {
        return jdbc.update(sql, sql, args);
    }

    /** The shared JDBC helper with the CA tables' error: any failure is CA-108 naming the operation. */
    static Jdbc jdbc(DataSource dataSource) {
        return new Jdbc(dataSource, "CA store", PgCaStore::storeError);
    }

    static CaException storeError(String what, SQLException e) {
        String op = what.length() > 60 ? what.substring(0, 60) + "…" : what;
        return new CaException(CaErrors.CA_STORE, "[CA store] " + op + " failed (SQLState " + e.getSQLState() + ")", e);
    }
}
