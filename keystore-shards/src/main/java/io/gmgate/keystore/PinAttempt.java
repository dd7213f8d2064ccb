package io.gmgate.keystore;

/**
 * One counted PIN try (design §11): its id, which a confirmation names to forgive it and the same
 * session's earlier tries, and the device's counter after it was counted.
 */
public record PinAttempt(long attemptId, PinCounter counter) {

    /** What was tried: a co-signing round, an OPRF evaluation over the PIN, or a confirmation that failed. */
    public enum Kind { SIGN, EVALUATE, CONFIRM }
}
