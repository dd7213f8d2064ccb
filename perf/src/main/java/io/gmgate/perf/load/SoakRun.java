package io.gmgate.perf.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The soak mode: every terminal runs order/cancel round trips through gmgate for a bounded time,
 * reconnecting every {@code reconnect} (staggered; every fourth reconnect forgets its TLCP session, so
 * co-signed full handshakes stay in the mix). One line per interval — rate, p99, errors, reconnects,
 * CPU, heap after a full GC, RSS, the gateway's open connections, this process's descriptors — then a
 * summary and a {@link LeakCheck} of heap, connections and descriptors across intervals. Heap is
 * measured after {@code System.gc()} at each interval's end; that pause shows in the interval's p999.
 */
final class SoakRun {

    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);
    private static final Duration DRAIN = Duration.ofSeconds(60);

    private final List<GatewayLoad.Terminal> terminals;
    private final Duration length;
    private final Duration interval;
    private final Duration reconnect;
    private final LongSupplier openConnections;
    private final Latencies latencies = new Latencies();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    SoakRun(List<GatewayLoad.Terminal> terminals, Duration length, Duration interval, Duration reconnect, LongSupplier openConnections) {
        this.terminals = terminals;
        this.length = length;
        this.interval = interval;
        this.reconnect = reconnect;
        this.openConnections = openConnections;
    }

    /** One interval's end: what the leak checks look at. */
    record Sample(double heapMiB, double connections, double openFiles) {
    }

    /** Runs to the end, prints, and answers whether the run was clean (no leak, no connection left open). */
    boolean run() throws Exception {
        System.out.printf("soak: %d terminals for %d s, a line every %d s, reconnecting every %d s%n", terminals.size(),
                length.toSeconds(), interval.toSeconds(), reconnect.toSeconds());
        ExecutorService pool = Executors.newFixedThreadPool(terminals.size());
        long t0 = System.nanoTime();
        long end = t0 + length.toNanos();
        List<Future<?>> workers = new ArrayList<>();
        for (GatewayLoad.Terminal t : terminals) {
            workers.add(pool.submit(() -> drive(t, end)));
        }
        List<Sample> samples = new ArrayList<>();
        ProcessProbe before = ProcessProbe.now(false);
        long last = t0;
        long failedInAll = 0;
        int intervals = (int) Math.max(1, (length.toNanos() + interval.toNanos() - 1) / interval.toNanos());
        for (int i = 1; i <= intervals; i++) {
            long due = Math.min(end, t0 + i * interval.toNanos());
            TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
            long now = System.nanoTime();
            Latencies.Summary lat = latencies.interval();
            long failed = errors.getAndSet(0);
            failedInAll += failed;
            long reconnected = reconnects.getAndSet(0);
            ProcessProbe cpu = ProcessProbe.now(false);
            ProcessProbe memory = ProcessProbe.now(true);
            long open = openConnections.getAsLong();
            samples.add(new Sample(memory.heapUsedBytes() / 1048576.0, open, memory.openFiles()));
            System.out.printf("[%5d s] %9.1f rt/s  p99 %7.3f ms  p999 %7.3f ms  errors %d  reconnects %d  CPU %.2f cores"
                            + "  heap %s  RSS %s  connections %d  fds %d%s%n",
                    (now - t0) / 1_000_000_000L, lat.count() / ((now - last) / 1e9), lat.p99(), lat.p999(), failed, reconnected,
                    cpu.coresSince(before, now - last), ProcessProbe.mib(memory.heapUsedBytes()), ProcessProbe.mib(memory.rssBytes()),
                    open, memory.openFiles(), failed == 0 ? "" : "  last error: " + lastError.get());
            before = cpu;
            last = now;
        }
        for (Future<?> w : workers) {
            w.get(DRAIN.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        }
        pool.shutdownNow();
        long ran = System.nanoTime() - t0;
        long lingering = lingering();
        return summary(ran, samples, failedInAll, lingering);
    }

    /** One terminal's loop, until {@code end}; each failure is counted and the terminal reconnects. */
    private Void drive(GatewayLoad.Terminal t, long end) throws InterruptedException {
        TradingLine line = null;
        long reconnectAt = 0;
        int connects = 0;
        // staggered, so reconnects spread over the period instead of arriving together
        long firstReconnect = System.nanoTime() + ThreadLocalRandom.current().nextLong(reconnect.toNanos() + 1);
        while (System.nanoTime() < end) {
            try {
                if (line == null || System.nanoTime() >= reconnectAt) {
                    if (line != null) {
                        line.close();
                        line = null;
                        reconnects.incrementAndGet();
                    }
                    if (++connects % 4 == 0) {
                        t.session().forgetSession();
                    }
                    line = TradingLine.overGateway(t.session().connect(), t.account());
                    reconnectAt = connects == 1 ? firstReconnect : System.nanoTime() + reconnect.toNanos();
                }
                GatewayLoad.orderAndCancel(line, latencies);
            } catch (Exception e) {
                errors.incrementAndGet();
                lastError.set(t.account() + ": " + e.getMessage());
                if (line != null) {
                    line.close();
                    line = null;
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(RETRY_PAUSE.toNanos(), Math.max(0, end - System.nanoTime())));
            }
        }
        if (line != null) {
            line.close();
        }
        return null;
    }

    /**
     * Connections the gateway still holds once every terminal has closed, waiting up to {@link #DRAIN}
     * for them to go, and saying how long the last ones took.
     */
    private long lingering() throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + DRAIN.toNanos();
        long open = openConnections.getAsLong();
        long atFirst = open;
        while (open > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
            open = openConnections.getAsLong();
        }
        if (atFirst > 0) {
            System.out.printf("  %d connection(s) open when the last terminal closed; %d left after %.1f s%n", atFirst, open,
                    (System.nanoTime() - t0) / 1e9);
        }
        return open;
    }

    private boolean summary(long nanos, List<Sample> samples, long failed, long lingering) {
        Latencies.Summary all = latencies.total();
        System.out.printf("soak summary: %d round trips in %d s = %.1f rt/s (%.1f order+cancel pairs/s), p50 %.3f ms, p99 %.3f ms,"
                        + " p999 %.3f ms, max %.1f ms, %d errors%n", all.count(), nanos / 1_000_000_000L, all.count() / (nanos / 1e9),
                all.count() / 2 / (nanos / 1e9), all.p50(), all.p99(), all.p999(), all.max(), failed);
        List<LeakCheck.Finding> findings = List.of(
                new LeakCheck("heap after GC (MiB)", 8).judge(samples.stream().map(Sample::heapMiB).toList()),
                new LeakCheck("gateway trading connections open", 2).judge(samples.stream().map(Sample::connections).toList()),
                new LeakCheck("file descriptors", 8).judge(samples.stream().map(Sample::openFiles).toList()));
        findings.forEach(f -> System.out.println("  " + f));
        System.out.println("  connections still open after every terminal closed: " + lingering
                + (lingering == 0 ? "" : " — LEAK? the gateway did not release them within " + DRAIN.toSeconds() + " s"));
        boolean clean = lingering == 0 && findings.stream().noneMatch(f -> f.verdict() == LeakCheck.Verdict.GROWING);
        System.out.println(clean ? "soak: no leak seen" : "soak: LEAK SUSPECTED (see above)");
        return clean;
    }
}
