package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.ca.CaSchema;
import io.gmgate.ca.Sm2Verification;
import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.testkit.PgFixture;
import io.gmgate.testkit.PgSchema;
import io.gmgate.ports.ReservedPort;
import picocli.CommandLine;

/** `gmgate ca init|status` against embedded PostgreSQL and a software card. */
class CaCommandTest {

    @RegisterExtension
    static final PgSchema PG = new PgSchema();

    @TempDir
    Path dir;

    /** The test schema's JDBC URL; user and password are the test server's (the command reads them from the environment). */
    static String dbUrl() {
        return dbUrl(PG.name());
    }

    static String dbUrl(String schema) {
        String url = PG.server().jdbcUrl();
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema + "&user=" + PG.server().user()
                + (PG.server().password().isEmpty() ? "" : "&password=" + PG.server().password());
    }

    @Test
    void initCreatesTheCaAndGatewayCertificatesAndStatusReportsThem() throws IOException {
        Path card = dir.resolve("card.gmc");
        Path pass = Files.writeString(dir.resolve("pass"), "operator passphrase 1\n");
        SoftCipherCard.init(card, "operator passphrase 1".toCharArray()).close();
        Path out = dir.resolve("pki");

        StringWriter initOut = new StringWriter();
        StringWriter initErr = new StringWriter();
        assertEquals(0, run(initOut, initErr, "ca", "init", "--card", card.toString(), "--passphrase-file", pass.toString(),
                "--db-url", dbUrl(), "--firm", "Example Futures", "--out", out.toString(), "--gateway-name", "gw1.example-futures.cn",
                "--gateway-dns", "gw1.example-futures.cn", "--gateway-ip", "127.0.0.1"), initErr.toString());
        assertTrue(initOut.toString().contains("created CA 'embedded'"), initOut.toString());

        X509CertificateHolder root = read(out.resolve("root.pem")).get(0);
        X509CertificateHolder issuing = read(out.resolve("issuing.pem")).get(0);
        X509CertificateHolder sign = read(out.resolve("gateway-sign.pem")).get(0);
        X509CertificateHolder enc = read(out.resolve("gateway-enc.pem")).get(0);
        assertEquals("CN=gmgate Root CA,O=Example Futures,C=CN", root.getSubject().toString());
        assertTrue(Sm2Verification.verify(issuing, GmPem.publicKey(root)));
        assertTrue(Sm2Verification.verify(sign, GmPem.publicKey(issuing)));
        assertTrue(Sm2Verification.verify(enc, GmPem.publicKey(issuing)));
        assertEquals(3, read(out.resolve("gateway-chain.pem")).size());
        GeneralNames alt = GeneralNames.fromExtensions(sign.getExtensions(), Extension.subjectAlternativeName);
        assertTrue(List.of(alt.getNames()).contains(new GeneralName(GeneralName.dNSName, "gw1.example-futures.cn")));
        for (X509CertificateHolder leaf : List.of(sign, enc)) {  // the gateway role, on both halves (design §4 step 5)
            assertTrue(org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(leaf.getExtensions())
                    .hasKeyPurposeId(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth));
        }
        try (SoftCipherCard opened = SoftCipherCard.open(card, "operator passphrase 1".toCharArray())) {
            assertEquals(opened.sm2PublicKey(201), GmPem.publicKey(sign), "the gateway's sign key stays in the card");
            assertEquals(opened.sm2PublicKey(202), GmPem.publicKey(enc));
        }

        StringWriter status = new StringWriter();
        assertEquals(0, run(status, new StringWriter(), "ca", "status", "--card", card.toString(), "--passphrase-file",
                pass.toString(), "--db-url", dbUrl(), "--firm", "Example Futures"));
        assertTrue(status.toString().contains("match the stored certificates"), status.toString());
        assertTrue(status.toString().contains("GATEWAY_SIGN GOOD=1"), status.toString());

        StringWriter again = new StringWriter();
        assertEquals(1, run(new StringWriter(), again, "ca", "init", "--card", card.toString(), "--passphrase-file", pass.toString(),
                "--db-url", dbUrl(), "--out", dir.resolve("pki2").toString()));
        assertTrue(again.toString().contains("already initialised") || again.toString().contains("is taken"), again.toString());
    }

    @Test
    void initWithoutANameForTheGatewayIsRefusedBeforeAnythingIsCreated() throws IOException {
        Path card = dir.resolve("card-noname.gmc");
        Path pass = Files.writeString(dir.resolve("pass-noname"), "operator passphrase 4\n");
        SoftCipherCard.init(card, "operator passphrase 4".toCharArray()).close();
        String empty = PgFixture.createSchema("ca_command_noname");
        try {
            StringWriter err = new StringWriter();
            assertEquals(2, run(new StringWriter(), err, "ca", "init", "--card", card.toString(), "--passphrase-file",
                    pass.toString(), "--db-url", dbUrl(empty), "--out", dir.resolve("pki-noname").toString()), err.toString());
            assertTrue(err.toString().contains("--gateway-dns"), err.toString());
            assertTrue(Files.notExists(dir.resolve("pki-noname")));
        } finally {
            PgFixture.dropSchema(empty);
        }
    }

    @Test
    void statusWithoutAnInitialisedCaSaysWhatToDo() throws IOException {
        Path card = dir.resolve("card.gmc");
        Path pass = Files.writeString(dir.resolve("pass"), "operator passphrase 2\n");
        SoftCipherCard.init(card, "operator passphrase 2".toCharArray()).close();
        String empty = PgFixture.createSchema("ca_command_empty");
        try {
            CaSchema.migrate(PgFixture.dataSource(empty));
            StringWriter err = new StringWriter();
            int exit = run(new StringWriter(), err, "ca", "status", "--card", card.toString(), "--passphrase-file", pass.toString(),
                    "--db-url", dbUrl(empty));
            assertEquals(1, exit, err.toString());
            assertTrue(err.toString().contains("CA-107") && err.toString().contains("gmgate ca init"), err.toString());
        } finally {
            PgFixture.dropSchema(empty);
        }
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsOneLineNotAStackTrace() throws IOException {
        Path card = dir.resolve("card.gmc");
        Path pass = Files.writeString(dir.resolve("pass"), "operator passphrase 3\n");
        SoftCipherCard.init(card, "operator passphrase 3".toCharArray()).close();
        int closed = ReservedPort.forThisJvm();
        for (String command : List.of("init", "status")) {
            StringWriter err = new StringWriter();
            List<String> args = new java.util.ArrayList<>(List.of("ca", command, "--card", card.toString(), "--passphrase-file",
                    pass.toString(), "--db-url", "jdbc:postgresql://127.0.0.1:" + closed + "/gmgate?connectTimeout=2"));
            if (command.equals("init")) {
                args.addAll(List.of("--out", dir.resolve("pki").toString()));
            }
            assertEquals(1, run(new StringWriter(), err, args.toArray(new String[0])), err.toString());
            assertTrue(err.toString().startsWith("gmgate: "), err.toString());
            assertTrue(!err.toString().contains("\tat "), "no stack trace: " + err);
        }
        assertTrue(Files.notExists(dir.resolve("pki")), "nothing written when the CA could not be created");
    }

    private static List<X509CertificateHolder> read(Path pem) throws IOException {
        return GmPem.certificatesFromPem(Files.readString(pem));
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }
}
