package io.gmgate.keystore;

/**
 * Where a device's PIN stands after a confirmation forgave its tries: the counter, and how many of
 * the confirming session's tries are still unforgiven (counted after the attempt it confirmed).
 */
public record PinStanding(PinCounter counter, int pendingInSession) {

    /** The PIN is proven when the counter has not locked and this session has no unforgiven try (docs §4). */
    public boolean proven() {
        return !counter.locked() && pendingInSession == 0;
    }
}
