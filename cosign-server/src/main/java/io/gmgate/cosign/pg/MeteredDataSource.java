package io.gmgate.cosign.pg;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.gmgate.jdbc.ForwardingDataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The node's database pool as the node uses it, whatever pool is behind: connections held now
 * ({@code gmgate.cosign.db.connections.in.use}) and the wait for one ({@code gmgate.cosign.db.acquire}).
 * A pool that cannot hand out a connection shows as a rising acquire time before it shows as KEY-101.
 */
public final class MeteredDataSource extends ForwardingDataSource {

    private final AtomicInteger inUse = new AtomicInteger();
    private final Timer acquire;

    public MeteredDataSource(DataSource pool, MeterRegistry registry) {
        super(pool);
        this.acquire = Timer.builder("gmgate.cosign.db.acquire").description("waiting for a database connection")
                .publishPercentiles(0.5, 0.99).register(registry);
        registry.gauge("gmgate.cosign.db.connections.in.use", inUse);
    }

    @Override
    public Connection getConnection() throws SQLException {
        long started = System.nanoTime();
        Connection c;
        try {
            c = target.getConnection();
        } finally {
            acquire.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        return held(c);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return held(target.getConnection(username, password));
    }

    /** The connection, counted until its first close. */
    private Connection held(Connection c) {
        inUse.incrementAndGet();
        AtomicBoolean open = new AtomicBoolean(true);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && open.compareAndSet(true, false)) {
                        inUse.decrementAndGet();
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
