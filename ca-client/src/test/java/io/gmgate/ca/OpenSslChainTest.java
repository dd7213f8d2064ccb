package io.gmgate.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.testkit.PgSchema;

/** A third-party tool (OpenSSL 3) accepts the embedded CA's chain, leaves and CRL. */
class OpenSslChainTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static SoftCipherCard card;
    static EmbeddedCa ca;

    @BeforeAll
    static void setUp() throws IOException {
        assumeTrue(OpenSsl.hasSm2(dir), "openssl is missing or has no SM2: skipping the OpenSSL interop test");
        CaSchema.migrate(PG.dataSource());
        card = TestCsrs.card(dir);
        ca = EmbeddedCa.init(EmbeddedCaConfig.defaults("Example Futures").withCrlUrl("http://127.0.0.1/crl/issuing.crl"),
                card, new PgCaStore(PG.dataSource()), Clock.systemUTC());
        write("root.pem", GmPem.toPem(ca.rootCertificate()));
        write("issuing.pem", GmPem.toPem(ca.issuingCertificate()));
    }

    @AfterAll
    static void tearDown() {
        if (card != null) {
            card.close();
        }
    }

    static void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    /*
     * OpenSSL 3.0 checks SM2 signatures with an empty ID unless -vfyopt gives the default one, and
     * applies -vfyopt only to the certificate being verified, not to intermediates or CRLs
     * (openssl/openssl#23471). So each link is checked on its own: root → issuing, then issuing
     * (as a partial-chain anchor) → leaf.
     */
    static OpenSsl.Result verifyLinks(String leaf, String... extra) {
        OpenSsl.Result upper = OpenSsl.run(dir, "verify", "-vfyopt", "distid:1234567812345678", "-CAfile", "root.pem", "issuing.pem");
        if (upper.exit() != 0) {
            return upper;
        }
        List<String> args = new java.util.ArrayList<>(List.of("verify", "-vfyopt", "distid:1234567812345678",
                "-partial_chain", "-CAfile", "issuing.pem"));
        args.addAll(List.of(extra));
        args.add(leaf);
        return OpenSsl.run(dir, args.toArray(new String[0]));
    }

    @Test
    void openSslVerifiesTheDoubleCertificateChain() throws IOException {
        IssuedCertificates issued = ca.issue(IssueRequest.of("alice", "dev1",
                TestCsrs.csr(Sm2SignKey.of(Sm2PrivateKey.generate()), "alice"), null));
        write("sign.pem", GmPem.toPem(issued.sign()));
        write("enc.pem", GmPem.toPem(issued.enc()));

        OpenSsl.Result sign = verifyLinks("sign.pem");
        assertEquals(0, sign.exit(), sign.output());
        assertTrue(sign.output().contains("sign.pem: OK"), sign.output());
        OpenSsl.Result enc = verifyLinks("enc.pem");
        assertEquals(0, enc.exit(), enc.output());

        OpenSsl.Result text = OpenSsl.run(dir, "x509", "-in", "enc.pem", "-noout", "-text");
        assertEquals(0, text.exit(), text.output());
        assertTrue(text.output().contains("SM2-with-SM3"), text.output());
        assertTrue(text.output().contains("Key Encipherment, Data Encipherment, Key Agreement"), text.output());
        assertTrue(!text.output().contains("Basic Constraints"), "leaf must not carry basicConstraints");
    }

    @Test
    void openSslReadsTheRevocationFromTheCrl() throws IOException {
        IssuedCertificates issued = ca.issue(IssueRequest.of("bob", "dev1",
                TestCsrs.csr(Sm2SignKey.of(Sm2PrivateKey.generate()), "bob"), null));
        String serial = issued.signSerial().toString(16).toUpperCase(java.util.Locale.ROOT);
        write("crl0.pem", GmPem.pem("X509 CRL", ca.crlDer()));
        OpenSsl.Result before = OpenSsl.run(dir, "crl", "-in", "crl0.pem", "-noout", "-text");
        assertEquals(0, before.exit(), before.output());
        assertTrue(!before.output().contains(serial), before.output());

        ca.revoke(issued.signSerial(), RevocationReason.KEY_COMPROMISE);
        write("crl1.pem", GmPem.pem("X509 CRL", ca.crlDer()));
        OpenSsl.Result after = OpenSsl.run(dir, "crl", "-in", "crl1.pem", "-noout", "-text");
        assertEquals(0, after.exit(), after.output());
        assertTrue(after.output().contains(serial) && after.output().contains("Key Compromise"), after.output());
        assertTrue(after.output().contains("Issuer: C = CN, O = Example Futures, CN = gmgate Issuing CA")
                || after.output().contains("CN = gmgate Issuing CA"), after.output());
    }

    @Test
    void openSslVerifiesAGatewayCertificateWithItsAddress() throws IOException {
        IssuedCertificates gw = ca.issueGateway("gw1", new X500Name("CN=gw1.example-futures.cn,O=Example Futures,C=CN"),
                card.generateSm2Key(201), card.generateSm2Key(202),
                List.of(new GeneralName(GeneralName.dNSName, "gw1.example-futures.cn"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        write("gw.pem", GmPem.toPem(gw.sign()));
        OpenSsl.Result r = verifyLinks("gw.pem", "-verify_ip", "127.0.0.1");
        assertEquals(0, r.exit(), r.output());
    }
}
