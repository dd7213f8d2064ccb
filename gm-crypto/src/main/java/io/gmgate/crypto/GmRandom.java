package io.gmgate.crypto;

import java.security.SecureRandom;

/**
 * The one SecureRandom gm-crypto uses. Creating one per operation costs more than an SM2 signature
 * (design §12), and SecureRandom is thread-safe.
 */
public final class GmRandom {

    private static final SecureRandom SHARED = new SecureRandom();

    private GmRandom() {
    }

    public static SecureRandom shared() {
        return SHARED;
    }

    public static byte[] bytes(int length) {
        byte[] out = new byte[length];
        SHARED.nextBytes(out);
        return out;
    }
}
