package io.gmgate.crypto;

import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.util.Pack;

/** The key derivation function of GB/T 32918.4 §5.4.3: SM3(Z‖ct) for ct = 1, 2, …, truncated. */
public final class Sm2Kdf {

    private Sm2Kdf() {
    }

    public static byte[] derive(byte[] z, int length) {
        byte[] out = new byte[length];
        SM3Digest sm3 = new SM3Digest();
        byte[] block = new byte[Sm3.DIGEST_BYTES];
        byte[] counter = new byte[4];
        int ct = 1;
        for (int off = 0; off < length; off += Sm3.DIGEST_BYTES, ct++) {
            sm3.update(z, 0, z.length);
            Pack.intToBigEndian(ct, counter, 0);
            sm3.update(counter, 0, 4);
            sm3.doFinal(block, 0);
            System.arraycopy(block, 0, out, off, Math.min(Sm3.DIGEST_BYTES, length - off));
        }
        java.util.Arrays.fill(block, (byte) 0);
        return out;
    }
}
