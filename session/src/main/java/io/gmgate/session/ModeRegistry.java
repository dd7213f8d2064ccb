package io.gmgate.session;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.gmgate.keystore.AuditEvent;
import io.gmgate.keystore.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * One node's view of the access modes (design §5). PostgreSQL holds the truth; a change is
 * persisted first, then announced on the cluster's event bus so every node re-reads at once, and
 * every node also re-reads on a short timer, so a missed announcement heals within one interval
 * and a restarted cluster comes back in the mode it left. Expired settings fall back to the wider
 * scope by themselves.
 */
public final class ModeRegistry implements AutoCloseable {

    public static final String ADDRESS = "gmgate.modes.changed";

    private final Vertx vertx;
    private final PgModeStore store;
    private final Clock clock;
    private final Duration refresh;
    private final Optional<AuditLog> audit;
    private final String site;
    private final List<Consumer<Map<Scope, ModeSetting>>> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<Scope, ModeSetting> view = Map.of();
    private volatile long epoch = -1;
    private long timer = -1;
    private MessageConsumer<Object> consumer;

    public ModeRegistry(Vertx vertx, PgModeStore store, Clock clock, Duration refresh, Optional<AuditLog> audit, String site) {
        this.vertx = vertx;
        this.store = store;
        this.clock = clock;
        this.refresh = refresh;
        this.audit = audit;
        this.site = site;
    }

    /** Reads the modes once, then follows announcements and the timer. */
    public Future<Void> start() {
        consumer = vertx.eventBus().consumer(ADDRESS, m -> refresh());
        timer = vertx.setPeriodic(refresh.toMillis(), t -> refresh());
        return refresh().mapEmpty();
    }

    /** Re-reads PostgreSQL (on a worker), expiring settings whose time has come. */
    public Future<Map<Scope, ModeSetting>> refresh() {
        return vertx.executeBlocking(() -> {
            List<PgModeStore.Change> expired = store.expire(clock.instant());
            expired.forEach(ch -> audit(ch.operator(), "mode.expired", ch.scope() + " " + ch.from() + " -> " + ch.to()));
            if (!expired.isEmpty()) {
                vertx.eventBus().publish(ADDRESS, "expired");
            }
            return store.current();
        }, false).map(settings -> {
            Map<Scope, ModeSetting> next = new HashMap<>();
            long maxEpoch = 0;
            for (ModeSetting s : settings) {
                next.put(s.scope(), s);
                maxEpoch = Math.max(maxEpoch, s.epoch());
            }
            if (!next.equals(view)) {
                view = Map.copyOf(next);
                epoch = maxEpoch;
                listeners.forEach(l -> l.accept(view));
            }
            return view;
        });
    }

    /**
     * Changes a scope's mode: persisted and audited before it is announced. Blocking: call it on a
     * worker thread (the admin API does).
     */
    public ModeSetting set(Scope scope, AccessMode mode, String reason, String operator, Optional<Duration> ttl) {
        AccessMode before = modeOf(scope);
        ModeSetting s = store.set(scope, mode, reason, operator, ttl, clock.instant());
        audit(operator, "mode.set", scope + " " + before + " -> " + mode + ttl.map(t -> " for " + t).orElse("")
                + " (" + reason + ")");
        vertx.eventBus().publish(ADDRESS, s.epoch());
        return s;
    }

    private void audit(String operator, String action, String detail) {
        audit.ifPresent(a -> a.append(new AuditEvent(operator, action, null, null, null, null,
                detail.length() > 1000 ? detail.substring(0, 1000) : detail, null)));
    }

    private AccessMode modeOf(Scope scope) {
        ModeSetting s = view.get(scope);
        return s == null ? AccessMode.NORMAL : s.mode();
    }

    /** The mode in force for a listener of this node: listener, else site, else cluster, else NORMAL. */
    public AccessMode effective(String listener) {
        Map<Scope, ModeSetting> v = view;
        for (Scope s : List.of(Scope.listener(listener), Scope.site(site), Scope.CLUSTER)) {
            ModeSetting m = v.get(s);
            if (m != null && !m.expiredAt(clock.instant())) {
                return m.mode();
            }
        }
        return AccessMode.NORMAL;
    }

    /** True when any scope that reaches this node is in BYPASS (the bypass listener opens). */
    public boolean anyBypass(List<String> listeners) {
        return listeners.stream().anyMatch(l -> effective(l) == AccessMode.BYPASS);
    }

    public Map<Scope, ModeSetting> view() {
        return view;
    }

    public long epoch() {
        return epoch;
    }

    public List<PgModeStore.Change> history(int limit) {
        return store.history(limit);
    }

    /** Called on the event loop after each change this node sees. */
    public void onChange(Consumer<Map<Scope, ModeSetting>> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        try {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            if (consumer != null) {
                consumer.unregister();
            }
        } catch (java.util.concurrent.RejectedExecutionException vertxAlreadyClosed) {
            // nothing left to stop
        }
    }
}
