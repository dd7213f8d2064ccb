package io.gmgate.ca;

import java.math.BigInteger;
import java.time.Instant;

/** What a CA says about one serial number. notAfter, reason and revokedAt may be null. */
public record CertificateStatus(BigInteger serial, State state, Instant notAfter, RevocationReason reason, Instant revokedAt) {

    public enum State { GOOD, REVOKED, UNKNOWN }

    public static CertificateStatus unknown(BigInteger serial) {
        return new CertificateStatus(serial, State.UNKNOWN, null, null, null);
    }
}
