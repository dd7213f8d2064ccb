package io.gmgate.cosign.state;

import java.time.Instant;
import java.util.Objects;

/**
 * One login (docs/cosign-api.md §2): a bearer {@code token} (secret), a public {@code id} (used in
 * key-generation proofs and attempt tokens), the account and device it is bound to, its expiry, and
 * whether it is {@code restricted} to changing the password (docs/cosign-api.md COSIGN-115).
 */
public record LoginSession(String token, String id, String account, String device, boolean restricted, Instant createdAt,
                           Instant expiresAt) {

    public LoginSession {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(device, "device");
    }

    @Override
    public String toString() {
        return "LoginSession[" + id + " " + account + "/" + device + " until " + expiresAt + ", token=[redacted]]";
    }
}
