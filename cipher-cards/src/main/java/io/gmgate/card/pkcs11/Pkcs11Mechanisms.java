package io.gmgate.card.pkcs11;

import java.security.Provider;
import java.util.ArrayList;
import java.util.List;

import io.gmgate.crypto.card.CardAlgorithm;

/**
 * What a token can do for the card, as its SunPKCS11 provider offers it. SunPKCS11 registers a JCA
 * service only for mechanisms the token lists in C_GetMechanismList <em>and</em> the JDK knows, so
 * the probe asks the provider, not the token, and the report says so.
 *
 * <p>The card wants SM4 for KEK wrapping, SM3 for MACs and SM2 for its internal keys (GM/T 0018 shape).
 * It takes SM4-GCM and HMAC-SM3 when the provider offers them, and otherwise the declared fallbacks
 * AES-256-GCM and HMAC-SHA256 — still computed inside the token under non-extractable keys. There is
 * no SM2 fallback: JDK 17's SunPKCS11 maps no SM2 mechanism (and a token's vendor-defined SM2
 * mechanisms are unreachable through it), and an SM2 key computed in software would silently leave
 * the card. SM2 operations therefore fail with KEY-025 and the report says "SM2: unsupported".
 *
 * @param wrapKeyAlgorithm KeyGenerator algorithm of new wrapping keys ("SM4" or "AES"), null if neither
 * @param wrapKeyBits      their size
 * @param macAlgorithm     Mac and KeyGenerator algorithm of new MAC keys, null if neither
 * @param tokenRandom      whether the provider offers the token's RNG (SecureRandom "PKCS11")
 */
record Pkcs11Mechanisms(String wrapKeyAlgorithm, int wrapKeyBits, String macAlgorithm, boolean tokenRandom) {

    static Pkcs11Mechanisms probe(Provider provider) {
        String wrap = null;
        int bits = 0;
        if (offers(provider, "Cipher", "SM4/GCM/NoPadding") && offers(provider, "KeyGenerator", "SM4")) {
            wrap = "SM4";
            bits = 128;
        } else if (offers(provider, "Cipher", "AES/GCM/NoPadding") && offers(provider, "KeyGenerator", "AES")) {
            wrap = "AES";
            bits = 256;
        }
        String mac = null;
        if (offers(provider, "Mac", "HmacSM3") && offers(provider, "KeyGenerator", "HmacSM3")) {
            mac = "HmacSM3";
        } else if (offers(provider, "Mac", "HmacSHA256") && offers(provider, "KeyGenerator", "HmacSHA256")) {
            mac = "HmacSHA256";
        }
        return new Pkcs11Mechanisms(wrap, bits, mac, offers(provider, "SecureRandom", "PKCS11"));
    }

    /** The cipher transformation for a wrapping key of this algorithm ("AES" or "SM4"). */
    static String transformation(String keyAlgorithm) {
        return keyAlgorithm + "/GCM/NoPadding";
    }

    List<CardAlgorithm> report() {
        List<CardAlgorithm> lines = new ArrayList<>();
        lines.add(tokenRandom
                ? CardAlgorithm.supported("RNG", "random", "the token's C_GenerateRandom")
                : CardAlgorithm.unsupported("RNG", "random", "token"));
        if ("SM4".equals(wrapKeyAlgorithm)) {
            lines.add(CardAlgorithm.supported("SM4", "KEK wrap", "SM4-GCM in the token"));
        } else if ("AES".equals(wrapKeyAlgorithm)) {
            lines.add(CardAlgorithm.fallback("SM4", "KEK wrap", "AES-256-GCM in the token"));
        } else {
            lines.add(CardAlgorithm.unsupported("SM4", "KEK wrap", "token (neither SM4-GCM nor AES-GCM)"));
        }
        if ("HmacSM3".equals(macAlgorithm)) {
            lines.add(CardAlgorithm.supported("SM3", "MAC", "HMAC-SM3 in the token"));
        } else if ("HmacSHA256".equals(macAlgorithm)) {
            lines.add(CardAlgorithm.fallback("SM3", "MAC", "HMAC-SHA256 in the token"));
        } else {
            lines.add(CardAlgorithm.unsupported("SM3", "MAC", "token (neither HMAC-SM3 nor HMAC-SHA256)"));
        }
        lines.add(CardAlgorithm.unsupported("SM2", "sign/decrypt", "token (SunPKCS11 maps no SM2 mechanism; no software fallback)"));
        return List.copyOf(lines);
    }

    private static boolean offers(Provider provider, String type, String algorithm) {
        return provider.getService(type, algorithm) != null;
    }
}
