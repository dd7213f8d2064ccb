package io.gmgate.app;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import io.gmgate.app.config.ConfigException;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.cosign.api.Schemas;
import io.gmgate.error.GmgateException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gmgate accounts add|disable|enable|reset-password}: the built-in accounts of the cosign service. */
@Command(name = "accounts", mixinStandardHelpOptions = true,
        description = "Built-in trader accounts (PBKDF2-HMAC-SM3 password hashes) of the cosign service.",
        subcommands = {AccountsCommand.Add.class, AccountsCommand.Disable.class, AccountsCommand.Enable.class,
            AccountsCommand.ResetPassword.class})
final class AccountsCommand {

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, description = "the gmgate YAML configuration file")
        Path config;

        @Option(names = "--passphrase-file", description = "the card's secret: passphrase, token PIN or device password "
                + "(else card.passphraseFile, the card type's environment variable, or a prompt)")
        Path passphraseFile;

        @Parameters(index = "0", paramLabel = "ACCOUNT", description = "the trader's account name")
        String account;

        @Override
        public Integer call() {
            CommandLine cli = spec.commandLine();
            PrintWriter err = cli.getErr();
            if (!account.matches(Schemas.ACCOUNT) || account.length() > 64) {
                err.println("gmgate: account names are 1-64 characters of A-Z a-z 0-9 . _ @ -");
                err.flush();
                return 2;
            }
            try {
                GmgateConfig cfg = GmgateConfig.load(config);
                try (CosignWiring w = new CosignWiring(cfg, CardPassphrase.read(cli, cfg.card(), passphraseFile))) {
                    return run(w, cli.getOut());
                }
            } catch (GmgateException | ConfigException e) {
                err.println("gmgate: " + e.getMessage());
                if (e instanceof GmgateException g) {
                    err.println("  action: " + g.errorCode().action());
                }
                err.flush();
                return 1;
            }
        }

        abstract int run(CosignWiring w, PrintWriter out);
    }

    /** Reads a new password from a file (scripts) or twice from the console. */
    abstract static class WithPassword extends Base {
        @Option(names = "--password-file", description = "read the initial password from this file's first line (else a prompt)")
        Path passwordFile;

        char[] password() {
            CommandLine cli = spec.commandLine();
            char[] pw;
            if (passwordFile != null) {
                try {
                    pw = Files.readAllLines(passwordFile).get(0).toCharArray();
                } catch (IOException | IndexOutOfBoundsException e) {
                    throw new CommandLine.ParameterException(cli, "cannot read a password from " + passwordFile);
                }
            } else {
                Console console = System.console();
                if (console == null) {
                    throw new CommandLine.ParameterException(cli, "no terminal to ask for the password: use --password-file");
                }
                pw = console.readPassword("initial password for %s: ", account);
                char[] again = console.readPassword("again: ");
                boolean same = Arrays.equals(pw, again);
                Arrays.fill(again, '\0');
                if (!same) {
                    Arrays.fill(pw, '\0');
                    throw new CommandLine.ParameterException(cli, "the two passwords differ");
                }
            }
            if (pw.length < 8) {
                Arrays.fill(pw, '\0');
                throw new CommandLine.ParameterException(cli, "an initial password needs at least 8 characters");
            }
            return pw;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create a built-in account; the trader must change the initial password at first login.")
    static final class Add extends WithPassword {
        @Override
        int run(CosignWiring w, PrintWriter out) {
            char[] pw = password();
            try {
                w.accounts().addBuiltin(account, pw, "operator:cli");
            } finally {
                Arrays.fill(pw, '\0');
            }
            out.println("account " + account + " added; the initial password must be changed at first login");
            out.flush();
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Refuse the account's logins (keys and certificates stay).")
    static final class Disable extends Base {
        @Override
        int run(CosignWiring w, PrintWriter out) {
            w.accounts().setDisabled(account, true);
            out.println("account " + account + " disabled");
            out.flush();
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Allow a disabled account's logins again.")
    static final class Enable extends Base {
        @Override
        int run(CosignWiring w, PrintWriter out) {
            w.accounts().setDisabled(account, false);
            out.println("account " + account + " enabled");
            out.flush();
            return 0;
        }
    }

    @Command(name = "reset-password", mixinStandardHelpOptions = true,
            description = "Set a new initial password (after checking the trader's identity); it must be changed at next login.")
    static final class ResetPassword extends WithPassword {
        @Override
        int run(CosignWiring w, PrintWriter out) {
            char[] pw = password();
            try {
                w.accounts().resetPassword(account, pw);
            } finally {
                Arrays.fill(pw, '\0');
            }
            out.println("password of " + account + " reset; it must be changed at next login");
            out.flush();
            return 0;
        }
    }
}
