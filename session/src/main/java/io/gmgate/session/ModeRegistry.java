package io.gmgate.session;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.gmgate.keystore.AuditEvent;
import io.gmgate.keystore.AuditLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * One node's view of the access modes (design §5). PostgreSQL holds the truth. A change is
 * persisted first (with its history row and a PostgreSQL notification), then copied into a cluster
 * map entry under its epoch and announced on the event bus; every node re-reads on the
 * announcement, on the notification, and on a short timer, so a missed message heals within one
 * interval and a restarted cluster comes back in the mode it left. While PostgreSQL is down a node
 * keeps the last view it had, and a node that starts then takes the cluster's copy. Expired
 * settings fall back to the wider scope by themselves.
 *
 * <p>Re-reads run one at a time on the registry's own context, so an older read never replaces a
 * newer one.
 */
public final class ModeRegistry implements AutoCloseable {

    public static final String ADDRESS = "gmgate.modes.changed";
    private static final System.Logger LOG = System.getLogger(ModeRegistry.class.getName());

    private final Vertx vertx;
    private final Context context;
    private final PgModeStore store;
    private final ClusterModeMirror mirror;
    private final Clock clock;
    private final Duration refresh;
    private final Optional<AuditLog> audit;
    private final String site;
    private final List<Consumer<Map<Scope, ModeSetting>>> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<Scope, ModeSetting> view = Map.of();
    private volatile long epoch = -1;
    private volatile boolean storeUp;
    private volatile String source = "none";
    private volatile boolean closed;
    private long timer = -1;
    private MessageConsumer<Object> consumer;
    private PgModeNotifications notifications;

    public ModeRegistry(Vertx vertx, PgModeStore store, Clock clock, Duration refresh, Optional<AuditLog> audit, String site) {
        this(vertx, store, clock, refresh, audit, site, Optional.empty());
    }

    /**
     * With {@code seal}, the cluster's copy of the modes is sealed under the card (docs/security.md,
     * The cluster): what a clustered node uses, so a member without the card plants no weaker mode.
     */
    public ModeRegistry(Vertx vertx, PgModeStore store, Clock clock, Duration refresh, Optional<AuditLog> audit, String site,
                        Optional<ClusterSeal> seal) {
        if (refresh.isNegative() || refresh.isZero() || refresh.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("mode refresh interval " + refresh + " must be in (0, 1 min]: it bounds "
                    + "how long a node may miss a change");
        }
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.store = store;
        this.mirror = new ClusterModeMirror(vertx, seal);
        this.clock = clock;
        this.refresh = refresh;
        this.audit = audit;
        this.site = site;
    }

    /**
     * Reads the modes once (from PostgreSQL, else from the cluster's copy), then follows
     * announcements, PostgreSQL notifications and the timer. Fails with MODE-305 when neither
     * source answers.
     */
    public Future<Void> start() {
        consumer = vertx.eventBus().consumer(ADDRESS, m -> refresh());
        timer = vertx.setPeriodic(refresh.toMillis(), t -> refresh());
        notifications = new PgModeNotifications(store.dataSource(), () -> context.runOnContext(v -> refresh()), refresh,
                site).start();
        return refresh().mapEmpty();
    }

    /** Re-reads PostgreSQL (on a worker), expiring settings whose time has come; falls back to the cluster's copy. */
    public Future<Map<Scope, ModeSetting>> refresh() {
        if (closed) {
            return Future.succeededFuture(view);
        }
        Future<PgModeStore.Snapshot> read = context.executeBlocking(() -> {
            List<PgModeStore.Change> expired = store.expire(clock.instant());
            expired.forEach(ch -> audit(ch.operator(), "mode.expired", ch.scope() + " " + ch.from() + " -> " + ch.to()
                    + " (time-to-live ended " + ch.expiresAt().map(Object::toString).orElse("?") + ")"));
            if (!expired.isEmpty()) {
                vertx.eventBus().publish(ADDRESS, expired.get(expired.size() - 1).epoch());
            }
            return store.snapshot();
        }, true);
        return read.compose(snapshot -> {
            storeUp = true;
            adopt(snapshot, "postgresql");
            // the copy is a convenience: failing to write it must not fail the refresh
            return mirror.offer(snapshot).otherwise(e -> null).map(v -> view);
        }, failure -> {
            if (storeUp || epoch < 0) {
                LOG.log(System.Logger.Level.WARNING, "[modes " + site + "] PostgreSQL does not answer; keeping epoch " + epoch
                        + " and following the cluster's copy: " + failure.getMessage());
            }
            storeUp = false;
            return mirror.read().otherwise(e -> Optional.empty()).compose(copy -> {
                if (copy.isPresent() && copy.get().epoch() > epoch) {
                    adopt(copy.get(), "cluster");
                }
                if (epoch < 0) {
                    return Future.failedFuture(new SessionException(SessionErrors.NO_MODE_SOURCE, "[modes " + site
                            + "] no mode from PostgreSQL (" + failure.getMessage() + ") and no copy in the cluster", failure));
                }
                return Future.succeededFuture(view);
            });
        });
    }

    private void adopt(PgModeStore.Snapshot snapshot, String from) {
        Map<Scope, ModeSetting> next = new HashMap<>();
        snapshot.settings().forEach(s -> next.put(s.scope(), s));
        boolean changed = !next.equals(view) || epoch < 0;
        epoch = snapshot.epoch();
        source = from;
        if (changed) {
            view = Map.copyOf(next);
            listeners.forEach(l -> l.accept(view));
        }
    }

    /**
     * An SRE's change: persisted and audited before it is copied and announced. Blocking: call it
     * on a worker thread (the admin API does).
     */
    public ModeSetting set(Scope scope, AccessMode mode, String reason, String operator, Optional<Duration> ttl) {
        return set(scope, mode, reason, operator, ttl, ModeOrigin.OPERATOR);
    }

    /** A change by the given origin, checked against {@link ModeTransitions}. Blocking, as above. */
    public ModeSetting set(Scope scope, AccessMode mode, String reason, String operator, Optional<Duration> ttl,
                           ModeOrigin origin) {
        AccessMode before = inheritedMode(scope);
        ModeSetting s = store.set(scope, mode, reason, operator, ttl, clock.instant(), origin);
        audit(operator, origin == ModeOrigin.RULE ? "mode.rule" : "mode.set", scope + " " + before + " -> " + mode
                + ttl.map(t -> " for " + t).orElse("") + " (" + reason + ")");
        // copy into the cluster before anyone is told, so a node that starts now finds the change
        // even if PostgreSQL goes down next; a failed copy is healed by the next refresh anywhere
        try {
            mirror.offer(store.snapshot()).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(System.Logger.Level.WARNING, "[modes " + site + "] change " + s.epoch()
                    + " is saved but not yet copied into the cluster: " + e);
        }
        vertx.eventBus().publish(ADDRESS, s.epoch());
        return s;
    }

    private void audit(String operator, String action, String detail) {
        audit.ifPresent(a -> a.append(new AuditEvent(operator, action, null, null, null, null,
                detail.length() > 1000 ? detail.substring(0, 1000) : detail, null)));
    }

    private AccessMode inheritedMode(Scope scope) {
        ModeSetting own = live(scope);
        if (own != null) {
            return own.mode();
        }
        ModeSetting cluster = live(Scope.CLUSTER);
        return cluster == null ? AccessMode.NORMAL : cluster.mode();
    }

    private ModeSetting live(Scope scope) {
        ModeSetting m = view.get(scope);
        return m == null || m.expiredAt(clock.instant()) ? null : m;
    }

    /** The mode in force for a listener of this node: listener, else site, else cluster, else NORMAL. */
    public AccessMode effective(String listener) {
        for (Scope s : List.of(Scope.listener(listener), Scope.site(site), Scope.CLUSTER)) {
            ModeSetting m = live(s);
            if (m != null) {
                return m.mode();
            }
        }
        return AccessMode.NORMAL;
    }

    /** The mode in force for a scope as this node sees it: the scope's own setting, else its wider scopes'. */
    public AccessMode effective(Scope scope) {
        return switch (scope.kind()) {
            case LISTENER -> effective(scope.name());
            case SITE -> Optional.ofNullable(live(scope)).map(ModeSetting::mode).orElseGet(() -> effective(Scope.CLUSTER));
            case CLUSTER -> Optional.ofNullable(live(scope)).map(ModeSetting::mode).orElse(AccessMode.NORMAL);
        };
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

    /** Whether the last read reached PostgreSQL (readiness and {@code /health} show it). */
    public boolean storeUp() {
        return storeUp;
    }

    /** Where the current view came from: "postgresql", "cluster", or "none" before the first read. */
    public String source() {
        return source;
    }

    public String site() {
        return site;
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
        closed = true;
        if (notifications != null) {
            notifications.close();
        }
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
