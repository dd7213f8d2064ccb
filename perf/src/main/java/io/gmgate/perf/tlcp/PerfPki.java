package io.gmgate.perf.tlcp;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.InMemorySessionCache;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.X509CertificatePolicy;

/**
 * A root CA, a server and a client double certificate (GM/T 0015 profiles), and engine
 * configurations over them, for the TLCP benchmarks. Certificates are signed with gm-crypto's SM2.
 */
public final class PerfPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    public final X509CertificateHolder root;
    public final TlcpCredentials server;
    public final TlcpCredentials client;
    private final InMemorySessionCache sessions = new InMemorySessionCache(100_000, Duration.ofHours(1), Clock.systemUTC());

    public PerfPki() {
        Sm2PrivateKey rootKey = Sm2PrivateKey.generate();
        X500Name rootName = new X500Name("CN=perf root CA,O=gmgate perf");
        root = cert(rootName, rootName, rootKey, rootKey, KeyUsage.keyCertSign | KeyUsage.cRLSign, true);
        server = credentials(rootName, rootKey, "localhost");
        client = credentials(rootName, rootKey, "8001234");
    }

    /**
     * Writes the root and the client's double certificate with its keys as PEM files in {@code dir},
     * for load clients in other processes ({@link #readClient}).
     */
    public void writeClient(java.nio.file.Path dir) throws IOException {
        java.nio.file.Files.writeString(dir.resolve("clients-root.pem"), GmPem.toPem(root));
        java.nio.file.Files.writeString(dir.resolve("client.pem"), GmPem.toPem(client.signCertificate()) + GmPem.toPem(
                client.encCertificate().orElseThrow()) + GmPem.privateKeyToPem(clientKeys[0]) + GmPem.privateKeyToPem(clientKeys[1]));
    }

    /** The client credentials {@link #writeClient} wrote. */
    public static TlcpCredentials readClient(java.nio.file.Path dir) throws IOException {
        String pem = java.nio.file.Files.readString(dir.resolve("client.pem"));
        List<X509CertificateHolder> certs = GmPem.certificatesFromPem(pem.substring(0, pem.indexOf("-----BEGIN PRIVATE KEY")));
        String[] keys = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY")).split("(?<=-----END PRIVATE KEY-----)");
        return TlcpCredentials.inMemory(certs.get(0), GmPem.privateKeyFromPem(keys[0].trim()), certs.get(1),
                GmPem.privateKeyFromPem(keys[1].trim()), List.of());
    }

    private final Sm2PrivateKey[] clientKeys = new Sm2PrivateKey[2];

    private TlcpCredentials credentials(X500Name issuer, Sm2PrivateKey issuerKey, String cn) {
        X500Name subject = new X500Name("CN=" + cn + ",O=gmgate perf");
        Sm2PrivateKey signKey = Sm2PrivateKey.generate();
        Sm2PrivateKey encKey = Sm2PrivateKey.generate();
        clientKeys[0] = signKey; // the last credentials made are the client's
        clientKeys[1] = encKey;
        return TlcpCredentials.inMemory(
                cert(subject, issuer, signKey, issuerKey, KeyUsage.digitalSignature | KeyUsage.nonRepudiation, false),
                signKey,
                cert(subject, issuer, encKey, issuerKey,
                        KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement, false),
                encKey, List.of());
    }

    public TlcpServerConfig serverConfig(CipherSuite suite, ClientAuth auth) {
        return new TlcpServerConfig(List.of(suite), auth, server,
                new X509CertificatePolicy(List.of(root), RevocationCheck.NONE, suite.ecdhe), sessions,
                Clock.systemUTC(), RANDOM);
    }

    public TlcpClientConfig clientConfig(CipherSuite suite, boolean withCertificate) {
        return new TlcpClientConfig(List.of(suite), withCertificate ? Optional.of(client) : Optional.empty(),
                new X509CertificatePolicy(List.of(root), RevocationCheck.NONE, true), Optional.empty(),
                EcdheEncoding.BARE, Clock.systemUTC(), RANDOM);
    }

    /** Moves bytes between two engines until both are quiet; a bounded number of rounds. */
    public static void pump(TlcpEngine a, TlcpEngine b) {
        for (int round = 0; round < 20; round++) {
            boolean moved = false;
            if (a.hasOutput() && !b.isClosed()) {
                b.feed(a.takeOutput());
                moved = true;
            }
            if (b.hasOutput() && !a.isClosed()) {
                a.feed(b.takeOutput());
                moved = true;
            }
            if (!moved) {
                return;
            }
        }
        throw new IllegalStateException("engines still talking after 20 rounds");
    }

    private static synchronized X509CertificateHolder cert(X500Name subject, X500Name issuer, Sm2PrivateKey key,
                                                           Sm2PrivateKey issuerKey, int usage, boolean ca) {
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                    GmPem.toSpki(key.publicKey()));
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            } else { // native clients check the host name: GmSSL against DNS names only
                b.addExtension(Extension.subjectAlternativeName, false, new org.bouncycastle.asn1.x509.GeneralNames(
                        new org.bouncycastle.asn1.x509.GeneralName[] {
                            new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.dNSName, "localhost"),
                            new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.iPAddress, "127.0.0.1")}));
            }
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            return b.build(new Sm3WithSm2(issuerKey));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 64 random bits: GmSSL refuses serial numbers shorter than 4 bytes ("not enough randomness"). */
    static BigInteger serial() {
        return new BigInteger(1, io.gmgate.crypto.GmRandom.bytes(8)).setBit(62);
    }

    /** A ContentSigner over gm-crypto's SM2 with the default ID (GM/T 0009). */
    private static final class Sm3WithSm2 implements ContentSigner {
        private final Sm2PrivateKey key;
        private final java.io.ByteArrayOutputStream tbs = new java.io.ByteArrayOutputStream();

        Sm3WithSm2(Sm2PrivateKey key) {
            this.key = key;
        }

        @Override
        public org.bouncycastle.asn1.x509.AlgorithmIdentifier getAlgorithmIdentifier() {
            return new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                    org.bouncycastle.asn1.gm.GMObjectIdentifiers.sm2sign_with_sm3);
        }

        @Override
        public java.io.OutputStream getOutputStream() {
            return tbs;
        }

        @Override
        public byte[] getSignature() {
            return Sm2Signer.sign(key, tbs.toByteArray()).toDer();
        }
    }
}
