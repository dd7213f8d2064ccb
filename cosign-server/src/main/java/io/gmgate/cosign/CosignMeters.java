package io.gmgate.cosign;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.gmgate.cosign.api.Schemas;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * What a cosign node counts and times (docs/operations.md, docs/perf-login.md), on the registry the app
 * hands it. Requests by operation and code, and the business outcomes derived from them; the phases
 * of a request ({@value #PHASE}: http, pg_read, pg_write, audit_commit, card) tagged with the
 * operation the worker thread is serving. Operation labels are the API's own paths or "unknown",
 * so a client cannot grow the series.
 */
public final class CosignMeters {

    public static final String REQUESTS = "gmgate.cosign.requests";
    public static final String PHASE = "gmgate.cosign.phase";
    public static final String HTTP = "http";
    public static final String PG_READ = "pg_read";
    public static final String PG_WRITE = "pg_write";
    public static final String AUDIT_COMMIT = "audit_commit";
    public static final String CARD = "card";
    /** The code label of a request that succeeded. */
    public static final String OK = "ok";

    private static final ThreadLocal<String> OPERATION = new ThreadLocal<>();

    private final MeterRegistry registry;
    /** Timers by phase and op, so the hot path does not rebuild a meter id per sample. */
    private final java.util.concurrent.ConcurrentHashMap<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    public CosignMeters(MeterRegistry registry) {
        this.registry = registry;
        // at zero from the start, so alerts and dashboards read a series before the first event
        registry.counter("gmgate.cosign.logins", "outcome", "ok");
        registry.counter("gmgate.cosign.logins", "outcome", "failed");
        registry.counter("gmgate.cosign.enrolments", "outcome", OK);
        registry.counter("gmgate.cosign.certificate.applications", "outcome", OK);
        registry.counter("gmgate.cosign.renewals", "outcome", OK);
        registry.counter("gmgate.cosign.pin.failures");
        registry.counter("gmgate.cosign.pin.locked");
    }

    /** Meters that go nowhere: a node built without a registry (tools, most tests). */
    public static CosignMeters none() {
        return new CosignMeters(new CompositeMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The label for a request path after /v1/: an operation of the API, or "unknown". */
    public static String operation(String path) {
        return Schemas.BY_PATH.containsKey(path) ? path : "unknown";
    }

    /** Runs {@code work} (on the worker thread) with {@code operation} as the op label of the phases it records. */
    public <T> T serving(String operation, Supplier<T> work) {
        OPERATION.set(operation(operation));
        try {
            return work.get();
        } finally {
            OPERATION.remove();
        }
    }

    /** An answer was written: {@code code} is its error code or {@link #OK}; {@code nanos} since the request came in. */
    public void answered(String operation, String code, long nanos) {
        String op = operation(operation);
        registry.counter(REQUESTS, "op", op, "code", code).increment();
        timer(HTTP, op).record(nanos, TimeUnit.NANOSECONDS);
        boolean ok = OK.equals(code);
        switch (op) {
            case "login" -> registry.counter("gmgate.cosign.logins", "outcome", ok ? "ok" : "failed").increment();
            case "enrol/keys" -> registry.counter("gmgate.cosign.enrolments", "outcome", code).increment();
            case "enrol/certificate" -> registry.counter("gmgate.cosign.certificate.applications", "outcome", code).increment();
            case "renew/finish" -> registry.counter("gmgate.cosign.renewals", "outcome", code).increment();
            default -> { }
        }
        if (CosignErrors.CONFIRMATION_INVALID.code().equals(code)) {
            // a signature that does not verify under the joint key: a wrong PIN, counted as a PIN try
            registry.counter("gmgate.cosign.pin.failures").increment();
        } else if (CosignErrors.PIN_LOCKED.code().equals(code)) {
            registry.counter("gmgate.cosign.pin.locked").increment();
        }
    }

    /** Records {@code phase} for the operation this thread serves ("none" outside a request: the flusher, a job). */
    public void phase(String phase, long nanos) {
        String op = OPERATION.get();
        timer(phase, op == null ? "none" : op).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Times {@code work} as {@code phase}. */
    public <T> T timed(String phase, Supplier<T> work) {
        long started = System.nanoTime();
        try {
            return work.get();
        } finally {
            phase(phase, System.nanoTime() - started);
        }
    }

    public void timed(String phase, Runnable work) {
        timed(phase, () -> {
            work.run();
            return null;
        });
    }

    private Timer timer(String phase, String op) {
        return timers.computeIfAbsent(phase + ' ' + op, k -> Timer.builder(PHASE).tag("phase", phase).tag("op", op).description("a phase of a cosign request")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry));
    }
}
