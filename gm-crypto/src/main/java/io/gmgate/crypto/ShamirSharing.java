package io.gmgate.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shamir's M-of-N secret sharing over GF(2^8) (the AES field, x^8+x^4+x^3+x+1), byte by byte: the
 * backup export key is split among key custodians (docs/backup.md). Sharing alone cannot tell a
 * tampered share from a good one; the backup format checks the recombined key against its own MAC.
 */
public final class ShamirSharing {

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

    private static final int[] EXP = new int[510];
    private static final int[] LOG = new int[256];

    static {
        int v = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = v;
            LOG[v] = i;
            v ^= (v << 1) ^ ((v & 0x80) != 0 ? 0x11B : 0); // multiply by the generator 3
            v &= 0xFF;
        }
        for (int i = 255; i < EXP.length; i++) {
            EXP[i] = EXP[i - 255];
        }
    }

    private ShamirSharing() {
    }

    public static List<Share> split(byte[] secret, int threshold, int shares) {
        return split(secret, threshold, shares, GmRandom.shared());
    }

    static List<Share> split(byte[] secret, int threshold, int shares, SecureRandom random) {
        if (threshold < 2 || threshold > shares || shares > 255) {
            throw new IllegalArgumentException("need 2 <= M <= N <= 255, got M=" + threshold + " N=" + shares);
        }
        byte[][] ys = new byte[shares][secret.length];
        byte[] coefficients = new byte[threshold];
        for (int b = 0; b < secret.length; b++) {
            random.nextBytes(coefficients);
            coefficients[0] = secret[b];
            for (int s = 0; s < shares; s++) {
                ys[s][b] = (byte) evaluate(coefficients, s + 1);
            }
        }
        Arrays.fill(coefficients, (byte) 0);
        Share[] out = new Share[shares];
        for (int s = 0; s < shares; s++) {
            out[s] = new Share(s + 1, ys[s]);
            Arrays.fill(ys[s], (byte) 0);
        }
        return List.of(out);
    }

    /**
     * Lagrange interpolation at 0. The caller passes at least M shares (the threshold is not
     * recorded in the shares; the backup header holds it); fewer give an unrelated value.
     */
    public static byte[] combine(List<Share> shares) {
        if (shares.size() < 2) {
            throw new IllegalArgumentException("at least two shares are needed, got " + shares.size());
        }
        Set<Integer> xs = new HashSet<>();
        int length = shares.get(0).y.length;
        for (Share s : shares) {
            if (!xs.add(s.x())) {
                throw new IllegalArgumentException("share " + s.x() + " was given twice");
            }
            if (s.y.length != length) {
                throw new IllegalArgumentException("shares are of different lengths");
            }
        }
        byte[] secret = new byte[length];
        for (int i = 0; i < shares.size(); i++) {
            int xi = shares.get(i).x();
            int basis = 1; // Lagrange basis l_i(0) = Π_{j≠i} x_j / (x_j − x_i); minus is xor
            for (int j = 0; j < shares.size(); j++) {
                if (j != i) {
                    int xj = shares.get(j).x();
                    basis = mul(basis, div(xj, xj ^ xi));
                }
            }
            byte[] yi = shares.get(i).y;
            for (int b = 0; b < length; b++) {
                secret[b] ^= (byte) mul(yi[b] & 0xFF, basis);
            }
        }
        return secret;
    }

    private static int evaluate(byte[] coefficients, int x) {
        int acc = 0;
        for (int k = coefficients.length - 1; k >= 0; k--) {
            acc = mul(acc, x) ^ (coefficients[k] & 0xFF);
        }
        return acc;
    }

    static int mul(int a, int b) {
        return a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]];
    }

    static int div(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero in GF(2^8)");
        }
        return a == 0 ? 0 : EXP[LOG[a] + 255 - LOG[b]];
    }
}
