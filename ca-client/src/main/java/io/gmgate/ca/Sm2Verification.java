package io.gmgate.ca;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;

/** Checks SM3withSM2 signatures on certificates, CRLs and requests with the default ID. */
public final class Sm2Verification {

    private Sm2Verification() {
    }

    /** A verifier provider for one SM2 public key; any other algorithm fails to verify. */
    public static ContentVerifierProvider provider(Sm2PublicKey key) {
        return provider(key, Sm2Signer.defaultId());
    }

    /**
     * The same with another signer ID. OpenSSL 3 signs requests and CMP proofs of possession with an
     * empty ID unless told otherwise (design §14); a peer's proof may be checked with both.
     */
    public static ContentVerifierProvider provider(Sm2PublicKey key, byte[] id) {
        return new ContentVerifierProvider() {
            @Override
            public boolean hasAssociatedCertificate() {
                return false;
            }

            @Override
            public X509CertificateHolder getAssociatedCertificate() {
                return null;
            }

            @Override
            public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
                if (!GMObjectIdentifiers.sm2sign_with_sm3.equals(algorithm.getAlgorithm())) {
                    throw new OperatorCreationException("signature algorithm " + algorithm.getAlgorithm() + " is not SM3withSM2");
                }
                return new Verifier(key, id);
            }
        };
    }

    public static boolean verify(X509CertificateHolder certificate, Sm2PublicKey issuerKey) {
        try {
            return certificate.isSignatureValid(provider(issuerKey));
        } catch (Exception e) {
            return false;
        }
    }

    /** The SM2 public key of a PKCS#10 request after checking the request's self-signature (its POP). */
    public static Sm2PublicKey verifiedKey(PKCS10CertificationRequest csr) {
        Sm2PublicKey key = publicKey(csr.getSubjectPublicKeyInfo(), "certificate request");
        try {
            if (!csr.isSignatureValid(provider(key))) {
                throw new CaException(CaErrors.REQUEST_REJECTED,
                        "certificate request for '" + csr.getSubject() + "' has a bad SM3withSM2 signature (default ID expected)");
            }
        } catch (PKCSException e) {
            throw new CaException(CaErrors.REQUEST_REJECTED, "certificate request signature cannot be checked: " + e.getMessage(), e);
        }
        return key;
    }

    static Sm2PublicKey publicKey(SubjectPublicKeyInfo spki, String what) {
        try {
            return GmPem.publicKeyFromSpki(spki);
        } catch (GmCryptoException e) {
            throw new CaException(CaErrors.REQUEST_REJECTED, what + " does not carry an SM2 public key: " + e.getMessage(), e);
        }
    }

    private static final class Verifier implements ContentVerifier {
        private final Sm2PublicKey key;
        private final byte[] id;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Verifier(Sm2PublicKey key, byte[] id) {
            this.key = key;
            this.id = id.clone();
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return Sm2ContentSigner.SM3_WITH_SM2;
        }

        @Override
        public OutputStream getOutputStream() {
            return buffer;
        }

        @Override
        public boolean verify(byte[] signature) {
            try {
                return Sm2Signer.verify(key, id, buffer.toByteArray(), Sm2Signature.fromDer(signature));
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
