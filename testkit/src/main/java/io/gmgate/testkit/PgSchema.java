package io.gmgate.testkit;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh schema for one test class on the JVM's shared PostgreSQL:
 * {@code @RegisterExtension static final PgSchema PG = new PgSchema();} then {@code PG.dataSource()}.
 */
public final class PgSchema implements BeforeAllCallback, AfterAllCallback {

    private String name;

    @Override
    public void beforeAll(ExtensionContext context) {
        name = PgFixture.createSchema(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (name != null && !"true".equalsIgnoreCase(System.getenv("GMGATE_TEST_KEEP_SCHEMAS"))) {
            PgFixture.dropSchema(name);
        }
    }

    public String name() {
        if (name == null) {
            throw new IllegalStateException("PgSchema is used before its test class started; register it as a static extension");
        }
        return name;
    }

    public DataSource dataSource() {
        return PgFixture.dataSource(name());
    }

    public PgServer server() {
        return PgFixture.server();
    }
}
