package io.gmgate.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gmgate.app.config.CardSettings;
import io.gmgate.app.wiring.Cards;
import io.gmgate.crypto.card.CipherCard;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Which cipher card a {@code gmgate card} command talks to, and how to reach it (docs/cipher-cards.md).
 * Checked once here, then turned into the card module's settings records.
 */
final class CardOptions {

    enum CardType { SOFT, PKCS11, SDF }

    @Option(names = "--type", defaultValue = "soft", description = "soft, pkcs11 or sdf (default: ${DEFAULT-VALUE})")
    CardType type;

    @Option(names = "--name", defaultValue = "card", description = "the card's name in messages (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--file", description = "soft: the card file")
    Path file;

    @Option(names = "--library", description = "pkcs11: the PKCS#11 module path; sdf: the SDF library's name (e.g. soft-sdf)")
    String library;

    @Option(names = "--slot", description = "pkcs11: the token's slot id (softhsm2-util --show-slots)")
    Long slot;

    @Option(names = "--slot-index", description = "pkcs11: the token's position in the module's slot list")
    Integer slotIndex;

    @Option(names = "--option", description = "sdf: a vendor option KEY=VALUE, passed to the library as is (repeatable)")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--kek", paramLabel = "INDEX:VERSION=KEKINDEX[/MACINDEX]",
            description = "sdf: which device keys stand for a KEK version, e.g. 1:1=1/2 (repeatable)")
    List<String> keks = new ArrayList<>();

    /** The environment variable that carries this type's secret in service mode. */
    String secretEnv() {
        return switch (type) {
            case SOFT -> "GMGATE_CARD_PASSPHRASE";
            case PKCS11 -> "GMGATE_CARD_PIN";
            case SDF -> "GMGATE_CARD_PASSWORD";
        };
    }

    /** What the prompt asks for. */
    String secretName() {
        return switch (type) {
            case SOFT -> "card passphrase";
            case PKCS11 -> "token user PIN";
            case SDF -> "device password";
        };
    }

    /** Refuses options that belong to another card type, or missing ones, before any secret is read. */
    void check(CommandSpec spec) {
        switch (type) {
            case SOFT -> {
                require(spec, file != null, "--type soft needs --file");
                refuse(spec, library != null || slot != null || slotIndex != null || !options.isEmpty() || !keks.isEmpty(),
                        "--library, --slot, --slot-index, --option and --kek are not soft card options");
            }
            case PKCS11 -> {
                require(spec, library != null, "--type pkcs11 needs --library (the PKCS#11 module path)");
                require(spec, (slot == null) != (slotIndex == null), "--type pkcs11 needs exactly one of --slot and --slot-index");
                refuse(spec, file != null || !options.isEmpty() || !keks.isEmpty(), "--file, --option and --kek are not pkcs11 options");
            }
            case SDF -> {
                require(spec, library != null, "--type sdf needs --library (the SDF library's name, e.g. soft-sdf)");
                refuse(spec, file != null || slot != null || slotIndex != null,
                        "--file, --slot and --slot-index are not sdf options (soft-sdf takes --option file=…)");
            }
        }
    }

    /** Opens the card; the caller zeroes {@code secret} afterwards and closes the card. */
    CipherCard open(char[] secret) {
        return Cards.open(settings(), secret);
    }

    /** The same settings the configuration file's {@code card:} section holds, checked by {@link #check}. */
    CardSettings settings() {
        return new CardSettings(CardSettings.Type.valueOf(type.name()), name, file == null ? "" : file.toString(), Optional.empty(),
                type == CardType.PKCS11 ? Optional.of(library) : Optional.empty(), Optional.ofNullable(slot),
                Optional.ofNullable(slotIndex), type == CardType.SDF ? Optional.of(library) : Optional.empty(), options, keks,
                Optional.empty());
    }

    private static void require(CommandSpec spec, boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    private static void refuse(CommandSpec spec, boolean wrong, String message) {
        require(spec, !wrong, message);
    }
}
