package io.gmgate.gateway;

import java.time.Duration;

/**
 * Limits applied before a connection costs the gateway a handshake: a cap on concurrent
 * connections, and per-source-address token buckets for new connections and for full handshakes,
 * so that one address flooding handshakes cannot starve established sessions.
 */
public record AdmissionPolicy(
        int maxConnections,
        double connectionsPerSecondPerSource,
        int connectionBurstPerSource,
        double handshakesPerSecondPerSource,
        int handshakeBurstPerSource,
        int trackedSources,
        Duration idleTimeout) {

    public AdmissionPolicy {
        if (maxConnections < 1 || connectionBurstPerSource < 1 || handshakeBurstPerSource < 1 || trackedSources < 1) {
            throw new IllegalArgumentException("admission limits must be positive");
        }
        if (!(connectionsPerSecondPerSource > 0) || !(handshakesPerSecondPerSource > 0)) {
            throw new IllegalArgumentException("admission rates must be positive");
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must not be negative (zero disables it)");
        }
    }

    /** Generous defaults for a trading site: 50k connections, 20 new/s and 20 handshakes/s per address. */
    public static AdmissionPolicy defaults() {
        return new AdmissionPolicy(50_000, 20, 40, 20, 40, 65_536, Duration.ofMinutes(30));
    }
}
