package io.gmgate.cosign.state;

import java.util.Optional;

/**
 * Login sessions shared by every cosign node (design §10: stateless nodes). The session module's
 * cluster maps implement this; {@link InProcessLoginSessions} serves one JVM (tests, a single node).
 */
public interface LoginSessions {

    /** Opens a session for the account on the device, with fresh random token and id. */
    LoginSession open(String account, String device, boolean restricted);

    /** The live session for the token, its idle expiry pushed forward; empty if unknown or expired. */
    Optional<LoginSession> touch(String token);

    void close(String token);

    /** Ends every session of the account (after a password change or a revocation). */
    void closeAll(String account);
}
