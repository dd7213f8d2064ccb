package io.gmgate.keystore;

import java.time.Duration;
import java.util.Objects;

/**
 * The key store's connection pool (HikariCP). The password never appears in {@link #toString()}.
 *
 * @param name              pool name, shown in the pool's log lines and our error messages
 * @param jdbcUrl           {@code jdbc:postgresql://host:port/db[?…]}
 * @param maxPoolSize       connections at most (cosign nodes: a few per CPU core)
 * @param connectionTimeout how long a caller waits for a connection before KEY-101
 */
public record PgPoolSettings(String name, String jdbcUrl, String user, String password, int maxPoolSize, Duration connectionTimeout) {

    public PgPoolSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "[KEY " + name + "] the key store needs a jdbc:postgresql: URL");
        }
        if (maxPoolSize < 1 || maxPoolSize > 500) {
            throw new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "[KEY " + name + "] maxPoolSize must be 1..500, was " + maxPoolSize);
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "[KEY " + name + "] connectionTimeout must be >= 250ms (HikariCP's floor)");
        }
    }

    public static PgPoolSettings of(String jdbcUrl, String user, String password) {
        return new PgPoolSettings("keystore", jdbcUrl, user, password, 10, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "PgPoolSettings[" + name + " " + jdbcUrl + " user=" + user + " password=[redacted] max=" + maxPoolSize
                + " timeout=" + connectionTimeout.toMillis() + "ms]";
    }
}
