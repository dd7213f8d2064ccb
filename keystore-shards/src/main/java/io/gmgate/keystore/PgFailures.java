package io.gmgate.keystore;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import javax.sql.DataSource;

import io.gmgate.jdbc.Jdbc;

/**
 * Turns a JDBC failure into the KEY- code a caller can act on. PostgreSQL SQLSTATE classes:
 * 08 connection exception, 57P0x server shutting down or starting, 53300 too many connections,
 * 40 transaction rollback (serialization, deadlock), 23505 unique and 23503 foreign-key violation.
 */
final class PgFailures {

    private PgFailures() {
    }

    /** The shared JDBC helper with the key store's errors. */
    static Jdbc jdbc(DataSource dataSource, String instance) {
        return new Jdbc(dataSource, instance, (operation, e) -> translate(instance, operation, e));
    }

    static KeystoreException translate(String instance, String operation, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = "[KEY " + instance + "] " + operation + ": ";
        if (unavailable(e, state)) {
            return new KeystoreException(KeystoreErrors.DATABASE_UNAVAILABLE,
                    where + "database did not answer (SQLSTATE " + (state.isEmpty() ? "none" : state) + ": " + e.getMessage() + ")", e);
        }
        if (state.startsWith("40")) {
            return new KeystoreException(KeystoreErrors.CONFLICT, where + "transaction rolled back by a concurrent one (SQLSTATE " + state + ")", e);
        }
        if ("23505".equals(state)) {
            return new KeystoreException(KeystoreErrors.ALREADY_EXISTS, where + "already exists (" + firstLine(e) + ")", e);
        }
        if ("23503".equals(state)) {
            return new KeystoreException(KeystoreErrors.NOT_FOUND, where + "refers to an account, device or key that does not exist (" + firstLine(e) + ")", e);
        }
        if ("23514".equals(state) || "22001".equals(state)) {
            return new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, where + "value refused by the schema (" + firstLine(e) + ")", e);
        }
        return new KeystoreException(KeystoreErrors.DATABASE_ERROR, where + "database refused the statement (SQLSTATE " + state + ": " + firstLine(e) + ")", e);
    }

    static boolean unavailable(SQLException e, String state) {
        return state.startsWith("08") || state.startsWith("57P") || "53300".equals(state)
                || e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException;
    }

    private static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
