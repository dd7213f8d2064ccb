package io.gmgate.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import io.gmgate.crypto.ShamirSharing;
import io.gmgate.app.config.ConfigException;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.wiring.CardSecrets;
import io.gmgate.error.GmgateException;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.keystore.backup.BackupImporter;
import io.gmgate.keystore.backup.CustodianShare;
import io.gmgate.keystore.backup.ShardBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gmgate backup export|import|verify} (docs/backup.md): an encrypted export of the key store's
 * server shares whose export key is split M-of-N among custodians; an import into the key store a
 * configuration names (usually a new site with a new card); and the custodians' recovery drill,
 * which checks an export with their shares without restoring it. docs/backup.md.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Backups of the key store: encrypted exports whose key is split M-of-N among custodians.",
        subcommands = {BackupCommand.Export.class, BackupCommand.Import.class, BackupCommand.Verify.class})
final class BackupCommand {

    /** Who the audit log names for exports and imports from the command line. */
    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    /** Prints a KEY- error with its action; exit 1. */
    static int failed(CommandSpec spec, GmgateException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("gmgate: " + e.getMessage());
        err.println("  action: " + e.errorCode().action());
        err.flush();
        return 1;
    }

    /** The first non-blank line of each share file: custodians' shares never go on the command line. */
    static List<String> shareLines(CommandSpec spec, List<Path> shareFiles) {
        List<String> lines = new ArrayList<>();
        for (Path p : shareFiles) {
            try {
                lines.add(Files.readAllLines(p).stream().filter(l -> !l.isBlank()).findFirst().orElse(""));
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read a share from " + p);
            }
        }
        return lines;
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Export every live key share and every device's PIN OPRF key of the configured key store,",
                    "encrypted under a fresh export key",
                    "that is split into N custodian shares, any M of which restore it. Each share goes to its own file:",
                    "hand each file to its custodian and delete it here."})
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, description = "the gmgate configuration (database and card)")
        Path config;

        @Option(names = "--passphrase-file", description = "the card's secret (else card.passphraseFile, the type's environment variable, or a prompt)")
        Path secretFile;

        @Option(names = "--out", required = true, description = "the export file to create (never overwritten)")
        Path out;

        @Option(names = "--shares-dir", required = true, description = "where to write share-<i>-of-<N>.txt, one per custodian (created 0700)")
        Path sharesDir;

        @Option(names = {"-m", "--threshold"}, required = true, description = "M: how many custodians must come together to restore")
        int threshold;

        @Option(names = {"-n", "--custodians"}, required = true, description = "N: how many custodians hold a share")
        int custodians;

        @Override
        public Integer call() {
            if (threshold < 2 || threshold > custodians || custodians > 255 || threshold > ShamirSharing.MAX_COMBINED) {
                throw new ParameterException(spec.commandLine(), "need 2 <= --threshold <= --custodians <= 255 and --threshold <= "
                        + ShamirSharing.MAX_COMBINED + ", got " + threshold + "-of-" + custodians);
            }
            if (Files.exists(out)) {
                throw new ParameterException(spec.commandLine(), out + " exists: an export is never overwritten");
            }
            GmgateConfig cfg = load(spec, config);
            CardSecrets secret = CardPassphrase.read(spec.commandLine(), cfg.card(), secretFile);
            ShardBackup.Export export;
            try (StoreWiring store = new StoreWiring(cfg, "backup-" + cfg.node().name(), secret, ShardStoreSettings.defaults())) {
                export = ShardBackup.export(store.shards, threshold, custodians, actor());
            } catch (GmgateException e) {
                return failed(spec, e);
            } catch (ConfigException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            List<Path> written = new ArrayList<>();
            try {
                writePrivate(out, export.file());
                written.add(out);
                createPrivateDirectory(sharesDir);
                for (CustodianShare share : export.custodians()) {
                    Path file = sharesDir.resolve("share-" + share.index() + "-of-" + custodians + ".txt");
                    writePrivate(file, (share.encode() + "\n").getBytes(StandardCharsets.US_ASCII));
                    written.add(file);
                }
            } catch (IOException e) {
                // an export without all its shares, or half a set of shares, must not look like a backup
                for (Path p : written) {
                    deleteQuietly(p);
                }
                throw new ParameterException(spec.commandLine(), "cannot write the export or its shares: " + e);
            }
            PrintWriter w = spec.commandLine().getOut();
            w.println(ShardBackup.describe(export.file()));
            w.println("keys:    " + export.keys() + " key share(s) exported to " + out);
            w.println("pins:    " + export.pinOprfKeys() + " PIN OPRF key(s) exported (devices' logins need them after a restore)");
            w.println("shares:  " + custodians + " custodian share files in " + sharesDir + "; any " + threshold + " restore");
            w.println("next:    give each share file to its custodian, then delete it here; keep the export apart from the shares");
            w.flush();
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Restore an export into the configured key store with M custodian shares. The whole export is",
                    "checked before any key is written; the shares are re-sealed under the configured card's KEK."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, description = "the gmgate configuration (database and card) to restore into")
        Path config;

        @Option(names = "--passphrase-file", description = "the card's secret (else card.passphraseFile, the type's environment variable, or a prompt)")
        Path secretFile;

        @Option(names = "--file", required = true, description = "the backup export")
        Path file;

        @Option(names = "--share-file", required = true,
                description = "a file holding one custodian's share line (repeat for each custodian)")
        List<Path> shareFiles = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> lines = shareLines(spec, shareFiles);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read the export " + file + ": " + e.getMessage());
            }
            GmgateConfig cfg = load(spec, config);
            CardSecrets secret = CardPassphrase.read(spec.commandLine(), cfg.card(), secretFile);
            try (StoreWiring store = new StoreWiring(cfg, "restore-" + cfg.node().name(), secret, ShardStoreSettings.defaults())) {
                // A restore adds keys; into a store that already has some it would leave two live shares
                // for one device and purpose. Recovery goes into an empty store (a new site or database).
                if (!store.shards.keysAfter(0, 1).isEmpty()) {
                    PrintWriter err = spec.commandLine().getErr();
                    err.println("gmgate: the key store of " + config + " already holds keys; restore into an empty database");
                    err.flush();
                    return 2;
                }
                ShardBackup.Restored r = ShardBackup.restore(bytes, lines, store.shards, actor());
                PrintWriter w = spec.commandLine().getOut();
                w.println("restored: " + r.keys() + " key share(s), " + r.pinOprfKeys() + " PIN OPRF key(s) from backup "
                        + r.backupId() + " under " + store.card.name());
                if (!r.carriesPinOprfKeys()) {
                    w.println("note:     this backup predates PIN OPRF keys (" + ShardBackup.CONTENT_TYPE_V1 + ") and holds none:"
                            + " devices whose stores are masked with the OPRF cannot log in and must re-enrol");
                }
                w.flush();
                return 0;
            } catch (GmgateException e) {
                return failed(spec, e);
            } catch (ConfigException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    static GmgateConfig load(CommandSpec spec, Path config) {
        try {
            return GmgateConfig.load(config);
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            restrict(dir, "rwx------");
        }
    }

    /** Creates {@code file} (never replacing one) readable by its owner only, where the file system knows owners. */
    private static void writePrivate(Path file, byte[] content) throws IOException {
        Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        restrict(file, "rw-------");
    }

    private static void restrict(Path p, String perms) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the caller reports the original failure
        }
    }

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
            List<String> lines = shareLines(spec, shareFiles);
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
