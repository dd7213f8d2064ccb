package io.gmgate.cosign;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operation answers: the wire body, and the session whose next nonce the service adds to it
 * (docs/cosign-api.md §2). Usually the request's own session; a password change names the session
 * it opened, since it ended the old one; none when the body carries its own nonces (login,
 * /v1/nonces) or the session just ended (logout).
 */
record Outcome(Map<String, Object> body, Optional<String> nextNonceSession) {

    Outcome {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(nextNonceSession, "nextNonceSession");
    }

    /** The answer goes out with the next nonce of {@code sessionId}. */
    static Outcome nextNonceFor(String sessionId, Map<String, Object> body) {
        return new Outcome(body, Optional.of(sessionId));
    }

    /** The answer goes out as it is: no nonce is added. */
    static Outcome noNextNonce(Map<String, Object> body) {
        return new Outcome(body, Optional.empty());
    }
}
