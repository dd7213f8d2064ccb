package io.gmgate.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import com.zaxxer.hikari.HikariDataSource;

import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.error.GmgateException;
import io.gmgate.keystore.AuditVerification;
import io.gmgate.keystore.PgAuditLog;
import io.gmgate.keystore.PgShardStore;
import io.gmgate.keystore.ShardStoreSettings;
import io.gmgate.keystore.PgPool;
import io.gmgate.keystore.PgPoolSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gmgate audit verify}: walk the key store's audit chain and name the first broken record. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Check the key store's audit log (design §6).",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand {

    static final String DB_PASSWORD_ENV = "GMGATE_DB_PASSWORD";

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify every record's MAC link in the cipher card, then every key row, PIN counter and",
                "tombstone against its card seal and the row versions the chain recorded; exit 0 if all hold,",
                "1 naming the first broken record (KEY-109) or each tampered row (KEY-130, KEY-131) otherwise."})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--db-url", required = true, description = "jdbc:postgresql://host:port/db of the key store")
        String dbUrl;

        @Option(names = "--db-user", defaultValue = "gmgate", description = "database role (default: ${DEFAULT-VALUE})")
        String dbUser;

        @Option(names = "--db-password-file", description = "read the database password from this file's first line "
                + "(else $" + DB_PASSWORD_ENV + ")")
        Path dbPasswordFile;

        @Option(names = "--card", required = true, description = "the software cipher card file")
        Path card;

        @Option(names = "--passphrase-file", description = "read the card passphrase from this file's first line "
                + "(else $" + CardCommand.PASSPHRASE_ENV + ", else a prompt)")
        Path passphraseFile;

        @Option(names = "--kek-index", defaultValue = "1", description = "the card KEK index of the audit MACs (default: ${DEFAULT-VALUE})")
        int kekIndex;

        @Override
        public Integer call() {
            CommandLine cli = spec.commandLine();
            PrintWriter out = cli.getOut();
            PrintWriter err = cli.getErr();
            String dbPassword = dbPassword(cli);
            char[] passphrase = CardPassphrase.read(cli, passphraseFile);
            try (SoftCipherCard c = SoftCipherCard.open(card, passphrase);
                 HikariDataSource ds = PgPool.open(new PgPoolSettings("audit-verify", dbUrl, dbUser, dbPassword, 2, Duration.ofSeconds(5)))) {
                AuditVerification v = new PgAuditLog(ds, c, kekIndex).verify();
                out.println(v);
                out.flush();
                if (!v.intact()) {
                    err.println("gmgate: KEY-109 the audit chain is broken at record #" + v.firstBadSeq());
                    err.println("  action: " + io.gmgate.keystore.KeystoreErrors.AUDIT_CHAIN_BROKEN.action());
                    err.flush();
                    return 1;
                }
                PgShardStore store = new PgShardStore(ds, c, new ShardStoreSettings("audit-verify", kekIndex,
                        ShardStoreSettings.DEFAULT_PIN_LOCK_THRESHOLD, 0, Duration.ofSeconds(1)));
                List<String> findings = store.scanRows();
                long refused = store.auditedTamperings();
                out.println("key rows: " + (findings.isEmpty() ? "every seal, tombstone and audited row version holds" : findings.size()
                        + " tampered") + "; refusals of tampered rows recorded in the log: " + refused);
                out.flush();
                if (!findings.isEmpty()) {
                    findings.forEach(f -> err.println("gmgate: " + f));
                    err.println("  action: " + io.gmgate.keystore.KeystoreErrors.ROW_SEAL_BROKEN.action());
                    err.flush();
                    return 1;
                }
                return 0;
            } catch (GmgateException e) {
                err.println("gmgate: " + e.getMessage());
                err.println("  action: " + e.errorCode().action());
                err.flush();
                return 1;
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }

        private String dbPassword(CommandLine cli) {
            if (dbPasswordFile != null) {
                try {
                    return Files.readAllLines(dbPasswordFile).get(0);
                } catch (IOException | IndexOutOfBoundsException e) {
                    throw new CommandLine.ParameterException(cli, "cannot read a database password from " + dbPasswordFile);
                }
            }
            String env = System.getenv(DB_PASSWORD_ENV);
            return env == null ? "" : env;
        }
    }
}
