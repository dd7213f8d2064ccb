package io.gmgate.cosign.state;

import java.time.Duration;

/**
 * Single-use request nonces bound to a session (design §11 rules), and single-use markers for other
 * things that must happen once (a signature confirmation). Shared by every cosign node.
 */
public interface Nonces {

    /** A fresh nonce for the session, valid for the configured short life. */
    String issue(String sessionId);

    /** True exactly once for a nonce issued to this session and not expired; false otherwise. */
    boolean consume(String sessionId, String nonce);

    /** True the first time {@code key} is seen within {@code ttl}; false on every later call. */
    boolean firstUse(String key, Duration ttl);

    /** Forgets the session's unused nonces (logout). */
    void forget(String sessionId);
}
