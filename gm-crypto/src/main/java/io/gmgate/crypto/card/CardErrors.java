package io.gmgate.crypto.card;

import io.gmgate.error.ErrorCode;

/** KEY-020..039: cipher-card failures. */
public final class CardErrors {

    public static final ErrorCode UNAVAILABLE = new ErrorCode("KEY-020",
            "the cipher card does not answer (unplugged, driver error or timeout)",
            "check the card and its driver; traffic should move to nodes whose card is healthy (runbook docs/runbooks/C2-cipher-card-failure.md)", true);
    public static final ErrorCode LOGIN_FAILED = new ErrorCode("KEY-021",
            "the cipher card refused the operator PIN or passphrase",
            "check the configured PIN/passphrase; repeated failures may lock the card", false);
    public static final ErrorCode NO_SUCH_KEY = new ErrorCode("KEY-022",
            "the cipher card holds no key at this index and version",
            "check the key index in the configuration, or run the key ceremony that creates it", false);
    public static final ErrorCode INTEGRITY = new ErrorCode("KEY-023",
            "wrapped key or MAC did not verify under the card's key",
            "the stored data was altered or belongs elsewhere: restore it from backup and audit access", false);
    public static final ErrorCode KEY_EXISTS = new ErrorCode("KEY-024",
            "the cipher card already holds a key at this index",
            "choose a free index, or destroy the old key through the key ceremony first", false);
    public static final ErrorCode UNSUPPORTED = new ErrorCode("KEY-025",
            "the cipher card does not offer a required algorithm or operation",
            "use a card that offers SM2/SM3/SM4; a PKCS#11 token without SM2 keeps the KEKs when a soft or sdf card under"
            + " card.sm2Card holds the SM2 keys (docs/cipher-cards.md)", false);

    private CardErrors() {
    }
}
