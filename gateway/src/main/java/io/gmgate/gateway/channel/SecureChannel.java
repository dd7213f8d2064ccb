package io.gmgate.gateway.channel;

import java.util.ArrayDeque;

import io.gmgate.error.GmgateException;
import io.vertx.core.Context;
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
 *
 * <p>The engine belongs to the socket's context (docs/security.md, "Sessions and resumption"): every public method may be
 * called from any thread (an admin disconnect, a listener closing) and runs on that context; the
 * worker that feeds a handshake flight holds the engine alone meanwhile, and a close asked for then
 * waits for it. {@link ConfinedEngine} refuses any other caller (NET-310).
 */
public final class SecureChannel implements ReadStream<Buffer>, WriteStream<Buffer> {

    private final Context context;
    private final NetSocket socket;
    private final ConfinedEngine engine;
    private final ArrayDeque<byte[]> unfed = new ArrayDeque<>();
    private final WholeRecords handshakeBytes = new WholeRecords();
    private boolean closeWanted;
    private final Promise<ChannelEngine.Handshake> handshake = Promise.promise();
    private final Promise<Void> socketClosed = Promise.promise();
    private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean paused;
    private boolean feeding;
    private boolean peerGone;
    private boolean ended;
    private boolean socketPaused;
    private final HandshakeTrace trace;

    private SecureChannel(NetSocket socket, ChannelEngine engine, HandshakeTrace trace) {
        Context current = Vertx.currentContext();
        if (current == null || !Context.isOnEventLoopThread()) {
            throw new IllegalStateException("start a SecureChannel on its socket's event loop (in the connect handler), not on "
                    + Thread.currentThread().getName());
        }
        this.context = current;
        this.socket = socket;
        this.engine = new ConfinedEngine(engine, Thread.currentThread());
        this.trace = trace;
    }

    /**
     * Starts driving {@code engine} over {@code socket}; the future completes when the handshake
     * does (a client engine's first flight is sent at once) and fails with the engine's code. Call it
     * on the socket's context (its connect handler): the engine stays on that context from then on.
     */
    public static SecureChannel start(Vertx vertx, NetSocket socket, ChannelEngine engine) {
        return start(vertx, socket, engine, null);
    }

    /** As {@link #start(Vertx, NetSocket, ChannelEngine)}, with bytes already read from the socket (a sniffed ClientHello). */
    public static SecureChannel start(Vertx vertx, NetSocket socket, ChannelEngine engine, Buffer alreadyRead) {
        return start(vertx, socket, engine, alreadyRead, HandshakeTrace.none());
    }

    /** As above, telling {@code trace} when the handshake's flights come and go (the login trace). */
    public static SecureChannel start(Vertx vertx, NetSocket socket, ChannelEngine engine, Buffer alreadyRead,
                                      HandshakeTrace trace) {
        SecureChannel c = new SecureChannel(socket, engine, trace);
        socket.handler(c::onNetwork);
        socket.closeHandler(v -> c.onSocketClosed());
        socket.exceptionHandler(c::fail);
        c.flush();
        if (alreadyRead != null && alreadyRead.length() > 0) {
            c.onNetwork(alreadyRead);
        }
        return c;
    }

    /** Ends the channel: close_notify, then the socket. Any thread; runs on the socket's context. */
    public void close() {
        onContext(() -> {
            if (feeding) {
                closeWanted = true; // a worker holds the engine: close once its flight is back
                return;
            }
            endHere().onComplete(ar -> socket.close());
        });
    }

    private void onContext(Runnable action) {
        if (engine.isOwner()) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
        if (engine.isOwner()) {
            return action.get();
        }
        Promise<T> p = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(p));
        return p.future();
    }

    public Future<ChannelEngine.Handshake> handshake() {
        return handshake.future();
    }

    public NetSocket socket() {
        return socket;
    }

    private void onNetwork(Buffer data) {
        byte[] read = data.getBytes();
        if (feeding) {
            unfed.add(read); // arrived while a worker holds the engine: fed after it
            return;
        }
        if (!engine.isHandshakeComplete()) {
            byte[] bytes = handshakeBytes.add(read);
            if (bytes == null) {
                return; // the rest of a record is still on its way: one trip to a worker for the whole flight
            }
            trace.bytesIn();
            feeding = true;
            updateFlow();
            engine.handOff();
            context.executeBlocking(() -> {
                engine.claim();
                try {
                    engine.feed(bytes);
                } finally {
                    engine.release();
                }
                return null;
            }, false).onComplete(ar -> {
                engine.takeBack();
                feeding = false;
                if (ar.failed()) {
                    fail(ar.cause());
                } else {
                    afterFeed();
                    updateFlow();
                }
                if (closeWanted) {
                    close();
                } else if (!unfed.isEmpty() && !ended) {
                    onNetwork(Buffer.buffer(unfed.poll()));
                }
                if (peerGone && !feeding) {
                    peerGone = false;
                    onSocketClosed();
                }
            });
            return;
        }
        try {
            engine.feed(read);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        afterFeed();
        if (!unfed.isEmpty() && !ended) {
            onNetwork(Buffer.buffer(unfed.poll()));
        }
    }

    private void afterFeed() {
        flush();
        if (engine.isHandshakeComplete() && !handshake.future().isComplete()) {
            trace.completed();
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
            trace.bytesOut(engine.isHandshakeComplete());
            socket.write(Buffer.buffer(out));
        }
    }

    private void fail(Throwable t) {
        if (!feeding) {
            flush(); // the alert the engine queued
        }
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
        if (feeding) {
            peerGone = true; // the worker may be completing the handshake with the peer's last flight: judge after it
            return;
        }
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
        onContext(() -> exceptionHandler = h);
        return this;
    }

    @Override
    public SecureChannel handler(Handler<Buffer> h) {
        onContext(() -> {
            handler = h;
            deliver();
        });
        return this;
    }

    @Override
    public SecureChannel pause() {
        onContext(() -> {
            paused = true;
            updateFlow();
        });
        return this;
    }

    @Override
    public SecureChannel resume() {
        onContext(() -> {
            paused = false;
            deliver();
            updateFlow();
        });
        return this;
    }

    @Override
    public SecureChannel fetch(long amount) {
        return resume();
    }

    @Override
    public SecureChannel endHandler(Handler<Void> h) {
        onContext(() -> {
            endHandler = h;
            if (ended && h != null) {
                h.handle(null);
            }
        });
        return this;
    }

    // --- WriteStream<Buffer>: plaintext to the peer ---

    /** Any thread; the record is sealed on the socket's context, so sequence numbers never repeat. */
    @Override
    public Future<Void> write(Buffer data) {
        return onContext(() -> writeHere(data));
    }

    private Future<Void> writeHere(Buffer data) {
        if (ended || feeding || engine.isClosed()) {
            return Future.failedFuture("secure channel closed" + (feeding ? " or still in its handshake" : ""));
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
        return onContext(this::endHere);
    }

    private Future<Void> endHere() {
        if (feeding) {
            closeWanted = true;
            return socketClosed.future();
        }
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
