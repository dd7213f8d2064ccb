package io.gmgate.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.keystore.backup.BackupExporter;
import io.gmgate.keystore.backup.CustodianShare;
import picocli.CommandLine;

class BackupCommandTest {

    @TempDir
    Path dir;

    @Test
    void custodiansVerifyAnExportWithMSharesAndAreToldWhichShareIsBadOrThatTooFewCame() throws IOException {
        Path file = dir.resolve("export.gmb");
        BackupExporter.Export export;
        try (OutputStream out = Files.newOutputStream(file)) {
            export = BackupExporter.export(w -> {
                for (int i = 0; i < 3; i++) {
                    w.write(("record " + i).getBytes(StandardCharsets.UTF_8));
                }
            }, "gmgate keystore shards v1", 2, 3, out);
        }
        List<Path> shares = new ArrayList<>();
        for (CustodianShare s : export.shares()) {
            shares.add(Files.writeString(dir.resolve("share-" + s.index()), s.encode() + "\n"));
        }
        CustodianShare third = export.shares().get(2);
        byte[] changed = third.value();
        changed[5] ^= 1;
        Path forged = Files.writeString(dir.resolve("forged"),
                new CustodianShare(third.exportId(), 2, 3, 3, changed).encode() + "\n");

        String[] ok = run(0, "backup", "verify", "--file", file.toString(), "--share-file", shares.get(0).toString(),
                "--share-file", shares.get(2).toString());
        assertTrue(ok[0].contains("export:  " + export.exportId()), ok[0]);
        assertTrue(ok[0].contains("records: 3, all authentic"), ok[0]);

        String[] tooFew = run(1, "backup", "verify", "--file", file.toString(), "--share-file", shares.get(1).toString());
        assertTrue(tooFew[1].contains("KEY-113"), tooFew[1]);

        String[] bad = run(1, "backup", "verify", "--file", file.toString(), "--share-file", shares.get(0).toString(),
                "--share-file", forged.toString());
        assertTrue(bad[1].contains("KEY-114") && bad[1].contains("custodian share 3"), bad[1]);
    }

    private static String[] run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Gmgate.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(expectedExit, cli.execute(args), out + " / " + err);
        return new String[] {out.toString(), err.toString()};
    }
}
