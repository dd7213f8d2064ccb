package io.gmgate.keystore;

/** A device's server-side PIN-guess counter (design §11): failures so far, the threshold, locked or not. */
public record PinCounter(String account, String device, int failures, int threshold, boolean locked) {

    public int remaining() {
        return Math.max(0, threshold - failures);
    }
}
