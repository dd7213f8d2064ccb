package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class CardCommandTest {

    @TempDir
    Path dir;

    @Test
    void initThenStatusReportsAHealthyCardAndAWrongPassphraseIsKey021() throws IOException {
        Path card = dir.resolve("card.bin");
        Path pass = Files.writeString(dir.resolve("pass"), "operator passphrase 1\n");
        Path wrong = Files.writeString(dir.resolve("wrong"), "not the passphrase\n");

        assertEquals(0, run(new StringWriter(), "card", "init", "--file", card.toString(), "--passphrase-file", pass.toString()));
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "card", "status", "--file", card.toString(), "--passphrase-file", pass.toString()));
        assertTrue(out.toString().contains("health: ok"), out.toString());

        StringWriter err = new StringWriter();
        CommandLine cli = Gmgate.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("card", "status", "--file", card.toString(), "--passphrase-file", wrong.toString()));
        assertTrue(err.toString().contains("KEY-021"), err.toString());
    }

    @Test
    void initRefusesAShortPassphraseAndAnExistingFile() throws IOException {
        Path card = dir.resolve("card.bin");
        Path shortPass = Files.writeString(dir.resolve("short"), "short\n");
        Path pass = Files.writeString(dir.resolve("pass"), "operator passphrase 1\n");
        assertEquals(2, run(new StringWriter(), "card", "init", "--file", card.toString(), "--passphrase-file", shortPass.toString()));
        assertEquals(0, run(new StringWriter(), "card", "init", "--file", card.toString(), "--passphrase-file", pass.toString()));
        assertEquals(1, run(new StringWriter(), "card", "init", "--file", card.toString(), "--passphrase-file", pass.toString()));
    }

    @Test
    void statusOfASoftSdfDeviceReportsItAndInitOnSdfIsTheVendorToolsJob() throws IOException {
        Path device = dir.resolve("device.card");
        Path pass = Files.writeString(dir.resolve("pass"), "device passphrase 1\n");
        assertEquals(0, run(new StringWriter(), "card", "init", "--file", device.toString(), "--passphrase-file", pass.toString()));

        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "card", "status", "--type", "sdf", "--library", "soft-sdf", "--option", "file=" + device,
                "--kek", "1:1=1", "--password-file", pass.toString()));
        assertTrue(out.toString().contains("card:   sdf:card"), out.toString());
        assertTrue(out.toString().contains("KEKs:   [kek-1v1]"), out.toString());
        assertTrue(out.toString().contains("SM4: SM4-GCM in software (soft-sdf)"), out.toString());
        assertTrue(out.toString().contains("health: ok (gmgate soft-sdf development device"), out.toString());

        CommandLine cli = Gmgate.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("card", "init", "--type", "sdf", "--library", "soft-sdf", "--option", "file=" + device,
                "--password-file", pass.toString()));
        assertTrue(err.toString().contains("KEY-025"), err.toString());

        StringWriter unknown = new StringWriter();
        CommandLine cli2 = Gmgate.commandLine();
        cli2.setErr(new PrintWriter(unknown));
        assertEquals(1, cli2.execute("card", "status", "--type", "sdf", "--library", "vendor-x", "--password-file", pass.toString()));
        assertTrue(unknown.toString().contains("KEY-150") && unknown.toString().contains("found: [soft-sdf]"), unknown.toString());
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }
}
