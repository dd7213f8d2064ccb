package io.gmgate.gateway.channel;

import java.util.ArrayDeque;

import io.gmgate.error.GmgateException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * A {@link ChannelEngine} driven over a Vert.x {@link NetSocket}, seen from above as a stream of
 * plaintext both ways.
 *
 * <p>Handshake bytes are fed to the engine on a worker thread, with the socket paused meanwhile,
 * so the SM2 work of a handshake (or a slow cipher card) never holds an event loop; established
 * connections decrypt on the event loop. Back-pressure passes straight through: pausing this
 * stream pauses the socket; this stream's write queue is the socket's.
 */
public final class SecureChannel implements ReadStream<Buffer>, WriteStream<Buffer> {

    private final Vertx vertx;
    private final NetSocket socket;
    private final ChannelEngine engine;
    private final Promise<ChannelEngine.Handshake> handshake = Promise.promise();
    private final Promise<Void> socketClosed = Promise.promise();
    private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean paused;
    private boolean feeding;
    private boolean ended;
    private boolean socketPaused;

    private SecureChannel(Vertx vertx, NetSocket socket, ChannelEngine engine) {
        this.vertx = vertx;
        this.socket = socket;
        this.engine = engine;
    }

    /**
     * Starts driving {@code engine} over {@code socket}; the future completes when the handshake
     * does (a client engine's first flight is sent at once) and fails with the engine's code.
     */
    public static SecureChannel start(Vertx vertx, NetSocket socket, ChannelEngine engine) {
        return start(vertx, socket, engine, null);
    }

    /** As {@link #start(Vertx, NetSocket, ChannelEngine)}, with bytes already read from the socket (a sniffed ClientHello). */
    public static SecureChannel start(Vertx vertx, NetSocket socket, ChannelEngine engine, Buffer alreadyRead) {
        SecureChannel c = new SecureChannel(vertx, socket, engine);
        socket.handler(c::onNetwork);
        socket.closeHandler(v -> c.onSocketClosed());
        socket.exceptionHandler(c::fail);
        c.flush();
        if (alreadyRead != null && alreadyRead.length() > 0) {
            c.onNetwork(alreadyRead);
        }
        return c;
    }

    /** Ends the channel: close_notify, then the socket. */
    public void close() {
        end().onComplete(ar -> socket.close());
    }

    public Future<ChannelEngine.Handshake> handshake() {
        return handshake.future();
    }

    public NetSocket socket() {
        return socket;
    }

    private void onNetwork(Buffer data) {
        byte[] bytes = data.getBytes();
        if (!engine.isHandshakeComplete()) {
            feeding = true;
            updateFlow();
            vertx.executeBlocking(() -> {
                engine.feed(bytes);
                return null;
            }, false).onComplete(ar -> {
                feeding = false;
                if (ar.failed()) {
                    fail(ar.cause());
                    return;
                }
                afterFeed();
                updateFlow();
            });
            return;
        }
        try {
            engine.feed(bytes);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        afterFeed();
    }

    private void afterFeed() {
        flush();
        if (engine.isHandshakeComplete() && !handshake.future().isComplete()) {
            handshake.tryComplete(engine.handshake());
        }
        byte[] app = engine.readApplicationData();
        if (app.length > 0) {
            pending.add(Buffer.buffer(app));
        }
        deliver();
        if (engine.isClosed()) {
            end(true);
        }
    }

    /**
     * The socket reads while the handshake needs bytes (and no worker is busy with the last ones),
     * or afterwards while the reader of plaintext is not paused.
     */
    private void updateFlow() {
        boolean read = !ended && !feeding && (!engine.isHandshakeComplete() || !paused);
        if (read && socketPaused) {
            socketPaused = false;
            socket.resume();
        } else if (!read && !socketPaused) {
            socketPaused = true;
            socket.pause();
        }
    }

    private void deliver() {
        while (!paused && handler != null && !pending.isEmpty()) {
            handler.handle(pending.poll());
        }
    }

    private void flush() {
        byte[] out = engine.takeOutput();
        if (out.length > 0) {
            socket.write(Buffer.buffer(out));
        }
    }

    private void fail(Throwable t) {
        flush(); // the alert the engine queued
        if (!handshake.future().isComplete()) {
            handshake.tryFail(t);
        } else if (exceptionHandler != null) {
            exceptionHandler.handle(t);
        }
        end(true);
    }

    /** Completes when the underlying socket has closed, whoever closed it. */
    public Future<Void> closed() {
        return socketClosed.future();
    }

    private void onSocketClosed() {
        socketClosed.tryComplete();
        if (!handshake.future().isComplete()) {
            handshake.tryFail(new java.io.IOException("peer closed the connection during the handshake"));
        }
        end(false);
    }

    private void end(boolean closeSocket) {
        if (ended) {
            return;
        }
        ended = true;
        deliver();
        if (closeSocket) {
            socket.close();
        }
        if (endHandler != null) {
            endHandler.handle(null);
        }
    }

    /** The code of a failed handshake, or null when the failure carried none. */
    public static String codeOf(Throwable t) {
        return t instanceof GmgateException g ? g.errorCode().code() : null;
    }

    // --- ReadStream<Buffer>: plaintext from the peer ---

    @Override
    public SecureChannel exceptionHandler(Handler<Throwable> h) {
        exceptionHandler = h;
        return this;
    }

    @Override
    public SecureChannel handler(Handler<Buffer> h) {
        handler = h;
        deliver();
        return this;
    }

    @Override
    public SecureChannel pause() {
        paused = true;
        updateFlow();
        return this;
    }

    @Override
    public SecureChannel resume() {
        paused = false;
        deliver();
        updateFlow();
        return this;
    }

    @Override
    public SecureChannel fetch(long amount) {
        return resume();
    }

    @Override
    public SecureChannel endHandler(Handler<Void> h) {
        endHandler = h;
        if (ended && h != null) {
            h.handle(null);
        }
        return this;
    }

    // --- WriteStream<Buffer>: plaintext to the peer ---

    @Override
    public Future<Void> write(Buffer data) {
        if (ended || engine.isClosed()) {
            return Future.failedFuture("secure channel closed");
        }
        try {
            engine.writeApplicationData(data.getBytes());
        } catch (RuntimeException e) {
            fail(e);
            return Future.failedFuture(e);
        }
        byte[] out = engine.takeOutput();
        return socket.write(Buffer.buffer(out));
    }

    @Override
    public Future<Void> end() {
        if (!engine.isClosed()) {
            engine.closeOutbound();
            flush();
        }
        return socket.end();
    }

    @Override
    public SecureChannel setWriteQueueMaxSize(int maxSize) {
        socket.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    @Override
    public SecureChannel drainHandler(Handler<Void> h) {
        socket.drainHandler(h);
        return this;
    }
}
