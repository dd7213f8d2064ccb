package io.gmgate.perf.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.GmgateClient;
import io.micrometer.core.instrument.Gauge;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load through the whole path (docs/perf.md): a demo site on 127.0.0.1, N simulated terminals enrolled
 * through the SDK, then timed phases — full two-way handshakes (each with its co-signed
 * CertificateVerify), resumed handshakes, and order/cancel round trips over established channels —
 * and the same order flow sent straight to the trading front, side by side, for the latency the
 * gateway adds. With {@code --soak} it runs the order flow for a bounded time
 * instead, terminals reconnecting, and reports leaks (see {@link SoakRun}). Every phase is bounded.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.gmgate.perf.load.GatewayLoad --terminals 8 --phase 10s
 * java -cp perf/target/benchmarks.jar io.gmgate.perf.load.GatewayLoad --terminals 8 --soak 5m --interval 30s</pre>
 */
@Command(name = "GatewayLoad", mixinStandardHelpOptions = true,
        description = "Drives a demo site on 127.0.0.1: handshakes and order/cancel round trips, through gmgate and straight to the front.")
public final class GatewayLoad implements Callable<Integer> {

    static final String INSTRUMENT = "rb2605";

    @Option(names = "--terminals", defaultValue = "8", description = "simulated terminals, one thread each (default ${DEFAULT-VALUE})")
    int terminals;

    @Option(names = "--phase", defaultValue = "10s", converter = DurationArg.class,
            description = "length of each measured phase, e.g. 10s (default ${DEFAULT-VALUE})")
    Duration phase;

    @Option(names = "--soak", converter = DurationArg.class,
            description = "run the order flow this long instead of the phases, e.g. 10m, terminals reconnecting")
    Duration soak;

    @Option(names = "--interval", defaultValue = "30s", converter = DurationArg.class,
            description = "soak: one report line per interval (default ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = "--reconnect", defaultValue = "20s", converter = DurationArg.class,
            description = "soak: each terminal reconnects this often; every fourth time with a full handshake (default ${DEFAULT-VALUE})")
    Duration reconnect;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayLoad()).execute(args));
    }

    /** An enrolled terminal: its account and its SDK session (device key, TLCP session cache). */
    record Terminal(String account, GmgateClient.Session session) {
    }

    @Override
    public Integer call() throws Exception {
        if (terminals < 1 || terminals > 1_000) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--terminals must be 1..1000, got " + terminals);
        }
        System.out.printf("gmgate load: %d terminals, %s, %d cores%n", terminals,
                soak == null ? phase.toSeconds() + " s per phase" : "soak " + soak.toSeconds() + " s", Runtime.getRuntime().availableProcessors());
        try (DemoSite site = new DemoSite()) {
            List<Terminal> enrolled = enrol(site);
            if (soak != null) {
                return new SoakRun(enrolled, soak, interval, reconnect, () -> openConnections(site)).run() ? 0 : 1;
            }
            phases(site, enrolled);
            return 0;
        }
    }

    private List<Terminal> enrol(DemoSite site) {
        List<Terminal> out = new ArrayList<>();
        for (int i = 0; i < terminals; i++) {
            String account = "90" + String.format("%05d", i);
            char[] password = ("load-Passw0rd-" + i).toCharArray();
            site.addTrader(account, password);
            GmgateClient c = new GmgateClient(new GmgateClient.Options(
                    List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                    List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()),
                    site.directory().resolve("load-" + i), Duration.ofSeconds(3), Duration.ofSeconds(20), 1_000));
            c.enroll(account, password, "load", "123456".toCharArray());
            out.add(new Terminal(account, c.login(password, "123456".toCharArray())));
        }
        return out;
    }

    /**
     * Trading connections the gateway node holds open now (gmgate_connections_open{listener="trading"}).
     * Not the enrolment listener's: each SDK session keeps its :8090 co-signing connection for its life.
     */
    static long openConnections(DemoSite site) {
        return Math.round(site.node().metrics().find("gmgate.connections.open").tag("listener", "trading").gauges().stream()
                .mapToDouble(Gauge::value).sum());
    }

    /**
     * A terminal's full logins start at least this far apart: each costs two cosign requests, and one
     * account logging in faster than its request limit allows is refused (COSIGN-120), rightly; the
     * phase would then time the limiter. At 80% of the API's default account rate: 20 logins/s.
     */
    static final long LOGIN_SPACING_NANOS = (long) (1e9 / (io.gmgate.cosign.CosignSettings.defaults("load").accountRate() / 2 * 0.8));

    private void phases(DemoSite site, List<Terminal> enrolled) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(terminals);
        try {
            print(measure(pool, "full handshakes (two-way, co-signed)", enrolled, (t, lat) -> {
                t.session().forgetSession();
                long t0 = System.nanoTime();
                t.session().connect().close();
                lat.record(System.nanoTime() - t0);
                java.util.concurrent.locks.LockSupport.parkNanos(t0 + LOGIN_SPACING_NANOS - System.nanoTime());
            }));
            print(measure(pool, "resumed handshakes", enrolled, (t, lat) -> {
                long t0 = System.nanoTime();
                t.session().connect().close();
                lat.record(System.nanoTime() - t0);
            }));
            List<TradingLine> viaGateway = new ArrayList<>();
            List<TradingLine> direct = new ArrayList<>();
            try {
                for (Terminal t : enrolled) {
                    viaGateway.add(TradingLine.overGateway(t.session().connect(), t.account()));
                    direct.add(TradingLine.direct(site.frontPort(), t.account()));
                }
                Phase through = measure(pool, "order+cancel through gmgate", viaGateway, GatewayLoad::orderAndCancel);
                print(through);
                Phase straight = measure(pool, "order+cancel straight to the front", direct, GatewayLoad::orderAndCancel);
                print(straight);
                System.out.printf("latency added by gmgate per round trip: p50 %.3f ms, p99 %.3f ms, p999 %.3f ms%n",
                        through.latency().p50() - straight.latency().p50(), through.latency().p99() - straight.latency().p99(),
                        through.latency().p999() - straight.latency().p999());
            } finally {
                viaGateway.forEach(TradingLine::close);
                direct.forEach(TradingLine::close);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("(order phases: ORDER→ACK and CANCEL→CANCELLED each count as one round trip; pairs/s is half the rate)");
    }

    /** One ORDER and its CANCEL, each timed as a round trip. */
    static void orderAndCancel(TradingLine line, Latencies lat) throws Exception {
        long t0 = System.nanoTime();
        String orderId = line.order(INSTRUMENT, true, 1, "3500");
        long t1 = System.nanoTime();
        line.cancel(orderId);
        long t2 = System.nanoTime();
        lat.record(t1 - t0);
        lat.record(t2 - t1);
    }

    @FunctionalInterface
    interface Work<T> {
        void once(T target, Latencies lat) throws Exception;
    }

    /** One measured phase: round trips, wall time, latencies, CPU busy and memory at its end. */
    record Phase(String name, long nanos, Latencies.Summary latency, double cores, ProcessProbe end, long errors, String lastError) {
        double rate() {
            return latency.count() / (nanos / 1e9);
        }
    }

    private <T> Phase measure(ExecutorService pool, String name, List<T> targets, Work<T> work) throws Exception {
        Latencies lat = new Latencies();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> lastError = new AtomicReference<>("");
        ProcessProbe start = ProcessProbe.now(true);
        long t0 = System.nanoTime();
        long end = t0 + phase.toNanos();
        List<Future<?>> fs = new ArrayList<>();
        for (T target : targets) {
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    try {
                        work.once(target, lat);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        lastError.set(String.valueOf(e.getMessage()));
                        if (target instanceof TradingLine) {
                            return null; // its connection is in an unknown state; the others go on
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get(phase.toMillis() + 60_000, TimeUnit.MILLISECONDS);
        }
        long took = System.nanoTime() - t0;
        ProcessProbe after = ProcessProbe.now(false);
        double cores = after.coresSince(start, took);
        ProcessProbe endMemory = ProcessProbe.now(true);
        return new Phase(name, took, lat.interval(), cores, endMemory, errors.get(), lastError.get());
    }

    private static void print(Phase p) {
        System.out.printf("%-36s %9.1f /s  p50 %8.3f ms  p99 %8.3f ms  p999 %8.3f ms  CPU %.2f cores  heap %s (after GC)  RSS %s%s%n",
                p.name(), p.rate(), p.latency().p50(), p.latency().p99(), p.latency().p999(), p.cores(),
                ProcessProbe.mib(p.end().heapUsedBytes()), ProcessProbe.mib(p.end().rssBytes()),
                p.errors() == 0 ? "" : "  " + p.errors() + " failed, last: " + p.lastError());
    }

    /** "500ms", "30s", "10m", "1h". */
    static final class DurationArg implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            Matcher m = FORM.matcher(value.trim());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 500ms, 30s, 10m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
    }
}
