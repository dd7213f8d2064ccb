package io.gmgate.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.gateway.channel.ChannelEngine;
import io.gmgate.gateway.channel.HandshakeTrace;
import io.gmgate.gateway.channel.SecureChannel;
import io.gmgate.proxy.VerifiedPeer;
import io.gmgate.tlcp.ClientAuth;
import io.gmgate.tlcp.TlcpEngine;
import io.gmgate.tlcp.TlcpServerConfig;
import io.gmgate.tlcp.tls13.ProtocolSniffer;
import io.gmgate.tlcp.tls13.Tls13Engine;
import io.gmgate.tlcp.tls13.Tls13ServerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * A GM listener (design §3): terminates TLCP — and TLS 1.3 with the RFC 8998 suite when
 * configured, told apart on the same port by the first record — then relays the plaintext to a
 * front with the verified identity in a PROXY v2 header. The trading listener (:9000) demands
 * two-way TLCP in NORMAL mode; the enrolment listener (:8090) is one-way and relays to the cosign
 * nodes. Per-address limits apply before any handshake work; a handshake that does not finish in
 * time is cut off.
 */
public final class GmListener {

    private static final System.Logger LOG = System.getLogger(GmListener.class.getName());

    /** Settings of one listener. */
    public record Settings(String name, String host, int port, Duration handshakeTimeout) {
    }

    private final Vertx vertx;
    private final Settings settings;
    private final Function<ClientAuth, TlcpServerConfig> tlcp;
    private final Optional<Function<ClientAuth, Tls13ServerConfig>> tls13;
    private final FrontConnector connector;
    private final AdmissionControl admission;
    private final HandshakePolicy policy;
    private final IdentityResolver identities;
    private final ConnectionObserver observer;
    private final MeterRegistry metrics;
    private final LoginPhases phases;
    private final Map<String, SecureChannel> live = new ConcurrentHashMap<>();
    /** How each live connection was admitted: the mode then, and whether the client showed a certificate. */
    private final Map<String, Admitted> admitted = new ConcurrentHashMap<>();

    /** The mode a connection was admitted in, its source, and whether the client authenticated. */
    public record Admitted(String mode, String source, boolean clientAuthenticated) {
    }
    private NetServer server;

    public GmListener(Vertx vertx, Settings settings, Function<ClientAuth, TlcpServerConfig> tlcp,
                      Optional<Function<ClientAuth, Tls13ServerConfig>> tls13, FrontConnector connector,
                      AdmissionControl admission, HandshakePolicy policy, IdentityResolver identities,
                      ConnectionObserver observer, MeterRegistry metrics) {
        this.vertx = vertx;
        this.settings = settings;
        this.tlcp = tlcp;
        this.tls13 = tls13;
        this.connector = connector;
        this.admission = admission;
        this.policy = policy;
        this.identities = identities;
        this.observer = observer;
        this.metrics = metrics;
        this.phases = LoginPhases.of(metrics);
        metrics.gauge("gmgate.connections.open", java.util.List.of(io.micrometer.core.instrument.Tag.of("listener", settings.name())),
                live, Map::size);
    }

    public Future<Integer> listen() {
        NetServerOptions options = new NetServerOptions().setHost(settings.host()).setPort(settings.port())
                .setTcpNoDelay(true).setAcceptBacklog(4096);
        Duration idle = admission.policy().idleTimeout();
        if (!idle.isZero()) {
            // a terminal that stays silent this long is disconnected (the trading front has its own heartbeats)
            options.setIdleTimeout((int) idle.toSeconds()).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
        }
        NetServer s = vertx.createNetServer(options);
        s.connectHandler(this::accept);
        server = s;
        return s.listen().map(NetServer::actualPort).recover(e -> Future.failedFuture(new GatewayException(
                GatewayErrors.LISTENER_FAILED, "[" + settings.name() + " " + settings.host() + ":" + settings.port() + "] "
                + e.getMessage(), e)));
    }

    public Future<Void> close() {
        live.values().forEach(SecureChannel::close);
        return server == null ? Future.succeededFuture() : server.close();
    }

    public String name() {
        return settings.name();
    }

    /** How the live connections were admitted, by id. */
    public Map<String, Admitted> admissions() {
        return Map.copyOf(admitted);
    }

    /**
     * After a mode change (docs/security.md, "Access modes and signed policies"): closes the connections the mode now in force would not
     * admit — one-way connections once the listener demands two-way again. Returns how many.
     */
    public int enforceMode() {
        if (policy.clientAuth(settings.name()).orElse(ClientAuth.NONE) != ClientAuth.REQUIRED) {
            return 0;
        }
        int closed = 0;
        for (Map.Entry<String, Admitted> e : admitted.entrySet()) {
            if (!e.getValue().clientAuthenticated() && closeStrengthened(e.getKey(), e.getValue())) {
                closed++;
            }
        }
        return closed;
    }

    private boolean closeStrengthened(String id, Admitted a) {
        SecureChannel c = live.remove(id);
        admitted.remove(id);
        if (c == null) {
            return false;
        }
        observer.refused(a.source(), new GatewayException(GatewayErrors.MODE_STRENGTHENED, "[" + settings.name() + "] connection "
                + id + " admitted one-way in " + a.mode() + " closed: the listener is " + policy.accessMode(settings.name())
                + " and demands two-way TLCP"));
        c.close();
        return true;
    }

    /** Live connections by id, for the admin API's list and disconnect. */
    public Map<String, SecureChannel> connections() {
        return Map.copyOf(live);
    }

    public boolean disconnect(String id) {
        SecureChannel c = live.get(id);
        if (c == null) {
            return false;
        }
        c.close();
        return true;
    }

    private void accept(NetSocket socket) {
        long accepted = LoginPhases.now();
        String source = socket.remoteAddress().hostAddress();
        AdmissionControl.Verdict v = admission.admitConnection(source);
        if (!v.admitted()) {
            refuse(socket, Admission.refusal(v, settings.name(), source), "admission");
            return;
        }
        Runnable release = PlainRelayListener.once(admission::release);
        socket.closeHandler(x -> release.run());
        Optional<ClientAuth> auth = policy.clientAuth(settings.name());
        if (auth.isEmpty()) {
            refuse(socket, null, "mode");
            return;
        }
        // a timeout closes the socket, which fails the handshake too: counted and logged here only
        boolean[] timedOut = {false};
        long timer = vertx.setTimer(settings.handshakeTimeout().toMillis(), t -> {
            timedOut[0] = true;
            count("?", "?", "timeout");
            logFailure(source, new GatewayException(GatewayErrors.HANDSHAKE_TIMEOUT, "[" + settings.name() + "] handshake from "
                    + source + " not complete within " + settings.handshakeTimeout().toMillis() + " ms"));
            socket.close();
        });
        Buffer head = Buffer.buffer();
        socket.handler(data -> {
            head.appendBuffer(data);
            ProtocolSniffer.Verdict verdict = ProtocolSniffer.sniff(head.getBytes());
            switch (verdict.kind()) {
                case NEED_MORE -> {
                    if (head.length() > 4096) {
                        vertx.cancelTimer(timer);
                        refuse(socket, null, "garbage");
                    }
                }
                case TLCP -> start(socket, source, timer, auth.get(), head, false, release, accepted, timedOut);
                case TLS13 -> {
                    if (tls13.isPresent()) {
                        start(socket, source, timer, auth.get(), head, true, release, accepted, timedOut);
                    } else {
                        vertx.cancelTimer(timer);
                        refuse(socket, null, "tls13-disabled");
                    }
                }
                default -> {
                    vertx.cancelTimer(timer);
                    refuse(socket, null, "not-gm");
                }
            }
        });
    }

    private void start(NetSocket socket, String source, long timer, ClientAuth auth, Buffer head, boolean isTls13,
                       Runnable release, long accepted, boolean[] timedOut) {
        socket.handler(null);
        socket.pause();
        AdmissionControl.Verdict v = admission.admitHandshake(source);
        if (!v.admitted()) {
            vertx.cancelTimer(timer);
            refuse(socket, Admission.refusal(v, settings.name(), source), "handshake-rate");
            return;
        }
        TlcpEngine tlcpEngine = isTls13 ? null : TlcpEngine.server(settings.name() + "←" + source, tlcp.apply(auth));
        ChannelEngine engine = isTls13
                ? ChannelEngine.tls13(Tls13Engine.server(settings.name() + "←" + source, tls13.get().apply(auth)))
                : ChannelEngine.tlcp(tlcpEngine);
        Timer.Sample sample = Timer.start(metrics);
        SecureChannel channel = SecureChannel.start(vertx, socket, engine, head, new HandshakeTrace(phases));
        channel.closed().onComplete(x -> release.run());
        channel.pause();
        socket.resume();
        String id = UUID.randomUUID().toString();
        channel.handshake().onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (tlcpEngine != null) {
                // a session id offered across listeners or without the chain this one requires (TLS-114)
                tlcpEngine.resumptionRefused().ifPresent(r -> metrics.counter("gmgate.resumptions.refused",
                        "listener", settings.name(), "code", r.errorCode().code()).increment());
            }
            if (ar.failed()) {
                if (!timedOut[0]) {
                    String code = SecureChannel.codeOf(ar.cause());
                    count(isTls13 ? "TLSv1.3" : "TLCP1.1", "?", code == null ? "failed" : code);
                    logFailure(source, ar.cause());
                }
                return;
            }
            phases.since(LoginPhases.HANDSHAKE, accepted);
            ChannelEngine.Handshake h = ar.result();
            // buckets, so dashboards and alerts can take percentiles across pods (histogram_quantile)
            sample.stop(Timer.builder("gmgate.handshake").tag("listener", settings.name()).tag("protocol", h.protocol())
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30)).register(metrics));
            count(h.protocol(), h.suite(), h.resumed() ? "resumed" : "ok");
            live.put(id, channel);
            VerifiedPeer peer = peer(socket, h);
            Admitted how = new Admitted(peer.accessMode(), source, !h.peerChain().isEmpty());
            admitted.put(id, how);
            // the mode may have got stronger while this one-way handshake ran
            if (!how.clientAuthenticated() && policy.clientAuth(settings.name()).orElse(ClientAuth.NONE) == ClientAuth.REQUIRED) {
                closeStrengthened(id, how);
                return;
            }
            connector.relay(id, peer, channel, channel, () -> {
                live.remove(id);
                admitted.remove(id);
                channel.close();
            }).onFailure(e -> {
                live.remove(id);
                admitted.remove(id);
                observer.refused(source, e instanceof GatewayException g ? g
                        : new GatewayException(GatewayErrors.NO_HEALTHY_FRONT, e.getMessage(), e));
                channel.close();
            });
        });
    }

    private VerifiedPeer peer(NetSocket socket, ChannelEngine.Handshake h) {
        Optional<X509CertificateHolder> cert = h.peerChain().isEmpty() ? Optional.empty() : Optional.of(h.peerChain().get(0));
        return new VerifiedPeer(inet(socket.remoteAddress()), inet(socket.localAddress()), h.protocol(), h.suite(),
                cert.flatMap(identities::account), cert.map(c -> c.getSerialNumber().toString(16)),
                cert.flatMap(IdentityResolver::commonName), policy.accessMode(settings.name()));
    }

    private void refuse(NetSocket socket, GatewayException why, String reason) {
        count("?", "?", "refused-" + reason);
        if (why == null) {
            socket.close();
            return;
        }
        observer.refused(socket.remoteAddress().hostAddress(), why);
        // the client is told before the close (a fatal access_denied alert); what it already sent is read and
        // dropped, so the close is a FIN and not a reset that could destroy the alert on its way
        socket.handler(ignored -> { });
        socket.resume();
        socket.write(Buffer.buffer(Admission.alert())).onComplete(x -> socket.close());
    }

    /** Once per failed handshake: its code and the peer's address (the message names no secret). */
    private void logFailure(String source, Throwable cause) {
        String code = SecureChannel.codeOf(cause);
        if (code == null) {
            code = GatewayErrors.HANDSHAKE_ABANDONED.code();
        }
        LOG.log(System.Logger.Level.INFO, "[" + settings.name() + "] handshake from " + source + " failed: " + code + " "
                + cause.getMessage());
    }

    private void count(String protocol, String suite, String result) {
        metrics.counter("gmgate.handshakes", "listener", settings.name(), "protocol", protocol, "suite", suite,
                "result", result).increment();
    }

    private static InetSocketAddress inet(io.vertx.core.net.SocketAddress a) {
        return new InetSocketAddress(a.hostAddress(), a.port());
    }
}
