package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.GmPem;
import picocli.CommandLine;

/** gmgate client against a whole demo site: enrol, status, sign, verify, and a wrong PIN. */
class ClientCommandTest {

    private static DemoSite site;
    @TempDir
    static Path dir;
    private static Path config;
    private static Path password;
    private static Path pin;

    @BeforeAll
    static void start() throws Exception {
        site = new DemoSite();
        site.addTrader("8009876", "cli-Passw0rd".toCharArray());
        Path roots = Files.writeString(dir.resolve("roots.pem"), GmPem.toPem(site.root()));
        config = Files.writeString(dir.resolve("terminal.yaml"), String.join("\n",
                "agent:",
                "  enrolment: [{site: sh, host: 127.0.0.1, port: " + site.enrolmentPort() + "}]",
                "  trading: [{site: sh, host: 127.0.0.1, port: " + site.tradingPort() + "}]",
                "  roots: '" + roots + "'",
                "  store: '" + dir.resolve("store") + "'", ""));
        password = Files.writeString(dir.resolve("password"), "cli-Passw0rd\n");
        pin = Files.writeString(dir.resolve("pin"), "112233\n");
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
    void enrolSignVerifyAndAWrongPin() throws Exception {
        String[] secrets = {"--config", config.toString(), "--password-file", password.toString(), "--pin-file", pin.toString()};
        StringWriter enrol = new StringWriter();
        assertEquals(0, run(enrol, concat(new String[] {"client", "enroll", "--account", "8009876", "--device", "desk-9"}, secrets)),
                enrol.toString());
        assertTrue(enrol.toString().startsWith("enrolled 8009876/desk-9"), enrol.toString());

        Path order = Files.writeString(dir.resolve("order.txt"), "BUY IF2612 2 @ 3900");
        StringWriter sign = new StringWriter();
        assertEquals(0, run(sign, concat(new String[] {"client", "sign", "--in", order.toString()}, secrets)), sign.toString());
        String signature = sign.toString().trim();

        Path cert = Files.writeString(dir.resolve("cert.pem"), GmPem.toPem(
                new io.gmgate.sdk.GmgateClient(io.gmgate.sdk.GmgateClient.Options.of(java.util.List.of(), java.util.List.of(),
                        java.util.List.of(), dir.resolve("store"))).store().require().signChain().stream()
                        .map(GmPem::certificateFromDer).findFirst().orElseThrow()));
        StringWriter verify = new StringWriter();
        assertEquals(0, run(verify, "client", "verify", "--cert", cert.toString(), "--in", order.toString(), "--signature", signature),
                verify.toString());
        Files.writeString(order, "BUY IF2612 20 @ 3900");
        assertEquals(1, run(new StringWriter(), "client", "verify", "--cert", cert.toString(), "--in", order.toString(),
                "--signature", signature));

        StringWriter status = new StringWriter();
        assertEquals(0, run(status, concat(new String[] {"client", "status"}, secrets)), status.toString());
        assertTrue(status.toString().contains("\"account\" : \"8009876\""), status.toString());

        StringWriter doctor = new StringWriter();
        assertEquals(0, run(doctor, "doctor", "--config", config.toString()), doctor.toString());
        assertTrue(doctor.toString().contains("PASS  GM handshake") && doctor.toString().contains("PASS  clock"), doctor.toString());

        Path wrongPin = Files.writeString(dir.resolve("wrong"), "999999\n");
        StringWriter wrong = new StringWriter();
        assertEquals(1, run(wrong, "client", "sign", "--in", order.toString(), "--config", config.toString(),
                "--password-file", password.toString(), "--pin-file", wrongPin.toString()), wrong.toString());
        assertTrue(wrong.toString().contains("CERT-403") && wrong.toString().contains("action: enter the PIN again"), wrong.toString());
    }

    @Test
    void doctorNamesWhatIsMissing() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), String.join("\n",
                "agent:",
                "  enrolment: [{site: sh, host: 127.0.0.1, port: 1}]",
                "  trading: [{site: sh, host: 127.0.0.1, port: 1}]",
                "  roots: '" + dir.resolve("missing.pem") + "'",
                "  store: '" + dir.resolve("empty-store") + "'", ""));
        StringWriter out = new StringWriter();
        assertEquals(1, run(out, "doctor", "--config", bad.toString()), out.toString());
        String s = out.toString();
        assertTrue(s.contains("FAIL  roots") && s.contains("FAIL  store") && s.contains("FAIL  trading"), s);
        assertTrue(s.contains("apply for a certificate first"), s);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
