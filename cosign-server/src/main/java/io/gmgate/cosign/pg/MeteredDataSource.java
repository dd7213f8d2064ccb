package io.gmgate.cosign.pg;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The node's database pool as the node uses it, whatever pool is behind: connections held now
 * ({@code gmgate.cosign.db.connections.in.use}) and the wait for one ({@code gmgate.cosign.db.acquire}).
 * A pool that cannot hand out a connection shows as a rising acquire time before it shows as KEY-101.
 */
public final class MeteredDataSource implements DataSource {

    private final DataSource pool;
    private final AtomicInteger inUse = new AtomicInteger();
    private final Timer acquire;

    public MeteredDataSource(DataSource pool, MeterRegistry registry) {
        this.pool = pool;
        this.acquire = Timer.builder("gmgate.cosign.db.acquire").description("waiting for a database connection")
                .publishPercentiles(0.5, 0.99).register(registry);
        registry.gauge("gmgate.cosign.db.connections.in.use", inUse);
    }

    @Override
    public Connection getConnection() throws SQLException {
        long started = System.nanoTime();
        Connection c;
        try {
            c = pool.getConnection();
        } finally {
            acquire.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        return held(c);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return held(pool.getConnection(username, password));
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

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(pool) ? iface.cast(pool) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(pool) || pool.isWrapperFor(iface);
    }
}
