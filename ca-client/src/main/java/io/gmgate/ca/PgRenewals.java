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

import io.gmgate.crypto.GmPem;
import io.gmgate.jdbc.Jdbc;

/** Pending and finished renewals (ca_renewals, V20/V21), keyed by the SM3 hash of their renewal code. */
public final class PgRenewals {

    public enum State { STARTED, COMPLETED, EXPIRED }

    /** One renewal; issued is null until it completes. */
    public record Renewal(String codeHash, String account, BigInteger oldSerial, State state, IssuedCertificates issued,
                          Instant createdAt, Instant expiresAt, int attempts, String lastError) {
    }

    private final Jdbc jdbc;

    public PgRenewals(DataSource dataSource) {
        this.jdbc = PgCaStore.jdbc(dataSource);
    }

    /**
     * Opens a renewal of oldSerial, first retiring a code that outlived its validity. CA-110 if one is
     * open, CA-111 if the certificate was already renewed (one open or finished renewal per certificate).
     */
    public void start(String codeHash, String account, BigInteger oldSerial, Instant now, Instant expiresAt) {
        String old = PgCaStore.hex(oldSerial);
        try (Connection c = jdbc.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                execute(c, "UPDATE ca_renewals SET state = 'EXPIRED' WHERE old_serial = ? AND state = 'STARTED' AND expires_at <= ?",
                        old, Timestamp.from(now));
                execute(c, "INSERT INTO ca_renewals (code, account, old_serial, state, created_at, expires_at) "
                        + "VALUES (?, ?, ?, 'STARTED', ?, ?)", codeHash, account, old, Timestamp.from(now), Timestamp.from(expiresAt));
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw PgCaStore.storeError("start renewal of " + old, e);
        }
        Renewal open = openFor(oldSerial).orElse(null);
        if (open == null || !open.codeHash().equals(codeHash)) {
            if (open != null && open.state() == State.COMPLETED) {
                throw new CaException(CaErrors.ALREADY_RENEWED, "certificate " + old + " was renewed on " + open.createdAt()
                        + " (new sign certificate " + PgCaStore.hex(open.issued().signSerial()) + ")");
            }
            throw new CaException(CaErrors.RENEWAL_IN_PROGRESS, "certificate " + old + " has a renewal in progress since "
                    + (open == null ? "just now" : open.createdAt() + "; its code is valid until " + open.expiresAt()));
        }
    }

    public Optional<Renewal> byCode(String codeHash) {
        return jdbc.query("renewal by code", "SELECT " + COLUMNS + " FROM ca_renewals WHERE code = ?", PgRenewals::renewal, codeHash).stream().findFirst();
    }

    private Optional<Renewal> openFor(BigInteger oldSerial) {
        return jdbc.query("open renewal", "SELECT " + COLUMNS + " FROM ca_renewals WHERE old_serial = ? AND state IN ('STARTED', 'COMPLETED')",
                PgRenewals::renewal, PgCaStore.hex(oldSerial)).stream().findFirst();
    }

    /** Stores what the CA issued; a renewal completes once. */
    public void complete(String codeHash, IssuedCertificates issued, Instant at) {
        StringBuilder chain = new StringBuilder();
        issued.chain().forEach(c -> chain.append(GmPem.toPem(c)));
        jdbc.update("complete renewal", "UPDATE ca_renewals SET state = 'COMPLETED', sign_der = ?, enc_der = ?, enc_key = ?, chain_pem = ?, "
                + "served_by = ?, completed_at = ?, attempts = attempts + 1, last_error = NULL WHERE code = ? AND state = 'STARTED'",
                PgCaStore.encoded(issued.sign()), PgCaStore.encoded(issued.enc()),
                issued.encKey() == null ? null : issued.encKey().toDer(), chain.toString(), issued.servedBy(), Timestamp.from(at),
                codeHash);
    }

    /** Counts a failed attempt and keeps why, for the operator; the code stays usable. */
    public void failed(String codeHash, String why) {
        jdbc.update("count a failed renewal", "UPDATE ca_renewals SET attempts = attempts + 1, last_error = ? WHERE code = ?",
                why.length() > 500 ? why.substring(0, 500) : why, codeHash);
    }

    private static final String COLUMNS = "code, account, old_serial, state, sign_der, enc_der, enc_key, chain_pem, served_by, "
            + "created_at, expires_at, attempts, last_error";

    private static Renewal renewal(ResultSet rs) throws SQLException {
        byte[] sign = rs.getBytes(5);
        IssuedCertificates issued = null;
        if (sign != null) {
            byte[] key = rs.getBytes(7);
            String chain = rs.getString(8);
            issued = new IssuedCertificates(GmPem.certificateFromDer(sign), GmPem.certificateFromDer(rs.getBytes(6)),
                    key == null ? null : Sm2EnvelopedKey.fromDer(key),
                    chain == null || chain.isEmpty() ? List.of() : GmPem.certificatesFromPem(chain), rs.getString(9));
        }
        return new Renewal(rs.getString(1), rs.getString(2), new BigInteger(rs.getString(3), 16), State.valueOf(rs.getString(4)),
                issued, rs.getTimestamp(10).toInstant(), rs.getTimestamp(11).toInstant(), rs.getInt(12), rs.getString(13));
    }

    private static void execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(c, ps, args);
            ps.executeUpdate();
        }
    }
}
