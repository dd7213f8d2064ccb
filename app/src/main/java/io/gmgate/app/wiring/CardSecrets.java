package io.gmgate.app.wiring;

import java.util.Arrays;

/**
 * The secrets that open a configured card: its own (passphrase, PIN or password) and, when the card
 * keeps its SM2 keys on an {@code sm2Card}, that card's. Closing zeroes both; {@link Cards#open}
 * reads them and never keeps them.
 */
public final class CardSecrets implements AutoCloseable {

    private static final char[] NONE = new char[0];

    private final char[] card;
    private final char[] sm2Card;

    private CardSecrets(char[] card, char[] sm2Card) {
        this.card = card;
        this.sm2Card = sm2Card;
    }

    /** The secret of a card without an sm2Card. */
    public static CardSecrets of(char[] card) {
        return new CardSecrets(card, NONE);
    }

    public static CardSecrets of(char[] card, char[] sm2Card) {
        return new CardSecrets(card, sm2Card);
    }

    char[] card() {
        return card;
    }

    char[] sm2Card() {
        return sm2Card;
    }

    @Override
    public void close() {
        Arrays.fill(card, '\0');
        Arrays.fill(sm2Card, '\0');
    }

    @Override
    public String toString() {
        return "CardSecrets[redacted]";
    }
}
