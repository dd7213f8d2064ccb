package io.gmgate.cosign.identity;

/** Who logged in: the canonical account name, and what the login response tells the terminal. */
public record Identity(String account, boolean firstLogin, boolean mustChangePassword) {
}
