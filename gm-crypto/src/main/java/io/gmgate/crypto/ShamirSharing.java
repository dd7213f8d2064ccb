package io.gmgate.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.crypto.threshold.ShamirSecretSplitter;
import org.bouncycastle.crypto.threshold.ShamirSplitSecret;
import org.bouncycastle.crypto.threshold.ShamirSplitSecretShare;

/**
 * Shamir's M-of-N secret sharing over GF(2^8) (the AES field, x^8+x^4+x^3+x+1), byte by byte: the
 * backup export key is split among key custodians (docs/backup.md). Sharing alone cannot tell a
 * tampered share from a good one; the backup format checks the recombined key against its own MAC.
 *
 * <p>The arithmetic is BouncyCastle's {@code org.bouncycastle.crypto.threshold} splitter in the AES
 * field, share x = 1..N, so shares written before it replaced our own tables still combine
 * (ShamirSharingTest and BackupBeforeBcThresholdTest hold such shares as fixtures).
 */
public final class ShamirSharing {

    /**
     * BouncyCastle 1.84 counts the Lagrange factors in a byte, so it combines at most 129 shares;
     * a larger M could never be restored and is refused when splitting.
     */
    public static final int MAX_COMBINED = 129;

    /** One custodian's share: its x coordinate (1..255) and one y byte per secret byte. */
    public record Share(int x, byte[] y) {

        public Share {
            if (x < 1 || x > 255) {
                throw new IllegalArgumentException("share index must be 1..255, got " + x);
            }
            y = y.clone();
        }

        @Override
        public byte[] y() {
            return y.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Share s && s.x == x && Arrays.equals(s.y, y);
        }

        @Override
        public int hashCode() {
            return 31 * x + Arrays.hashCode(y);
        }

        @Override
        public String toString() {
            return "Share[x=" + x + ", redacted]";
        }
    }

    private static final ShamirSecretSplitter.Algorithm FIELD = ShamirSecretSplitter.Algorithm.AES;
    // Native, not Table: no lookups indexed by secret bytes. 1.84's native multiply still branches on
    // its operands' bits (not constant-time); docs/security.md says so.
    private static final ShamirSecretSplitter.Mode ARITHMETIC = ShamirSecretSplitter.Mode.Native;

    private ShamirSharing() {
    }

    public static List<Share> split(byte[] secret, int threshold, int shares) {
        return split(secret, threshold, shares, GmRandom.shared());
    }

    static List<Share> split(byte[] secret, int threshold, int shares, SecureRandom random) {
        if (threshold < 2 || threshold > shares || shares > 255) {
            throw new IllegalArgumentException("need 2 <= M <= N <= 255, got M=" + threshold + " N=" + shares);
        }
        if (threshold > MAX_COMBINED) {
            throw new IllegalArgumentException("M is at most " + MAX_COMBINED + ", got " + threshold);
        }
        // BouncyCastle 1.84 sizes its array of shares by the secret's length, not by N: widen the
        // secret to at least N bytes and cut every share back. Each byte is shared on its own
        // polynomial, so the cut shares are exactly shares of the secret.
        byte[] widened = Arrays.copyOf(secret, Math.max(secret.length, shares));
        try {
            ShamirSplitSecretShare[] parts = new ShamirSecretSplitter(FIELD, ARITHMETIC, widened.length, random)
                    .resplit(widened, threshold, shares).getSecretShares();
            Share[] out = new Share[shares];
            for (int s = 0; s < shares; s++) {
                byte[] y = parts[s].getEncoded();
                out[s] = new Share(s + 1, Arrays.copyOf(y, secret.length)); // BC numbers share s as x = s + 1
                Arrays.fill(y, (byte) 0);
            }
            return List.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // getEncoded() of an in-memory share does no I/O
        } finally {
            Arrays.fill(widened, (byte) 0);
        }
    }

    /**
     * Lagrange interpolation at 0. The caller passes at least M shares (the threshold is not
     * recorded in the shares; the backup header holds it); fewer give an unrelated value.
     */
    public static byte[] combine(List<Share> shares) {
        if (shares.size() < 2) {
            throw new IllegalArgumentException("at least two shares are needed, got " + shares.size());
        }
        if (shares.size() > MAX_COMBINED) {
            throw new IllegalArgumentException("at most " + MAX_COMBINED + " shares can be combined, got " + shares.size()
                    + ": pass any M of them");
        }
        Set<Integer> xs = new HashSet<>();
        int length = shares.get(0).y.length;
        ShamirSplitSecretShare[] parts = new ShamirSplitSecretShare[shares.size()];
        for (int i = 0; i < parts.length; i++) {
            Share s = shares.get(i);
            if (!xs.add(s.x())) {
                throw new IllegalArgumentException("share " + s.x() + " was given twice");
            }
            if (s.y.length != length) {
                throw new IllegalArgumentException("shares are of different lengths");
            }
            parts[i] = new ShamirSplitSecretShare(s.y, s.x());
        }
        try {
            return new ShamirSplitSecret(FIELD, ARITHMETIC, parts).getSecret();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
