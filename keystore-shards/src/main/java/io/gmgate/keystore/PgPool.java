package io.gmgate.keystore;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Opens the key store's HikariCP pool. It starts even while PostgreSQL is down (callers then get
 * KEY-101 until it answers, and readiness says so); connections that break — a restart, a failover —
 * are evicted by the pool and replaced on the next borrow.
 */
public final class PgPool {

    private PgPool() {
    }

    public static HikariDataSource open(PgPoolSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(settings.name());
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(Math.min(2, settings.maxPoolSize()));
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setValidationTimeout(Math.min(1_000, settings.connectionTimeout().toMillis()));
        config.setInitializationFailTimeout(-1);
        config.setKeepaliveTime(30_000);
        config.setAutoCommit(true);
        // pgjdbc: give up on a dead server in seconds, not after the OS's TCP timeout
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("socketTimeout", "30");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "gmgate-" + settings.name());
        return new HikariDataSource(config);
    }
}
