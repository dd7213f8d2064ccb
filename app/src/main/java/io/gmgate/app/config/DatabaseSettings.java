package io.gmgate.app.config;

import java.util.Optional;

/**
 * The PostgreSQL source of truth. The password comes from an environment variable or a file
 * (a Kubernetes Secret), never from the configuration file itself.
 */
public record DatabaseSettings(String url, String user, Optional<String> passwordEnv, Optional<String> passwordFile,
                               int poolSize) {

    static DatabaseSettings read(ConfigNode n) {
        String url = n.string("url", "jdbc:postgresql://127.0.0.1:5432/gmgate");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw n.error(n.path() + ".url", "must be a jdbc:postgresql: URL, got '" + url + "'");
        }
        DatabaseSettings s = new DatabaseSettings(url, n.string("user", "gmgate"), n.optionalString("passwordEnv"),
                n.optionalString("passwordFile"), n.integer("poolSize", 10, 1, 500));
        if (n.has("password")) {
            throw n.error(n.path() + ".password", "must not be written in the file: use passwordEnv or passwordFile");
        }
        n.done();
        return s;
    }
}
