package io.gmgate.ca;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm3;

/**
 * A renewal code (更新码, docs/ca-client.md, "Renewal"): shown once when a renewal starts, typed back to finish it. 100
 * random bits in Crockford's base 32 (no I, L, O or U to misread), grouped by four:
 * "7K2M-QX9D-4RTA-0BZH-C5EW". Only its SM3 hash is stored, so the database cannot finish a renewal.
 */
public final class RenewalCode {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    static final int CHARS = 20;

    private RenewalCode() {
    }

    static String generate() {
        byte[] r = GmRandom.bytes(CHARS);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < CHARS; i++) {
            if (i > 0 && i % 4 == 0) {
                s.append('-');
            }
            s.append(ALPHABET[r[i] & 0x1F]);
        }
        return s.toString();
    }

    /** Upper case, separators dropped, and the letters people confuse with digits read as digits. */
    static String normalise(String typed) {
        StringBuilder s = new StringBuilder();
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '-', ' ' -> { }
                case 'O' -> s.append('0');
                case 'I', 'L' -> s.append('1');
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    /** What the database keys a renewal by. */
    static String hash(String typed) {
        return HexFormat.of().formatHex(Sm3.digest(normalise(typed).getBytes(StandardCharsets.US_ASCII)));
    }
}
