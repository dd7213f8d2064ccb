package io.gmgate.app.wiring;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import io.gmgate.app.config.CardSettings;
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
     * enrolment. There is no software fallback (issue 3).
     */
    public static void requireSm2(CipherCard card, String role) {
        List<CardAlgorithm> missing = card.algorithms().stream()
                .filter(a -> a.family().equals("SM2") && a.support() == CardAlgorithm.Support.UNSUPPORTED).toList();
        if (!missing.isEmpty()) {
            throw new CipherCardException(CardErrors.UNSUPPORTED, "[KEY " + card.name() + "] " + role
                    + " are SM2 keys inside the card, and this card reports "
                    + missing.stream().map(CardAlgorithm::toString).collect(Collectors.joining("; "))
                    + "; configure a soft or sdf card for this node (docs/cipher-cards.md)");
        }
    }

    /** Opens the card; the caller zeroes {@code secret} afterwards and closes the card. */
    public static CipherCard open(CardSettings s, char[] secret) {
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
