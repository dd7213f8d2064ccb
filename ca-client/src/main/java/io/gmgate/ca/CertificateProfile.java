package io.gmgate.ca;

import java.util.Optional;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The certificate kinds the embedded CA issues (GM/T 0015-2012 §5, and design §13 for what GmSSL and
 * Tongsuo accept). Leaves carry no basicConstraints at all: GmSSL rejects a leaf with CA:false.
 * Leaves carry a role in the extended key usage (design §4 step 5): a trader's double certificate
 * is id-kp-clientAuth only, the gateway's is id-kp-serverAuth, so a trader's certificate can never
 * pass as the gateway with a terminal.
 */
public enum CertificateProfile {
    ROOT_CA(KeyUsage.keyCertSign | KeyUsage.cRLSign, true, -1, null),
    ISSUING_CA(KeyUsage.keyCertSign | KeyUsage.cRLSign, true, 0, null),
    /** The signing half of a trader's double certificate. */
    SIGN(KeyUsage.digitalSignature | KeyUsage.nonRepudiation, false, -1, KeyPurposeId.id_kp_clientAuth),
    /** The encryption half; Tongsuo requires keyAgreement (or digitalSignature) here. */
    ENCRYPTION(KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement, false, -1,
            KeyPurposeId.id_kp_clientAuth),
    /** The signing half of the gateway's double certificate: the role terminals require. */
    GATEWAY_SIGN(KeyUsage.digitalSignature | KeyUsage.nonRepudiation, false, -1, KeyPurposeId.id_kp_serverAuth),
    /** The encryption half of the gateway's double certificate, with the same role. */
    GATEWAY_ENCRYPTION(KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement, false, -1,
            KeyPurposeId.id_kp_serverAuth);

    private final int keyUsage;
    private final boolean ca;
    private final int pathLength;
    private final KeyPurposeId role;

    CertificateProfile(int keyUsage, boolean ca, int pathLength, KeyPurposeId role) {
        this.keyUsage = keyUsage;
        this.ca = ca;
        this.pathLength = pathLength;
        this.role = role;
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

    /** The extended key usage of a leaf (clientAuth for traders, serverAuth for the gateway); empty for a CA. */
    public Optional<KeyPurposeId> role() {
        return Optional.ofNullable(role);
    }

    /** Whether this is one of the gateway's certificates, which only the CA's operator can have made. */
    public boolean isGateway() {
        return this == GATEWAY_SIGN || this == GATEWAY_ENCRYPTION;
    }
}
