package io.gmgate.perf.cosign;

import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.perf.load.Children;
import io.gmgate.testkit.PgFixture;
import io.gmgate.testkit.PgServer;

/**
 * Co-signing end to end (docs/perf-cosign.md): one cosign node on 127.0.0.1 with the software card,
 * the embedded CA and a PostgreSQL (testkit: embedded PostgreSQL 17, or GMGATE_TEST_PG_URL), and
 * {@code --clients} terminals, each enrolled, co-signing in a closed loop over HTTP. Prints
 * requests/s and p50/p90/p99 latency of the measured window, and CPU per co-sign by process (node, PostgreSQL,
 * clients) and by the node's thread group. The node runs in a child JVM ({@link CosignLoadNode}; {@code --in-process}
 * keeps it in this one, as before 2026-12-07). Everything shares this machine's cores.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.gmgate.perf.cosign.CosignLoad --clients 32 --seconds 20</pre>
 */
public final class CosignLoad {

    private CosignLoad() {
    }

    public static void main(String[] args) throws Exception {
        int clients = intArg(args, "--clients", 32);
        int seconds = intArg(args, "--seconds", 20);
        int warmup = intArg(args, "--warmup", 5);
        int workers = intArg(args, "--workers", 16);
        int pool = intArg(args, "--pool", 24);
        int confirmEvery = intArg(args, "--confirm-every", 5);
        boolean countStatements = java.util.List.of(args).contains("--count-statements");
        // a login's shape: each finished round confirmed on its own /v1/sign/confirm (the loop then counts both requests as one)
        boolean confirmAlone = java.util.List.of(args).contains("--confirm-alone");
        // The embedded server starts with synchronous_commit=off (zonky's default): a commit would not wait for
        // its WAL flush, so "durable before the answer" would cost nothing here. On, as in production, unless asked.
        String syncCommit = java.util.List.of(args).contains("--async-commit") ? "off" : "on";

        // The node runs in a child JVM unless asked otherwise: its CPU, JIT and GC are then its own, not the clients'.
        // Counting statements needs the node's JDBC in this process.
        boolean inProcess = java.util.List.of(args).contains("--in-process") || countStatements;
        String childJvm = stringArg(args, "--child-jvm", "");

        String schema = PgFixture.createSchema("cosign_load");
        int accounts = Math.max(1, clients / 4);
        Path dir = Files.createTempDirectory("cosign-load");
        try (HikariDataSource hikari = new HikariDataSource(CosignLoadNode.pool(PgFixture.dataSource(schema), inProcess ? pool : 1, syncCommit));
             Children children = new Children(dir)) {
            // --count-statements: the node's JDBC goes through a counting proxy (a little slower; for round trips, not speed)
            CountingDataSource counting = new CountingDataSource(hikari);
            javax.sql.DataSource ds = countStatements ? counting : hikari;
            CosignLoadNode inProcessNode = null;
            Process child = null;
            int port;
            if (inProcess) {
                inProcessNode = CosignLoadNode.start(ds, dir, workers, accounts);
                port = inProcessNode.port();
            } else {
                PgServer pg = PgFixture.server();
                List<String> jvm = childJvm.isBlank() ? List.of() : List.of(childJvm.trim().split("\\s+"));
                child = children.start("cosign", jvm, CosignLoadNode.class, dir.toString(), pg.jdbcUrl(), pg.user(), schema,
                        Integer.toString(pool), Integer.toString(workers), syncCommit, Integer.toString(accounts));
                port = children.port("cosign", child, 180);
            }
            System.out.printf("cosign node on 127.0.0.1:%d (%s), %d workers, pool %d, synchronous_commit %s, PostgreSQL %s%n", port,
                    inProcess ? "in this JVM" : "own JVM pid " + child.pid() + ", log " + dir.resolve("cosign.log"), workers, pool,
                    syncCommit, PgFixture.server());

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ExecutorService threads = Executors.newFixedThreadPool(clients);
            List<LoadTerminal> terminals = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                terminals.add(new LoadTerminal(http, port, "load" + (i % accounts), "dev" + i));
            }
            long setup = System.nanoTime();
            List<Future<?>> enrolled = new ArrayList<>();
            for (LoadTerminal t : terminals) {
                enrolled.add(threads.submit(() -> {
                    t.login(CosignLoadNode.PASSWORD);
                    t.enrol();
                }));
            }
            for (Future<?> f : enrolled) {
                f.get();
            }
            System.out.printf("%d terminals logged in and enrolled in %.1f s%n", clients, (System.nanoTime() - setup) / 1e9);

            java.lang.management.ThreadMXBean tmx = java.lang.management.ManagementFactory.getThreadMXBean();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long pgPid = postmaster(PgFixture.server().jdbcUrl());
            long[] cpuAtStart = new long[3];
            System.out.println("PostgreSQL postmaster pid " + pgPid);
            long[] clientCpu = new long[clients];
            long[] db0 = new long[3];
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            AtomicLong errors = new AtomicLong();
            List<Future<long[]>> results = new ArrayList<>();
            for (LoadTerminal t : terminals) {
                final int index = terminals.indexOf(t);
                results.add(threads.submit(() -> {
                    long[] lat = new long[1 << 16];
                    int n = 0;
                    long cpuFrom = -1;
                    for (long i = 0; ; i++) {
                        ClientSigning round = ClientSigning.start(t.signShare, new BigInteger(256, java.util.concurrent.ThreadLocalRandom.current()));
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        if (cpuFrom < 0 && t0 >= measureFrom) {
                            cpuFrom = tmx.getCurrentThreadCpuTime();
                        }
                        try {
                            t.coSign(round, i % confirmEvery == confirmEvery - 1, confirmAlone);
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                            if (errors.get() < 5) {
                                System.out.println("error: " + e.getMessage());
                            }
                            continue;
                        }
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom && n < lat.length) {
                            lat[n++] = t1 - t0;
                        }
                    }
                    clientCpu[index] = cpuFrom < 0 ? 0 : tmx.getCurrentThreadCpuTime() - cpuFrom;
                    return Arrays.copyOf(lat, n);
                }));
            }
            while (System.nanoTime() < measureFrom) {
                Thread.sleep(1);
            }
            cpuAtStart[0] = os.getProcessCpuTime();
            cpuAtStart[1] = treeCpuMillis(pgPid);
            double childCpu0 = child == null ? 0 : Children.cpuSeconds(child);
            java.util.Map<String, Double> childGroups0 = child == null ? java.util.Map.of() : Children.cpuByThreadGroup(child);
            java.util.Map<Long, Long> threadCpu0 = threadCpu(tmx);
            db0[0] = counting.statements.sum();
            db0[1] = counting.commits.sum();
            db0[2] = counting.checkouts.sum();
            while (System.nanoTime() < end) {
                Thread.sleep(1);
            }
            long processCpu = os.getProcessCpuTime() - cpuAtStart[0];
            double childCpu = child == null ? 0 : Children.cpuSeconds(child) - childCpu0;
            java.util.Map<String, Double> childGroups = child == null ? java.util.Map.of() : Children.cpuByThreadGroup(child);
            long[] db = {counting.statements.sum() - db0[0], counting.commits.sum() - db0[1], counting.checkouts.sum() - db0[2]};
            long pgCpuMs = treeCpuMillis(pgPid) - cpuAtStart[1];
            java.util.Map<String, Long> byGroup = new java.util.TreeMap<>();
            for (var e : threadCpu(tmx).entrySet()) {
                java.lang.management.ThreadInfo info = tmx.getThreadInfo(e.getKey());
                if (info != null) {
                    byGroup.merge(group(info.getThreadName()), e.getValue() - threadCpu0.getOrDefault(e.getKey(), 0L), Long::sum);
                }
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : results) {
                all.add(f.get());
            }
            long[] lat = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            System.out.printf("co-signs: %d in %d s = %.0f /s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; errors %d%n",
                    lat.length, seconds, lat.length / (double) seconds, pct(lat, 0.50), pct(lat, 0.90), pct(lat, 0.99),
                    lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6, errors.get());
            double perReq = lat.length == 0 ? 0 : 1.0 / lat.length;
            double serverMs;
            double clientMs;
            if (child == null) {
                long clientNs = byGroup.getOrDefault("load client", 0L) + byGroup.getOrDefault("load client http", 0L);
                long threadsNs = byGroup.values().stream().mapToLong(Long::longValue).sum();
                byGroup.put("JVM (GC, JIT)", processCpu - threadsNs);
                System.out.println("CPU by thread group in the measured window (s): " + byGroup.entrySet().stream()
                        .map(e -> e.getKey() + "=" + String.format("%.2f", e.getValue() / 1e9)).toList());
                serverMs = (processCpu - clientNs) / 1e6 * perReq;
                clientMs = clientNs / 1e6 * perReq;
            } else {
                // the clients are this whole JVM (their JIT and GC included); the node is the child, by /proc thread group
                serverMs = childCpu * 1e3 * perReq;
                clientMs = processCpu / 1e6 * perReq;
                System.out.println("CPU by cosign thread group, ms per co-sign: " + nodeGroups(childGroups0, childGroups, perReq));
            }
            double pgMs = pgCpuMs * perReq;
            System.out.printf("CPU per co-sign: cosign node %.3f ms, PostgreSQL %.3f ms, load clients %.3f ms (node %.1f s, PG %.1f s, clients %.1f s)%n",
                    serverMs, pgMs, clientMs, child == null ? (processCpu / 1e9 - clientMs * lat.length / 1e3) : childCpu, pgCpuMs / 1e3,
                    processCpu / 1e9);
            System.out.printf("capacity on 2 dedicated cores (server + PostgreSQL, no client): %.0f co-signs/s%n",
                    2000.0 / (serverMs + pgMs));
            if (countStatements) {
                // counted over the window, divided by the co-signs finished in it: edges of a second add a little noise
                System.out.printf("PostgreSQL per co-sign: %.2f statements, %.2f commits, %.2f connection checkouts%n",
                        db[0] * perReq, db[1] * perReq, db[2] * perReq);
            }
            System.out.printf("clients %d, confirm every %d%s, Sm2Curve %s%n", clients, confirmEvery,
                    confirmAlone ? " on its own /v1/sign/confirm" : "", Sm2Curve.X9.getCurve().getClass().getSimpleName());
            threads.shutdownNow();
            if (inProcessNode != null) {
                inProcessNode.close();
            }
        } finally {
            PgFixture.dropSchema(schema);
        }
        System.exit(0);
    }

    private static java.util.Map<Long, Long> threadCpu(java.lang.management.ThreadMXBean tmx) {
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        for (long id : tmx.getAllThreadIds()) {
            long t = tmx.getThreadCpuTime(id);
            if (t >= 0) {
                out.put(id, t);
            }
        }
        return out;
    }

    /** The child's thread groups (from /proc: names truncated to 15 characters, digits as #) folded into the node's parts. */
    static String nodeGroups(java.util.Map<String, Double> before, java.util.Map<String, Double> after, double perReq) {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (String g : List.of("workers", "event loops", "audit flusher", "JIT", "GC", "other")) {
            out.put(g, 0.0);
        }
        after.forEach((name, cpu) -> out.merge(nodeGroup(name), cpu - before.getOrDefault(name, 0.0), Double::sum));
        return out.entrySet().stream().map(e -> e.getKey() + " " + String.format("%.3f", e.getValue() * 1e3 * perReq)).toList().toString();
    }

    static String nodeGroup(String thread) {
        if (thread.startsWith("cosign-oplog")) {
            return "audit flusher";
        }
        if (thread.startsWith("cosign-")) {
            return "workers";
        }
        if (thread.startsWith("vert.x-eventloo")) {
            return "event loops";
        }
        if (thread.contains("Compiler")) {
            return "JIT";
        }
        if (thread.startsWith("GC ") || thread.startsWith("G1 ") || thread.equals("VM Thread")) {
            return "GC";
        }
        return "other";
    }

    private static String group(String thread) {
        if (thread.startsWith("pool-")) {
            return "load client";
        }
        if (thread.startsWith("HttpClient")) {
            return "load client http";
        }
        if (thread.startsWith("vert.x-eventloop")) {
            return "cosign event loops";
        }
        if (thread.startsWith("cosign-oplog")) {
            return "cosign audit flusher";
        }
        if (thread.startsWith("cosign-")) {
            return "cosign workers";
        }
        return "other";
    }

    /** The PostgreSQL postmaster listening on the JDBC URL's port (embedded PostgreSQL), or -1. */
    static long postmaster(String jdbcUrl) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\\d+)/").matcher(jdbcUrl);
        if (!m.find()) {
            return -1;
        }
        String port = m.group(1);
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains("postgres")
                && (c.contains("-p " + port) || c.contains("port=" + port))).orElse(false)).mapToLong(ProcessHandle::pid)
                .findFirst().orElse(-1);
    }

    /** utime + stime of a process and its children (the backends), in ms, from /proc. */
    static long treeCpuMillis(long pid) {
        if (pid < 0) {
            return 0;
        }
        long ticks = 0;
        java.util.Optional<ProcessHandle> root = ProcessHandle.of(pid);
        if (root.isEmpty()) {
            return 0;
        }
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root.get());
        root.get().descendants().forEach(all::add);
        for (ProcessHandle h : all) {
            try {
                String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (java.io.IOException | RuntimeException e) {
                // the backend exited between listing and reading
            }
        }
        return ticks * 10; // USER_HZ = 100 on Linux
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    private static String stringArg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    private static int intArg(String[] args, String name, int dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return dflt;
    }
}
