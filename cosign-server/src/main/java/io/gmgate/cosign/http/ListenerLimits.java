package io.gmgate.cosign.http;

import java.time.Duration;

/**
 * What one client may hold on a cosign node's listener (docs/cosign-api.md §1): a request must arrive
 * whole within {@code bodyTimeout}; a connection that moves no byte for {@code idleTimeout} is closed;
 * at most {@code maxConnections} connections in all, {@code connectionsPerSource} and
 * {@code inFlightPerSource} per client address (the real one, from the gateway's PROXY header).
 */
public record ListenerLimits(Duration bodyTimeout, Duration idleTimeout, int maxConnections, int connectionsPerSource,
                             int inFlightPerSource) {

    public ListenerLimits {
        if (!positive(bodyTimeout) || !positive(idleTimeout)) {
            throw new IllegalArgumentException("listener: bodyTimeout and idleTimeout must be positive");
        }
        if (maxConnections < 1 || connectionsPerSource < 1 || inFlightPerSource < 1) {
            throw new IllegalArgumentException("listener: maxConnections, connectionsPerSource and inFlightPerSource must be >= 1");
        }
    }

    /** The API document's defaults. */
    public static ListenerLimits defaults() {
        return new ListenerLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 4096, 64, 16);
    }

    public ListenerLimits withTimeouts(Duration body, Duration idle) {
        return new ListenerLimits(body, idle, maxConnections, connectionsPerSource, inFlightPerSource);
    }

    public ListenerLimits withConnections(int max, int perSource, int inFlightPerSourceCap) {
        return new ListenerLimits(bodyTimeout, idleTimeout, max, perSource, inFlightPerSourceCap);
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
