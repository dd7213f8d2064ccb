package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.GmPem;
import picocli.CommandLine;

/** gmgate probe against the demo gateway's one-way listener, and against nothing. */
class ProbeCommandTest {

    private static DemoSite site;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        return cli.execute(args);
    }

    @Test
    void probeShowsTheSuiteAndTheDoubleCertificate() throws Exception {
        Path root = Files.writeString(dir.resolve("root.pem"), GmPem.toPem(site.root()));
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "probe", "127.0.0.1:" + site.enrolmentPort(), "--ca", root.toString()), out.toString());
        String s = out.toString();
        assertTrue(s.contains("suite     ECC_SM4_GCM_SM3"), s);
        assertTrue(s.contains("cert 0    CN=gateway") && s.contains("usage digitalSignature"), s);
        assertTrue(s.contains("cert 1    CN=gateway") && s.contains("keyEncipherment"), s);
        assertTrue(s.contains("verify    OK"), s);
    }

    @Test
    void anUntrustedServerIsNamedWithItsCode() throws Exception {
        Path other = Files.writeString(dir.resolve("other.pem"),
                GmPem.toPem(io.gmgate.tlcp.interop.TestPki.create("someone else").rootCertificate()));
        StringWriter out = new StringWriter();
        assertEquals(1, run(out, "probe", "127.0.0.1:" + site.enrolmentPort(), "--ca", other.toString()), out.toString());
        assertTrue(out.toString().contains("CERT-100"), out.toString());
    }

    @Test
    void nothingListeningIsAConnectionError() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        StringWriter out = new StringWriter();
        assertEquals(1, run(out, "probe", "127.0.0.1:" + dead), out.toString());
        assertTrue(out.toString().contains("connection to 127.0.0.1:" + dead + " failed"), out.toString());
    }
}
