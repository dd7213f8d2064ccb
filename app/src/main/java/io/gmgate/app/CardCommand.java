package io.gmgate.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import io.gmgate.crypto.card.CardHealth;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.SoftCipherCard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gmgate card init|status}: manage the software cipher card file. */
@Command(name = "card", mixinStandardHelpOptions = true,
        description = "Manage the software cipher card (密码卡) file.",
        subcommands = {CardCommand.Init.class, CardCommand.Status.class})
final class CardCommand {

    static final String PASSPHRASE_ENV = CardPassphrase.ENV;

    abstract static class CardAction implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--file", required = true, description = "the card file")
        Path file;

        @Option(names = "--passphrase-file", description = "read the passphrase from this file's first line (service mode)")
        Path passphraseFile;

        @Override
        public Integer call() {
            char[] passphrase = passphrase();
            try {
                return run(spec.commandLine().getOut(), passphrase);
            } catch (CipherCardException e) {
                spec.commandLine().getErr().println("gmgate: " + e.getMessage());
                spec.commandLine().getErr().println("  action: " + e.errorCode().action());
                return 1;
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }

        abstract int run(PrintWriter out, char[] passphrase);

        private char[] passphrase() {
            return CardPassphrase.read(spec.commandLine(), passphraseFile);
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create a new card file holding a fresh key-encryption key (index 1).")
    static final class Init extends CardAction {
        @Override
        int run(PrintWriter out, char[] passphrase) {
            if (passphrase.length < 12) {
                spec.commandLine().getErr().println("gmgate: the card passphrase must be at least 12 characters");
                return 2;
            }
            try (SoftCipherCard card = SoftCipherCard.init(file, passphrase)) {
                out.println("created " + card.name() + " with KEKs " + card.keks());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Open the card file and report its keys and health.")
    static final class Status extends CardAction {
        @Override
        int run(PrintWriter out, char[] passphrase) {
            try (SoftCipherCard card = SoftCipherCard.open(file, passphrase)) {
                CardHealth health = card.health();
                out.println("card:   " + card.name());
                out.println("KEKs:   " + card.keks());
                out.println("health: " + (health.healthy() ? "ok" : "DOWN " + health.detail())
                        + " (" + health.probeMillis() + " ms)");
                out.flush();
                return health.healthy() ? 0 : 1;
            }
        }
    }
}
