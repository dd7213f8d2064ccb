package io.gmgate.keystore;

/**
 * The outcome of walking the audit chain: how many records verified, and if the chain is broken, the
 * sequence number of the first bad place and what is wrong there.
 */
public record AuditVerification(boolean intact, long recordsVerified, long lastSeq, long firstBadSeq, String problem) {

    static AuditVerification intact(long records, long lastSeq) {
        return new AuditVerification(true, records, lastSeq, 0, "");
    }

    static AuditVerification broken(long records, long lastGoodSeq, long firstBadSeq, String problem) {
        return new AuditVerification(false, records, lastGoodSeq, firstBadSeq, problem);
    }

    /** Throws KEY-109 naming the first bad record if the chain is broken. */
    public AuditVerification requireIntact(String instance) {
        if (!intact) {
            throw new KeystoreException(KeystoreErrors.AUDIT_CHAIN_BROKEN, "[KEY " + instance + "] " + problem);
        }
        return this;
    }

    @Override
    public String toString() {
        return intact ? "audit chain intact: " + recordsVerified + " records, last #" + lastSeq
                : "audit chain BROKEN at #" + firstBadSeq + ": " + problem + " (" + recordsVerified + " records verified before it)";
    }
}
