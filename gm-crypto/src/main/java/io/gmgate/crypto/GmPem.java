package io.gmgate.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM and DER for SM2 keys (PKCS#8, SEC1, SubjectPublicKeyInfo) and X.509 certificates. Keys are
 * written as OpenSSL/Tongsuo write them: id-ecPublicKey with the named curve sm2p256v1.
 */
public final class GmPem {

    private static final AlgorithmIdentifier SM2_KEY_ALGORITHM =
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, GMObjectIdentifiers.sm2p256v1);

    private GmPem() {
    }

    // --- certificates ---

    public static X509CertificateHolder certificateFromDer(byte[] der) {
        try {
            return EncodedCertificate.parse(der);
        } catch (IOException | RuntimeException e) {
            throw malformed("X.509 certificate", e);
        }
    }

    /** All certificates in a PEM bundle, in file order. */
    public static List<X509CertificateHolder> certificatesFromPem(String pem) {
        List<X509CertificateHolder> out = new ArrayList<>();
        for (PemObject o : pemObjects(pem)) {
            if (o.getType().equals("CERTIFICATE")) {
                out.add(certificateFromDer(o.getContent()));
            }
        }
        return out;
    }

    public static String toPem(X509CertificateHolder certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SM2 public key of a certificate; fails with KEY-001 if it is not on sm2p256v1. */
    public static Sm2PublicKey publicKey(X509CertificateHolder certificate) {
        return publicKeyFromSpki(certificate.getSubjectPublicKeyInfo());
    }

    // --- public keys ---

    public static SubjectPublicKeyInfo toSpki(Sm2PublicKey key) {
        return new SubjectPublicKeyInfo(SM2_KEY_ALGORITHM, key.encoded());
    }

    public static Sm2PublicKey publicKeyFromSpki(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg) && !GMObjectIdentifiers.sm2p256v1.equals(alg)) {
            throw new GmCryptoException(CryptoErrors.MALFORMED_KEY, "public key algorithm " + alg + " is not EC/SM2");
        }
        if (spki.getAlgorithm().getParameters() != null
                && !GMObjectIdentifiers.sm2p256v1.equals(spki.getAlgorithm().getParameters())) {
            throw new GmCryptoException(CryptoErrors.MALFORMED_KEY,
                    "public key curve " + spki.getAlgorithm().getParameters() + " is not sm2p256v1");
        }
        try {
            return Sm2PublicKey.decode(spki.getPublicKeyData().getOctets());
        } catch (GmCryptoException e) {
            throw new GmCryptoException(CryptoErrors.MALFORMED_KEY, "public key point is not on sm2p256v1", e);
        }
    }

    public static String publicKeyToPem(Sm2PublicKey key) {
        try {
            return pem("PUBLIC KEY", toSpki(key).getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Sm2PublicKey publicKeyFromPem(String pem) {
        PemObject o = single(pem, "PUBLIC KEY");
        return publicKeyFromSpki(SubjectPublicKeyInfo.getInstance(o.getContent()));
    }

    // --- private keys ---

    /** Unencrypted PKCS#8 DER. The caller zeroes the array when done. */
    public static byte[] privateKeyToPkcs8(Sm2PrivateKey key) {
        try {
            ECPrivateKey sec1 = new ECPrivateKey(256, key.d(), new DERBitString(key.publicKey().encoded()), null);
            return new PrivateKeyInfo(SM2_KEY_ALGORITHM, sec1).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Sm2PrivateKey privateKeyFromPkcs8(byte[] der) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
            if (info.getPrivateKeyAlgorithm().getParameters() != null
                    && !GMObjectIdentifiers.sm2p256v1.equals(info.getPrivateKeyAlgorithm().getParameters())) {
                throw new GmCryptoException(CryptoErrors.MALFORMED_KEY, "private key curve is not sm2p256v1");
            }
            return fromSec1(ECPrivateKey.getInstance(info.parsePrivateKey()));
        } catch (IOException | IllegalArgumentException e) {
            throw malformed("PKCS#8 private key", e);
        }
    }

    public static String privateKeyToPem(Sm2PrivateKey key) {
        byte[] der = privateKeyToPkcs8(key);
        try {
            return pem("PRIVATE KEY", der);
        } finally {
            java.util.Arrays.fill(der, (byte) 0);
        }
    }

    /** Reads "PRIVATE KEY" (PKCS#8) or "EC PRIVATE KEY" (SEC1). */
    public static Sm2PrivateKey privateKeyFromPem(String pem) {
        for (PemObject o : pemObjects(pem)) {
            switch (o.getType()) {
                case "PRIVATE KEY":
                    return privateKeyFromPkcs8(o.getContent());
                case "EC PRIVATE KEY":
                    try {
                        return fromSec1(ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(o.getContent())));
                    } catch (IOException | IllegalArgumentException e) {
                        throw malformed("SEC1 private key", e);
                    }
                default:
                    // skip EC PARAMETERS and the like
            }
        }
        throw new GmCryptoException(CryptoErrors.MALFORMED_KEY, "no PRIVATE KEY or EC PRIVATE KEY block in PEM");
    }

    private static Sm2PrivateKey fromSec1(ECPrivateKey sec1) {
        BigInteger d = sec1.getKey();
        try {
            return Sm2PrivateKey.of(d);
        } catch (GmCryptoException e) {
            throw new GmCryptoException(CryptoErrors.MALFORMED_KEY, "private key scalar out of range", e);
        }
    }

    // --- PEM plumbing ---

    public static String pem(String type, byte[] der) {
        StringWriter sw = new StringWriter();
        try (PemWriter w = new PemWriter(sw)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    private static List<PemObject> pemObjects(String pem) {
        List<PemObject> out = new ArrayList<>();
        try (PemReader r = new PemReader(new StringReader(pem))) {
            for (PemObject o = r.readPemObject(); o != null; o = r.readPemObject()) {
                out.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw malformed("PEM", e);
        }
        return out;
    }

    private static PemObject single(String pem, String type) {
        return pemObjects(pem).stream().filter(o -> o.getType().equals(type)).findFirst()
                .orElseThrow(() -> new GmCryptoException(CryptoErrors.MALFORMED_KEY, "no " + type + " block in PEM"));
    }

    private static GmCryptoException malformed(String what, Exception e) {
        return new GmCryptoException(CryptoErrors.MALFORMED_KEY, "malformed " + what + ": " + e.getClass().getSimpleName(), e);
    }
}
