package io.gmgate.gateway;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

/**
 * The bypass listener (design §5, seed 003 appendix C): plain TCP straight to the trading fronts.
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
    private final Set<NetSocket> live = ConcurrentHashMap.newKeySet();
    private NetServer server;

    public PlainRelayListener(Vertx vertx, String host, int port, FrontConnector connector, AdmissionControl admission,
                              Supplier<String> accessMode, ConnectionObserver observer) {
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
        live.forEach(NetSocket::close);
        return s == null ? Future.succeededFuture() : s.close();
    }

    public synchronized boolean isOpen() {
        return server != null;
    }

    public int liveConnections() {
        return live.size();
    }

    private void accept(NetSocket socket) {
        String source = socket.remoteAddress().host();
        AdmissionControl.Verdict verdict = admission.admitConnection(source);
        if (!verdict.admitted()) {
            observer.refused(source, Admission.refusal(verdict, "bypass", source));
            socket.close();
            return;
        }
        socket.pause();
        live.add(socket);
        VerifiedPeer peer = VerifiedPeer.plain(inet(socket.remoteAddress()), inet(socket.localAddress()), accessMode.get());
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
