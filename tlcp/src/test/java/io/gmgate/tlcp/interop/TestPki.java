package io.gmgate.tlcp.interop;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;

/**
 * A throw-away SM2 PKI for interop tests: one root CA and GM/T 0015 double certificates (sign +
 * enc) issued under it. Certificates are SM2-with-SM3 (default ID 1234567812345678), leaves carry
 * no basicConstraints (GmSSL rejects CA:false, design §13), the encryption half has keyAgreement
 * besides keyEncipherment and dataEncipherment (Tongsuo wants it, design §13).
 */
public final class TestPki {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    /** One key and its certificate; the private key also in PKCS#8 for JCA peers. */
    public record Credential(Sm2PrivateKey key, X509CertificateHolder certificate) {
        public byte[] pkcs8() {
            return GmPem.privateKeyToPkcs8(key);
        }

        public byte[] certificateDer() {
            try {
                return certificate.getEncoded();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return "Credential[" + certificate.getSubject() + ", key=[redacted]]";
        }
    }

    /** A double certificate: the signing half and the encryption half, same subject (GM/T 0015 §5). */
    public record DoubleCert(Credential sign, Credential enc) {
    }

    private final Credential root;

    private TestPki(Credential root) {
        this.root = root;
    }

    public static TestPki create(String name) {
        Sm2PrivateKey key = Sm2PrivateKey.generate();
        X500Name subject = new X500Name("CN=" + name + " root CA,O=gmgate test");
        X509CertificateHolder cert = build(subject, subject, key, key,
                KeyUsage.keyCertSign | KeyUsage.cRLSign, true);
        return new TestPki(new Credential(key, cert));
    }

    public Credential root() {
        return root;
    }

    public X509CertificateHolder rootCertificate() {
        return root.certificate();
    }

    /** A double certificate for cn, with SAN dns:localhost and ip:127.0.0.1 so hostname checks pass. */
    public DoubleCert issueDouble(String cn) {
        X500Name subject = new X500Name("CN=" + cn + ",O=gmgate test");
        Sm2PrivateKey signKey = Sm2PrivateKey.generate();
        Sm2PrivateKey encKey = Sm2PrivateKey.generate();
        X509CertificateHolder sign = build(subject, root.certificate().getSubject(), signKey, root.key(),
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation, false);
        X509CertificateHolder enc = build(subject, root.certificate().getSubject(), encKey, root.key(),
                KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement, false);
        return new DoubleCert(new Credential(signKey, sign), new Credential(encKey, enc));
    }

    /** The names terminals dial in tests: dns:localhost and ip:127.0.0.1. */
    public static final List<GeneralName> LOOPBACK_NAMES = List.of(new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"));

    /**
     * A gateway's double certificate (design §4 step 5): extended key usage id-kp-serverAuth on both
     * halves and these subjectAltNames, as the embedded CA issues them; terminals require both.
     */
    public DoubleCert issueGateway(String cn, List<GeneralName> names) {
        return issueDouble(cn, KeyPurposeId.id_kp_serverAuth, names);
    }

    /** A gateway double certificate for localhost and 127.0.0.1. */
    public DoubleCert issueGateway(String cn) {
        return issueGateway(cn, LOOPBACK_NAMES);
    }

    /** A double certificate with this role (extended key usage, null for none) and subjectAltNames. */
    public DoubleCert issueDouble(String cn, KeyPurposeId role, List<GeneralName> names) {
        X500Name subject = new X500Name("CN=" + cn + ",O=gmgate test");
        Sm2PrivateKey signKey = Sm2PrivateKey.generate();
        Sm2PrivateKey encKey = Sm2PrivateKey.generate();
        X509CertificateHolder sign = build(subject, root.certificate().getSubject(), signKey.publicKey(), root.key(),
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation, false, role, names);
        X509CertificateHolder enc = build(subject, root.certificate().getSubject(), encKey.publicKey(), root.key(),
                KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement, false, role, names);
        return new DoubleCert(new Credential(signKey, sign), new Credential(encKey, enc));
    }

    /** A gateway's TLS 1.3 certificate (serverAuth, localhost and 127.0.0.1). */
    public Credential issueGatewaySign(String cn) {
        X500Name subject = new X500Name("CN=" + cn + ",O=gmgate test");
        Sm2PrivateKey key = Sm2PrivateKey.generate();
        return new Credential(key, build(subject, root.certificate().getSubject(), key.publicKey(), root.key(),
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation, false, KeyPurposeId.id_kp_serverAuth, LOOPBACK_NAMES));
    }

    /** A single (sign-only) certificate, as TLS 1.3 with RFC 8998 uses. */
    public Credential issueSign(String cn) {
        X500Name subject = new X500Name("CN=" + cn + ",O=gmgate test");
        Sm2PrivateKey key = Sm2PrivateKey.generate();
        return new Credential(key, build(subject, root.certificate().getSubject(), key, root.key(),
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation, false));
    }

    /** A signing certificate for a key held elsewhere (a cipher card), by its public key. */
    public X509CertificateHolder issueSignFor(String cn, Sm2PublicKey key) {
        return build(new X500Name("CN=" + cn + ",O=gmgate test"), root.certificate().getSubject(), key, root.key(),
                KeyUsage.digitalSignature | KeyUsage.nonRepudiation, false);
    }

    private static X509CertificateHolder build(X500Name subject, X500Name issuer, Sm2PrivateKey subjectKey,
                                               Sm2PrivateKey issuerKey, int keyUsage, boolean ca) {
        return build(subject, issuer, subjectKey.publicKey(), issuerKey, keyUsage, ca);
    }

    private static X509CertificateHolder build(X500Name subject, X500Name issuer, Sm2PublicKey subjectKey,
                                               Sm2PrivateKey issuerKey, int keyUsage, boolean ca) {
        return build(subject, issuer, subjectKey, issuerKey, keyUsage, ca, null, LOOPBACK_NAMES);
    }

    private static X509CertificateHolder build(X500Name subject, X500Name issuer, Sm2PublicKey subjectKey,
                                               Sm2PrivateKey issuerKey, int keyUsage, boolean ca, KeyPurposeId role,
                                               List<GeneralName> names) {
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(30))), subject, GmPem.toSpki(subjectKey));
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            } else if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            if (role != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(role));
            }
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            ContentSigner signer = new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BC).build(jcaKey(issuerKey));
            return b.build(signer);
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("test certificate for " + subject + " could not be made", e);
        }
    }

    /** The key as a BouncyCastle JCA private key. */
    public static PrivateKey jcaKey(Sm2PrivateKey key) {
        try {
            return KeyFactory.getInstance("EC", BC).generatePrivate(new PKCS8EncodedKeySpec(GmPem.privateKeyToPkcs8(key)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate as a JDK X509Certificate (parsed by the default X.509 factory). */
    public static X509Certificate jdkCertificate(X509CertificateHolder holder) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (CertificateException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
