package io.gmgate.ca.cmp;

import java.math.BigInteger;
import java.util.Objects;

import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.x500.X500Name;

import io.gmgate.ca.CertificateProfile;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2SignKey;

/**
 * One CRMF certificate request (RFC 4211) as the CMP client sends it in an ir, cr or kur.
 *
 * <ul>
 * <li>{@code publicKey} null asks the CA to generate the key (RFC 9483 §4.1.6, central key
 *     generation); the CA then returns it encrypted to {@code protocolEncrKey} (RFC 4211 §6.6), for
 *     gmgate the user's sign key, as GM/T 0009's SM2EnvelopedKey does.</li>
 * <li>Proof of possession (RFC 4211 §4): a signature by {@code popSigner}, or raVerified when gmgate,
 *     acting as the RA, has already checked it (a co-signed PKCS#10, or an encryption key generated
 *     with the cosign server), or none for a CA-generated key.</li>
 * <li>{@code oldSerial} names the certificate a kur replaces (the oldCertID control, RFC 4211 §6.5).</li>
 * </ul>
 */
public record CertRequest(Kind kind, X500Name subject, Sm2PublicKey publicKey, CertificateProfile usage,
                          Sm2SignKey popSigner, boolean raVerified, BigInteger oldSerial, Sm2PublicKey protocolEncrKey) {

    /** The request body and the body type of its answer (RFC 4210 §5.3.1–§5.3.6). */
    public enum Kind {
        IR(PKIBody.TYPE_INIT_REQ, PKIBody.TYPE_INIT_REP),
        CR(PKIBody.TYPE_CERT_REQ, PKIBody.TYPE_CERT_REP),
        KUR(PKIBody.TYPE_KEY_UPDATE_REQ, PKIBody.TYPE_KEY_UPDATE_REP);

        final int request;
        final int response;

        Kind(int request, int response) {
            this.request = request;
            this.response = response;
        }
    }

    public CertRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(usage, "usage");
        if (usage.isCa()) {
            throw new IllegalArgumentException("gmgate does not request CA certificates over CMP");
        }
        if (publicKey == null && protocolEncrKey == null) {
            throw new IllegalArgumentException("a CA-generated key needs a protocolEncrKey to come back encrypted to");
        }
        if (popSigner != null && (publicKey == null || !popSigner.publicKey().equals(publicKey))) {
            throw new IllegalArgumentException("the proof-of-possession signer does not hold the requested key");
        }
        if (popSigner != null && raVerified) {
            throw new IllegalArgumentException("choose one proof of possession: a signature or raVerified");
        }
        if (publicKey != null && popSigner == null && !raVerified) {
            throw new IllegalArgumentException("a request for an existing key needs a proof of possession");
        }
        if ((kind == Kind.KUR) != (oldSerial != null)) {
            throw new IllegalArgumentException("kur, and only kur, names the certificate it replaces");
        }
    }

    /** An existing key whose possession the signer proves. */
    public static CertRequest signed(Kind kind, X500Name subject, Sm2SignKey signer, CertificateProfile usage) {
        return new CertRequest(kind, subject, signer.publicKey(), usage, signer, false, null, null);
    }

    /** An existing key whose possession gmgate, as the RA, has verified. */
    public static CertRequest raVerified(Kind kind, X500Name subject, Sm2PublicKey key, CertificateProfile usage) {
        return new CertRequest(kind, subject, key, usage, null, true, null, null);
    }

    /** A key the CA generates and returns encrypted to {@code recipient}. */
    public static CertRequest caGenerated(Kind kind, X500Name subject, CertificateProfile usage, Sm2PublicKey recipient) {
        return new CertRequest(kind, subject, null, usage, null, false, null, recipient);
    }

    /** The same request as a kur replacing {@code old}. */
    public CertRequest replacing(BigInteger old) {
        return new CertRequest(Kind.KUR, subject, publicKey, usage, popSigner, raVerified, old, protocolEncrKey);
    }
}
