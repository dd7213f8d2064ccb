package io.gmgate.ca.cmp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import javax.security.auth.Destroyable;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;
import io.gmgate.ca.CertificateMaker;
import io.gmgate.ca.Sm2ContentSigner;
import io.gmgate.crypto.Sm2SignKey;

/**
 * How a CMP client protects its requests (RFC 4210 §5.1.3): a secret shared with the CA and named by
 * a reference (PBM, RFC 4210 §5.1.3.1; what `openssl cmp -ref -secret` does), or an SM2 signature by
 * a key whose certificate the CA issued (§5.1.3.3), with the default ID of GM/T 0009.
 */
public sealed interface CmpProtection permits CmpProtection.Mac, CmpProtection.Signature {

    /** The sender field: a NULL-DN for MAC (RFC 4210 §5.1.1 allows it with a senderKID), else the signer's subject. */
    GeneralName sender();

    /** senderKID: the reference for MAC, the signer's key identifier for a signature. */
    byte[] senderKid();

    ProtectedPKIMessage protect(ProtectedPKIMessageBuilder builder);

    /** A reference and the secret the CA shares for it; the secret bytes are zeroed by {@link #destroy}. */
    final class Mac implements CmpProtection, Destroyable {
        private final String reference;
        private final byte[] secret;
        private final PasswordBasedMac.Algorithm algorithm;
        private final int iterations;
        private volatile boolean destroyed;

        public Mac(String reference, byte[] secret, PasswordBasedMac.Algorithm algorithm, int iterations) {
            this.reference = Objects.requireNonNull(reference, "reference");
            if (secret == null || secret.length == 0) {
                throw new IllegalArgumentException("CMP reference '" + reference + "' has an empty secret");
            }
            if (!PasswordBasedMac.isText(secret)) {
                throw new IllegalArgumentException("CMP reference '" + reference + "': the secret must be UTF-8 text");
            }
            this.secret = secret.clone();
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            PasswordBasedMac.newParameters(algorithm, iterations);
            this.iterations = iterations;
        }

        /** SM3 / HMAC-SM3 with the default iteration count. */
        public static Mac sm3(String reference, byte[] secret) {
            return new Mac(reference, secret, PasswordBasedMac.Algorithm.SM3, PasswordBasedMac.DEFAULT_ITERATIONS);
        }

        public String reference() {
            return reference;
        }

        /** A copy of the secret for PBM; callers zero it. */
        byte[] secret() {
            if (destroyed) {
                throw new IllegalStateException("CMP secret for '" + reference + "' was destroyed");
            }
            return secret.clone();
        }

        @Override
        public GeneralName sender() {
            return new GeneralName(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]));
        }

        @Override
        public byte[] senderKid() {
            return reference.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public ProtectedPKIMessage protect(ProtectedPKIMessageBuilder builder) {
            byte[] s = secret();
            try {
                return builder.build(PasswordBasedMac.calculator(PasswordBasedMac.newParameters(algorithm, iterations), s));
            } catch (CMPException e) {
                throw new CaException(CaErrors.CA_PROTOCOL, "cannot MAC-protect a CMP message: " + e.getMessage(), e);
            } finally {
                Arrays.fill(s, (byte) 0);
            }
        }

        @Override
        public void destroy() {
            Arrays.fill(secret, (byte) 0);
            destroyed = true;
        }

        @Override
        public boolean isDestroyed() {
            return destroyed;
        }

        @Override
        public String toString() {
            return "CmpProtection.Mac[ref=" + reference + ", " + algorithm + ", secret=[redacted]]";
        }
    }

    /** An SM2 signature; certificate is the signer's, chain the certificates above it (sent as extraCerts). */
    record Signature(Sm2SignKey signer, X509CertificateHolder certificate, List<X509CertificateHolder> chain)
            implements CmpProtection {

        public Signature {
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(certificate, "certificate");
            chain = chain == null ? List.of() : List.copyOf(chain);
        }

        @Override
        public GeneralName sender() {
            return new GeneralName(certificate.getSubject());
        }

        @Override
        public byte[] senderKid() {
            return CertificateMaker.keyId(signer.publicKey());
        }

        @Override
        public ProtectedPKIMessage protect(ProtectedPKIMessageBuilder builder) {
            builder.addCMPCertificate(certificate);  // RFC 4210 §5.1.1: the signer's certificate first in extraCerts
            chain.forEach(builder::addCMPCertificate);
            try {
                return builder.build(new Sm2ContentSigner(signer));
            } catch (CMPException e) {
                throw new CaException(CaErrors.CA_PROTOCOL, "cannot sign a CMP message: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "CmpProtection.Signature[" + certificate.getSubject() + ", signer=" + signer + "]";
        }
    }
}
