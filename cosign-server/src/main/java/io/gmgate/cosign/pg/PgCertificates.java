package io.gmgate.cosign.pg;

import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.ca.IssuedCertificates;
import io.gmgate.crypto.GmPem;
import io.gmgate.jdbc.Jdbc;

/** The double certificates handed out through cosign (V43), whichever CA issued them. */
public final class PgCertificates {

    /** One double certificate with its chain (issuing CA first). */
    public record Pair(String signSerial, String encSerial, String account, String issuer, byte[] signDer, byte[] encDer,
                       List<byte[]> chainDer, Instant notBefore, Instant notAfter, String replacedBy, Instant revokedAt) {
    }

    private static final String COLUMNS = "sign_serial, enc_serial, account, issuer, sign_der, enc_der, chain_der, not_before, "
            + "not_after, replaced_by, revoked_at";

    private final Jdbc jdbc;

    public PgCertificates(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public static String hex(BigInteger serial) {
        return serial.toString(16);
    }

    /** Records an issued pair (idempotent: a retry that got the same certificates stores nothing new). */
    public Pair record(String account, IssuedCertificates issued, String replaces) {
        try {
            byte[][] chain = new byte[issued.chain().size()][];
            for (int i = 0; i < chain.length; i++) {
                chain[i] = issued.chain().get(i).getEncoded();
            }
            Pair p = new Pair(hex(issued.signSerial()), hex(issued.encSerial()), account, issued.servedBy(),
                    issued.sign().getEncoded(), issued.enc().getEncoded(), List.of(chain),
                    issued.sign().getNotBefore().toInstant(), issued.sign().getNotAfter().toInstant(), null, null);
            jdbc.tx("record certificates " + p.signSerial(), c -> {
                Jdbc.update(c, "INSERT INTO cosign_certificates (sign_serial, enc_serial, account, issuer, sign_der, enc_der, chain_der, "
                        + "not_before, not_after, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sign_serial) DO NOTHING",
                        p.signSerial(), p.encSerial(), account, p.issuer(), p.signDer(), p.encDer(), chain, p.notBefore(),
                        p.notAfter(), replaces);
                if (replaces != null) {
                    Jdbc.update(c, "UPDATE cosign_certificates SET replaced_by = ? WHERE sign_serial = ?", p.signSerial(), replaces);
                }
                return null;
            });
            return p;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("certificate re-encoding failed", e);
        }
    }

    public Optional<Pair> bySerial(String serial) {
        return jdbc.one("read certificates " + serial, "SELECT " + COLUMNS + " FROM cosign_certificates WHERE sign_serial = ? "
                + "OR enc_serial = ?", PgCertificates::row, serial, serial);
    }

    public void markRevoked(String signSerial, Instant at) {
        jdbc.update("mark revoked " + signSerial, "UPDATE cosign_certificates SET revoked_at = ? WHERE sign_serial = ? "
                + "AND revoked_at IS NULL", at, signSerial);
    }

    public static X509CertificateHolder certificate(byte[] der) {
        return GmPem.certificateFromDer(der);
    }

    private static Pair row(ResultSet rs) throws SQLException {
        Array a = rs.getArray(7);
        List<byte[]> chain = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) {
            chain.add((byte[]) o);
        }
        return new Pair(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5), rs.getBytes(6),
                List.copyOf(chain), Jdbc.instant(rs, "not_before"), Jdbc.instant(rs, "not_after"), rs.getString(10),
                Jdbc.instant(rs, "revoked_at"));
    }
}
