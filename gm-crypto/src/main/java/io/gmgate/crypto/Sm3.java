package io.gmgate.crypto;

import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** SM3 (GB/T 32905) and HMAC-SM3. */
public final class Sm3 {

    public static final int DIGEST_BYTES = 32;

    private Sm3() {
    }

    public static byte[] digest(byte[]... parts) {
        SM3Digest sm3 = new SM3Digest();
        for (byte[] part : parts) {
            sm3.update(part, 0, part.length);
        }
        byte[] out = new byte[DIGEST_BYTES];
        sm3.doFinal(out, 0);
        return out;
    }

    /** A digest fed piece by piece that can tell the digest of what it has had so far, any number of times. */
    public static final class Running {
        private final SM3Digest state = new SM3Digest();

        public void update(byte[] part) {
            state.update(part, 0, part.length);
        }

        public byte[] digestSoFar() {
            SM3Digest copy = new SM3Digest(state);
            byte[] out = new byte[DIGEST_BYTES];
            copy.doFinal(out, 0);
            return out;
        }
    }

    public static byte[] hmac(byte[] key, byte[]... parts) {
        HMac mac = new HMac(new SM3Digest());
        mac.init(new KeyParameter(key));
        for (byte[] part : parts) {
            mac.update(part, 0, part.length);
        }
        byte[] out = new byte[DIGEST_BYTES];
        mac.doFinal(out, 0);
        return out;
    }
}
