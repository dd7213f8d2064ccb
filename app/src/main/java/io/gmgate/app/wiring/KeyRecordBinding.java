package io.gmgate.app.wiring;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.SessionBinding;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;

/**
 * Binds a trading session to the key record (device) that authenticated it (docs/security.md, "Sessions and resumption"). Several
 * devices share one certificate (design §4 step 7, re-share), so the certificate alone does not say
 * which one signed. The device is the one whose co-signature produced the client's CertificateVerify:
 * the cosign nodes log the r of every co-signature with its key id (cosign_operation_log). Failing
 * that, a certificate with a single ACTIVE record binds to it; one with several and no co-signature
 * found is not offered for resumption. Whole keys from an external CA bind to "external".
 */
final class KeyRecordBinding implements SessionBinding {

    static final String EXTERNAL = "external";
    private static final String KEY = "key:";

    private final CertificateGate gate;
    private final DataSource database;

    KeyRecordBinding(CertificateGate gate, DataSource database) {
        this.gate = gate;
        this.database = database;
    }

    @Override
    public Optional<String> bind(List<X509CertificateHolder> chain, byte[] certificateVerify) {
        try {
            return bindOrThrow(chain, certificateVerify);
        } catch (RuntimeException storeDown) {
            // the handshake itself passed the gate: it stands, only its session is not resumable
            return Optional.empty();
        }
    }

    private Optional<String> bindOrThrow(List<X509CertificateHolder> chain, byte[] certificateVerify) {
        // as the gate's check of this handshake's Certificate read them, when it can tell, else read now
        List<KeyRecord> records = gate.sessionKeyRecords(chain.get(0));
        List<KeyRecord> active = records.stream().filter(k -> k.state() == KeyState.ACTIVE).toList();
        if (active.isEmpty()) {
            // the handshake passed the gate, so this is an accepted whole key from an external CA
            return records.isEmpty() ? Optional.of(EXTERNAL) : Optional.empty();
        }
        if (active.size() == 1) {
            // the log could only name this record or none, and either binds to it: no query on the login's path
            return Optional.of(KEY + active.get(0).keyId());
        }
        return coSigner(active, certificateVerify).map(signer -> KEY + signer);
    }

    @Override
    public void recheck(List<X509CertificateHolder> chain, String keyRecord, Instant now) {
        if (keyRecord.equals(EXTERNAL)) {
            gate.checkKeyRecord(chain.get(0), OptionalLong.empty());
        } else if (keyRecord.startsWith(KEY)) {
            gate.checkKeyRecord(chain.get(0), OptionalLong.of(Long.parseLong(keyRecord.substring(KEY.length()))));
        } else {
            throw new TlcpException(TlcpErrors.PEER_CERTIFICATE_REVOKED, Alert.CERTIFICATE_REVOKED,
                    "session bound to no key record ('" + keyRecord + "'): not resumable on this listener");
        }
    }

    /** The key record among {@code candidates} whose co-signature has the CertificateVerify's r. */
    private Optional<Long> coSigner(List<KeyRecord> candidates, byte[] certificateVerify) {
        BigInteger r;
        try {
            r = Sm2Signature.fromDer(certificateVerify).r();
        } catch (RuntimeException notDer) {
            return Optional.empty();
        }
        Long[] ids = candidates.stream().map(KeyRecord::keyId).toArray(Long[]::new);
        try (Connection c = database.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT key_id FROM cosign_operation_log WHERE operation = 'SIGN' AND key_id = ANY (?) AND r = ? "
                        + "ORDER BY seq DESC LIMIT 1")) {
            st.setArray(1, c.createArrayOf("bigint", ids));
            st.setBytes(2, Sm2Curve.encodeScalar(r));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException noCosignLogHere) {
            // a gateway whose database has no cosign tables: the single-record rule decides
            return Optional.empty();
        }
    }
}
