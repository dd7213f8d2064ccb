package io.gmgate.cosign.identity;

import java.security.MessageDigest;
import java.util.Arrays;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Pbkdf2Sm3;

/**
 * A salted slow password hash: PBKDF2-HMAC-SM3 (RFC 8018 with SM3), 16-byte salt, at least
 * 100,000 iterations, 32-byte output. {@code toString()} prints no bytes.
 */
public record PasswordHash(byte[] salt, int iterations, byte[] hash) {

    public static final int MIN_ITERATIONS = 100_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    public PasswordHash {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("password hashes need at least " + MIN_ITERATIONS + " iterations, got " + iterations);
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    public static PasswordHash of(char[] password, int iterations) {
        byte[] salt = GmRandom.bytes(SALT_BYTES);
        return new PasswordHash(salt, iterations, Pbkdf2Sm3.derive(password, salt, iterations, HASH_BYTES));
    }

    /** Constant-time comparison of the derived bytes. */
    public boolean matches(char[] password) {
        byte[] candidate = Pbkdf2Sm3.derive(password, salt, iterations, HASH_BYTES);
        try {
            return MessageDigest.isEqual(candidate, hash);
        } finally {
            Arrays.fill(candidate, (byte) 0);
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt) && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "PasswordHash[PBKDF2-HMAC-SM3, " + iterations + " iterations, [redacted]]";
    }
}
