package io.gmgate.perf.load;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.gmgate.crypto.GmPem;
import io.gmgate.perf.tlcp.PerfPki;
import io.gmgate.session.AccessMode;
import io.gmgate.tlcp.CipherSuite;
import io.gmgate.tlcp.EcdheEncoding;
import io.gmgate.tlcp.RevocationCheck;
import io.gmgate.tlcp.TlcpClientConfig;
import io.gmgate.tlcp.X509CertificatePolicy;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * Full TLCP handshakes per second through a real gateway node (docs/perf-gateway.md). The node
 * ({@link GatewayNodeMain}) and the trading front ({@link FrontMain}) run as separate processes, so
 * the figure charged to the gateway is its own process CPU, read from /proc around the measured
 * phase. C client threads in this process each loop: connect from one of 4,000 loopback source
 * addresses (127.1.x.y — the node keeps its default per-address admission limits, 20 handshakes/s
 * per address), run a full handshake (no resumption), close with close_notify. Client certificates
 * are whole-key certificates of an external CA the node trusts without key records, so no
 * co-signing is measured here (GatewayLoad measures the co-signed path).
 *
 * <pre>java -cp perf/target/benchmarks.jar io.gmgate.perf.load.HandshakeLoad MODE THREADS SECONDS [WARMUP_SECONDS]</pre>
 * MODE: {@code ecc-oneway}, {@code ecc-twoway} (ECC_SM4_GCM_SM3, gateway keys in the software card)
 * or {@code ecdhe-twoway} (ECDHE_SM4_GCM_SM3, gateway keys in memory, which ECDHE needs; GM/T 0024
 * ECDHE always authenticates the client). {@code -Dsuite=ECC_SM4_CBC_SM3} picks another suite,
 * {@code -Dkeys=memory} whole gateway keys for ECC too, {@code -Dgateway.jvm="-Xmx1g ..."} the
 * node's JVM options (e.g. a JFR recording).
 */
public final class HandshakeLoad {

    private static final int SOURCES = 4_000;

    private HandshakeLoad() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int threads = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        if (threads < 1 || threads > 512 || seconds < 1 || seconds > 3600 || warmup < 0 || warmup > 3600) {
            throw new IllegalArgumentException("THREADS 1..512, SECONDS 1..3600, WARMUP 0..3600");
        }
        boolean twoWay = mode.endsWith("twoway");
        boolean ecdhe = mode.startsWith("ecdhe");
        CipherSuite suite = CipherSuite.valueOf(System.getProperty("suite", ecdhe ? "ECDHE_SM4_GCM_SM3" : "ECC_SM4_GCM_SM3"));
        String keys = System.getProperty("keys", ecdhe ? "memory" : "card");
        Path dir = Files.createTempDirectory("gmgate-hsload");
        PerfPki pki = new PerfPki();
        pki.writeClient(dir);
        try (Children children = new Children(dir)) {
            Process front = children.start("front", List.of("-Xmx256m", "-XX:+UseSerialGC"), FrontMain.class, dir.toString(), "front");
            int frontPort = children.port("front", front, 60);
            List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
            String extra = System.getProperty("gateway.jvm", "");
            if (!extra.isBlank()) {
                jvm.addAll(Arrays.asList(extra.trim().split("\\s+")));
            }
            Process node = children.start("gw0", jvm, GatewayNodeMain.class, dir.toString(), "gw0", Integer.toString(frontPort),
                    "17901", keys, twoWay ? AccessMode.NORMAL.name() : AccessMode.ONE_WAY.name());
            int port = children.port("gw0", node, 180);
            TlcpClientConfig config = new TlcpClientConfig(List.of(suite), twoWay ? Optional.of(pki.client) : Optional.empty(),
                    new X509CertificatePolicy(GmPem.certificatesFromPem(Files.readString(dir.resolve("gw0-root.pem"))),
                            RevocationCheck.NONE, true), Optional.empty(), EcdheEncoding.BARE, Clock.systemUTC(), new SecureRandom());
            System.out.printf("%s %s, gateway keys in %s, %d client threads, %d cores, load average %s%n", mode, suite, keys,
                    threads, Runtime.getRuntime().availableProcessors(), loadAverage());
            if (warmup > 0) {
                Phase w = run(config, port, threads, warmup, node);
                System.out.printf("warm-up: %d handshakes in %d s%n", w.count, warmup);
            }
            // what the node burns with no load (cluster heartbeats, mode refresh, front probes, GC), so the
            // per-handshake figure can be given without it: at low rates it would dominate
            double i0 = Children.cpuSeconds(node);
            Thread.sleep(10_000);
            double idle = (Children.cpuSeconds(node) - i0) / 10;
            java.util.Map<String, Double> byThread0 = Children.cpuByThreadGroup(node);
            java.util.Map<String, Double> kernel0 = Children.systemByThreadGroup(node);
            double sys0 = Children.systemSeconds(node);
            Phase p = run(config, port, threads, seconds, node);
            java.util.Map<String, Double> byThread = Children.cpuByThreadGroup(node);
            java.util.Map<String, Double> kernel = Children.systemByThreadGroup(node);
            double sys = Children.systemSeconds(node) - sys0;
            double rate = p.count / p.seconds;
            System.out.printf("%s: %.0f handshakes/s  p50 %.2f ms  p99 %.2f ms  failures %d%n", mode, rate, p.percentile(50),
                    p.percentile(99), p.failures);
            System.out.printf("  gateway process CPU %.2f cores = %.3f ms/handshake (%.0f handshakes/s per core); front %.2f cores;"
                            + " client %.2f cores; load average %s%n", p.gatewayCpu / p.seconds, 1000 * p.gatewayCpu / p.count,
                    p.count / p.gatewayCpu, p.frontCpu / p.seconds, p.clientCpu / p.seconds, loadAverage());
            double marginal = p.gatewayCpu / p.seconds - idle;
            System.out.printf("  gateway idle %.3f cores; without it %.3f ms CPU/handshake, i.e. %.0f handshakes/s on 2 cores%n", idle,
                    1000 * marginal / rate, 2 * rate / marginal);
            System.out.printf("  gateway CPU by thread group, ms per handshake (kernel time %.3f of it in all), (kernel part):%n",
                    1000 * sys / p.count);
            byThread.entrySet().stream()
                    .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - byThread0.getOrDefault(e.getKey(), 0.0)))
                    .filter(e -> e.getValue() > 0).sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                    .forEach(e -> System.out.printf("    %-40s %.3f (%.3f)%n", e.getKey(), 1000 * e.getValue() / p.count,
                            1000 * (kernel.getOrDefault(e.getKey(), 0.0) - kernel0.getOrDefault(e.getKey(), 0.0)) / p.count));
            double ended = p.gatewayCpu - byThread.values().stream().mapToDouble(Double::doubleValue).sum()
                    + byThread0.values().stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf("    %-40s %.3f%n", "(threads that ended in the window)", 1000 * Math.max(0, ended) / p.count);
            p.errors.forEach((e, n) -> System.out.println("  failure x" + n + ": " + e));
        }
    }

    record Phase(long count, double seconds, long[] nanos, long failures, double gatewayCpu, double frontCpu, double clientCpu,
                 java.util.Map<String, Integer> errors) {
        double percentile(int p) {
            return nanos.length == 0 ? 0 : nanos[Math.min(nanos.length - 1, (int) Math.ceil(p / 100.0 * nanos.length) - 1)] / 1e6;
        }
    }

    private static Phase run(TlcpClientConfig config, int port, int threads, int seconds, Process node) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        java.util.Map<String, Integer> errors = new ConcurrentHashMap<>();
        long[][] samples = new long[threads][];
        int[] counts = new int[threads];
        double g0 = Children.cpuSeconds(node);
        double f0 = frontCpu(node);
        long c0 = clientCpu();
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        InetAddress target = InetAddress.getLoopbackAddress();
        for (int i = 0; i < threads; i++) {
            int me = i;
            samples[i] = new long[Math.min(4_000_000, 5_000 * seconds)];
            Thread w = new Thread(() -> {
                while (System.nanoTime() < end && counts[me] < samples[me].length) {
                    int k = Math.floorMod(next.getAndIncrement(), SOURCES);
                    long t = System.nanoTime();
                    try (Socket s = new Socket()) {
                        s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 1, (byte) (k / 250), (byte) (1 + k % 250)}), 0));
                        s.connect(new InetSocketAddress(target, port), 5_000);
                        s.setSoTimeout(10_000);
                        s.setTcpNoDelay(true);
                        TlcpSocket.client(s, config).handshake().close();
                        samples[me][counts[me]++] = System.nanoTime() - t;
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        errors.merge(String.valueOf(e.getMessage()), 1, Integer::sum);
                    }
                }
            }, "handshake-" + i);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        double took = (System.nanoTime() - t0) / 1e9;
        double gatewayCpu = Children.cpuSeconds(node) - g0;
        double frontCpu = frontCpu(node) - f0;
        double clientCpu = (clientCpu() - c0) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < threads; i++) {
            System.arraycopy(samples[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return new Phase(total, took, all, failures.get(), gatewayCpu, frontCpu, clientCpu, errors);
    }

    /** The front is the node's sibling: the other child of this process. */
    private static double frontCpu(Process node) throws Exception {
        double sum = 0;
        for (ProcessHandle h : ProcessHandle.current().children().toList()) {
            if (h.pid() != node.pid()) {
                String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
            }
        }
        return sum;
    }

    private static long clientCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
