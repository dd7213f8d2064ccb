package io.gmgate.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.backup.BackupImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate backup verify}: custodians check an encrypted export with their shares without
 * restoring it (a recovery drill, seed 003 §9.1 c). Export and import run against the shard store.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Backups of the key store: encrypted exports whose key is split M-of-N among custodians.",
        subcommands = {BackupCommand.Verify.class})
final class BackupCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check an export with M custodian shares: every share, the header and every record, without keeping any.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--file", required = true, description = "the backup export")
        Path file;

        @Option(names = "--share-file", required = true,
                description = "a file holding one custodian's share line (repeat for each custodian; shares never go on the command line)")
        List<Path> shareFiles = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> lines = new ArrayList<>();
            for (Path p : shareFiles) {
                try {
                    lines.add(Files.readAllLines(p).stream().filter(l -> !l.isBlank()).findFirst().orElse(""));
                } catch (IOException e) {
                    throw new ParameterException(spec.commandLine(), "cannot read a share from " + p);
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            try (InputStream in = Files.newInputStream(file)) {
                BackupImporter.Restored r = BackupImporter.verify(in, lines);
                out.println("export:  " + r.exportId() + " (" + r.contentType() + ")");
                out.println("created: " + r.created());
                out.println("records: " + r.records() + ", all authentic; " + lines.size() + " share(s) matched");
                out.flush();
                return 0;
            } catch (KeystoreException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("gmgate: " + e.getMessage());
                err.println("  action: " + e.errorCode().action());
                err.flush();
                return 1;
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read the export " + file + ": " + e.getMessage());
            }
        }
    }
}
