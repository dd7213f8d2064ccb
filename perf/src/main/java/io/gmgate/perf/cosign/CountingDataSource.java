package io.gmgate.perf.cosign;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import io.gmgate.jdbc.ForwardingDataSource;

/**
 * Counts what the cosign node sends PostgreSQL (statements executed, commits, connection checkouts),
 * so CosignLoad can print round trips per co-sign: a figure the shared machine's load cannot blur.
 */
final class CountingDataSource extends ForwardingDataSource {

    final LongAdder statements = new LongAdder();
    final LongAdder commits = new LongAdder();
    final LongAdder checkouts = new LongAdder();
    CountingDataSource(DataSource target) {
        super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkouts.increment();
        return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        checkouts.increment();
        return wrap(target.getConnection(user, password));
    }

    private Connection wrap(Connection c) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
            Object out = call(c, m, a);
            if (m.getName().equals("commit")) {
                commits.increment();
            } else if (out instanceof PreparedStatement ps) {
                return statement(ps, PreparedStatement.class);
            } else if (out instanceof Statement s) {
                return statement(s, Statement.class);
            }
            return out;
        });
    }

    private Object statement(Statement s, Class<?> type) {
        InvocationHandler h = (p, m, a) -> {
            if (m.getName().startsWith("execute")) {
                statements.increment();
            }
            return call(s, m, a);
        };
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object call(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
