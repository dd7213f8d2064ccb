package io.gmgate.gateway;

import io.gmgate.proxy.VerifiedPeer;

/**
 * Told when a relayed connection opens and closes; the session module backs it with the
 * cluster-wide registry of online terminals, metrics with counters. Defaults do nothing.
 */
public interface ConnectionObserver {

    ConnectionObserver NONE = new ConnectionObserver() {
    };

    default void opened(String connectionId, VerifiedPeer peer, TradingFront front) {
    }

    /** The relay is running: its byte counters can be read while it lasts (the online registry shows them). */
    default void relaying(String connectionId, Relay relay) {
    }

    default void closed(String connectionId, VerifiedPeer peer, long bytesUp, long bytesDown) {
    }

    default void refused(String source, GatewayException why) {
    }
}
