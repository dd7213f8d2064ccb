package io.gmgate.keystore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.gmgate.error.ErrorCode;

/** Which KEY- code each PostgreSQL failure becomes: the table a caller's retry decision rests on. */
class PgFailuresTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("connection refused", new SQLException("Connection to 127.0.0.1:5432 refused", "08001"), KeystoreErrors.DATABASE_UNAVAILABLE),
                Arguments.of("I/O error mid-statement", new SQLException("An I/O error occurred", "08006"), KeystoreErrors.DATABASE_UNAVAILABLE),
                Arguments.of("server shutting down", new SQLException("terminating connection due to administrator command", "57P01"), KeystoreErrors.DATABASE_UNAVAILABLE),
                Arguments.of("server starting", new SQLException("the database system is starting up", "57P03"), KeystoreErrors.DATABASE_UNAVAILABLE),
                Arguments.of("too many connections", new SQLException("sorry, too many clients already", "53300"), KeystoreErrors.DATABASE_UNAVAILABLE),
                Arguments.of("pool timeout (no state)", new SQLTransientConnectionException("keystore - Connection is not available, request timed out after 2000ms"), KeystoreErrors.DATABASE_UNAVAILABLE),
                Arguments.of("serialization failure", new SQLException("could not serialize access", "40001"), KeystoreErrors.CONFLICT),
                Arguments.of("deadlock", new SQLException("deadlock detected", "40P01"), KeystoreErrors.CONFLICT),
                Arguments.of("unique violation", new SQLException("duplicate key value violates unique constraint \"ks_accounts_pkey\"\n  Detail: Key (account)=(alice)", "23505"), KeystoreErrors.ALREADY_EXISTS),
                Arguments.of("foreign-key violation", new SQLException("insert or update violates foreign key constraint", "23503"), KeystoreErrors.NOT_FOUND),
                Arguments.of("check violation", new SQLException("new row violates check constraint", "23514"), KeystoreErrors.INVALID_ARGUMENT),
                Arguments.of("missing table", new SQLException("relation \"ks_keys\" does not exist", "42P01"), KeystoreErrors.DATABASE_ERROR),
                Arguments.of("permission denied", new SQLException("permission denied for table ks_keys", "42501"), KeystoreErrors.DATABASE_ERROR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void mapsToTheCodeACallerCanActOn(String what, SQLException e, ErrorCode expected) {
        KeystoreException k = PgFailures.translate("keystore", "store SIGN key for alice/pc-1", e);
        assertEquals(expected, k.errorCode(), k.getMessage());
        assertTrue(k.getMessage().startsWith(expected.code() + " [KEY keystore] store SIGN key for alice/pc-1: "), k.getMessage());
        assertFalse(k.getMessage().contains("Detail:"), "only the first line of PostgreSQL's message is kept");
        assertEquals(e, k.getCause());
    }
}
