package io.gmgate.app.wiring;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gmgate.app.config.GatewayTimings;
import io.gmgate.gateway.AdmissionControl;
import io.gmgate.gateway.FrontConnector;
import io.gmgate.gateway.FrontPool;
import io.gmgate.gateway.GmListener;
import io.gmgate.gateway.PlainRelayListener;
import io.gmgate.gateway.admin.AdminActions;
import io.gmgate.gateway.admin.AdminServer;
import io.gmgate.gateway.admin.ReadinessCheck;
import io.gmgate.keystore.PgAuditLog;
import io.gmgate.session.AccessMode;
import io.gmgate.session.ClusterNode;
import io.gmgate.session.ClusterSeal;
import io.gmgate.session.ClusterSessionCache;
import io.gmgate.session.DegradationRule;
import io.gmgate.session.DegradationSettings;
import io.gmgate.session.ModeRegistry;
import io.gmgate.session.OnlineRegistry;
import io.gmgate.session.PgModeStore;
import io.gmgate.session.Scope;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * One gateway node wired from its parts: the GM listeners (:9000 trading, :8090 enrolment), the
 * bypass listener that follows the access mode, the admin API, and the cluster's shared state
 * (modes, TLCP sessions, online terminals). The only place gateway, session, keystore and ca-client meet.
 */
public final class GatewayNode implements AutoCloseable {

    public static final String TRADING = "trading";
    public static final String ENROLMENT = "enrolment";
    static final String DISCONNECT = "gmgate.terminals.disconnect";

    /**
     * Everything a node needs, already read from configuration, grouped by the part of the node that uses it:
     * its name and site, where it listens, how it speaks TLS, where it forwards, what it trusts and stores, its policy.
     */
    public record Parts(String name, String site, NodeAddresses addresses, NodeTls tls, NodeForwarding forwarding,
                        NodeStores stores, NodePolicy policy) {
    }

    private final Parts parts;
    private final GatewayTimings timings;
    private final ClusterNode cluster;
    private final Vertx vertx;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ModeRegistry modes;
    private OnlineRegistry online;
    private GmListener trading;
    private GmListener enrolment;
    private PlainRelayListener bypass;
    private AdminServer admin;
    private FrontPool tradingFronts;
    private FrontPool cosignFronts;
    private AutoCloseable degradation;
    private NodeGauges gauges;
    private final List<OnlineObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long bytesTimer = -1;
    private volatile long expiryTimer = -1;
    private TamperMeter tamperMeter;
    private CardWatch cardWatch;
    private NodeBoard board;
    private io.gmgate.gateway.admin.MeterSampler sampler;
    private final Map<String, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();
    private Future<Void> closing;

    private GatewayNode(Parts parts, GatewayTimings timings, ClusterNode cluster) {
        this.parts = parts;
        this.timings = timings;
        this.cluster = cluster;
        this.vertx = cluster.vertx();
    }

    /** A node with the default timings. */
    public static Future<GatewayNode> start(Parts parts, ClusterNode cluster) {
        return start(parts, GatewayTimings.defaults(), cluster);
    }

    public static Future<GatewayNode> start(Parts parts, GatewayTimings timings, ClusterNode cluster) {
        GatewayNode n = new GatewayNode(parts, timings, cluster);
        return n.startAll().map(v -> n);
    }

    private Future<Void> startAll() {
        NodeStores stores = parts.stores();
        NodeForwarding forwarding = parts.forwarding();
        NodeAddresses addresses = parts.addresses();
        Clock clock = parts.policy().clock();
        // sealed under the site KEK, as the audit chain is: any node of the site opens what another wrote
        ClusterSeal seal = new ClusterSeal(stores.card(), stores.auditKek(), cluster.identity().name());
        modes = new ModeRegistry(vertx, new PgModeStore(stores.database()), clock, parts.policy().modeRefresh(),
                Optional.of(stores.auditLog()), parts.site(), Optional.of(seal));
        online = new OnlineRegistry(cluster.hazelcast());
        io.gmgate.gateway.LoginPhases phases = io.gmgate.gateway.LoginPhases.of(metrics);
        NodeHandshakes handshakes = new NodeHandshakes(parts.tls(), clock, new SecureRandom());
        CertificateGate gate = new CertificateGate(stores.database(), stores.shards(), parts.tls().acceptExternalWholeKeys(), phases);
        X509CertificatePolicy clients = handshakes.clientCertificates(gate, stores.database());
        // each listener's sessions in a map of their own, bound to the device that authenticated them
        KeyRecordBinding devices = new KeyRecordBinding(gate, stores.database());
        ClusterSessionCache tradingSessions = sessionsOf(TRADING, seal);
        ClusterSessionCache enrolmentSessions = sessionsOf(ENROLMENT, seal);
        // the login trace of the trading listener's engine, through the interfaces it calls anyway
        LoginTrace trace = new LoginTrace(phases);
        AdmissionControl admission = new AdmissionControl(parts.policy().admission(), System::nanoTime);
        cardWatch = new CardWatch(vertx, stores.card(), timings.cardProbeEvery(), metrics);
        if (stores.shards() instanceof io.gmgate.keystore.PgShardStore store) {
            tamperMeter = new TamperMeter(vertx, metrics, store);
        }
        io.gmgate.gateway.HandshakePolicy policy = cardWatch.gate(new ModeHandshakePolicy(modes, TRADING, false));

        OnlineObserver tradingSeen = observer(TRADING, clock);
        OnlineObserver enrolmentSeen = observer(ENROLMENT, clock);
        OnlineObserver bypassSeen = observer("bypass", clock);
        tradingFronts = new FrontPool(vertx, "fronts", forwarding.tradingFronts(), forwarding.connectTimeout(),
                forwarding.probeInterval()).start();
        var tls13 = handshakes.tls13(clients);
        trading = new GmListener(vertx, new GmListener.Settings(TRADING, addresses.bindHost(), addresses.tradingPort(),
                timings.handshakeTimeout()),
                handshakes.tlcp(TRADING, trace.policy(clients), trace.sessions(tradingSessions), trace.binding(devices)),
                tls13, new FrontConnector(tradingFronts, tradingSeen, true, phases),
                admission, policy, gate, tradingSeen, metrics);
        Future<Integer> enrolmentStarted = Future.succeededFuture(-1);
        if (!forwarding.cosignNodes().isEmpty()) {
            cosignFronts = new FrontPool(vertx, "cosign", forwarding.cosignNodes(), forwarding.connectTimeout(),
                    forwarding.probeInterval()).start();
            enrolment = new GmListener(vertx, new GmListener.Settings(ENROLMENT, addresses.bindHost(), addresses.enrolmentPort(),
                    timings.handshakeTimeout()),
                    handshakes.tlcp(ENROLMENT, clients, enrolmentSessions, devices),
                    tls13, new FrontConnector(cosignFronts, enrolmentSeen, true),
                    admission, policy, gate, enrolmentSeen, metrics);
            enrolmentStarted = enrolment.listen();
            if (parts.policy().cosignDown().isPresent()) {
                degradation = cosignDownRule(parts.policy().cosignDown().get(), clock);
            }
        }
        bypass = new PlainRelayListener(vertx, addresses.bindHost(), addresses.bypassPort(),
                new FrontConnector(tradingFronts, bypassSeen), admission,
                () -> modes.effective(TRADING).name(), bypassSeen, this::plainPathWanted);
        // every node hears every change (event bus, PostgreSQL notifications, the refresh): the
        // connections a stronger mode would not admit are closed here, wherever they were accepted
        modes.onChange(v -> {
            followBypass();
            enforceModes();
            timeToLiveEnds(v);
        });
        // the online registry's byte counts: every few seconds, off the event loop (cluster map writes)
        bytesTimer = vertx.setPeriodic(timings.bytesEvery().toMillis(), t -> vertx.executeBlocking(() -> {
            observers.forEach(OnlineObserver::publishBytes);
            return null;
        }, true));
        // addressed to this node by name: the node the online registry says holds the connection
        // answers, yes or no (a shared address reached one node at random, and only the right one answered)
        vertx.eventBus().<String>consumer(disconnectAddress(online.node()), m -> m.reply(disconnectHere(m.body())));
        List<FrontPool> pools = cosignFronts == null ? List.of(tradingFronts) : List.of(tradingFronts, cosignFronts);
        List<Integer> configured = cosignFronts == null ? List.of(forwarding.tradingFronts().size())
                : List.of(forwarding.tradingFronts().size(), forwarding.cosignNodes().size());
        board = new NodeBoard(vertx, cluster.hazelcast(), parts.name(), online.node(), readiness(), pools,
                () -> modes.effective(TRADING).name(),
                () -> (int) online.all().stream().filter(t -> online.node().equals(t.node())).count(), clock, Duration.ofSeconds(2));
        sampler = new io.gmgate.gateway.admin.MeterSampler(vertx, metrics, 1_000);
        PgAuditLog adminAudit = stores.auditLog();
        AdminActions actions = new NodeAdminActions(parts.name(), parts.site(), stores, clock, timings.disconnectWait(), modes,
                online, board, this::disconnectHere, ports, cluster, tradingFronts);
        // every admin action, and every refused attempt, in the audit chain (the registry audits mode changes too)
        admin = new AdminServer(vertx, stores.adminTokens(), actions, readiness(), metrics,
                (op, action, detail) -> adminAudit.append(new io.gmgate.keystore.AuditEvent("admin:" + op.name(),
                        ("admin." + action).substring(0, Math.min(64, 6 + action.length())), null, null, null, null,
                        detail.length() > 1024 ? detail.substring(0, 1024) : detail, null)),
                new ConsoleData(parts.name(), stores.database(), stores.card(), stores.auditKek(), clock, modes, board, sampler));
        Future<Integer> enrol = enrolmentStarted;
        return modes.start()
                .compose(v -> trading.listen()).map(p -> ports.put(TRADING, p))
                .compose(v -> enrol).map(p -> ports.put(ENROLMENT, p))
                .compose(v -> admin.listen(addresses.adminHost(), addresses.adminPort())).map(p -> ports.put("admin", p))
                .compose(v -> followBypass())
                // sampled once the mode registry and the schema are up, so the first sample is a real one
                .map(v -> gauges = new NodeGauges(vertx, metrics, TRADING, () -> modes.effective(TRADING), pools, configured,
                        readiness())).mapEmpty();
    }

    /** The cluster map of one listener's TLCP sessions: a session id never reaches another listener's. */
    private ClusterSessionCache sessionsOf(String listener, ClusterSeal seal) {
        return new ClusterSessionCache(cluster.hazelcast().getMap(ClusterSessionCache.MAP + "." + listener), timings.sessionLifetime(),
                seal);
    }

    private OnlineObserver observer(String listener, Clock clock) {
        OnlineObserver o = new OnlineObserver(online, listener, clock, metrics);
        observers.add(o);
        return o;
    }

    /**
     * Design §5, docs/drills.md C4: when no cosign node has answered for the configured time, the rule
     * moves its scope to ONE_WAY (if allowed to act) and alerts; the SRE confirms or reverts.
     */
    private AutoCloseable cosignDownRule(DegradationSettings settings, Clock clock) {
        DownSignal signal = new DownSignal("cosign", () -> cosignFronts.healthyFronts() == 0, clock);
        DegradationRule rule = new DegradationRule(settings, signal, modes, clock, (r, outcome, detail) ->
                metrics.counter("gmgate_degradation_total", "rule", r.breaker(), "outcome", outcome.name()).increment());
        return DegradationRule.every(vertx, timings.ruleEvery(), java.util.List.of(rule));
    }

    private boolean plainPathWanted() {
        return modes.effective(TRADING) == AccessMode.BYPASS || parts.policy().rollout().incomplete();
    }

    /** Closes one-way GM connections and plain ones that the mode in force now would not admit. */
    private void enforceModes() {
        trading.enforceMode();
        if (enrolment != null) {
            enrolment.enforceMode();
        }
        bypass.enforceMode();
    }

    /**
     * A setting's time-to-live ends at an instant, not at the next refresh: a timer for the earliest
     * one re-applies the mode then (effective() already reads the clock; the refresh expires the row).
     */
    private void timeToLiveEnds(Map<Scope, io.gmgate.session.ModeSetting> view) {
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
            expiryTimer = -1;
        }
        view.values().stream().flatMap(m -> m.expiresAt().stream()).min(java.util.Comparator.naturalOrder()).ifPresent(at -> {
            long delay = Math.max(1, Duration.between(parts.policy().clock().instant(), at).toMillis() + 1);
            expiryTimer = vertx.setTimer(delay, t -> {
                expiryTimer = -1;
                followBypass();
                enforceModes();
                modes.refresh();
            });
        });
    }

    /**
     * Opens the bypass listener while the trading listener's mode is BYPASS — or while a gradual
     * rollout leaves some accounts on the plain path (the counter refuses plain logins of accounts
     * the rollout requires; the PROXY header tells it the mode) — and closes it otherwise.
     */
    private Future<Void> followBypass() {
        if (plainPathWanted()) {
            return bypass.open().map(p -> {
                ports.put("bypass", p);
                return null;
            });
        }
        ports.remove("bypass");
        return bypass.close();
    }

    private List<ReadinessCheck> readiness() {
        return NodeReadiness.checks(parts.stores(), cluster, tradingFronts, parts.forwarding().tradingFronts().size());
    }

    /** Closes a connection this node holds, on whichever GM listener accepted it; false if it holds none by that id. */
    private boolean disconnectHere(String connectionId) {
        return trading.disconnect(connectionId) || (enrolment != null && enrolment.disconnect(connectionId));
    }

    /** Each node's own disconnect address, by its cluster member id (what the online registry records). */
    static String disconnectAddress(String member) {
        return DISCONNECT + "." + member;
    }

    public int port(String listener) {
        Integer p = ports.get(listener);
        if (p == null) {
            throw new IllegalStateException("listener " + listener + " is not open on " + parts.name());
        }
        return p;
    }

    /** True once the bypass listener is listening (its port known), false once it is closed. */
    public boolean bypassOpen() {
        return bypass.isOpen() && ports.containsKey("bypass");
    }

    public ModeRegistry modes() {
        return modes;
    }

    public OnlineRegistry online() {
        return online;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /**
     * Stops the node and waits, at most {@code timings.closeDeadline()}, until its listeners have let
     * go of their ports. On a Vert.x event loop it cannot wait: there it only starts the stop (compose
     * {@link #closeAsync()} instead).
     *
     * @throws IllegalStateException when a listener did not stop before the deadline, or failed to
     */
    @Override
    public void close() {
        Future<Void> closed = closeAsync();
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            return;
        }
        try {
            closed.toCompletionStage().toCompletableFuture().get(timings.closeDeadline().toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while gateway node " + parts.name() + " closed", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("gateway node " + parts.name() + " did not close within "
                    + timings.closeDeadline(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("gateway node " + parts.name() + " did not close cleanly: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Stops the timers, the card and tamper probes and the mode registry (no mode change reopens a
     * listener from here on), closes every listener and the admin API, and — once they have all
     * stopped, each waited for whether or not another failed — the online registry the listeners
     * report to and the fronts' health checks.
     */
    public synchronized Future<Void> closeAsync() {
        if (closing != null) {
            return closing;
        }
        if (gauges != null) {
            gauges.close();
        }
        if (board != null) {
            board.close();
        }
        if (sampler != null) {
            sampler.close();
        }
        if (degradation != null) {
            try {
                degradation.close();
            } catch (Exception e) {
                // a cancelled timer cannot fail in a way worth reporting at shutdown
            }
        }
        vertx.cancelTimer(bytesTimer);
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
        }
        if (tamperMeter != null) {
            tamperMeter.close();
        }
        cardWatch.close();
        modes.close();
        List<Future<Void>> listeners = new java.util.ArrayList<>(List.of(trading.close(), bypass.close(), admin.close()));
        if (enrolment != null) {
            listeners.add(enrolment.close());
        }
        closing = Future.join(listeners).<Void>mapEmpty().eventually(() -> vertx.executeBlocking(() -> {
            online.close(); // a Hazelcast call: off the event loop
            tradingFronts.close();
            if (cosignFronts != null) {
                cosignFronts.close();
            }
            return null;
        }, false));
        return closing;
    }
}
