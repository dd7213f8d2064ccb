package io.gmgate.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import io.gmgate.app.config.ConfigException;
import io.gmgate.app.config.GmgateConfig;
import io.gmgate.app.wiring.CardSecrets;
import io.gmgate.app.wiring.Cards;
import io.gmgate.crypto.card.CardAlgorithm;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CardHealth;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.card.SoftCipherCard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gmgate card init|status|rotate-kek}: create and inspect the cipher card (soft, PKCS#11 or SDF); rotate the key store's KEK. */
@Command(name = "card", mixinStandardHelpOptions = true,
        description = "Manage the cipher card (密码卡): a soft card file, a PKCS#11 token or an SDF device.",
        subcommands = {CardCommand.Init.class, CardCommand.Status.class, CardRotateKek.class})
final class CardCommand {

    static final String PASSPHRASE_ENV = CardPassphrase.ENV;

    abstract static class CardAction implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CardOptions card;

        @Option(names = {"--passphrase-file", "--pin-file", "--password-file"},
                description = "read the card's passphrase, PIN or password from this file's first line (service mode)")
        Path secretFile;

        @Override
        public Integer call() {
            card.check(spec);
            char[] secret = secret();
            try {
                return run(spec.commandLine().getOut(), secret);
            } catch (CipherCardException e) {
                spec.commandLine().getErr().println("gmgate: " + e.getMessage());
                spec.commandLine().getErr().println("  action: " + e.errorCode().action());
                spec.commandLine().getErr().flush();
                return 1;
            } finally {
                Arrays.fill(secret, '\0');
            }
        }

        abstract int run(PrintWriter out, char[] secret);

        /** From a file or the environment (service mode) or a prompt; never from the command line, where ps shows it. */
        private char[] secret() {
            return CardPassphrase.read(spec.commandLine(), secretFile, card.secretEnv(), card.secretName());
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Create the card's first key-encryption key (index 1):",
                "soft: a new card file; pkcs11: KEK 1 v1 on an initialised token; sdf: refused, the vendor's tool creates device keys."})
    static final class Init extends CardAction {
        @Override
        int run(PrintWriter out, char[] secret) {
            switch (card.type) {
                case SOFT -> {
                    if (secret.length < 12) {
                        spec.commandLine().getErr().println("gmgate: the card passphrase must be at least 12 characters");
                        spec.commandLine().getErr().flush();
                        return 2;
                    }
                    try (SoftCipherCard soft = SoftCipherCard.init(card.file, secret)) {
                        out.println("created " + soft.name() + " with KEKs " + soft.keks());
                    }
                }
                case PKCS11 -> {
                    try (CipherCard token = card.open(secret)) {
                        if (token.keks().stream().anyMatch(k -> k.index() == 1)) {
                            throw new CipherCardException(CardErrors.KEY_EXISTS, "[KEY " + token.name()
                                    + "] the token already holds KEK 1 " + token.keks() + "; refusing to add another");
                        }
                        KekId created = token.rotateKek(1);
                        out.println("created " + created + " on " + token.name());
                        printAlgorithms(out, token);
                    }
                }
                case SDF -> throw new CipherCardException(CardErrors.UNSUPPORTED, "[KEY sdf:" + card.name + "] GM/T 0018 has no"
                        + " function that creates device keys: create them with the vendor's management tool and declare them"
                        + " with --kek (for soft-sdf: gmgate card init --type soft --file …)");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Open the card and report its keys, what each algorithm runs on (with any fallback) and its health.",
                "With --config, the card: section of a configuration file, an sm2Card included."})
    static final class Status extends CardAction {
        private static final List<String> CARD_OPTIONS = List.of("--type", "--name", "--file", "--library", "--slot",
                "--slot-index", "--option", "--kek");

        @Option(names = "--config", description = "open the card as this gmgate.yaml's card: section describes it (with its sm2Card)")
        Path config;

        @Override
        public Integer call() {
            if (config == null) {
                return super.call();
            }
            CommandLine cli = spec.commandLine();
            if (CARD_OPTIONS.stream().anyMatch(o -> cli.getParseResult().hasMatchedOption(o))) {
                throw new ParameterException(cli, "--config names the card; " + String.join(", ", CARD_OPTIONS)
                        + " are for a card given by options");
            }
            GmgateConfig cfg;
            try {
                cfg = GmgateConfig.load(config);
            } catch (ConfigException e) {
                cli.getErr().println("gmgate: " + e.getMessage());
                cli.getErr().flush();
                return 2;
            }
            try (CardSecrets secrets = CardPassphrase.read(cli, cfg.card(), secretFile);
                    CipherCard opened = Cards.open(cfg.card(), secrets)) {
                return report(cli.getOut(), opened);
            } catch (CipherCardException e) {
                cli.getErr().println("gmgate: " + e.getMessage());
                cli.getErr().println("  action: " + e.errorCode().action());
                cli.getErr().flush();
                return 1;
            }
        }

        @Override
        int run(PrintWriter out, char[] secret) {
            try (CipherCard opened = card.open(secret)) {
                return report(out, opened);
            }
        }

        private static int report(PrintWriter out, CipherCard opened) {
            CardHealth health = opened.health();
            out.println("card:   " + opened.name());
            out.println("KEKs:   " + opened.keks());
            printAlgorithms(out, opened);
            out.println("health: " + (health.healthy() ? health.detail() : "DOWN " + health.detail())
                    + " (" + health.probeMillis() + " ms)");
            out.flush();
            return health.healthy() ? 0 : 1;
        }
    }

    static void printAlgorithms(PrintWriter out, CipherCard card) {
        out.println("algorithms:");
        for (CardAlgorithm a : card.algorithms()) {
            out.println("  " + a);
        }
    }
}
