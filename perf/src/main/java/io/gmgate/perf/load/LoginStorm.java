package io.gmgate.perf.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Market open (docs/perf-login.md): N distinct enrolled terminals log in within a window, each a full
 * co-signed two-way TLCP handshake on the gateway's :9000 followed by one order round trip, through
 * a gateway node and a cosign node in their own JVMs on one embedded PostgreSQL ({@link StormSite}).
 * Enrolment is set-up, done before the clock starts. Reports successes, failures by code, latency
 * percentiles, the rate reached, CPU per login by process, the terminal-side phases and the
 * servers' own phase timers. {@code --ramp} instead runs short steps of rising rate and reports
 * the highest with no failure and p99 ≤ {@code --p99-limit}. Everything is on 127.0.0.1 and every
 * wait is bounded. docs/perf-login.md shows how to read it.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.gmgate.perf.load.LoginStorm --terminals 2000 --window 60s
 * java -cp perf/target/benchmarks.jar io.gmgate.perf.load.LoginStorm --terminals 500 --ramp</pre>
 */
@Command(name = "LoginStorm", mixinStandardHelpOptions = true,
        description = "N enrolled terminals log in (co-signed two-way TLCP + one order) within a window, against a gateway and a cosign"
                + " node in their own JVMs on 127.0.0.1.")
public final class LoginStorm implements Callable<Integer> {

    @Option(names = "--terminals", defaultValue = "2000", description = "distinct enrolled terminals, each logs in once (default ${DEFAULT-VALUE})")
    int terminals;

    @Option(names = "--window", defaultValue = "60s", converter = GatewayLoad.DurationArg.class,
            description = "all logins start evenly spread over this window (default ${DEFAULT-VALUE})")
    Duration window;

    @Option(names = "--threads", defaultValue = "256", description = "generator threads running logins at once (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--enrol-threads", defaultValue = "8", description = "terminals enrolling at once during set-up (default ${DEFAULT-VALUE})")
    int enrolThreads;

    @Option(names = "--warmup", description = "logins before the window (or the ramp's first step), at its rate, not counted"
            + " (default 100; with --ramp, a minute at --ramp-from, since a cold ramp measures the compilers)")
    Integer warmup;

    @Option(names = "--ramp", description = "find the highest rate with no failure and p99 <= --p99-limit, in steps of --step")
    boolean ramp;

    @Option(names = "--ramp-from", defaultValue = "10", description = "ramp: first rate, logins/s (default ${DEFAULT-VALUE})")
    double rampFrom;

    @Option(names = "--step", defaultValue = "10s", converter = GatewayLoad.DurationArg.class,
            description = "ramp: length of each step (default ${DEFAULT-VALUE})")
    Duration step;

    @Option(names = "--p99-limit", defaultValue = "250", description = "ramp: p99 login latency a step may reach, ms (default ${DEFAULT-VALUE})")
    double p99Limit;

    @Option(names = "--child-jvm", defaultValue = "", description = "JVM options added to the gateway's, cosign's and front's, space-separated")
    String childJvm;

    /** The last window's (or ramp step's) result, for the CI test. */
    StormWindow.Result last;
    /** The terminal-side phases of the last run, for the CI test. */
    TerminalPhases phases;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoginStorm()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        check(terminals >= 1 && terminals <= 20_000, "--terminals must be 1..20000, got " + terminals);
        check(!window.isZero() && window.compareTo(Duration.ofHours(1)) <= 0, "--window must be 1ms..1h");
        check(threads >= 1 && threads <= 2_048, "--threads must be 1..2048");
        check(enrolThreads >= 1 && enrolThreads <= 64, "--enrol-threads must be 1..64");
        int warmupLogins = warmup != null ? warmup : ramp ? (int) Math.min(100_000, Math.round(rampFrom * 60)) : 100;
        check(warmupLogins >= 0 && warmupLogins <= 100_000, "--warmup must be 0..100000");
        check(rampFrom > 0 && rampFrom <= 10_000 && !step.isZero() && step.compareTo(Duration.ofMinutes(10)) <= 0,
                "--ramp-from must be in (0, 10000], --step 1ms..10m");
        out.printf("gmgate login storm: %d terminals, %s, %d cores, load average %s%n", terminals,
                ramp ? "ramp from " + rampFrom + "/s in " + step.toSeconds() + " s steps" : "window " + window.toMillis() / 1000.0 + " s",
                Runtime.getRuntime().availableProcessors(), HandshakeLoad.loadAverage());
        List<String> accounts = StormTerminals.accounts(terminals);
        phases = new TerminalPhases();
        try (StormSite site = new StormSite(accounts, childJvm.isBlank() ? List.of() : List.of(childJvm.trim().split("\\s+")), out::println)) {
            List<StormTerminals.Terminal> enrolled = StormTerminals.enrol(site, accounts, enrolThreads, phases, out::println);
            double rate = terminals / (window.toNanos() / 1e9);
            if (warmupLogins > 0) {
                StormWindow.Result w = StormWindow.run(site, enrolled, 0, warmupLogins, ramp ? rampFrom : rate, threads, () -> { });
                out.printf("warm-up (not counted): %d logins, %d ok, p50 %.1f ms%n", w.logins(), w.ok(), w.latency().p50());
                w.failures().forEach((code, n) -> out.printf("    failed x%d %s, e.g. %s%n", n, code, w.samples().get(code)));
            }
            return ramp ? ramp(site, enrolled) : storm(site, enrolled, rate);
        }
    }

    private int storm(StormSite site, List<StormTerminals.Terminal> enrolled, double rate) throws Exception {
        String gatewayUrl = "http://127.0.0.1:" + site.adminPort + "/metrics";
        String cosignUrl = "http://127.0.0.1:" + site.cosignAdminPort + "/metrics";
        ServerPhases.Scrape[] before = new ServerPhases.Scrape[2];
        last = StormWindow.run(site, enrolled, 0, terminals, rate, threads, () -> {
            before[0] = ServerPhases.scrape(gatewayUrl, ServerPhases.GATEWAY);
            before[1] = ServerPhases.scrape(cosignUrl, ServerPhases.COSIGN);
            phases.arm(true);
        });
        phases.arm(false);
        out.printf("%nstorm: %d terminals in a %.0f s window (target %.1f logins/s), load average %s%n", terminals,
                window.toMillis() / 1000.0, rate, HandshakeLoad.loadAverage());
        report(last);
        phases.print(out, last.ok());
        ServerPhases.print(out, "gateway", before[0], ServerPhases.scrape(gatewayUrl, ServerPhases.GATEWAY), last.ok());
        ServerPhases.print(out, "cosign", before[1], ServerPhases.scrape(cosignUrl, ServerPhases.COSIGN), last.ok());
        return last.allOk() ? 0 : 1;
    }

    /**
     * Rising steps ×1.5 until one fails the limit (at most 12); if the very first fails, up to 3 steps
     * each a third of the last; then 3 halvings between the last good and the first bad.
     */
    private int ramp(StormSite site, List<StormTerminals.Terminal> enrolled) throws Exception {
        double good = 0;
        double bad = 0;
        int offset = 0;
        double r = rampFrom;
        for (int i = 0; i < 12 && bad == 0; i++, r *= 1.5) {
            offset += rampStep(site, enrolled, offset, r);
            if (passed()) {
                good = r;
            } else {
                bad = r;
            }
        }
        for (int i = 0; i < 3 && good == 0 && bad > 0; i++) {
            // the first step failed: lower, to tell a latency floor (no rate passes) from a low capacity
            r = bad / 3;
            offset += rampStep(site, enrolled, offset, r);
            if (passed()) {
                good = r;
            } else {
                bad = r;
            }
        }
        for (int i = 0; i < 3 && bad > 0 && good > 0 && bad / good > 1.05; i++) {
            double mid = (good + bad) / 2;
            offset += rampStep(site, enrolled, offset, mid);
            if (passed()) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        out.printf("%nramp: highest rate with no failure and p99 <= %.0f ms: %s%n", p99Limit,
                good == 0 ? String.format("none (%.2f/s failed it too)", bad) : String.format("%.1f logins/s", good)
                        + (bad == 0 ? " (the last step; the limit was not reached)" : String.format(" (%.1f/s failed it)", bad)));
        return good > 0 ? 0 : 1;
    }

    private int rampStep(StormSite site, List<StormTerminals.Terminal> enrolled, int offset, double r) throws Exception {
        int n = (int) Math.max(1, Math.round(r * step.toNanos() / 1e9));
        last = StormWindow.run(site, enrolled, offset, n, r, threads, () -> { });
        out.printf("step %7.1f/s:", r);
        report(last);
        return n;
    }

    private boolean passed() {
        return last.allOk() && last.latency().p99() <= p99Limit;
    }

    private void report(StormWindow.Result r) {
        out.printf("  logins %d, ok %d, failed %d, rate reached %.1f/s over %.1f s%n", r.logins(), r.ok(), r.logins() - r.ok(),
                r.rate(), r.seconds());
        r.failures().forEach((code, n) -> out.printf("    failed x%d %s, e.g. %s%n", n, code, r.samples().get(code)));
        out.printf("  latency from scheduled start: p50 %.1f ms  p99 %.1f ms  max %.1f ms;  service: p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                r.latency().p50(), r.latency().p99(), r.latency().max(), r.service().p50(), r.service().p99(), r.service().max());
        double n = Math.max(1, r.ok());
        StormWindow.Cpu c = r.cpu();
        out.printf("  CPU per login: gateway %.2f ms, cosign %.2f ms, postgres %.2f ms, generator %.2f ms, front %.2f ms;"
                        + " all %.2f ms (%.2f cores busy)%n", 1000 * c.gateway() / n, 1000 * c.cosign() / n, 1000 * c.postgres() / n,
                1000 * c.generator() / n, 1000 * c.front() / n, 1000 * c.total() / n, c.total() / r.seconds());
        printThreads("gateway", r.gatewayThreads(), n);
        printThreads("cosign", r.cosignThreads(), n);
    }

    private void printThreads(String who, Map<String, Double> byGroup, double n) {
        StringBuilder b = new StringBuilder("    " + who + " CPU by thread group, ms per login:");
        byGroup.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(6).forEach(e -> b.append(String.format(" %s %.2f;", e.getKey(), 1000 * e.getValue() / n)));
        out.println(b);
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(new CommandLine(this), message);
        }
    }
}
