package io.gmgate.app.config;

import java.time.Duration;
import java.util.Map;

/**
 * How long a gateway node waits and how often it looks (the {@code gateway.timings} section,
 * docs/configuration.md). Every value is positive; the defaults are what a node used before they were
 * configurable.
 *
 * @param handshakeTimeout  a TLCP or TLS 1.3 handshake on :9000 or :8090 that has not finished by then is closed
 * @param sessionLifetime   how long a TLCP session stays resumable in the cluster's session cache
 * @param ruleEvery         how often the cosign-down degradation rule looks at the cosign nodes
 * @param bytesEvery        how often the online registry's byte counts are published (two cluster writes per busy connection)
 * @param cardProbeEvery    how often the card is probed for the GM listeners' gate
 * @param disconnectWait    how long an admin disconnect waits for the node that holds the connection
 * @param closeDeadline     how long {@code close()} waits for the listeners to stop before it reports a node that did not
 */
public record GatewayTimings(Duration handshakeTimeout, Duration sessionLifetime, Duration ruleEvery, Duration bytesEvery,
                             Duration cardProbeEvery, Duration disconnectWait, Duration closeDeadline) {

    public GatewayTimings {
        Map<String, Duration> all = Map.of("handshakeTimeout", handshakeTimeout, "sessionLifetime", sessionLifetime,
                "ruleEvery", ruleEvery, "bytesEvery", bytesEvery, "cardProbeEvery", cardProbeEvery,
                "disconnectWait", disconnectWait, "closeDeadline", closeDeadline);
        all.forEach((name, d) -> {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
            }
        });
    }

    public static GatewayTimings defaults() {
        return new GatewayTimings(Duration.ofSeconds(20), Duration.ofHours(8), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    static GatewayTimings read(ConfigNode t) {
        GatewayTimings d = defaults();
        try {
            GatewayTimings read = new GatewayTimings(t.duration("handshakeTimeout", d.handshakeTimeout()),
                    t.duration("sessionLifetime", d.sessionLifetime()), t.duration("ruleEvery", d.ruleEvery()),
                    t.duration("bytesEvery", d.bytesEvery()), t.duration("cardProbeEvery", d.cardProbeEvery()),
                    t.duration("disconnectWait", d.disconnectWait()), t.duration("closeDeadline", d.closeDeadline()));
            t.done();
            return read;
        } catch (IllegalArgumentException e) {
            throw t.error(t.path(), e.getMessage());
        }
    }
}
