package io.gmgate.tlcp.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.tlcp.interop.TestPki;

/**
 * A throw-away SM2 PKI written to a directory as the native tools read it: certificates in PEM,
 * keys either made here (plain PKCS#8 PEM, which Tongsuo reads) or made by {@code gmssl sm2keygen}
 * (GmSSL reads only its own password-protected form) with only the public key coming back to us.
 * Profiles follow design §13: no basicConstraints on leaves, keyAgreement in encryption certificates.
 */
final class PeerPki {

    static final String PASSWORD = "gmgate-test";
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    static final int SIGN_USAGE = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
    static final int ENC_USAGE = KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement;

    /** One certificate and where its key is: in memory (ours) and/or in a file (the tool's). */
    record Half(X509CertificateHolder certificate, Optional<Sm2PrivateKey> key, Path certificatePem, Path keyPem) {
        @Override
        public String toString() {
            return "Half[" + certificate.getSubject() + ", key=[redacted]]";
        }
    }

    /** A double certificate (GM/T 0015): sign and encryption halves with the same subject. */
    record Identity(String name, Half sign, Half enc) {
    }

    private final Path dir;
    private final Sm2PrivateKey rootKey;
    private final X509CertificateHolder root;
    private final Path rootPem;

    private PeerPki(Path dir) {
        this.dir = dir;
        this.rootKey = Sm2PrivateKey.generate();
        X500Name subject = new X500Name("CN=gmgate peer-interop root CA,O=gmgate test");
        this.root = build(subject, rootKey.publicKey(), KeyUsage.keyCertSign | KeyUsage.cRLSign, true, Duration.ofDays(30));
        this.rootPem = write("ca.pem", GmPem.toPem(root));
    }

    static PeerPki create(Path dir) {
        return new PeerPki(dir);
    }

    X509CertificateHolder rootCertificate() {
        return root;
    }

    Path rootPem() {
        return rootPem;
    }

    /** Keys made here, written as plain PKCS#8 PEM: usable by us and by Tongsuo. */
    Identity inMemory(String name, String cn) {
        return new Identity(name, halfInMemory(name + "-sign", cn, SIGN_USAGE), halfInMemory(name + "-enc", cn, ENC_USAGE));
    }

    /** Keys made by {@code gmssl sm2keygen} under {@link #PASSWORD}; we see only the public keys. */
    Identity fromGmssl(Path gmssl, String name, String cn) {
        return new Identity(name, halfFromGmssl(gmssl, name + "-sign", cn, SIGN_USAGE),
                halfFromGmssl(gmssl, name + "-enc", cn, ENC_USAGE));
    }

    /** A PEM file of certificates in this order (e.g. sign, enc, CA as GB/T 38636-2020 §6.4.5.3 lists them). */
    Path bundle(String file, X509CertificateHolder... certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509CertificateHolder c : certificates) {
            pem.append(GmPem.toPem(c));
        }
        return write(file, pem.toString());
    }

    /** Several key files concatenated (GmSSL's -key takes the sign key, then the encryption key). */
    Path concat(String file, Path... parts) {
        StringBuilder all = new StringBuilder();
        try {
            for (Path p : parts) {
                all.append(Files.readString(p, StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(file, all.toString());
    }

    private Half halfInMemory(String file, String cn, int usage) {
        Sm2PrivateKey key = Sm2PrivateKey.generate();
        X509CertificateHolder cert = build(new X500Name("CN=" + cn + ",O=gmgate test"), key.publicKey(), usage, false,
                Duration.ofDays(30));
        return new Half(cert, Optional.of(key), write(file + ".crt", GmPem.toPem(cert)),
                write(file + ".key", GmPem.privateKeyToPem(key)));
    }

    private Half halfFromGmssl(Path gmssl, String file, String cn, int usage) {
        Path key = dir.resolve(file + ".gmssl.key");
        Path pub = dir.resolve(file + ".pub");
        NativeRun.run(List.of(gmssl.toString(), "sm2keygen", "-pass", PASSWORD, "-out", key.toString(),
                "-pubout", pub.toString()), dir, Duration.ofSeconds(20)).requireSuccess("gmssl sm2keygen");
        Sm2PublicKey publicKey;
        try {
            publicKey = GmPem.publicKeyFromPem(Files.readString(pub, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        X509CertificateHolder cert = build(new X500Name("CN=" + cn + ",O=gmgate test"), publicKey, usage, false,
                Duration.ofDays(30));
        return new Half(cert, Optional.empty(), write(file + ".crt", GmPem.toPem(cert)), key);
    }

    private X509CertificateHolder build(X500Name subject, Sm2PublicKey key, int keyUsage, boolean ca, Duration life) {
        Instant now = Instant.now();
        X500Name issuer = ca ? subject : root.getSubject();
        try {
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer,
                    // 64 random bits: GmSSL refuses serial numbers shorter than 4 bytes
                    new BigInteger(1, io.gmgate.crypto.GmRandom.bytes(8)).setBit(62),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(life)), subject, GmPem.toSpki(key));
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            } else {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            return b.build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BC).build(TestPki.jcaKey(rootKey)));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("certificate for " + subject + " could not be made", e);
        }
    }

    private Path write(String file, String content) {
        Path p = dir.resolve(file);
        try {
            Files.writeString(p, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static List<X509CertificateHolder> list(X509CertificateHolder... cs) {
        return new ArrayList<>(List.of(cs));
    }
}
