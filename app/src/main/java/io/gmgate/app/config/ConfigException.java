package io.gmgate.app.config;

/** A configuration file that cannot be used; the message names the file, the key path and the rule. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
