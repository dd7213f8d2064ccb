package io.gmgate.gateway;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.gmgate.proxy.VerifiedPeer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

/**
 * The bypass listener (design §5, docs/drills.md): plain TCP straight to the trading fronts.
 * It listens only while some scope is in BYPASS — {@link #open()} and {@link #close()} follow the
 * access mode — and on close it drops the plain connections it carried, so no unprotected path
 * outlives the incident.
 */
public final class PlainRelayListener {

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final FrontConnector connector;
    private final AdmissionControl admission;
    private final Supplier<String> accessMode;
    private final ConnectionObserver observer;
    private final BooleanSupplier wanted;
    /** Each live plain connection and the access mode it was admitted in. */
    private final Map<NetSocket, String> live = new ConcurrentHashMap<>();
    private NetServer server;

    public PlainRelayListener(Vertx vertx, String host, int port, FrontConnector connector, AdmissionControl admission,
                              Supplier<String> accessMode, ConnectionObserver observer) {
        this(vertx, host, port, connector, admission, accessMode, observer, () -> true);
    }

    /**
     * @param wanted asked at every accept, against the clock: whether the plain path may be open now
     *               (the BYPASS time-to-live may have ended before the periodic refresh closes the listener)
     */
    public PlainRelayListener(Vertx vertx, String host, int port, FrontConnector connector, AdmissionControl admission,
                              Supplier<String> accessMode, ConnectionObserver observer, BooleanSupplier wanted) {
        this.wanted = wanted;
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.connector = connector;
        this.admission = admission;
        this.accessMode = accessMode;
        this.observer = observer;
    }

    /** Starts listening; completes with the bound port. Opening an open listener is a no-op. */
    public synchronized Future<Integer> open() {
        if (server != null) {
            return Future.succeededFuture(server.actualPort());
        }
        NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true);
        if (!admission.policy().idleTimeout().isZero()) {
            options.setIdleTimeout((int) admission.policy().idleTimeout().toSeconds())
                    .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
        }
        NetServer s = vertx.createNetServer(options);
        s.connectHandler(this::accept);
        server = s;
        return s.listen().map(NetServer::actualPort).recover(e -> {
            synchronized (this) {
                server = null;
            }
            return Future.failedFuture(new GatewayException(GatewayErrors.LISTENER_FAILED,
                    "[bypass " + host + ":" + port + "] " + e.getMessage(), e));
        });
    }

    /** Stops listening and drops every plain connection still open. */
    public synchronized Future<Void> close() {
        NetServer s = server;
        server = null;
        live.keySet().forEach(NetSocket::close);
        return s == null ? Future.succeededFuture() : s.close();
    }

    public synchronized boolean isOpen() {
        return server != null;
    }

    public int liveConnections() {
        return live.size();
    }

    /**
     * After a mode change (docs/security.md, "Access modes and signed policies"): closes the plain connections admitted in a weaker mode
     * than the one in force now (BYPASS ones once ONE_WAY or NORMAL is back). Returns how many.
     */
    public int enforceMode() {
        String now = accessMode.get();
        int closed = 0;
        for (Map.Entry<NetSocket, String> e : live.entrySet()) {
            if (strength(e.getValue()) < strength(now)) {
                observer.refused(e.getKey().remoteAddress().hostAddress(), new GatewayException(GatewayErrors.MODE_STRENGTHENED,
                        "[bypass] plain connection admitted in " + e.getValue() + " closed: the mode is " + now));
                e.getKey().close();
                closed++;
            }
        }
        return closed;
    }

    /** BYPASS < ONE_WAY < NORMAL (design §5); an unknown name counts as the strongest. */
    static int strength(String mode) {
        int i = java.util.List.of("BYPASS", "ONE_WAY", "NORMAL").indexOf(mode);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private void accept(NetSocket socket) {
        String source = socket.remoteAddress().host();
        AdmissionControl.Verdict verdict = admission.admitConnection(source);
        if (!verdict.admitted()) {
            observer.refused(source, Admission.refusal(verdict, "bypass", source));
            socket.close();
            return;
        }
        if (!wanted.getAsBoolean()) {
            // the mode's time-to-live ended between two refreshes: the clock, not the tick, decides
            admission.release();
            observer.refused(source, new GatewayException(GatewayErrors.MODE_STRENGTHENED,
                    "[bypass] plain connection from " + source + " refused: the plain path is no longer open (mode "
                            + accessMode.get() + ")"));
            socket.close();
            return;
        }
        socket.pause();
        String mode = accessMode.get();
        live.put(socket, mode);
        VerifiedPeer peer = VerifiedPeer.plain(inet(socket.remoteAddress()), inet(socket.localAddress()), mode);
        Runnable release = once(() -> {
            live.remove(socket);
            admission.release();
            socket.close();
        });
        socket.closeHandler(v -> release.run());
        connector.relay(peer, socket, socket, release).onFailure(e -> {
            observer.refused(source, e instanceof GatewayException g ? g
                    : new GatewayException(GatewayErrors.NO_HEALTHY_FRONT, e.getMessage(), e));
            release.run();
        });
    }

    static InetSocketAddress inet(SocketAddress a) {
        return new InetSocketAddress(a.hostAddress(), a.port());
    }

    static Runnable once(Runnable r) {
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) {
                r.run();
            }
        };
    }
}
