package io.gmgate.app;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        if (passphraseFile != null) {
            try {
                return Files.readAllLines(passphraseFile).get(0).toCharArray();
            } catch (IOException | IndexOutOfBoundsException e) {
                throw new CommandLine.ParameterException(cli, "cannot read a passphrase from " + passphraseFile);
            }
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new CommandLine.ParameterException(cli, "no terminal to ask for the card passphrase: set " + ENV);
        }
        return console.readPassword("card passphrase: ");
    }
}
