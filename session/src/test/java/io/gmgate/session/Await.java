package io.gmgate.session;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.vertx.core.Future;

/** Bounded waits for tests: poll a condition until a generous deadline; report how long it took (no timed assertions). */
final class Await {

    private Await() {
    }

    static long until(String what, BooleanSupplier condition, Duration deadline) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + " did not happen within " + deadline);
            }
            Thread.sleep(10);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    static <T> T result(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Every node leaves at once (each graceful leave takes seconds; one after another they add up). */
    static void leaveAll(java.util.List<ClusterNode> nodes) {
        try {
            Future.join(nodes.stream().map(ClusterNode::leave).toList()).toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("nodes did not all leave cleanly: " + e);
        }
        nodes.clear();
    }
}
