package io.gmgate.app.wiring;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.ca.CertificateStatus;
import io.gmgate.ca.PgCaStore;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.ShardStore;
import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;

/**
 * What the trading listener asks about a client certificate beyond its chain (design §4 step 5):
 * the CA has not revoked it, and the key record behind it is ACTIVE — not locked by the PIN
 * counter, the trader or an operator, not revoked or destroyed. Certificates of whole keys from an
 * external CA (hardware tokens) have no key record and pass only when the policy allows them.
 */
public final class CertificateGate implements RevocationCheck {

    private final PgCaStore certificates;
    private final ShardStore keys;
    private final boolean acceptExternalWholeKeys;

    public CertificateGate(PgCaStore certificates, ShardStore keys, boolean acceptExternalWholeKeys) {
        this.certificates = certificates;
        this.keys = keys;
        this.acceptExternalWholeKeys = acceptExternalWholeKeys;
    }

    @Override
    public void check(X509CertificateHolder cert) {
        BigInteger serial = cert.getSerialNumber();
        String hex = PgCaStore.hex(serial);
        Optional<CertificateStatus> status = certificates.status(serial);
        if (status.isPresent() && status.get().state() == CertificateStatus.State.REVOKED) {
            throw refused(hex + " is revoked by the CA (" + status.get().reason() + ")");
        }
        List<KeyRecord> records = keys.keysForCertificate(hex);
        if (records.isEmpty()) {
            if (status.isEmpty() && !acceptExternalWholeKeys) {
                throw refused(hex + " is unknown here: no key record and not issued by this CA");
            }
            return;
        }
        if (records.stream().noneMatch(k -> k.state() == KeyState.ACTIVE)) {
            throw refused(hex + " has no ACTIVE key record: " + records.stream().map(KeyRecord::state).distinct().toList());
        }
    }

    /**
     * A resumption's re-check (issue 14 item 7): the certificate passes {@link #check} and the one key
     * record (device) that authenticated the session is still behind it and ACTIVE; another ACTIVE
     * device of the same certificate does not count. An empty {@code keyId} is a whole key from an
     * external CA, which must still have no key record here.
     */
    public void checkKeyRecord(X509CertificateHolder cert, java.util.OptionalLong keyId) {
        check(cert);
        String hex = PgCaStore.hex(cert.getSerialNumber());
        List<KeyRecord> records = keys.keysForCertificate(hex);
        if (keyId.isEmpty()) {
            if (!records.isEmpty()) {
                throw refused(hex + " has key records now; the session was bound to none");
            }
            return;
        }
        KeyRecord bound = records.stream().filter(k -> k.keyId() == keyId.getAsLong()).findFirst()
                .orElseThrow(() -> refused(hex + ": key record " + keyId.getAsLong() + " is no longer behind it"));
        if (bound.state() != KeyState.ACTIVE) {
            throw refused(hex + ": the session's key record " + bound.keyId() + " (device " + bound.device() + ") is "
                    + bound.state());
        }
    }

    private static TlcpException refused(String why) {
        return new TlcpException(TlcpErrors.PEER_CERTIFICATE_REVOKED, Alert.CERTIFICATE_REVOKED, "certificate " + why);
    }
}
