package io.gmgate.app.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which cipher card holds the KEKs and the node's own keys, how to reach it, and where its secret
 * comes from (docs/cipher-cards.md). The secret itself — a soft card's passphrase, a token's user PIN,
 * an SDF device's password — is never in the file: {@code passphraseFile} names the file that holds
 * it, else the type's environment variable ({@link #secretEnv()}) carries it.
 *
 * @param type           soft, pkcs11 or sdf
 * @param name           the card's name in messages and KEY- codes
 * @param path           soft: the card file
 * @param passphraseFile the file whose first line is the card's secret, whatever the type
 * @param pkcs11Library  pkcs11: the PKCS#11 module path
 * @param slot           pkcs11: the token's slot id (exactly one of slot and slotIndex)
 * @param slotIndex      pkcs11: the token's position in the module's slot list
 * @param sdfLibrary     sdf: the vendor library's {@code SdfLibrary.name()}, e.g. soft-sdf
 * @param sdfOptions     sdf: the vendor's options, passed to the library as they are
 * @param sdfKeks        sdf: the declared KEK slots, INDEX:VERSION=KEKINDEX[/MACINDEX]
 * @param sm2Card        a second card, soft or sdf, that holds the SM2 keys while this one keeps the
 *                       KEKs, MACs and random numbers: for a PKCS#11 token without SM2
 */
public record CardSettings(Type type, String name, String path, Optional<String> passphraseFile,
                           Optional<String> pkcs11Library, Optional<Long> slot, Optional<Integer> slotIndex,
                           Optional<String> sdfLibrary, Map<String, String> sdfOptions, List<String> sdfKeks,
                           Optional<CardSettings> sm2Card) {

    public enum Type { SOFT, PKCS11, SDF }

    public CardSettings {
        sdfOptions = Map.copyOf(sdfOptions);
        sdfKeks = List.copyOf(sdfKeks);
        if (sm2Card.isPresent() && (sm2Card.get().sm2Card.isPresent() || sm2Card.get().type == Type.PKCS11
                || sm2Card.get().type == type)) {
            throw new ConfigException("card " + name + ": the sm2Card must be a soft or sdf card of another type than the card,"
                    + " with no sm2Card of its own");
        }
    }

    /** A soft card in {@code path}: the default, and what tests and the demo use. */
    public static CardSettings soft(String path, Optional<String> passphraseFile) {
        return new CardSettings(Type.SOFT, "card", path, passphraseFile, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(), List.of(), Optional.empty());
    }

    /** The same card with its SM2 keys on {@code sm2Card}. */
    public CardSettings withSm2Card(CardSettings sm2) {
        return new CardSettings(type, name, path, passphraseFile, pkcs11Library, slot, slotIndex, sdfLibrary, sdfOptions,
                sdfKeks, Optional.of(sm2));
    }

    /** The environment variable that carries this type's secret when no passphraseFile is set. */
    public String secretEnv() {
        return switch (type) {
            case SOFT -> "GMGATE_CARD_PASSPHRASE";
            case PKCS11 -> "GMGATE_CARD_PIN";
            case SDF -> "GMGATE_CARD_PASSWORD";
        };
    }

    /** What the secret is called in prompts and errors. */
    public String secretName() {
        return switch (type) {
            case SOFT -> "card passphrase";
            case PKCS11 -> "token user PIN";
            case SDF -> "device password";
        };
    }

    static CardSettings read(ConfigNode n) {
        CardSettings card = read(n, "card", "/var/lib/gmgate/card.gmc");
        if (!n.has("sm2Card")) {
            return card;
        }
        // Types must differ so that each card's secret has its own environment variable (secretEnv),
        // and a PKCS#11 token on SunPKCS11 has no SM2 to offer.
        ConfigNode nested = n.section("sm2Card");
        CardSettings sm2 = read(nested, "sm2-card", "/var/lib/gmgate/sm2-card.gmc");
        if (sm2.type == Type.PKCS11) {
            throw n.error(nested.path() + ".type", "must be soft or sdf: the sm2Card holds SM2 keys, which a PKCS#11 token"
                    + " on SunPKCS11 cannot");
        }
        if (sm2.type == card.type) {
            throw n.error(nested.path() + ".type", "must differ from the card's own type (" + card.type.name().toLowerCase(
                    java.util.Locale.ROOT) + "): that card could hold the SM2 keys itself");
        }
        if (nested.has("sm2Card")) {
            throw n.error(nested.path() + ".sm2Card", "is not allowed: only the top card section has an sm2Card");
        }
        return card.withSm2Card(sm2);
    }

    private static CardSettings read(ConfigNode n, String defaultName, String defaultPath) {
        Type type = n.enumValue("type", Type.class, Type.SOFT);
        String name = n.string("name", defaultName);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,40}")) {
            throw n.error(n.path() + ".name", "must be 1..41 letters, digits, '_' or '-', got '" + name + "'");
        }
        Optional<Long> slot = n.optionalString("slot").map(s -> slotId(n, s));
        Optional<Integer> slotIndex = n.has("slotIndex")
                ? Optional.of(n.integer("slotIndex", 0, 0, 1_000)) : Optional.empty();
        CardSettings s = new CardSettings(type, name, n.string("path", defaultPath), n.optionalString("passphraseFile"),
                n.optionalString("pkcs11Library"), slot, slotIndex, n.optionalString("sdfLibrary"),
                n.stringMap("sdfOptions"), n.strings("sdfKeks"), Optional.empty());
        // Settings of another type are refused rather than ignored: a pkcs11 block left under
        // type: soft would otherwise look configured while the node opens a file.
        switch (type) {
            case SOFT -> refuse(n, s.pkcs11Library.isPresent() || slot.isPresent() || slotIndex.isPresent()
                    || s.sdfLibrary.isPresent() || !s.sdfOptions.isEmpty() || !s.sdfKeks.isEmpty(),
                    "a soft card takes path and passphraseFile only");
            case PKCS11 -> {
                if (s.pkcs11Library.isEmpty()) {
                    throw n.error(n.path() + ".pkcs11Library", "is required for a pkcs11 card");
                }
                if (slot.isPresent() == slotIndex.isPresent()) {
                    throw n.error(n.path() + ".slot", "or slotIndex (exactly one) is required for a pkcs11 card");
                }
                refuse(n, n.has("path") || s.sdfLibrary.isPresent() || !s.sdfOptions.isEmpty() || !s.sdfKeks.isEmpty(),
                        "a pkcs11 card takes pkcs11Library, slot or slotIndex, and passphraseFile (the PIN) only");
            }
            case SDF -> {
                if (s.sdfLibrary.isEmpty()) {
                    throw n.error(n.path() + ".sdfLibrary", "is required for an sdf card");
                }
                refuse(n, n.has("path") || s.pkcs11Library.isPresent() || slot.isPresent() || slotIndex.isPresent(),
                        "an sdf card takes sdfLibrary, sdfOptions, sdfKeks and passphraseFile (the device password) only");
            }
        }
        n.section("sm2Card"); // read by the caller; known here so that done() does not refuse it
        n.done();
        return s;
    }

    private static long slotId(ConfigNode n, String s) {
        try {
            long id = Long.parseLong(s.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw n.error(n.path() + ".slot", "must be a slot id (a whole number ≥ 0, see softhsm2-util --show-slots), got '" + s + "'");
    }

    private static void refuse(ConfigNode n, boolean wrong, String why) {
        if (wrong) {
            throw n.error(n.path(), "mixes settings of card types: " + why);
        }
    }

    @Override
    public String toString() {
        // The secret is never here, but the vendor's options may name hosts or files: keys only.
        return "CardSettings[" + type + " " + name + ", path=" + path + ", passphraseFile=" + passphraseFile
                + ", pkcs11Library=" + pkcs11Library + ", slot=" + slot + ", slotIndex=" + slotIndex
                + ", sdfLibrary=" + sdfLibrary + ", sdfOptions=" + sdfOptions.keySet() + ", sdfKeks=" + sdfKeks
                + sm2Card.map(c -> ", sm2Card=" + c).orElse("") + "]";
    }
}
