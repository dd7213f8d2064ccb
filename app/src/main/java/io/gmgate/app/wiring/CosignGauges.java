package io.gmgate.app.wiring;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import io.gmgate.ca.FailoverCertificateAuthority;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The cosign node's gauges that only the app can see (it built the pool and the CA lines): the CA
 * lines' breakers (docs/drills.md, C3) and, behind a HikariCP pool, the pool's own numbers. A node on the
 * embedded CA alone has one line, "embedded", always closed.
 */
public final class CosignGauges {

    private CosignGauges() {
    }

    /** 0 CLOSED (serving), 1 HALF_OPEN (trying again), 2 OPEN (refusing), 3 any other breaker state. */
    static double breakerState(String state) {
        return switch (state) {
            case "CLOSED" -> 0;
            case "HALF_OPEN" -> 1;
            case "OPEN" -> 2;
            default -> 3;
        };
    }

    public static void register(MeterRegistry registry, DataSource database, Optional<FailoverCertificateAuthority> cas) {
        Supplier<List<String>> breakers = () -> cas.map(FailoverCertificateAuthority::breakers).orElse(List.of("embedded CLOSED"));
        for (String line : breakers.get()) {
            String name = line.substring(0, line.lastIndexOf(' '));
            Gauge.builder("gmgate.cosign.ca.breaker.state", () -> breakers.get().stream().filter(b -> b.startsWith(name + " "))
                            .findFirst().map(b -> breakerState(b.substring(b.lastIndexOf(' ') + 1))).orElse(3.0))
                    .tag("line", name).description("0 closed, 1 half-open, 2 open").register(registry);
        }
        Gauge.builder("gmgate.cosign.ca.lines.up", () -> breakers.get().stream().filter(b -> b.endsWith(" CLOSED")).count())
                .description("CA lines whose breaker is closed").register(registry);
        if (database instanceof HikariDataSource hikari) {
            pool(registry, hikari, "active", HikariPoolMXBean::getActiveConnections);
            pool(registry, hikari, "idle", HikariPoolMXBean::getIdleConnections);
            pool(registry, hikari, "pending", HikariPoolMXBean::getThreadsAwaitingConnection);
            Gauge.builder("gmgate.cosign.db.pool.max", hikari, HikariDataSource::getMaximumPoolSize).register(registry);
        }
    }

    private static void pool(MeterRegistry registry, HikariDataSource hikari, String state,
                             java.util.function.ToIntFunction<HikariPoolMXBean> read) {
        Gauge.builder("gmgate.cosign.db.pool", hikari, h -> h.getHikariPoolMXBean() == null ? Double.NaN
                : read.applyAsInt(h.getHikariPoolMXBean())).tag("state", state).register(registry);
    }
}
