package io.gmgate.app.demo;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Consumer;

import io.gmgate.proxy.ProxyV2Header;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * How a trading front reads what a gateway relays: the PROXY v2 header first, buffered until it is
 * whole, then every byte after it goes to {@code rest}. Bytes that are not a header close the socket:
 * a front's gateway door takes only what a gateway relays.
 */
public final class ProxyHeaderFirst implements Handler<Buffer> {

    private final NetSocket socket;
    private final Consumer<ProxyV2Header> onHeader;
    private final Handler<Buffer> rest;
    private final Buffer head = Buffer.buffer();
    private boolean seen;

    private ProxyHeaderFirst(NetSocket socket, Consumer<ProxyV2Header> onHeader, Handler<Buffer> rest) {
        this.socket = socket;
        this.onHeader = onHeader;
        this.rest = rest;
    }

    /** Reads {@code socket} this way; {@code onHeader} runs once, before the first byte reaches {@code rest}. */
    public static void install(NetSocket socket, Consumer<ProxyV2Header> onHeader, Handler<Buffer> rest) {
        socket.handler(new ProxyHeaderFirst(socket, onHeader, rest));
    }

    @Override
    public void handle(Buffer data) {
        if (seen) {
            rest.handle(data);
            return;
        }
        head.appendBuffer(data);
        ByteBuffer view = ByteBuffer.wrap(head.getBytes());
        try {
            Optional<ProxyV2Header> h = ProxyV2Header.parse(view);
            if (h.isEmpty()) {
                return;
            }
            seen = true;
            onHeader.accept(h.get());
            if (view.hasRemaining()) {
                byte[] after = new byte[view.remaining()];
                view.get(after);
                rest.handle(Buffer.buffer(after));
            }
        } catch (RuntimeException e) {
            socket.close();
        }
    }
}
