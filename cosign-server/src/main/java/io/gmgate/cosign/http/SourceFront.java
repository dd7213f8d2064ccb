package io.gmgate.cosign.http;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.gmgate.cosign.CosignErrors;
import io.gmgate.cosign.CosignException;
import io.gmgate.error.GmgateException;
import io.gmgate.proxy.ProxyV2Header;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * The node's public socket, in front of its HTTP server: it learns the real client before any HTTP
 * byte is read and caps what one client may hold open. A connection from a configured gateway must
 * begin with the gateway's PROXY v2 header ({@link ProxyV2Header}), whose source is the client; any
 * other connection is the client itself and may not send one (COSIGN-125/126). Admitted connections
 * are spliced to the HTTP server on a loopback port, which looks the client up by that connection's port.
 */
final class SourceFront {

    private static final System.Logger LOG = System.getLogger(SourceFront.class.getName());
    /** An HTTP request never begins with CR; a PROXY v2 header always does. */
    private static final byte CR = 0x0D;
    /** After a refusal the client's request is read and dropped this long, so closing does not reset the answer away. */
    private static final long DRAIN_MILLIS = 1000;

    private final Vertx vertx;
    private final AddressSet gateways;
    private final ListenerLimits limits;
    private final String node;
    private final Map<Integer, String> sourceByPort = new ConcurrentHashMap<>();
    private final Map<String, Integer> openBySource = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private NetServer server;
    private NetClient client;
    private int backendPort;

    SourceFront(Vertx vertx, AddressSet gateways, ListenerLimits limits, String node) {
        this.vertx = vertx;
        this.gateways = gateways;
        this.limits = limits;
        this.node = node;
    }

    Future<Integer> listen(String host, int port, int httpPort) {
        this.backendPort = httpPort;
        client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000).setTcpNoDelay(true));
        server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setIdleTimeout((int) limits.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
        server.connectHandler(s -> new Connection(s).start());
        return server.listen().map(NetServer::actualPort);
    }

    Future<Void> close() {
        Future<Void> f = server == null ? Future.succeededFuture() : server.close();
        return f.eventually(() -> client == null ? Future.succeededFuture() : client.close());
    }

    /** The real client behind the HTTP server's connection from this front's port {@code port}, if it is one. */
    Optional<String> source(int port) {
        return Optional.ofNullable(sourceByPort.get(port));
    }

    /** Connections open now, admitted or not yet. */
    int open() {
        return open.get();
    }

    boolean saturated() {
        return open.get() >= limits.maxConnections();
    }

    /** One client connection: header (or not), admission, then the splice to the HTTP server. */
    private final class Connection {
        private final NetSocket socket;
        private final String peer;
        private final boolean fromGateway;
        private final Buffer head = Buffer.buffer();
        private long timer = -1;
        private String source;
        private NetSocket backend;
        private boolean decided;
        private boolean closed;
        private boolean released;

        Connection(NetSocket socket) {
            this.socket = socket;
            this.peer = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
            this.fromGateway = gateways.contains(peer);
        }

        void start() {
            socket.closeHandler(v -> closed());
            if (open.incrementAndGet() > limits.maxConnections()) {
                refuse(new CosignException(CosignErrors.OVERLOADED, "[cosign " + node + "] " + limits.maxConnections()
                        + " connections open", 1));
                return;
            }
            socket.handler(this::read);
            if (fromGateway) {
                timer = vertx.setTimer(limits.bodyTimeout().toMillis(), t -> refuse(new CosignException(
                        CosignErrors.PROXY_HEADER_MISSING, "gateway " + peer + " sent no PROXY v2 header in time")));
            }
        }

        private void read(Buffer chunk) {
            if (decided) {
                return; // refused: the rest is drained unread
            }
            head.appendBuffer(chunk);
            if (fromGateway) {
                ByteBuffer bytes = ByteBuffer.wrap(head.getBytes());
                Optional<ProxyV2Header> header;
                try {
                    header = ProxyV2Header.parse(bytes);
                } catch (GmgateException e) {
                    refuse(new CosignException(CosignErrors.PROXY_HEADER_MISSING, "gateway " + peer + ": " + e.getMessage()));
                    return;
                }
                if (header.isPresent()) {
                    admit(header.get().source().getAddress().getHostAddress(), head.getBuffer(bytes.position(), head.length()));
                }
            } else if (head.getByte(0) == CR) {
                LOG.log(Level.WARNING, "[cosign {0}] refused a PROXY header from {1}, which is not a configured gateway", node, peer);
                refuse(new CosignException(CosignErrors.PROXY_HEADER_NOT_ALLOWED, peer + " is not a configured gateway"));
            } else {
                admit(peer, head);
            }
        }

        private void admit(String client, Buffer rest) {
            decided = true;
            vertx.cancelTimer(timer);
            int n = openBySource.merge(client, 1, Integer::sum);
            source = client;
            if (n > limits.connectionsPerSource()) {
                refuse(new CosignException(CosignErrors.SOURCE_LIMITED, client + " has " + limits.connectionsPerSource()
                        + " connections open", 1));
                return;
            }
            socket.pause();
            SourceFront.this.client.connect(backendPort, "127.0.0.1").onComplete(ar -> {
                if (ar.failed()) {
                    refuse(new CosignException(CosignErrors.INTERNAL, "[cosign " + node + "] listener unreachable"));
                    return;
                }
                NetSocket b = ar.result();
                if (closed) {
                    b.close();
                    return;
                }
                backend = b;
                int port = b.localAddress().port();
                sourceByPort.put(port, client);
                b.closeHandler(v -> {
                    sourceByPort.remove(port, client);
                    socket.close();
                });
                if (rest.length() > 0) {
                    b.write(rest);
                }
                socket.pipeTo(b);
                b.pipeTo(socket);
            });
        }

        private void refuse(CosignException e) {
            decided = true;
            vertx.cancelTimer(timer);
            int status = HttpStatuses.of(e.errorCode());
            Integer retryAfter = CosignHttpServer.retryAfter(e, status);
            byte[] body = Json.encode(CosignHttpServer.errorBody(e, retryAfter, null)).getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase() + "\r\n"
                    + "Content-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n"
                    + (retryAfter == null ? "" : "Retry-After: " + retryAfter + "\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            socket.handler(b -> { });
            socket.resume();
            socket.write(Buffer.buffer(head).appendBytes(body));
            // Refused means on its way out: it holds no slot while its answer drains, or a source refused
            // fast enough would fill the node's connection cap with its own refusals.
            release();
            vertx.setTimer(DRAIN_MILLIS, t -> socket.close());
        }

        private void closed() {
            if (closed) {
                return;
            }
            closed = true;
            vertx.cancelTimer(timer);
            release();
            if (backend != null) {
                backend.close();
            }
        }

        private void release() {
            if (released) {
                return;
            }
            released = true;
            open.decrementAndGet();
            if (source != null) {
                openBySource.computeIfPresent(source, (k, v) -> v <= 1 ? null : v - 1);
            }
        }
    }
}
