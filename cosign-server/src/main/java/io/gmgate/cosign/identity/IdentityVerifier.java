package io.gmgate.cosign.identity;

/**
 * Checks a trader's account and password (design §4 step 2): the built-in accounts table or the
 * firm's own system. Failures are {@code CosignException}s: COSIGN-110 (unknown account or wrong
 * password, never told apart), COSIGN-111 (disabled), COSIGN-117 (the firm's system did not answer).
 * The password array is the caller's to zero.
 */
public interface IdentityVerifier {

    /** Instance name for logs: "builtin", "http:https://…". */
    String name();

    Identity verify(String account, char[] password, String device, String address);

    /** Whether {@link #changePassword} is offered (built-in accounts only). */
    default boolean managesPasswords() {
        return false;
    }

    /** Checks the old password and stores the new one; COSIGN-118 where not offered. */
    default void changePassword(String account, char[] oldPassword, char[] newPassword) {
        throw new io.gmgate.cosign.CosignException(io.gmgate.cosign.CosignErrors.PASSWORD_CHANGE_UNSUPPORTED,
                "[identity " + name() + "] passwords of account " + account + " are managed by the firm's system");
    }
}
