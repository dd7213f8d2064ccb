package io.gmgate.session;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

import com.hazelcast.internal.util.ConcurrencyUtil;

/**
 * Where Hazelcast runs the completions of its asynchronous calls. Its default is the common
 * fork-join pool, except when that pool has a single thread — on a machine or container with two
 * cores or fewer — where it starts a new thread for every completion: three per relayed connection
 * in the gateway (the online registry's write, its delete, and the future each wraps). This gives
 * such nodes a small pool of their own instead; elsewhere Hazelcast's default stays.
 */
final class HazelcastCompletions {

    private static final int THREADS = 2;
    private static final AtomicInteger NEXT = new AtomicInteger();

    private HazelcastCompletions() {
    }

    static synchronized void install() {
        if (ForkJoinPool.getCommonPoolParallelism() > 1 || ConcurrencyUtil.getDefaultAsyncExecutor() instanceof ForkJoinPool) {
            return;
        }
        ConcurrencyUtil.setDefaultAsyncExecutor(new ForkJoinPool(THREADS, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("hz-completion-" + NEXT.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, null, true));
    }
}
