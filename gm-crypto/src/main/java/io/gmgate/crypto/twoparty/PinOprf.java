package io.gmgate.crypto.twoparty;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.security.auth.Destroyable;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2Kdf;
import io.gmgate.crypto.Sm3;

/**
 * An oblivious PRF over the PIN (design §11, MacKenzie–Reiter capture resilience): the device share is
 * masked by a key that needs the cosign server's per-device secret k_s, so neither the store nor the
 * server's answers let anyone test a PIN guess offline; each guess costs a server evaluation, which the
 * server counts.
 *
 * <ol>
 *   <li>client: H = H2C(PIN, context) on sm2p256v1; ρ ← [1, n−1]; sends B = [ρ]H.</li>
 *   <li>server: checks B is on the curve and not O; answers [k_s]B (it learns nothing of the PIN:
 *       B is uniform for a uniform ρ).</li>
 *   <li>client: checks the answer likewise; U = [ρ^-1]answer = [k_s]H; mask key per key purpose =
 *       KDF(PIN ‖ context ‖ U ‖ purpose) with the SM3 KDF of GB/T 32918.4 §5.4.3, where context names the
 *       account and device.</li>
 * </ol>
 *
 * <p>H2C is try-and-increment with SM3: for ctr = 0, 1, …: x = SM3(label ‖ ctr ‖ PIN ‖ context); if
 * x &lt; p and x³ + ax + b is a square, the point with that x and the y whose parity is the low bit of
 * SM3(label ‖ "y" ‖ ctr ‖ …) is H. Each try succeeds with probability ~1/2, so 256 tries fail with
 * probability 2^-256. Its running time depends on the PIN (the number of tries); it runs on the
 * terminal only, over the terminal's own input, so the timing reaches no one who does not already sit
 * on the terminal. The discrete log of H is unknown to everyone, which is what the OPRF needs.
 */
public final class PinOprf {

    private static final byte[] H2C_LABEL = "gmgate pin oprf h2c v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KDF_LABEL = "gmgate pin oprf mask v1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_TRIES = 256;
    /** 48 bytes reduced mod n: the bias of the reduction is below 2^-128. */
    private static final int MASK_BYTES = 48;

    private PinOprf() {
    }

    /** H(PIN, context): a curve point nobody knows the discrete log of. */
    public static ECPoint hashToCurve(char[] pin, byte[] context) {
        byte[] input = input(pin, context);
        try {
            BigInteger p = Sm2Curve.DOMAIN.getCurve().getField().getCharacteristic();
            for (int ctr = 0; ctr < MAX_TRIES; ctr++) {
                byte[] c = {(byte) ctr};
                byte[] x = Sm3.digest(H2C_LABEL, c, input);
                if (new BigInteger(1, x).compareTo(p) >= 0) {
                    continue;
                }
                byte[] ySign = Sm3.digest(H2C_LABEL, new byte[] {'y'}, c, input);
                byte[] compressed = new byte[1 + x.length];
                compressed[0] = (byte) (0x02 | (ySign[31] & 1));
                System.arraycopy(x, 0, compressed, 1, x.length);
                try {
                    ECPoint h = Sm2Curve.DOMAIN.getCurve().decodePoint(compressed).normalize();
                    if (!h.isInfinity() && h.isValid()) {
                        return h;
                    }
                } catch (IllegalArgumentException notOnCurve) {
                    // x³ + ax + b is not a square: the next counter
                }
            }
            throw new GmCryptoException(CryptoErrors.INVALID_POINT, "hash to curve found no point in " + MAX_TRIES + " tries");
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    /** Step 1: the client's blinded request. Single use; destroy it when done. */
    public static Blinded blind(char[] pin, byte[] context) {
        return new Blinded(pin, context);
    }

    /** Step 2, the server: [k_s]B after checking B. {@code ks} is the device's OPRF key in [1, n−1]. */
    public static ECPoint evaluate(BigInteger ks, ECPoint blinded) {
        Sm2Curve.requireScalar(ks, "OPRF key");
        ECPoint b = Sm2Curve.requireValidPoint(blinded);
        return Sm2Curve.requireValidPoint(b.multiply(ks));
    }

    /** A client's blinded evaluation in flight: ρ and the PIN it blinds. */
    public static final class Blinded implements Destroyable {
        private final char[] pin;
        private final byte[] context;
        private BigInteger rho;
        private final ECPoint request;

        private Blinded(char[] pin, byte[] context) {
            this.pin = pin.clone();
            this.context = context.clone();
            this.rho = Sm2Curve.randomScalar();
            this.request = hashToCurve(pin, context).multiply(rho).normalize();
        }

        /** B = [ρ]H(PIN), to send. */
        public ECPoint request() {
            return request;
        }

        /**
         * Step 3: unblinds the server's answer (checked on the curve and not O, COSIGN-001 otherwise)
         * and derives one PIN mask per purpose (e.g. "sign", "enc"), scalars in [0, n−1]. Single use.
         */
        public BigInteger[] finish(ECPoint answer, String... purposes) {
            if (rho == null) {
                throw new IllegalStateException("OPRF evaluation already finished");
            }
            ECPoint evaluated = Sm2Curve.requireValidPoint(answer);
            ECPoint u = evaluated.multiply(rho.modInverse(Sm2Curve.N)).normalize();
            try {
                BigInteger[] out = new BigInteger[purposes.length];
                for (int i = 0; i < purposes.length; i++) {
                    out[i] = mask(pin, u, context, purposes[i]);
                }
                return out;
            } finally {
                destroy();
            }
        }

        @Override
        public void destroy() {
            rho = null;
            Arrays.fill(pin, '\0');
        }

        @Override
        public boolean isDestroyed() {
            return rho == null;
        }

        @Override
        public String toString() {
            return "PinOprf.Blinded[redacted]";
        }
    }

    /** mask = KDF(label ‖ input(PIN, context) ‖ U ‖ purpose) mod n, with U = [k_s]H(PIN, context). */
    static BigInteger mask(char[] pin, ECPoint u, byte[] context, String purpose) {
        byte[] in = input(pin, context);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.writeBytes(KDF_LABEL);
        z.writeBytes(in);
        z.writeBytes(Sm2Curve.encodePoint(u));
        z.writeBytes(purpose.getBytes(StandardCharsets.UTF_8));
        byte[] zb = z.toByteArray();
        byte[] k = Sm2Kdf.derive(zb, MASK_BYTES);
        try {
            return new BigInteger(1, k).mod(Sm2Curve.N);
        } finally {
            Arrays.fill(k, (byte) 0);
            Arrays.fill(zb, (byte) 0);
            Arrays.fill(in, (byte) 0);
        }
    }

    /** len(PIN) ‖ PIN (UTF-8) ‖ len(context) ‖ context: no two (PIN, context) pairs share an encoding. */
    private static byte[] input(char[] pin, byte[] context) {
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin));
        byte[] p = new byte[utf8.remaining()];
        utf8.get(p);
        if (utf8.hasArray()) {
            Arrays.fill(utf8.array(), (byte) 0);
        }
        ByteBuffer out = ByteBuffer.allocate(8 + p.length + context.length);
        out.putInt(p.length).put(p).putInt(context.length).put(context);
        Arrays.fill(p, (byte) 0);
        return out.array();
    }
}
