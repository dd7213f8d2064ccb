package io.gmgate.cosign.state;

import java.util.Base64;

import io.gmgate.crypto.GmRandom;

/** Random identifiers as unpadded base64url: tokens 32 bytes (43 chars), ids and nonces 16 bytes (22 chars). */
public final class Tokens {

    private Tokens() {
    }

    public static String random(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(GmRandom.bytes(bytes));
    }

    public static String token() {
        return random(32);
    }

    public static String id() {
        return random(16);
    }
}
