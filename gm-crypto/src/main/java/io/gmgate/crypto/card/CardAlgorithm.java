package io.gmgate.crypto.card;

import java.util.Objects;

/**
 * What a card does for one GM algorithm family and one purpose, and how: natively, through a
 * declared fallback, or not at all. Operators read these lines in {@code gmgate card status} and in
 * the health detail, so that a fallback is never silent (docs/cipher-cards.md).
 *
 * @param family  the GM algorithm the design asks for: "SM4", "SM3", "SM2", or "RNG"
 * @param purpose what the card uses it for, e.g. "KEK wrap", "MAC", "sign/decrypt"
 * @param support native, fallback or unsupported
 * @param detail  the mechanism actually used (native/fallback) or who lacks it (unsupported)
 */
public record CardAlgorithm(String family, String purpose, Support support, String detail) {

    public enum Support { NATIVE, FALLBACK, UNSUPPORTED }

    public CardAlgorithm {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(support, "support");
        Objects.requireNonNull(detail, "detail");
    }

    public static CardAlgorithm supported(String family, String purpose, String mechanism) {
        return new CardAlgorithm(family, purpose, Support.NATIVE, mechanism);
    }

    public static CardAlgorithm fallback(String family, String purpose, String mechanism) {
        return new CardAlgorithm(family, purpose, Support.FALLBACK, mechanism);
    }

    public static CardAlgorithm unsupported(String family, String purpose, String byWhom) {
        return new CardAlgorithm(family, purpose, Support.UNSUPPORTED, byWhom);
    }

    /** "SM4: fallback AES-256-GCM in the token [KEK wrap]", "SM2: unsupported by token [sign/decrypt]". */
    @Override
    public String toString() {
        String how = switch (support) {
            case NATIVE -> detail;
            case FALLBACK -> "fallback " + detail;
            case UNSUPPORTED -> "unsupported by " + detail;
        };
        return family + ": " + how + " [" + purpose + "]";
    }
}
