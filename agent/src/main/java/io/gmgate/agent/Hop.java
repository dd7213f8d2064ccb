package io.gmgate.agent;

import io.gmgate.error.ErrorCode;

/**
 * Which stretch of the path failed, so a trader or the help desk knows whom to call (design §8:
 * tell the counter, the crypto module and the CA apart): the terminal's own connection to
 * the agent, reaching the gateway, the GM handshake, co-signing, or the trading front.
 */
public enum Hop {
    LOCAL, GATEWAY, HANDSHAKE, COSIGN, FRONT;

    /** The hop a code's prefix names (design §8). */
    public static Hop of(ErrorCode code) {
        return switch (code.subsystem()) {
            case "TLS", "CERT" -> HANDSHAKE;
            case "COSIGN", "KEY", "CA" -> COSIGN;
            case "FRONT" -> FRONT;
            default -> GATEWAY;
        };
    }

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
