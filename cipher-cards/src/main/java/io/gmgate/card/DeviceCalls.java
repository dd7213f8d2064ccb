package io.gmgate.card;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CipherCardException;

/**
 * Runs one card's device calls on the card's own small set of threads, each with a deadline, so a
 * device that hangs inside its driver (a PKCS#11 or SDF call cannot be interrupted) costs the caller
 * a KEY-151 after the deadline rather than a stuck thread. Calls beyond the threads wait in a bounded
 * queue; past that they fail at once with KEY-153, so a dead device cannot pile up callers.
 *
 * <p>A timed-out call keeps its device thread until the driver returns; while every thread is stuck
 * that way the queue fills and the card answers KEY-153, which readiness reports.
 */
public final class DeviceCalls implements AutoCloseable {

    /** The deadlines and bounds of one card's device calls. */
    public record Limits(Duration deadline, int threads, int queue) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(5), 4, 64);

        public Limits {
            if (deadline.isNegative() || deadline.isZero() || threads < 1 || queue < 1) {
                throw new CipherCardException(CardDeviceErrors.BAD_SETTINGS,
                        "call limits need a positive deadline, threads and queue: " + deadline + ", " + threads + ", " + queue);
            }
        }
    }

    private final String card;
    private final Limits limits;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inflight = new AtomicInteger();

    public DeviceCalls(String card, Limits limits) {
        this.card = card;
        this.limits = limits;
        AtomicInteger threadNumber = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(limits.threads(), limits.threads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queue()), r -> {
                    Thread t = new Thread(r, "gmgate-card-" + card + "-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.pool.allowCoreThreadTimeOut(true);
    }

    public Limits limits() {
        return limits;
    }

    /** Calls submitted and not yet returned by the device (including timed-out ones still stuck). */
    public int inflight() {
        return inflight.get();
    }

    /**
     * Runs {@code work} on a device thread and waits at most the deadline. A {@link CipherCardException}
     * from the work passes through; any other failure goes through {@code translate}, which knows the
     * device's own error codes.
     */
    public <T> T call(String operation, Callable<T> work, Function<Throwable, CipherCardException> translate) {
        Future<T> future;
        // Whoever flips this first owns the call: the device thread runs it, or the timed-out caller
        // withdraws it before it ever started. Either way inflight is decremented exactly once.
        AtomicBoolean claimed = new AtomicBoolean();
        inflight.incrementAndGet();
        try {
            future = pool.submit(() -> {
                if (!claimed.compareAndSet(false, true)) {
                    return null;
                }
                try {
                    return work.call();
                } finally {
                    inflight.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            inflight.decrementAndGet();
            if (pool.isShutdown()) {
                throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY " + card + "] " + operation + ": card is closed");
            }
            throw new CipherCardException(CardDeviceErrors.BUSY, "[KEY " + card + "] " + operation + " refused: "
                    + limits.queue() + " calls already wait for " + limits.threads() + " device threads (inflight=" + inflight.get() + ")");
        }
        try {
            return future.get(limits.deadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (claimed.compareAndSet(false, true)) {
                inflight.decrementAndGet();
            }
            future.cancel(true);
            throw new CipherCardException(CardDeviceErrors.TIMEOUT, "[KEY " + card + "] " + operation + " timed out after "
                    + limits.deadline().toMillis() + "ms (inflight=" + inflight.get() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (claimed.compareAndSet(false, true)) {
                inflight.decrementAndGet();
            }
            future.cancel(true);
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY " + card + "] interrupted while waiting for " + operation);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CipherCardException cce) {
                throw cce;
            }
            throw translate.apply(cause);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
