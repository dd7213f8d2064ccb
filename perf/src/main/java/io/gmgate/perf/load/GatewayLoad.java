package io.gmgate.perf.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.gateway.ProxyV2Header;
import io.gmgate.gateway.VerifiedPeer;
import io.gmgate.sdk.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * Load through the whole path (issue 8): a demo site on 127.0.0.1, N simulated terminals enrolled
 * through the SDK, then three timed phases — full two-way handshakes (each with its co-signed
 * CertificateVerify), resumed handshakes, and order/ack round trips over established channels —
 * and the same order flow sent straight to the trading front, side by side, for the latency the
 * gateway adds (seed 003 §7.1.3). Every phase is bounded by its duration.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.gmgate.perf.load.GatewayLoad [terminals] [seconds-per-phase]</pre>
 */
public final class GatewayLoad {

    private GatewayLoad() {
    }

    public static void main(String[] args) throws Exception {
        int terminals = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Duration phase = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        System.out.printf("gmgate load: %d terminals, %d s per phase, %d cores%n", terminals, phase.toSeconds(),
                Runtime.getRuntime().availableProcessors());
        try (DemoSite site = new DemoSite()) {
            List<GmgateClient.Session> sessions = new ArrayList<>();
            for (int i = 0; i < terminals; i++) {
                String account = "90" + String.format("%05d", i);
                site.addTrader(account, ("load-Passw0rd-" + i).toCharArray());
                GmgateClient c = new GmgateClient(new GmgateClient.Options(
                        List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                        List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()),
                        site.directory().resolve("load-" + i), Duration.ofSeconds(3), Duration.ofSeconds(20), 1_000));
                c.enroll(account, ("load-Passw0rd-" + i).toCharArray(), "load", "123456".toCharArray());
                sessions.add(c.login(("load-Passw0rd-" + i).toCharArray(), "123456".toCharArray()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(terminals);
            report("full handshakes (two-way, co-signed)", run(pool, sessions, phase, s -> {
                s.forgetSession();
                s.connect().close();
            }));
            report("resumed handshakes", run(pool, sessions, phase, s -> s.connect().close()));
            List<TlcpSocket> channels = new ArrayList<>();
            List<Channel> viaChannels = new ArrayList<>();
            for (int i = 0; i < sessions.size(); i++) {
                TlcpSocket s = sessions.get(i).connect();
                channels.add(s);
                viaChannels.add(Channel.of(s).login("90" + String.format("%05d", i)));
            }
            Result viaGateway = orders(pool, viaChannels, phase);
            report("orders through gmgate", viaGateway);
            List<Channel> direct = new ArrayList<>();
            for (int i = 0; i < terminals; i++) {
                direct.add(Channel.direct(site.frontPort()).login("91" + String.format("%05d", i)));
            }
            Result straight = orders(pool, direct, phase);
            report("orders straight to the front", straight);
            System.out.printf("latency added by gmgate: p50 %.3f ms, p99 %.3f ms%n", (viaGateway.p(50) - straight.p(50)) / 1e6,
                    (viaGateway.p(99) - straight.p(99)) / 1e6);
            for (TlcpSocket c : channels) {
                c.close();
            }
            pool.shutdownNow();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            System.out.printf("process CPU %.1f s, heap used %d MiB%n", os.getProcessCpuTime() / 1e9,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        }
    }

    @FunctionalInterface
    interface Step {
        void run(GmgateClient.Session s) throws Exception;
    }

    /** One measured phase: count and latency samples (ns). */
    record Result(long count, Duration took, long[] samples, long cpuNanos) {
        double p(int percentile) {
            if (samples.length == 0) {
                return 0;
            }
            return samples[Math.min(samples.length - 1, (int) Math.ceil(percentile / 100.0 * samples.length) - 1)];
        }

        double p999() {
            return samples.length == 0 ? 0 : samples[Math.min(samples.length - 1, (int) Math.ceil(0.999 * samples.length) - 1)];
        }
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Result run(ExecutorService pool, List<GmgateClient.Session> sessions, Duration phase, Step step) throws Exception {
        ConcurrentLinkedQueue<Long> lat = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + phase.toNanos();
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (GmgateClient.Session s : sessions) {
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    try {
                        step.run(s);
                        lat.add(System.nanoTime() - t);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        if (errors.get() > 0) {
            System.out.println("  (" + errors.get() + " failed attempts)");
        }
        long[] samples = lat.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(samples.length, Duration.ofNanos(System.nanoTime() - t0), samples, cpu() - cpu0);
    }

    /** A request/response line channel: through gmgate (TLCP) or straight to the front (PROXY header, plain). */
    record Channel(OutputStream out, BufferedReader in, AutoCloseable closer) {
        /** The front serves a connection only after LOGIN (the demo front's protocol). */
        Channel login(String account) throws java.io.IOException {
            out.write(("LOGIN " + account + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String ok = in.readLine();
            if (!("OK LOGIN " + account).equals(ok)) {
                throw new IllegalStateException("the front refused LOGIN " + account + ": " + ok);
            }
            return this;
        }

        static Channel of(TlcpSocket s) {
            return new Channel(s.getOutputStream(), new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII)), s);
        }

        static Channel direct(int port) throws Exception {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 3000);
            s.setTcpNoDelay(true);
            s.getOutputStream().write(ProxyV2Header.of(VerifiedPeer.plain(new InetSocketAddress("127.0.0.1", 1),
                    new InetSocketAddress("127.0.0.1", port), "DIRECT")).encode());
            return new Channel(s.getOutputStream(), new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII)), s);
        }
    }

    private static Result orders(ExecutorService pool, List<Channel> channels, Duration phase) throws Exception {
        ConcurrentLinkedQueue<Long> lat = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + phase.toNanos();
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (Channel c : channels) {
            fs.add(pool.submit(() -> {
                // a MARKET order is answered ACK then FILL and leaves no open order behind in the front
                byte[] order = "ORDER c rb2605 BUY 1 MARKET\n".getBytes(StandardCharsets.US_ASCII);
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    c.out().write(order);
                    c.out().flush();
                    if (c.in().readLine() == null || c.in().readLine() == null) {
                        break;
                    }
                    lat.add(System.nanoTime() - t);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        long[] samples = lat.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(samples.length, Duration.ofNanos(System.nanoTime() - t0), samples, cpu() - cpu0);
    }

    private static void report(String what, Result r) {
        double seconds = r.took().toNanos() / 1e9;
        System.out.printf("%-40s %8.1f /s   p50 %7.3f ms  p99 %7.3f ms  p999 %7.3f ms   CPU %.2f cores%n", what,
                r.count() / seconds, r.p(50) / 1e6, r.p(99) / 1e6, r.p999() / 1e6, r.cpuNanos() / 1e9 / seconds);
    }
}
