package io.gmgate.perf.load;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.gmgate.error.GmgateException;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * One measured window of {@link LoginStorm}: {@code logins} logins started on an open-loop
 * schedule at {@code rate} per second (login i at i/rate), terminals taken in turn, each a full
 * co-signed two-way handshake (its session forgotten first) followed by the front's LOGIN and one
 * ORDER → ACK. Latency runs from a login's scheduled start, so a generator or server that falls
 * behind shows in it; "service" latency runs from the moment a worker took the login. CPU is read
 * per process around the window. Before it, every terminal it uses refreshes its cosign nonce.
 */
final class StormWindow {

    /** Per-process CPU seconds over the window. */
    record Cpu(double gateway, double cosign, double front, double postgres, double generator) {
        double total() {
            return gateway + cosign + front + postgres + generator;
        }
    }

    /** What a window gave. */
    record Result(long logins, long ok, Map<String, Long> failures, Map<String, String> samples, Latencies.Summary latency,
                  Latencies.Summary service, double seconds, Cpu cpu, Map<String, Double> gatewayThreads, Map<String, Double> cosignThreads) {
        double rate() {
            return ok / seconds;
        }

        boolean allOk() {
            return ok == logins;
        }
    }

    private StormWindow() {
    }

    /** {@code atStart} runs just before the clock starts (after the nonces are refreshed): arming the phase timers. */
    static Result run(StormSite site, List<StormTerminals.Terminal> terminals, int offset, long logins, double rate, int threads,
                      Runnable atStart) throws Exception {
        Latencies latency = new Latencies();
        Latencies service = new Latencies();
        AtomicLong ok = new AtomicLong();
        Map<String, Long> failures = new ConcurrentHashMap<>();
        Map<String, String> samples = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        freshNonces(terminals, offset, logins, pool);
        Snapshot before = Snapshot.take(site);
        atStart.run();
        long interval = (long) (1e9 / rate);
        long t0 = System.nanoTime();
        try {
            for (long i = 0; i < logins; i++) {
                long due = t0 + i * interval;
                for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                    LockSupport.parkNanos(Math.min(due - now, 1_000_000));
                }
                StormTerminals.Terminal t = terminals.get((int) ((offset + i) % terminals.size()));
                pool.execute(() -> {
                    long started = System.nanoTime();
                    try {
                        loginOnce(t);
                        long end = System.nanoTime();
                        latency.record(end - due);
                        service.record(end - started);
                        ok.incrementAndGet();
                    } catch (Exception | Error e) {
                        String code = code(e);
                        failures.merge(code, 1L, Long::sum);
                        samples.putIfAbsent(code, t.account() + ": " + e);
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        long allowed = TimeUnit.SECONDS.toNanos(120) + logins * interval;
        if (!pool.awaitTermination(allowed, TimeUnit.NANOSECONDS)) {
            pool.shutdownNow();
            failures.merge("UNFINISHED", logins - ok.get() - failures.values().stream().mapToLong(Long::longValue).sum(), Long::sum);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Snapshot after = Snapshot.take(site);
        return new Result(logins, ok.get(), new TreeMap<>(failures), new TreeMap<>(samples), latency.interval(), service.interval(),
                seconds, after.minus(before), delta(before.gatewayThreads, after.gatewayThreads),
                delta(before.cosignThreads, after.cosignThreads));
    }

    /**
     * Before the clock: each terminal the window will use makes one cosign exchange (status), so it
     * holds a fresh nonce, as a terminal that has just opened its cosign session does. A nonce lives
     * 120 s (cosign API §2) and the SDK does not fetch another before co-signing, so a terminal
     * enrolled longer ago would fail its first co-signature with COSIGN-114 (docs/perf-login.md).
     */
    private static void freshNonces(List<StormTerminals.Terminal> terminals, int offset, long logins, ExecutorService pool)
            throws Exception {
        List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
        for (long i = 0; i < Math.min(logins, terminals.size()); i++) {
            StormTerminals.Terminal t = terminals.get((int) ((offset + i) % terminals.size()));
            fs.add(pool.submit(() -> {
                try {
                    return t.session().status();
                } catch (io.gmgate.sdk.CosignException stale) {
                    return t.session().status(); // an expired nonce is refused without a new one: the client fetched one (§2)
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        for (var f : fs) {
            f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** A full co-signed login and one order: what a terminal does at market open. */
    static void loginOnce(StormTerminals.Terminal t) throws Exception {
        t.session().forgetSession();
        TlcpSocket channel = t.session().connect();
        try {
            TradingLine line = TradingLine.overGateway(channel, t.account());
            line.order(GatewayLoad.INSTRUMENT, true, 1, "3500");
        } finally {
            channel.close();
        }
    }

    /** The error code of a failure (the first coded cause), else its exception type. */
    static String code(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof GmgateException g) {
                return g.errorCode().code();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new TreeMap<>();
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0.0)));
        return out;
    }

    private record Snapshot(double gateway, double cosign, double front, double postgres, double generator,
                            Map<String, Double> gatewayThreads, Map<String, Double> cosignThreads) {
        static Snapshot take(StormSite site) throws java.io.IOException {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new Snapshot(Children.cpuSeconds(site.gateway), Children.cpuSeconds(site.cosign), Children.cpuSeconds(site.front),
                    site.postgresCpuSeconds(), os.getProcessCpuTime() / 1e9, Children.cpuByThreadGroup(site.gateway),
                    Children.cpuByThreadGroup(site.cosign));
        }

        Cpu minus(Snapshot b) {
            return new Cpu(gateway - b.gateway, cosign - b.cosign, front - b.front, postgres - b.postgres, generator - b.generator);
        }
    }
}
