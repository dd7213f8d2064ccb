package io.gmgate.tlcp;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

import org.bouncycastle.cert.X509CertificateHolder;

import io.gmgate.crypto.Sm3;

/**
 * One pinned certificate: the SM3 digest of its SubjectPublicKeyInfo ({@code spki-sm3:HEX}, which
 * survives re-issuing for the same key) or of the whole certificate ({@code cert-sm3:HEX}).
 */
public record CertificatePin(Kind kind, String hex) {

    public enum Kind {
        SPKI("spki-sm3"), CERTIFICATE("cert-sm3");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    public CertificatePin {
        hex = hex.toLowerCase(Locale.ROOT);
        if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("a pin is 64 hex digits of SM3, got " + hex.length() + " characters");
        }
    }

    /** Parses {@code spki-sm3:HEX} or {@code cert-sm3:HEX}. */
    public static CertificatePin parse(String text) {
        String t = text.trim();
        for (Kind k : Kind.values()) {
            if (t.regionMatches(true, 0, k.prefix + ":", 0, k.prefix.length() + 1)) {
                return new CertificatePin(k, t.substring(k.prefix.length() + 1));
            }
        }
        throw new IllegalArgumentException("a pin starts with spki-sm3: or cert-sm3:, got " + t);
    }

    public static CertificatePin spkiOf(X509CertificateHolder c) {
        return new CertificatePin(Kind.SPKI, HexFormat.of().formatHex(Sm3.digest(encoded(c, true))));
    }

    public static CertificatePin certificateOf(X509CertificateHolder c) {
        return new CertificatePin(Kind.CERTIFICATE, HexFormat.of().formatHex(Sm3.digest(encoded(c, false))));
    }

    public boolean matches(X509CertificateHolder c) {
        CertificatePin actual = kind == Kind.SPKI ? spkiOf(c) : certificateOf(c);
        return MessageDigest.isEqual(HexFormat.of().parseHex(hex), HexFormat.of().parseHex(actual.hex));
    }

    private static byte[] encoded(X509CertificateHolder c, boolean spki) {
        try {
            return spki ? c.getSubjectPublicKeyInfo().getEncoded() : c.getEncoded();
        } catch (IOException e) {
            throw new IllegalArgumentException("certificate " + c.getSubject() + " does not encode", e);
        }
    }

    @Override
    public String toString() {
        return kind.prefix + ":" + hex;
    }
}
