package io.gmgate.testkit;

/** Where the test database runs and how to reach it as a superuser. */
public record PgServer(String kind, String jdbcUrl, String user, String password) {

    @Override
    public String toString() {
        return "PgServer[" + kind + " " + jdbcUrl + " user=" + user + "]";
    }
}
