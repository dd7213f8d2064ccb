package io.gmgate.tlcp.handshake;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The TLCP pseudo-random function (GB/T 38636-2020 §6.4.5.1.3): P_SM3, the TLS 1.2 P_hash with
 * HMAC-SM3, over label ‖ seed.
 */
final class Prf {

    private Prf() {
    }

    static byte[] derive(byte[] secret, String label, byte[] seed, int length) {
        HMac hmac = new HMac(new SM3Digest());
        hmac.init(new KeyParameter(secret));
        byte[] labelSeed = concat(label.getBytes(StandardCharsets.US_ASCII), seed);
        byte[] out = new byte[length];
        byte[] a = labelSeed;
        int off = 0;
        byte[] block = new byte[32];
        while (off < length) {
            hmac.update(a, 0, a.length);
            byte[] next = new byte[32];
            hmac.doFinal(next, 0);
            a = next;
            hmac.update(a, 0, a.length);
            hmac.update(labelSeed, 0, labelSeed.length);
            hmac.doFinal(block, 0);
            int n = Math.min(32, length - off);
            System.arraycopy(block, 0, out, off, n);
            off += n;
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
