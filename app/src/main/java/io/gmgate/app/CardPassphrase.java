package io.gmgate.app;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.gmgate.app.config.CardSettings;
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
     * The secret of the configured card: {@code override} (a command's --passphrase-file), else the
     * card's passphraseFile, else the type's environment variable, else a prompt.
     */
    static char[] read(CommandLine cli, CardSettings card, Path override) {
        Path file = override != null ? override : card.passphraseFile().map(Path::of).orElse(null);
        return read(cli, file, card.secretEnv(), card.secretName());
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
