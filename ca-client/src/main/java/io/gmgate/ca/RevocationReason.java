package io.gmgate.ca;

import org.bouncycastle.asn1.x509.CRLReason;

/** RFC 5280 §5.3.1 reason codes that gmgate uses. */
public enum RevocationReason {
    UNSPECIFIED(CRLReason.unspecified),
    KEY_COMPROMISE(CRLReason.keyCompromise),
    AFFILIATION_CHANGED(CRLReason.affiliationChanged),
    SUPERSEDED(CRLReason.superseded),
    CESSATION_OF_OPERATION(CRLReason.cessationOfOperation),
    CERTIFICATE_HOLD(CRLReason.certificateHold),
    PRIVILEGE_WITHDRAWN(CRLReason.privilegeWithdrawn);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static RevocationReason of(int code) {
        for (RevocationReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return UNSPECIFIED;
    }
}
