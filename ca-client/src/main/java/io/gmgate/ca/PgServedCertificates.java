package io.gmgate.ca;

import java.math.BigInteger;
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

/**
 * Which CA served each double certificate, and what it served (ca_served, V20/V21): the failover
 * layer's memory. It lets a repeated request get the same certificates back from whichever CA
 * served it, and answers status for every CA's certificates while the CAs themselves are down.
 */
public final class PgServedCertificates {

    public enum Operation { ISSUE, RENEW }

    /** One served double certificate and what is known of its status. */
    public record Served(String requestId, String caName, Operation operation, String account, BigInteger replaces,
                         IssuedCertificates certificates, CertificateStatus.State state, RevocationReason reason,
                         Instant revokedAt, Instant servedAt) {

        public BigInteger signSerial() {
            return certificates.signSerial();
        }

        public BigInteger encSerial() {
            return certificates.encSerial();
        }
    }

    private static final String COLUMNS = "request_id, ca_name, operation, account, replaces, sign_der, enc_der, enc_key, "
            + "chain_pem, status, revocation_reason, revoked_at, served_at";

    private final Jdbc jdbc;

    public PgServedCertificates(DataSource dataSource) {
        this.jdbc = PgCaStore.jdbc(dataSource);
    }

    /** Records what a CA served; a second record of the same request id keeps the first (false). */
    public boolean record(String requestId, Operation operation, String account, BigInteger replaces,
                          IssuedCertificates issued, Instant at) {
        StringBuilder chain = new StringBuilder();
        issued.chain().forEach(c -> chain.append(GmPem.toPem(c)));
        return jdbc.update("record served certificates", "INSERT INTO ca_served (sign_serial, enc_serial, issuer, ca_name, operation, account, served_at, "
                + "request_id, replaces, not_after, sign_der, enc_der, enc_key, chain_pem) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                PgCaStore.hex(issued.signSerial()), PgCaStore.hex(issued.encSerial()), issued.sign().getIssuer().toString(),
                issued.servedBy(), operation.name(), account, Timestamp.from(at), requestId,
                replaces == null ? null : PgCaStore.hex(replaces), Timestamp.from(issued.sign().getNotAfter().toInstant()),
                PgCaStore.encoded(issued.sign()), PgCaStore.encoded(issued.enc()),
                issued.encKey() == null ? null : issued.encKey().toDer(), chain.toString()) == 1;
    }

    public Optional<Served> byRequest(String requestId) {
        return jdbc.query("served by request", "SELECT " + COLUMNS + " FROM ca_served WHERE request_id = ?", PgServedCertificates::served, requestId)
                .stream().findFirst();
    }

    /** The double certificate one of whose halves has this serial. */
    public Optional<Served> bySerial(BigInteger serial) {
        String hex = PgCaStore.hex(serial);
        return jdbc.query("served by serial " + hex, "SELECT " + COLUMNS + " FROM ca_served WHERE sign_serial = ? OR enc_serial = ? ORDER BY served_at LIMIT 1",
                PgServedCertificates::served, hex, hex).stream().findFirst();
    }

    public List<Served> byAccount(String account) {
        return jdbc.query("served for an account", "SELECT " + COLUMNS + " FROM ca_served WHERE account = ? ORDER BY served_at", PgServedCertificates::served,
                account);
    }

    /** Status of either half, from the record (no CA is asked). */
    public Optional<CertificateStatus> status(BigInteger serial) {
        return bySerial(serial).map(s -> {
            X509CertificateHolder cert = s.signSerial().equals(serial) ? s.certificates().sign() : s.certificates().enc();
            return new CertificateStatus(serial, s.state(), cert.getNotAfter().toInstant(), s.reason(), s.revokedAt());
        });
    }

    /** Marks both halves revoked; revoking twice keeps the first time and reason. */
    public void markRevoked(BigInteger serial, RevocationReason reason, Instant at) {
        String hex = PgCaStore.hex(serial);
        jdbc.update("mark served " + hex + " revoked", "UPDATE ca_served SET status = 'REVOKED', revoked_at = COALESCE(revoked_at, ?), "
                + "revocation_reason = COALESCE(revocation_reason, ?) WHERE sign_serial = ? OR enc_serial = ?",
                Timestamp.from(at), reason.code(), hex, hex);
    }

    private static Served served(ResultSet rs) throws SQLException {
        byte[] encKey = rs.getBytes(8);
        String chain = rs.getString(9);
        IssuedCertificates issued = new IssuedCertificates(GmPem.certificateFromDer(rs.getBytes(6)),
                GmPem.certificateFromDer(rs.getBytes(7)), encKey == null ? null : Sm2EnvelopedKey.fromDer(encKey),
                chain == null || chain.isEmpty() ? List.of() : GmPem.certificatesFromPem(chain), rs.getString(2));
        boolean revoked = "REVOKED".equals(rs.getString(10));
        Timestamp revokedAt = rs.getTimestamp(12);
        String replaces = rs.getString(5);
        return new Served(rs.getString(1), rs.getString(2), Operation.valueOf(rs.getString(3)), rs.getString(4),
                replaces == null ? null : new BigInteger(replaces, 16), issued,
                revoked ? CertificateStatus.State.REVOKED : CertificateStatus.State.GOOD,
                revoked ? RevocationReason.of(rs.getInt(11)) : null, revokedAt == null ? null : revokedAt.toInstant(),
                rs.getTimestamp(13).toInstant());
    }
}
