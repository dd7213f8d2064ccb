package io.gmgate.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

/**
 * The trading fronts behind one listener: round-robin over the healthy ones, failover to the next
 * on a connect error, and a periodic TCP probe so readiness knows whether any front is up.
 *
 * <p>Each front's up/down state is a Resilience4j circuit breaker named "pool/front": one failed
 * connect opens it, a success closes it. Fronts with a closed breaker come first; the others are
 * still tried last, before FRONT-300, so a blip never refuses a terminal that a front could take.
 * An open breaker lets a trial through (half-open) after one probe interval; a connect or probe that
 * reaches a front whose breaker had no permit closes it: the front answered.
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
        CircuitBreakerConfig breakers = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(1).minimumNumberOfCalls(1).failureRateThreshold(100)
                .waitDurationInOpenState(probeInterval).automaticTransitionFromOpenToHalfOpenEnabled(false)
                .permittedNumberOfCallsInHalfOpenState(1).build();
        this.fronts = fronts.stream().map(f -> new FrontState(f, CircuitBreaker.of(name + "/" + f.name(), breakers))).toList();
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
            if (f.closed()) {
                order.add(f);
            }
        }
        for (int i = 0; i < fronts.size(); i++) {
            FrontState f = fronts.get((start + i) % fronts.size());
            if (!f.closed()) {
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
        boolean permitted = f.breaker.tryAcquirePermission(); // taken only for a call that is made
        long started = System.nanoTime();
        client.connect(f.front.port(), f.front.host()).onComplete(ar -> {
            f.record(permitted, started, ar.cause());
            if (ar.succeeded()) {
                promise.complete(new Connected(f.front, ar.result()));
            } else {
                failures.append(failures.length() == 0 ? "" : "; ").append(f.front).append(" (breaker ")
                        .append(f.breaker.getState()).append("): ").append(ar.cause().getMessage());
                attempt(order, i + 1, failures, promise);
            }
        });
    }

    private void probeAll() {
        for (FrontState f : fronts) {
            boolean permitted = f.breaker.tryAcquirePermission();
            long started = System.nanoTime();
            client.connect(f.front.port(), f.front.host()).onComplete(ar -> {
                f.record(permitted, started, ar.cause());
                if (ar.succeeded()) {
                    ar.result().close();
                }
            });
        }
    }

    /** Fronts whose breaker is closed: the last connect or probe reached them. */
    public int healthyFronts() {
        return (int) fronts.stream().filter(FrontState::closed).count();
    }

    public String name() {
        return name;
    }

    /** Each front and whether the last probe or connection reached it, in configured order (the console). */
    public java.util.Map<TradingFront, Boolean> health() {
        java.util.Map<TradingFront, Boolean> out = new java.util.LinkedHashMap<>();
        fronts.forEach(f -> out.put(f.front, f.closed()));
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

    /** The breaker of one front (for diagnostics and tests). */
    CircuitBreaker breaker(String frontName) {
        return fronts.stream().filter(f -> f.front.name().equals(frontName)).findFirst().orElseThrow().breaker;
    }

    private record FrontState(TradingFront front, CircuitBreaker breaker) {

        boolean closed() {
            return breaker.getState() == CircuitBreaker.State.CLOSED;
        }

        /** A call made with a permit is the breaker's to count; one without a permit that got through closes it. */
        void record(boolean permitted, long startedNanos, Throwable failure) {
            long nanos = System.nanoTime() - startedNanos;
            if (permitted && failure == null) {
                breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            } else if (permitted) {
                breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
            } else if (failure == null) {
                breaker.transitionToClosedState();
            }
        }
    }
}
