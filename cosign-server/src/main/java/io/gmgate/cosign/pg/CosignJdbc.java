package io.gmgate.cosign.pg;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import javax.sql.DataSource;

import io.gmgate.jdbc.Jdbc;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;

/**
 * The shared {@link Jdbc} with the cosign tables' errors: a database that does not answer is the key
 * store being down for the terminal (KEY-101, retryable, HTTP 503); any other SQL failure is KEY-110.
 */
public final class CosignJdbc {

    private CosignJdbc() {
    }

    public static Jdbc of(DataSource dataSource, String name) {
        return of(dataSource, name, Jdbc.Timing.NONE);
    }

    public static Jdbc of(DataSource dataSource, String name, Jdbc.Timing timing) {
        return new Jdbc(dataSource, name, (what, e) -> failure(name, what, e), timing);
    }

    static KeystoreException failure(String name, String what, SQLException e) {
        String state = e.getSQLState();
        boolean down = e instanceof SQLTransientConnectionException || (state != null && (state.startsWith("08")
                || state.startsWith("57P") || state.equals("53300")));
        KeystoreException k = new KeystoreException(down ? KeystoreErrors.DATABASE_UNAVAILABLE : KeystoreErrors.DATABASE_ERROR,
                "[cosign " + name + "] " + what + " failed: " + (state == null ? "" : "SQLSTATE " + state + " ") + e.getMessage());
        k.initCause(e);
        return k;
    }
}
