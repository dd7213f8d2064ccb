package io.gmgate.app.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import io.gmgate.gateway.ProxyV2Header;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * A stand-in trading front (交易前置) for the demo: reads the gateway's PROXY v2 header like a real
 * front would, then answers every order line with an acknowledgement naming the account the gateway
 * verified — so the demo shows the identity crossing the gateway, not just bytes.
 */
public final class DemoTradingFront {

    private final Vertx vertx;
    /** The most recent headers only: under load a front sees millions of connections. */
    private static final int KEPT_HEADERS = 256;

    private final java.util.Deque<ProxyV2Header> headers = new java.util.ArrayDeque<>();
    private NetServer server;

    public DemoTradingFront(Vertx vertx) {
        this.vertx = vertx;
    }

    public Future<Integer> listen() {
        server = vertx.createNetServer();
        server.connectHandler(this::serve);
        return server.listen(0, "127.0.0.1").map(NetServer::actualPort);
    }

    /** The PROXY headers of the most recent connections (up to 256), oldest first. */
    public List<ProxyV2Header> headers() {
        synchronized (headers) {
            return List.copyOf(headers);
        }
    }

    private void serve(NetSocket socket) {
        Buffer head = Buffer.buffer();
        ProxyV2Header[] header = new ProxyV2Header[1];
        RecordParser lines = RecordParser.newDelimited("\n", line -> {
            String order = line.toString(StandardCharsets.UTF_8).trim();
            String account = header[0].tlv(ProxyV2Header.TYPE_GMGATE_ACCOUNT).map(ProxyV2Header.Tlv::text).orElse("anonymous");
            socket.write("ACK " + account + " " + order + "\n");
        });
        socket.handler(data -> {
            if (header[0] != null) {
                lines.handle(data);
                return;
            }
            head.appendBuffer(data);
            ByteBuffer view = ByteBuffer.wrap(head.getBytes());
            try {
                Optional<ProxyV2Header> h = ProxyV2Header.parse(view);
                if (h.isPresent()) {
                    header[0] = h.get();
                    synchronized (headers) {
                        if (headers.size() == KEPT_HEADERS) {
                            headers.removeFirst();
                        }
                        headers.addLast(h.get());
                    }
                    if (view.hasRemaining()) {
                        byte[] rest = new byte[view.remaining()];
                        view.get(rest);
                        lines.handle(Buffer.buffer(rest));
                    }
                }
            } catch (RuntimeException e) {
                socket.close(); // not from a gateway: a real front would refuse it too
            }
        });
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
