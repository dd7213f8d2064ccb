package io.gmgate.ca;

import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The certificate kinds the embedded CA issues (GM/T 0015-2012 §5, and design §13 for what GmSSL and
 * Tongsuo accept). Leaves carry no basicConstraints at all: GmSSL rejects a leaf with CA:false.
 */
public enum CertificateProfile {
    ROOT_CA(KeyUsage.keyCertSign | KeyUsage.cRLSign, true, -1),
    ISSUING_CA(KeyUsage.keyCertSign | KeyUsage.cRLSign, true, 0),
    /** The signing half of a double certificate. */
    SIGN(KeyUsage.digitalSignature | KeyUsage.nonRepudiation, false, -1),
    /** The encryption half; Tongsuo requires keyAgreement (or digitalSignature) here. */
    ENCRYPTION(KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement, false, -1);

    private final int keyUsage;
    private final boolean ca;
    private final int pathLength;

    CertificateProfile(int keyUsage, boolean ca, int pathLength) {
        this.keyUsage = keyUsage;
        this.ca = ca;
        this.pathLength = pathLength;
    }

    public KeyUsage keyUsage() {
        return new KeyUsage(keyUsage);
    }

    public boolean isCa() {
        return ca;
    }

    /** Path length constraint for a CA, or -1 for none. */
    public int pathLength() {
        return pathLength;
    }
}
