package io.gmgate.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

/**
 * The trading fronts behind one listener: round-robin over the healthy ones, failover to the next
 * on a connect error, and a periodic TCP probe so readiness knows whether any front is up.
 * A front that refused is skipped until a probe or a later connect finds it back.
 */
public final class FrontPool implements AutoCloseable {

    private final String name;
    private final Vertx vertx;
    private final List<FrontState> fronts;
    private final NetClient client;
    private final Duration probeInterval;
    private final AtomicInteger cursor = new AtomicInteger();
    private long probeTimer = -1;

    public FrontPool(Vertx vertx, String name, List<TradingFront> fronts, Duration connectTimeout, Duration probeInterval) {
        if (fronts.isEmpty()) {
            throw new IllegalArgumentException("front pool " + name + " needs at least one trading front");
        }
        this.name = name;
        this.vertx = vertx;
        this.fronts = fronts.stream().map(FrontState::new).toList();
        this.probeInterval = probeInterval;
        this.client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setTcpNoDelay(true));
    }

    /** Starts the periodic probe. */
    public FrontPool start() {
        probeTimer = vertx.setPeriodic(1, probeInterval.toMillis(), id -> probeAll());
        return this;
    }

    /**
     * Connects to the next healthy front, failing over through all of them (healthy first, then
     * the ones believed down) before giving up with FRONT-300.
     */
    public Future<Connected> connect() {
        int start = Math.floorMod(cursor.getAndIncrement(), fronts.size());
        List<FrontState> order = new ArrayList<>(fronts.size());
        for (int i = 0; i < fronts.size(); i++) {
            FrontState f = fronts.get((start + i) % fronts.size());
            if (f.healthy) {
                order.add(f);
            }
        }
        for (int i = 0; i < fronts.size(); i++) {
            FrontState f = fronts.get((start + i) % fronts.size());
            if (!f.healthy) {
                order.add(f);
            }
        }
        Promise<Connected> promise = Promise.promise();
        attempt(order, 0, new StringBuilder(), promise);
        return promise.future();
    }

    private void attempt(List<FrontState> order, int i, StringBuilder failures, Promise<Connected> promise) {
        if (i == order.size()) {
            promise.fail(new GatewayException(GatewayErrors.NO_HEALTHY_FRONT,
                    "[front-pool " + name + "] all " + order.size() + " fronts failed: " + failures));
            return;
        }
        FrontState f = order.get(i);
        client.connect(f.front.port(), f.front.host()).onComplete(ar -> {
            if (ar.succeeded()) {
                f.healthy = true;
                promise.complete(new Connected(f.front, ar.result()));
            } else {
                f.healthy = false;
                failures.append(failures.length() == 0 ? "" : "; ").append(f.front).append(": ")
                        .append(ar.cause().getMessage());
                attempt(order, i + 1, failures, promise);
            }
        });
    }

    private void probeAll() {
        for (FrontState f : fronts) {
            client.connect(f.front.port(), f.front.host()).onComplete(ar -> {
                f.healthy = ar.succeeded();
                if (ar.succeeded()) {
                    ar.result().close();
                }
            });
        }
    }

    public int healthyFronts() {
        return (int) fronts.stream().filter(f -> f.healthy).count();
    }

    public String name() {
        return name;
    }

    /** Each front and whether the last probe or connection reached it, in configured order (the console). */
    public java.util.Map<TradingFront, Boolean> health() {
        java.util.Map<TradingFront, Boolean> out = new java.util.LinkedHashMap<>();
        fronts.forEach(f -> out.put(f.front, f.healthy));
        return out;
    }

    @Override
    public void close() {
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
        client.close();
    }

    /** A live connection to one front. */
    public record Connected(TradingFront front, NetSocket socket) {
    }

    private static final class FrontState {
        final TradingFront front;
        volatile boolean healthy = true;

        FrontState(TradingFront front) {
            this.front = front;
        }
    }
}
