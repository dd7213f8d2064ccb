package io.gmgate.app.wiring;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.app.config.GatewayTimings;
import io.gmgate.crypto.card.CardHealth;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.gateway.AdmissionControl;
import io.gmgate.gateway.AdmissionPolicy;
import io.gmgate.gateway.FrontConnector;
import io.gmgate.gateway.FrontPool;
import io.gmgate.gateway.GmListener;
import io.gmgate.gateway.PlainRelayListener;
import io.gmgate.gateway.TradingFront;
import io.gmgate.gateway.admin.AdminActions;
import io.gmgate.gateway.admin.AdminServer;
import io.gmgate.gateway.admin.AdminTokens;
import io.gmgate.gateway.admin.Operator;
import io.gmgate.gateway.admin.ReadinessCheck;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.LockReason;
import io.gmgate.keystore.PgAuditLog;
import io.gmgate.keystore.ShardStore;
import io.gmgate.policy.Rollout;
import io.gmgate.session.AccessMode;
import io.gmgate.session.ClusterNode;
import io.gmgate.session.ClusterSeal;
import io.gmgate.session.ClusterSessionCache;
import io.gmgate.session.DegradationRule;
import io.gmgate.session.DegradationSettings;
import io.gmgate.session.ModeRegistry;
import io.gmgate.session.OnlineRegistry;
import io.gmgate.session.OnlineTerminal;
import io.gmgate.session.PgModeStore;
import io.gmgate.session.Scope;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.TlcpCredentials;
import io.gmgate.tlcp.TlcpServerConfig;
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

    /** Everything a node needs, already read from configuration. */
    public record Parts(String name, String site, String bindHost, int tradingPort, int enrolmentPort, int bypassPort,
                        int adminPort, List<TradingFront> fronts, List<TradingFront> cosignNodes, AdmissionPolicy admission,
                        Duration frontConnectTimeout, Duration frontProbeInterval, TlcpCredentials credentials,
                        List<X509CertificateHolder> roots, List<CipherSuite> suites, boolean tls13, boolean acceptExternalWholeKeys,
                        DataSource database, CipherCard card, int auditKek, ShardStore shards, AdminTokens tokens,
                        Duration modeRefresh, Clock clock, Optional<DegradationSettings> cosignDown, Rollout rollout,
                        String adminHost) {

        /** The admin API on loopback only. */
        public Parts(String name, String site, String bindHost, int tradingPort, int enrolmentPort, int bypassPort,
                     int adminPort, List<TradingFront> fronts, List<TradingFront> cosignNodes, AdmissionPolicy admission,
                     Duration frontConnectTimeout, Duration frontProbeInterval, TlcpCredentials credentials,
                     List<X509CertificateHolder> roots, List<CipherSuite> suites, boolean tls13, boolean acceptExternalWholeKeys,
                     DataSource database, CipherCard card, int auditKek, ShardStore shards, AdminTokens tokens,
                     Duration modeRefresh, Clock clock, Optional<DegradationSettings> cosignDown, Rollout rollout) {
            this(name, site, bindHost, tradingPort, enrolmentPort, bypassPort, adminPort, fronts, cosignNodes, admission,
                    frontConnectTimeout, frontProbeInterval, credentials, roots, suites, tls13, acceptExternalWholeKeys, database,
                    card, auditKek, shards, tokens, modeRefresh, clock, cosignDown, rollout, "127.0.0.1");
        }

        /** Everyone on GM: no rollout in progress. */
        public Parts(String name, String site, String bindHost, int tradingPort, int enrolmentPort, int bypassPort,
                     int adminPort, List<TradingFront> fronts, List<TradingFront> cosignNodes, AdmissionPolicy admission,
                     Duration frontConnectTimeout, Duration frontProbeInterval, TlcpCredentials credentials,
                     List<X509CertificateHolder> roots, List<CipherSuite> suites, boolean tls13, boolean acceptExternalWholeKeys,
                     DataSource database, CipherCard card, int auditKek, ShardStore shards, AdminTokens tokens,
                     Duration modeRefresh, Clock clock, Optional<DegradationSettings> cosignDown) {
            this(name, site, bindHost, tradingPort, enrolmentPort, bypassPort, adminPort, fronts, cosignNodes, admission,
                    frontConnectTimeout, frontProbeInterval, credentials, roots, suites, tls13, acceptExternalWholeKeys, database,
                    card, auditKek, shards, tokens, modeRefresh, clock, cosignDown, Rollout.EVERYONE);
        }
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
        Clock clock = parts.clock();
        // sealed under the site KEK, as the audit chain is: any node of the site opens what another wrote
        ClusterSeal seal = new ClusterSeal(parts.card(), parts.auditKek(), cluster.identity().name());
        modes = new ModeRegistry(vertx, new PgModeStore(parts.database()), clock, parts.modeRefresh(),
                Optional.of(new PgAuditLog(parts.database(), parts.card(), parts.auditKek())), parts.site(), Optional.of(seal));
        online = new OnlineRegistry(cluster.hazelcast());
        // one path validator and one certificate gate for TLCP and TLS 1.3 (docs/security.md, "Certificate paths and the certificate gate"): the account sent
        // to the front comes from the CA's record the gate bound the certificate to, not from its subject
        io.gmgate.gateway.LoginPhases phases = io.gmgate.gateway.LoginPhases.of(metrics);
        CertificateGate gate = new CertificateGate(parts.database(), parts.shards(), parts.acceptExternalWholeKeys(), phases);
        X509CertificatePolicy clients = new X509CertificatePolicy(new io.gmgate.tlcp.CertificatePathValidator(parts.roots(),
                parts.credentials().caCertificates(), new CaCrlIssuerStatus(new io.gmgate.ca.PgCaStore(parts.database()), clock)),
                gate, false);
        // each listener's sessions in a map of their own, bound to the device that authenticated them
        KeyRecordBinding devices = new KeyRecordBinding(gate, parts.database());
        ClusterSessionCache tradingSessions = sessionsOf(TRADING, seal);
        ClusterSessionCache enrolmentSessions = sessionsOf(ENROLMENT, seal);
        // the login trace of the trading listener's engine, through the interfaces it calls anyway
        LoginTrace trace = new LoginTrace(phases);
        io.gmgate.tlcp.CertificatePolicy tradingClients = trace.policy(clients);
        io.gmgate.tlcp.SessionCache tradingSessionMap = trace.sessions(tradingSessions);
        io.gmgate.tlcp.SessionBinding tradingDevices = trace.binding(devices);
        SecureRandom random = new SecureRandom();
        AdmissionControl admission = new AdmissionControl(parts.admission(), System::nanoTime);
        cardWatch = new CardWatch(vertx, parts.card(), timings.cardProbeEvery(), metrics);
        if (parts.shards() instanceof io.gmgate.keystore.PgShardStore store) {
            tamperMeter = new TamperMeter(vertx, metrics, store);
        }
        io.gmgate.gateway.HandshakePolicy policy = cardWatch.gate(new ModeHandshakePolicy(modes, TRADING, false));

        OnlineObserver tradingSeen = observer(TRADING, clock);
        OnlineObserver enrolmentSeen = observer(ENROLMENT, clock);
        OnlineObserver bypassSeen = observer("bypass", clock);
        tradingFronts = new FrontPool(vertx, "fronts", parts.fronts(), parts.frontConnectTimeout(), parts.frontProbeInterval()).start();
        // TLS 1.3 (RFC 8998) on the same ports when enabled: the first record tells it from TLCP
        Optional<java.util.function.Function<io.gmgate.tlcp.ClientAuth, io.gmgate.tlcp.tls13.Tls13ServerConfig>> tls13 =
                parts.tls13() ? Optional.of(auth -> new io.gmgate.tlcp.tls13.Tls13ServerConfig(
                        new io.gmgate.tlcp.tls13.Tls13Credentials(java.util.stream.Stream.concat(
                                java.util.stream.Stream.of(parts.credentials().signCertificate()),
                                parts.credentials().caCertificates().stream()).toList(), parts.credentials().signKey()),
                        parts.roots(), io.gmgate.tlcp.tls13.Tls13ServerConfig.ClientAuth.valueOf(auth.name()), clock, random,
                        clients))
                        : Optional.empty();
        trading = new GmListener(vertx, new GmListener.Settings(TRADING, parts.bindHost(), parts.tradingPort(), timings.handshakeTimeout()),
                auth -> new TlcpServerConfig(parts.suites(), auth, parts.credentials(), tradingClients, tradingSessionMap, clock,
                        random, TRADING, tradingDevices),
                tls13, new FrontConnector(tradingFronts, tradingSeen, true, phases),
                admission, policy, gate, tradingSeen, metrics);
        Future<Integer> enrolmentStarted = Future.succeededFuture(-1);
        if (!parts.cosignNodes().isEmpty()) {
            cosignFronts = new FrontPool(vertx, "cosign", parts.cosignNodes(), parts.frontConnectTimeout(),
                    parts.frontProbeInterval()).start();
            enrolment = new GmListener(vertx, new GmListener.Settings(ENROLMENT, parts.bindHost(), parts.enrolmentPort(),
                    timings.handshakeTimeout()),
                    auth -> new TlcpServerConfig(parts.suites(), auth, parts.credentials(), clients, enrolmentSessions, clock,
                            random, ENROLMENT, devices),
                    tls13, new FrontConnector(cosignFronts, enrolmentSeen, true),
                    admission, policy, gate, enrolmentSeen, metrics);
            enrolmentStarted = enrolment.listen();
            if (parts.cosignDown().isPresent()) {
                degradation = cosignDownRule(parts.cosignDown().get(), clock);
            }
        }
        bypass = new PlainRelayListener(vertx, parts.bindHost(), parts.bypassPort(),
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
        vertx.eventBus().<String>consumer(disconnectAddress(online.node()), m ->
                m.reply(trading.disconnect(m.body()) || (enrolment != null && enrolment.disconnect(m.body()))));
        List<FrontPool> pools = cosignFronts == null ? List.of(tradingFronts) : List.of(tradingFronts, cosignFronts);
        List<Integer> configured = cosignFronts == null ? List.of(parts.fronts().size())
                : List.of(parts.fronts().size(), parts.cosignNodes().size());
        board = new NodeBoard(vertx, cluster.hazelcast(), parts.name(), online.node(), readiness(), pools,
                () -> modes.effective(TRADING).name(),
                () -> (int) online.all().stream().filter(t -> online.node().equals(t.node())).count(), clock, Duration.ofSeconds(2));
        sampler = new io.gmgate.gateway.admin.MeterSampler(vertx, metrics, 1_000);
        PgAuditLog adminAudit = new PgAuditLog(parts.database(), parts.card(), parts.auditKek());
        // every admin action, and every refused attempt, in the audit chain (the registry audits mode changes too)
        admin = new AdminServer(vertx, parts.tokens(), new Actions(), readiness(), metrics,
                (op, action, detail) -> adminAudit.append(new io.gmgate.keystore.AuditEvent("admin:" + op.name(),
                        ("admin." + action).substring(0, Math.min(64, 6 + action.length())), null, null, null, null,
                        detail.length() > 1024 ? detail.substring(0, 1024) : detail, null)),
                new ConsoleData(parts.name(), parts.database(), parts.card(), parts.auditKek(), clock, modes, board, sampler));
        Future<Integer> enrol = enrolmentStarted;
        return modes.start()
                .compose(v -> trading.listen()).map(p -> ports.put(TRADING, p))
                .compose(v -> enrol).map(p -> ports.put(ENROLMENT, p))
                .compose(v -> admin.listen(parts.adminHost(), parts.adminPort())).map(p -> ports.put("admin", p))
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
        return modes.effective(TRADING) == AccessMode.BYPASS || parts.rollout().incomplete();
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
            long delay = Math.max(1, Duration.between(parts.clock().instant(), at).toMillis() + 1);
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
        return List.of(
                check("card", () -> {
                    CardHealth h = parts.card().health();
                    if (!h.healthy()) {
                        throw new IllegalStateException(h.detail());
                    }
                    return h.card() + " ok in " + h.probeMillis() + " ms";
                }),
                check("database", () -> {
                    try (var c = parts.database().getConnection(); var st = c.createStatement();
                         var rs = st.executeQuery("SELECT count(*) FROM gm_access_modes")) {
                        rs.next();
                        return "ok, " + rs.getLong(1) + " mode settings";
                    }
                }),
                check("cluster", () -> cluster.members() + " members"),
                check("fronts", () -> {
                    int up = tradingFronts.healthyFronts();
                    if (up == 0) {
                        throw new IllegalStateException("no trading front reachable");
                    }
                    return up + " of " + parts.fronts().size() + " trading fronts up";
                }));
    }

    private interface Probe {
        String run() throws Exception;
    }

    private static ReadinessCheck check(String name, Probe probe) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String check() throws Exception {
                return probe.run();
            }
        };
    }

    /** The admin API's actions on this node and the cluster. */
    private final class Actions implements AdminActions {
        @Override
        public Map<String, String> modes() {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("effective:" + TRADING, modes.effective(TRADING).name());
            modes.view().forEach((scope, s) -> out.put(scope.toString(), s.mode().name()
                    + s.expiresAt().map(e -> " until " + e).orElse("")));
            return out;
        }

        @Override
        public void setMode(String scope, String mode, String reason, Optional<Duration> ttl, Operator by) {
            AccessMode m;
            try {
                m = AccessMode.valueOf(mode.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mode must be NORMAL, ONE_WAY or BYPASS, got '" + mode + "'");
            }
            modes.set(Scope.parse(scope), m, reason, "admin:" + by.name(), ttl);
        }

        @Override
        public List<Map<String, Object>> onlineTerminals() {
            Map<String, String> names = board.nodeNames();
            return online.all().stream().map(t -> describe(t, names)).toList();
        }

        @Override
        public boolean disconnect(String connectionId, Operator by) {
            if (trading.disconnect(connectionId) || (enrolment != null && enrolment.disconnect(connectionId))) {
                return true;
            }
            Optional<String> holder = online.all().stream().filter(t -> t.connectionId().equals(connectionId))
                    .map(OnlineTerminal::node).findFirst();
            if (holder.isEmpty() || holder.get().equals(online.node())) {
                return false;
            }
            try {
                return vertx.eventBus().<Boolean>request(disconnectAddress(holder.get()), connectionId)
                        .map(io.vertx.core.eventbus.Message::body).toCompletionStage().toCompletableFuture()
                        .get(timings.disconnectWait().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException unreachable) {
                throw new io.gmgate.gateway.GatewayException(io.gmgate.gateway.GatewayErrors.ADMIN_ACTION_FAILED,
                        "[admin " + parts.name() + "] cluster member " + holder.get() + " holding " + connectionId
                                + " did not answer within " + timings.disconnectWait().toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void setCertificateLocked(String serialHex, boolean locked, String reason, Operator by) {
            List<KeyRecord> records = parts.shards().keysForCertificate(serialHex);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("no key record behind certificate " + serialHex);
            }
            // An operator's lock covers every live key of each device holding the certificate: the sign key and the
            // encryption key together (docs/security.md, "Key rows and locks"). It is the OPERATOR reason, which neither the trader's unlock
            // nor a PIN reset lifts; the operator's unlock lifts OPERATOR and PIN (he checked the holder), never the
            // trader's own lock.
            String actor = "admin:" + by.name();
            for (List<String> device : records.stream().map(k -> List.of(k.account(), k.device())).distinct().toList()) {
                if (locked) {
                    parts.shards().lock(device.get(0), device.get(1), LockReason.OPERATOR, actor, reason);
                } else {
                    parts.shards().unlock(device.get(0), device.get(1), LockReason.OPERATOR, actor, reason);
                    parts.shards().unlock(device.get(0), device.get(1), LockReason.PIN, actor, reason);
                }
            }
        }

        @Override
        public void approveDevice(String account, String device, String reason, Operator by) {
            if (reason.length() > 200) {
                throw new IllegalArgumentException("reason must be at most 200 characters");
            }
            new io.gmgate.cosign.pg.PgDeviceApprovals(io.gmgate.cosign.pg.CosignJdbc.of(parts.database(), parts.name()))
                    .approve(account, device, "admin:" + by.name(), reason, parts.clock().instant());
            new PgAuditLog(parts.database(), parts.card(), parts.auditKek()).append(new io.gmgate.keystore.AuditEvent(
                    "admin:" + by.name(), "device-approve", account, device, null, null, reason, null));
        }

        @Override
        public Map<String, Object> status() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("node", parts.name());
            s.put("site", parts.site());
            s.put("ports", Map.copyOf(ports));
            s.put("mode", modes.effective(TRADING).name());
            s.put("modeEpoch", modes.epoch());
            s.put("modeSource", modes.source());
            s.put("clusterMembers", cluster.members());
            s.put("tradingFrontsUp", tradingFronts.healthyFronts());
            s.put("online", online.all().size());
            return s;
        }
    }

    private static Map<String, Object> describe(OnlineTerminal t, Map<String, String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.connectionId());
        m.put("account", t.account());
        m.put("node", names.getOrDefault(t.node(), t.node()));
        m.put("member", t.node());
        m.put("listener", t.listener());
        m.put("source", t.source());
        m.put("suite", t.suite());
        m.put("since", t.since().toString());
        return m;
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
