package io.gmgate.gateway;

import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * Moves bytes both ways between a terminal and a trading front with back-pressure: when one side's
 * write queue is full the other side's reads pause until it drains. Either side ending or failing
 * ends the other. Counts bytes for the online-terminal registry.
 */
public final class Relay {

    private final LongAdder bytesUp = new LongAdder();
    private final LongAdder bytesDown = new LongAdder();
    private final Promise<Void> done = Promise.promise();

    private Relay() {
    }

    /**
     * Joins terminal and front; the returned relay's {@link #done()} completes when both directions
     * have ended. The caller closes the underlying sockets in {@code onEnd}.
     */
    public static Relay splice(ReadStream<Buffer> terminalIn, WriteStream<Buffer> terminalOut,
                               ReadStream<Buffer> frontIn, WriteStream<Buffer> frontOut, Runnable onEnd) {
        Relay relay = new Relay();
        Runnable finish = () -> {
            if (relay.done.tryComplete()) {
                onEnd.run();
            }
        };
        relay.pump(terminalIn, frontOut, relay.bytesUp, finish);
        relay.pump(frontIn, terminalOut, relay.bytesDown, finish);
        return relay;
    }

    private void pump(ReadStream<Buffer> in, WriteStream<Buffer> out, LongAdder counter, Runnable finish) {
        in.handler(buf -> {
            counter.add(buf.length());
            out.write(buf);
            if (out.writeQueueFull()) {
                in.pause();
                out.drainHandler(v -> in.resume());
            }
        });
        in.endHandler(v -> finish.run());
        in.exceptionHandler(e -> finish.run());
        out.exceptionHandler(e -> finish.run());
        in.resume();
    }

    public long bytesUp() {
        return bytesUp.sum();
    }

    public long bytesDown() {
        return bytesDown.sum();
    }

    public Future<Void> done() {
        return done.future();
    }
}
