package io.gmgate.crypto.card;

/** The outcome of a card's health probe, fed to readiness. */
public record CardHealth(String card, boolean healthy, String detail, long probeMillis) {

    public static CardHealth up(String card, long probeMillis) {
        return new CardHealth(card, true, "ok", probeMillis);
    }

    public static CardHealth down(String card, String detail, long probeMillis) {
        return new CardHealth(card, false, detail, probeMillis);
    }
}
