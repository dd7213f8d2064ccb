package io.gmgate.ca.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.ca.CaSchema;
import io.gmgate.ca.CertificateStatus;
import io.gmgate.ca.EmbeddedCa;
import io.gmgate.ca.EmbeddedCaConfig;
import io.gmgate.ca.OpenSsl;
import io.gmgate.ca.PgCaStore;
import io.gmgate.ca.RevocationReason;
import io.gmgate.ca.TestCsrs;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.testkit.PgSchema;

/**
 * Any CMP client can enrol against gmgate's CA: OpenSSL 3's `openssl cmp` client, MAC-protected
 * with a pre-shared secret, gets an SM2 certificate that `openssl verify` then accepts.
 */
class CmpServerVsOpenSslClientTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    static Path dir;

    static final String REF = "openssl-client";
    static final String SECRET = "secret shared with openssl";

    static SoftCipherCard card;
    static EmbeddedCa ca;
    static CmpHttpListener listener;

    @BeforeAll
    static void setUp() throws IOException {
        assumeTrue(OpenSsl.hasCmp(dir), "openssl has no 'cmp' command (OpenSSL 3 is needed): skipping the CMP interop test");
        CaSchema.migrate(PG.dataSource());
        card = TestCsrs.card(dir);
        ca = EmbeddedCa.init(EmbeddedCaConfig.defaults("Example Futures"), card, new PgCaStore(PG.dataSource()), Clock.systemUTC());
        CmpServer server = new CmpServer(ca, new CmpServerSettings(List.of(new CmpServerSettings.Client(
                new CmpProtection.Mac(REF, SECRET.getBytes(StandardCharsets.UTF_8), PasswordBasedMac.Algorithm.SHA256, 1000),
                false)), false), Clock.systemUTC());
        listener = CmpHttpListener.start(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "/.well-known/cmp");
        Files.writeString(dir.resolve("root.pem"), GmPem.toPem(ca.rootCertificate()));
        Files.writeString(dir.resolve("issuing.pem"), GmPem.toPem(ca.issuingCertificate()));
    }

    @AfterAll
    static void tearDown() {
        if (listener != null) {
            listener.close();
        }
        if (card != null) {
            card.close();
        }
    }

    static OpenSsl.Result cmp(String... args) {
        List<String> all = new ArrayList<>(List.of("cmp", "-server", "127.0.0.1:" + listener.port(), "-path", ".well-known/cmp",
                "-ref", REF, "-secret", "pass:" + SECRET, "-recipient", "/CN=gmgate Issuing CA/O=Example Futures/C=CN",
                "-digest", "sm3", "-msg_timeout", "20", "-batch"));
        all.addAll(List.of(args));
        return OpenSsl.run(dir, all.toArray(new String[0]));
    }

    static void newKey(String file) {
        OpenSsl.Result r = OpenSsl.run(dir, "genpkey", "-algorithm", "SM2", "-out", file);
        assertEquals(0, r.exit(), r.output());
    }

    /** OpenSSL 3.0 needs the default SM2 ID spelled out, and checks one chain link at a time (see OpenSslChainTest). */
    static OpenSsl.Result verify(String leaf) {
        OpenSsl.Result upper = OpenSsl.run(dir, "verify", "-vfyopt", "distid:1234567812345678", "-CAfile", "root.pem", "issuing.pem");
        return upper.exit() != 0 ? upper
                : OpenSsl.run(dir, "verify", "-vfyopt", "distid:1234567812345678", "-partial_chain", "-CAfile", "issuing.pem", leaf);
    }

    static X509CertificateHolder read(String file) throws IOException {
        return GmPem.certificatesFromPem(Files.readString(dir.resolve(file))).get(0);
    }

    @Test
    void irWithMacGetsAnSm2CertificateThatOpenSslVerifies() throws IOException {
        newKey("bob-key.pem");
        OpenSsl.Result ir = cmp("-cmd", "ir", "-newkey", "bob-key.pem", "-subject", "/CN=bob/O=Example Futures/C=CN",
                "-certout", "bob.pem");
        assertEquals(0, ir.exit(), ir.output());
        assertTrue(ir.output().contains("received PKICONF"), "openssl confirmed the certificate: " + ir.output());
        OpenSsl.Result v = verify("bob.pem");
        assertEquals(0, v.exit(), v.output());
        assertTrue(v.output().contains("bob.pem: OK"), v.output());
        X509CertificateHolder bob = read("bob.pem");
        assertEquals(REF, ca.issued(bob.getSerialNumber()).orElseThrow().account());
        assertEquals(CertificateStatus.State.GOOD, ca.status(bob.getSerialNumber()).state());
    }

    @Test
    void p10crWithAnOpenSslRequestAndImplicitConfirmation() throws IOException {
        newKey("carol-key.pem");
        OpenSsl.Result csr = OpenSsl.run(dir, "req", "-new", "-key", "carol-key.pem", "-subj", "/CN=carol", "-out", "carol.csr");
        assertEquals(0, csr.exit(), csr.output());
        OpenSsl.Result p10 = cmp("-cmd", "p10cr", "-csr", "carol.csr", "-implicit_confirm", "-certout", "carol.pem");
        assertEquals(0, p10.exit(), p10.output());
        assertTrue(!p10.output().contains("sending CERTCONF"), "implicit confirmation was granted: " + p10.output());
        assertEquals(0, verify("carol.pem").exit());
        assertEquals("CN=carol", read("carol.pem").getSubject().toString());
    }

    @Test
    void kurThenRrFromOpenSsl() throws IOException {
        newKey("dave-key.pem");
        assertEquals(0, cmp("-cmd", "ir", "-newkey", "dave-key.pem", "-subject", "/CN=dave", "-certout", "dave.pem").exit());
        newKey("dave2-key.pem");
        OpenSsl.Result kur = cmp("-cmd", "kur", "-oldcert", "dave.pem", "-newkey", "dave2-key.pem", "-certout", "dave2.pem");
        assertEquals(0, kur.exit(), kur.output());
        X509CertificateHolder dave = read("dave.pem");
        X509CertificateHolder dave2 = read("dave2.pem");
        assertNotEquals(dave.getSerialNumber(), dave2.getSerialNumber());
        assertEquals(dave.getSubject(), dave2.getSubject());
        assertEquals(dave.getSerialNumber(), ca.issued(dave2.getSerialNumber()).orElseThrow().replaces());

        OpenSsl.Result rr = cmp("-cmd", "rr", "-oldcert", "dave.pem", "-revreason", "4");
        assertEquals(0, rr.exit(), rr.output());
        CertificateStatus status = ca.status(dave.getSerialNumber());
        assertEquals(CertificateStatus.State.REVOKED, status.state());
        assertEquals(RevocationReason.SUPERSEDED, status.reason());
    }

    @Test
    void aWrongSecretIsRefused() {
        newKey("eve-key.pem");
        List<String> args = new ArrayList<>(List.of("cmp", "-server", "127.0.0.1:" + listener.port(), "-path", ".well-known/cmp",
                "-ref", REF, "-secret", "pass:guessed", "-recipient", "/CN=gmgate Issuing CA", "-digest", "sm3", "-batch",
                "-cmd", "ir", "-newkey", "eve-key.pem", "-subject", "/CN=eve", "-certout", "eve.pem", "-unprotected_errors"));
        OpenSsl.Result r = OpenSsl.run(dir, args.toArray(new String[0]));
        assertNotEquals(0, r.exit());
        assertTrue(r.output().contains("badMessageCheck") || r.output().contains("MAC check failed"), r.output());
        assertTrue(Files.notExists(dir.resolve("eve.pem")));
    }
}
