package io.gmgate.perf.load;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.gmgate.sdk.LoginListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The terminals' side of a login, as the SDK's {@link LoginListener} reports it, in Micrometer
 * timers {@code gmgate.terminal.login.phase{phase}}: recorded only while armed (the measured
 * window, not enrolment), failed phases apart ({@code outcome=failed}).
 */
final class TerminalPhases implements LoginListener {

    static final String TIMER = "gmgate.terminal.login.phase";

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private volatile boolean armed;

    void arm(boolean on) {
        armed = on;
    }

    @Override
    public void phaseDone(Phase phase, long nanos, boolean ok) {
        if (armed) {
            timer(phase.tag(), ok).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String phase, boolean ok) {
        return timers.computeIfAbsent(phase + (ok ? "" : "/failed"), k -> Timer.builder(TIMER).tag("phase", phase)
                .tag("outcome", ok ? "ok" : "failed").publishPercentiles(0.5, 0.99).register(registry));
    }

    /** Count of successful {@code phase}s recorded so far. */
    long count(Phase phase) {
        Timer t = timers.get(phase.tag());
        return t == null ? 0 : t.count();
    }

    void print(java.io.PrintStream out, long logins) {
        out.println("terminal side (" + TIMER + "), per phase:");
        for (Phase p : Phase.values()) {
            for (boolean ok : new boolean[] {true, false}) {
                Timer t = timers.get(p.tag() + (ok ? "" : "/failed"));
                if (t == null || t.count() == 0) {
                    continue;
                }
                var snap = t.takeSnapshot();
                double p50 = 0;
                double p99 = 0;
                for (var v : snap.percentileValues()) {
                    if (v.percentile() == 0.5) {
                        p50 = v.value(TimeUnit.MILLISECONDS);
                    } else if (v.percentile() == 0.99) {
                        p99 = v.value(TimeUnit.MILLISECONDS);
                    }
                }
                out.printf("  %-18s %-6s n %6d (%.2f per login)  mean %8.3f ms  p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms%n", p.tag(),
                        ok ? "" : "failed", t.count(), logins == 0 ? 0.0 : t.count() / (double) logins, t.mean(TimeUnit.MILLISECONDS),
                        p50, p99, t.max(TimeUnit.MILLISECONDS));
            }
        }
    }
}
