package io.gmgate.tlcp.path;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.tlcp.interop.TestPki;

/**
 * Certificates for the path corpus, made with BouncyCastle and SM2-with-SM3 (default ID): one fluent
 * builder whose every field can be bent the way an x509-limbo case bends it.
 */
final class CorpusCerts {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final ASN1ObjectIdentifier UNKNOWN = new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1");
    static final int CA_USAGE = KeyUsage.keyCertSign | KeyUsage.cRLSign;
    static final int SIGN_USAGE = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
    static final int ENC_USAGE = KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement;

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(70_000);

    /** A key and its certificate. */
    record Cred(Sm2PrivateKey key, X509CertificateHolder cert) {
        @Override
        public String toString() {
            return cert.getSubject().toString();
        }
    }

    private CorpusCerts() {
    }

    static Builder cert(String cn) {
        return new Builder(cn);
    }

    /** A self-signed root CA (cA=TRUE, keyCertSign). */
    static Cred root(String cn) {
        return cert(cn).ca(null).issue(null);
    }

    /** An intermediate CA under issuer. */
    static Cred ca(String cn, Cred issuer) {
        return cert(cn).ca(null).issue(issuer);
    }

    static Cred sign(String cn, Cred issuer) {
        return cert(cn).usage(SIGN_USAGE).issue(issuer);
    }

    static Cred enc(String cn, Cred issuer) {
        return cert(cn).usage(ENC_USAGE).issue(issuer);
    }

    /** A CRL signed by {@code by} (with {@code key}, normally by's own) listing the given certificates. */
    static X509CRLHolder crl(Cred by, Sm2PrivateKey key, X509CertificateHolder... revoked) {
        X509v2CRLBuilder b = new X509v2CRLBuilder(by.cert().getSubject(), Date.from(NOW.minus(Duration.ofDays(1))));
        b.setNextUpdate(Date.from(NOW.plus(Duration.ofDays(7))));
        for (X509CertificateHolder c : revoked) {
            b.addCRLEntry(c.getSerialNumber(), Date.from(NOW.minus(Duration.ofDays(2))), CRLReason.cACompromise);
        }
        try {
            return b.build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BC).build(TestPki.jcaKey(key)));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Builder {
        private final String cn;
        private Boolean ca;                 // null: no basicConstraints
        private Integer pathLen;
        private Integer usage = SIGN_USAGE; // null: no keyUsage
        private Instant notBefore = NOW.minus(Duration.ofDays(30));
        private Instant notAfter = NOW.plus(Duration.ofDays(365));
        private X500Name issuerName;        // overrides the issuer's subject
        private Sm2PrivateKey signingKey;   // overrides the issuer's key
        private boolean unknownCritical;
        private boolean unknownNonCritical;
        private Sm2PrivateKey key = Sm2PrivateKey.generate();

        private Builder(String cn) {
            this.cn = cn;
        }

        /** basicConstraints cA=TRUE with the given pathLen (null: none), keyUsage keyCertSign + cRLSign. */
        Builder ca(Integer pathLen) {
            this.ca = true;
            this.pathLen = pathLen;
            this.usage = CA_USAGE;
            return this;
        }

        Builder basicConstraints(Boolean ca) {
            this.ca = ca;
            return this;
        }

        Builder usage(Integer usage) {
            this.usage = usage;
            return this;
        }

        Builder validity(Instant notBefore, Instant notAfter) {
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            return this;
        }

        Builder issuerName(String dn) {
            this.issuerName = new X500Name(dn);
            return this;
        }

        Builder signedWith(Sm2PrivateKey key) {
            this.signingKey = key;
            return this;
        }

        Builder key(Sm2PrivateKey key) {
            this.key = key;
            return this;
        }

        Builder unknownCriticalExtension() {
            this.unknownCritical = true;
            return this;
        }

        Builder unknownNonCriticalExtension() {
            this.unknownNonCritical = true;
            return this;
        }

        /** Issued by {@code issuer}, or self-signed when null. */
        Cred issue(Cred issuer) {
            X500Name subject = new X500Name("CN=" + cn + ",O=gmgate corpus");
            X500Name from = issuerName != null ? issuerName : issuer == null ? subject : issuer.cert().getSubject();
            Sm2PrivateKey by = signingKey != null ? signingKey : issuer == null ? key : issuer.key();
            try {
                X509v3CertificateBuilder b = new X509v3CertificateBuilder(from, BigInteger.valueOf(SERIAL.incrementAndGet()),
                        Date.from(notBefore), Date.from(notAfter), subject, GmPem.toSpki(key.publicKey()));
                if (ca != null) {
                    b.addExtension(Extension.basicConstraints, true,
                            !ca ? new BasicConstraints(false) : pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen));
                }
                if (usage != null) {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                }
                if (unknownCritical) {
                    b.addExtension(UNKNOWN, true, DERNull.INSTANCE);
                }
                if (unknownNonCritical) {
                    b.addExtension(UNKNOWN, false, DERNull.INSTANCE);
                }
                return new Cred(key, b.build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BC).build(TestPki.jcaKey(by))));
            } catch (IOException | OperatorCreationException e) {
                throw new IllegalStateException("corpus certificate " + cn + " could not be made", e);
            }
        }
    }
}
