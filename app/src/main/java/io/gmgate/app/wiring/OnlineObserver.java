package io.gmgate.app.wiring;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.gmgate.gateway.ConnectionObserver;
import io.gmgate.gateway.GatewayException;
import io.gmgate.gateway.Relay;
import io.gmgate.gateway.TradingFront;
import io.gmgate.proxy.VerifiedPeer;
import io.gmgate.session.OnlineRegistry;
import io.gmgate.session.OnlineTerminal;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Relayed connections into the cluster's online-terminal registry and the refusal counters. Byte
 * counts of live connections reach the registry when {@link #publishBytes} runs (every 10 s),
 * not per read: the relay's hot path stays free of cluster writes.
 */
final class OnlineObserver implements ConnectionObserver {

    private final OnlineRegistry online;
    private final String listener;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final io.gmgate.gateway.LoginPhases phases;
    private final Map<String, Relay> live = new ConcurrentHashMap<>();
    private final Map<String, Long> published = new ConcurrentHashMap<>();

    OnlineObserver(OnlineRegistry online, String listener, Clock clock, MeterRegistry metrics) {
        this.online = online;
        this.listener = listener;
        this.clock = clock;
        this.metrics = metrics;
        this.phases = io.gmgate.gateway.LoginPhases.of(metrics);
    }

    @Override
    public void opened(String connectionId, VerifiedPeer peer, TradingFront front) {
        // the phase is the cluster's write of the entry's batch, not the wait for the batch
        CompletionStage<Void> written = online.opened(new OnlineTerminal(connectionId, "", listener, peer.account().orElse("-"),
                peer.source().getAddress().getHostAddress(), peer.protocol(), peer.suite(), clock.instant(), 0, 0),
                nanos -> phases.record(io.gmgate.gateway.LoginPhases.CLUSTER_WRITE, nanos));
        written.whenComplete((v, e) -> {
            if (e != null) {
                metrics.counter("gmgate.online.registry.failures", "listener", listener).increment();
            }
        });
    }

    @Override
    public void relaying(String connectionId, Relay relay) {
        live.put(connectionId, relay);
    }

    @Override
    public void closed(String connectionId, VerifiedPeer peer, long bytesUp, long bytesDown) {
        live.remove(connectionId);
        published.remove(connectionId);
        // at once: the registry drops an entry still waiting for its batch, and deletes one being written after its write
        online.closed(connectionId);
        metrics.counter("gmgate.relay.bytes", "listener", listener, "direction", "up").increment(bytesUp);
        metrics.counter("gmgate.relay.bytes", "listener", listener, "direction", "down").increment(bytesDown);
    }

    /** Writes the byte counts of connections that moved since the last call. Blocking: run it on a worker. */
    void publishBytes() {
        live.forEach((id, relay) -> {
            long up = relay.bytesUp();
            long down = relay.bytesDown();
            Long before = published.put(id, up + down);
            if (before == null || before != up + down) {
                online.updated(id, up, down);
            }
        });
    }

    @Override
    public void refused(String source, GatewayException why) {
        metrics.counter("gmgate.refused", "listener", listener, "code", why.errorCode().code()).increment();
    }
}
