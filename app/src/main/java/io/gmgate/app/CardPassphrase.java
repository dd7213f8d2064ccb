package io.gmgate.app;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.gmgate.app.config.CardSettings;
import io.gmgate.app.wiring.CardSecrets;
import picocli.CommandLine;

/**
 * The software card's passphrase for a command: from a file (service mode), the environment, or a
 * prompt — never from the command line, where ps would show it. The caller zeroes the array.
 */
final class CardPassphrase {

    static final String ENV = "GMGATE_CARD_PASSPHRASE";

    private CardPassphrase() {
    }

    static char[] read(CommandLine cli, Path passphraseFile) {
        return read(cli, passphraseFile, ENV, "card passphrase");
    }

    /**
     * The secrets of the configured card: {@code override} (a command's --passphrase-file), else the
     * card's passphraseFile, else the type's environment variable, else a prompt; then the same for
     * its sm2Card, if any, from that card's own passphraseFile or its type's variable (the types differ).
     */
    static CardSecrets read(CommandLine cli, CardSettings card, Path override) {
        Path file = override != null ? override : card.passphraseFile().map(Path::of).orElse(null);
        char[] own = read(cli, file, card.secretEnv(), card.secretName());
        if (card.sm2Card().isEmpty()) {
            return CardSecrets.of(own);
        }
        CardSettings sm2 = card.sm2Card().get();
        try {
            return CardSecrets.of(own, read(cli, sm2.passphraseFile().map(Path::of).orElse(null), sm2.secretEnv(),
                    "sm2Card " + sm2.secretName()));
        } catch (RuntimeException e) {
            java.util.Arrays.fill(own, '\0');
            throw e;
        }
    }

    /**
     * The same for any card secret: a soft card's passphrase, a token's user PIN ({@code GMGATE_CARD_PIN}),
     * an SDF device's password ({@code GMGATE_CARD_PASSWORD}); {@code what} names it in the prompt and errors.
     */
    static char[] read(CommandLine cli, Path secretFile, String env, String what) {
        if (secretFile != null) {
            try {
                return Files.readAllLines(secretFile).get(0).toCharArray();
            } catch (IOException | IndexOutOfBoundsException e) {
                throw new CommandLine.ParameterException(cli, "cannot read the " + what + " from " + secretFile);
            }
        }
        String value = System.getenv(env);
        if (value != null && !value.isEmpty()) {
            return value.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new CommandLine.ParameterException(cli, "no terminal to ask for the " + what + ": set " + env);
        }
        return console.readPassword(what + ": ");
    }
}
