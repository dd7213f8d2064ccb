package io.gmgate.app.wiring;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import io.gmgate.app.config.CardSettings;
import io.gmgate.card.CardDeviceErrors;
import io.gmgate.card.SplitCipherCard;
import io.gmgate.card.pkcs11.Pkcs11CipherCard;
import io.gmgate.card.pkcs11.Pkcs11Settings;
import io.gmgate.card.sdf.SdfCipherCard;
import io.gmgate.card.sdf.SdfKekSlot;
import io.gmgate.card.sdf.SdfSettings;
import io.gmgate.crypto.card.CardAlgorithm;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.SoftCipherCard;

/**
 * The one place that turns card settings — the configuration file's {@code card:} section or the
 * {@code gmgate card} options — into an open {@link CipherCard}, so that serve, cosign and every
 * command reach a soft file, a PKCS#11 token or an SDF device the same way (docs/cipher-cards.md).
 * Nothing here falls back from one card type to another: an unreachable device is a KEY- error.
 */
public final class Cards {

    private Cards() {
    }

    /**
     * Refuses, at start, a card that cannot use SM2 keys inside itself (a PKCS#11 token on SunPKCS11)
     * for a role whose keys are SM2 in the card — the gateway's TLCP keys, the CA's keys — so the node
     * fails before listening, with KEY-025 and the card's own report, not at its first handshake or
     * enrolment. There is no software fallback (docs/cipher-cards.md).
     */
    public static void requireSm2(CipherCard card, String role) {
        List<CardAlgorithm> missing = card.algorithms().stream()
                .filter(a -> a.family().equals("SM2") && a.support() == CardAlgorithm.Support.UNSUPPORTED).toList();
        if (!missing.isEmpty()) {
            throw new CipherCardException(CardErrors.UNSUPPORTED, "[KEY " + card.name() + "] " + role
                    + " are SM2 keys inside the card, and this card reports "
                    + missing.stream().map(CardAlgorithm::toString).collect(Collectors.joining("; "))
                    + "; keep the KEKs on it and put the SM2 keys on a soft or sdf card with card.sm2Card"
                    + " (docs/cipher-cards.md)");
        }
    }

    /**
     * Opens the card — with an {@code sm2Card}, both cards joined as a {@link SplitCipherCard} (KEKs
     * on the first, SM2 keys on the second). The caller closes {@code secrets} and the card.
     */
    public static CipherCard open(CardSettings s, CardSecrets secrets) {
        if (s.sm2Card().isEmpty()) {
            return openOne(s, secrets.card());
        }
        CipherCard keks = openOne(s, secrets.card());
        CipherCard sm2 = null;
        try {
            sm2 = openOne(s.sm2Card().get(), secrets.sm2Card());
            return SplitCipherCard.of(keks, sm2);
        } catch (RuntimeException | Error e) {
            if (sm2 != null) {
                sm2.close();
            }
            keks.close();
            throw e;
        }
    }

    /** Opens a card that has no sm2Card (the {@code gmgate card} options); the caller zeroes {@code secret}. */
    public static CipherCard open(CardSettings s, char[] secret) {
        if (s.sm2Card().isPresent()) {
            throw new CipherCardException(CardDeviceErrors.BAD_SETTINGS, "[KEY " + s.name() + "] the card has an sm2Card,"
                    + " whose secret was not read: open it with both secrets");
        }
        return openOne(s, secret);
    }

    private static CipherCard openOne(CardSettings s, char[] secret) {
        return switch (s.type()) {
            case SOFT -> SoftCipherCard.open(Path.of(s.path()), secret);
            case PKCS11 -> {
                Path library = Path.of(s.pkcs11Library().orElseThrow());
                yield Pkcs11CipherCard.open(s.slot().isPresent()
                        ? Pkcs11Settings.slot(s.name(), library, s.slot().get(), secret)
                        : Pkcs11Settings.slotListIndex(s.name(), library, s.slotIndex().orElseThrow(), secret));
            }
            case SDF -> SdfCipherCard.open(SdfSettings.of(s.name(), s.sdfLibrary().orElseThrow(), s.sdfOptions(), secret,
                    s.sdfKeks().stream().map(SdfKekSlot::parse).toList()));
        };
    }
}
