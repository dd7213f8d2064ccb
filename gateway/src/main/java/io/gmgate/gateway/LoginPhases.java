package io.gmgate.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The login trace on a gateway node (docs/perf-login.md): one timer {@value #METRIC} per phase of a login, with
 * buckets (for histogram_quantile across pods) and p50/p99 computed on the node. Each site records one
 * sample with {@link #since}; the engines themselves are never timed from inside.
 */
public final class LoginPhases {

    public static final String METRIC = "gmgate.login.phase";
    /** ClientHello in → the server's flight written. */
    public static final String HELLO_FLIGHT = "hello_flight";
    /** Server flight written → the client's Finished in (the terminal's co-sign round trip is in here). */
    public static final String CLIENT_FLIGHT = "client_flight";
    /** Client certificate accepted → session bound: the key exchange's decryption, CertificateVerify and Finished. */
    public static final String CERTIFICATE_VERIFY = "certificate_verify";
    /** One PostgreSQL lookup of the certificate gate. */
    public static final String GATE_LOOKUP = "gate_lookup";
    /** Front connected and PROXY header written. */
    public static final String FRONT_CONNECT = "front_connect";
    /** One cluster write: the session map or the online registry. */
    public static final String CLUSTER_WRITE = "cluster_write";
    /** Accept → handshake done. */
    public static final String HANDSHAKE = "handshake";
    public static final List<String> PHASES = List.of(HELLO_FLIGHT, CLIENT_FLIGHT, CERTIFICATE_VERIFY, GATE_LOOKUP,
            FRONT_CONNECT, CLUSTER_WRITE, HANDSHAKE);

    /** Records nothing: for parts built without a registry. */
    public static final LoginPhases NONE = new LoginPhases(Map.of());

    private final Map<String, Timer> timers;

    private LoginPhases(Map<String, Timer> timers) {
        this.timers = timers;
    }

    /** The phase timers on {@code registry}; asking twice for one registry shares its timers. */
    public static LoginPhases of(MeterRegistry registry) {
        return new LoginPhases(PHASES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), p ->
                Timer.builder(METRIC).tag("phase", p).description("a phase of a terminal's login")
                        .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry))));
    }

    /** A timestamp to pass to {@link #since}. */
    public static long now() {
        return System.nanoTime();
    }

    /** Records {@code phase} as lasting from {@code startNanos} (a {@link #now}) until now. */
    public void since(String phase, long startNanos) {
        record(phase, System.nanoTime() - startNanos);
    }

    public void record(String phase, long nanos) {
        Timer t = timers.get(phase);
        if (t != null && nanos >= 0) {
            t.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
