package io.gmgate.tlcp.record;

import java.util.Arrays;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;

/**
 * SM4-GCM records (GB/T 38636-2020 §6.3.3.4.3, the RFC 5288 layout): nonce = 4-byte implicit IV
 * from the key block ‖ 8-byte explicit part sent with each record (the sequence number here),
 * AAD = seq ‖ type ‖ version ‖ plaintext length, 16-byte tag.
 */
public final class GcmProtection implements RecordProtection {

    private static final int EXPLICIT = 8;
    private static final int TAG = 16;

    private final KeyParameter key;
    private final byte[] fixedIv;
    private final GCMModeCipher gcm = GCMBlockCipher.newInstance(new SM4Engine());

    public GcmProtection(byte[] key, byte[] fixedIv) {
        if (fixedIv.length != 4) {
            throw new IllegalArgumentException("GCM implicit IV must be 4 bytes");
        }
        this.key = new KeyParameter(key);
        this.fixedIv = fixedIv.clone();
    }

    @Override
    public byte[] seal(int type, long seq, byte[] plaintext) {
        byte[] explicit = longBytes(seq);
        byte[] out = new byte[EXPLICIT + plaintext.length + TAG];
        System.arraycopy(explicit, 0, out, 0, EXPLICIT);
        gcm.init(true, new AEADParameters(key, TAG * 8, nonce(explicit), aad(type, seq, plaintext.length)));
        int n = gcm.processBytes(plaintext, 0, plaintext.length, out, EXPLICIT);
        try {
            gcm.doFinal(out, EXPLICIT + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("GCM encryption cannot fail", e);
        }
        return out;
    }

    @Override
    public byte[] open(int type, long seq, byte[] fragment) {
        if (fragment.length < EXPLICIT + TAG) {
            throw badMac("GCM record of " + fragment.length + " bytes");
        }
        int plainLength = fragment.length - EXPLICIT - TAG;
        gcm.init(false, new AEADParameters(key, TAG * 8, nonce(Arrays.copyOf(fragment, EXPLICIT)),
                aad(type, seq, plainLength)));
        byte[] out = new byte[plainLength];
        try {
            int n = gcm.processBytes(fragment, EXPLICIT, fragment.length - EXPLICIT, out, 0);
            gcm.doFinal(out, n);
        } catch (InvalidCipherTextException | IllegalStateException e) {
            throw badMac("GCM tag check failed");
        }
        return out;
    }

    private byte[] nonce(byte[] explicit) {
        byte[] n = new byte[12];
        System.arraycopy(fixedIv, 0, n, 0, 4);
        System.arraycopy(explicit, 0, n, 4, EXPLICIT);
        return n;
    }

    private static byte[] aad(int type, long seq, int length) {
        byte[] a = new byte[13];
        System.arraycopy(longBytes(seq), 0, a, 0, 8);
        a[8] = (byte) type;
        a[9] = 0x01;
        a[10] = 0x01;
        a[11] = (byte) (length >>> 8);
        a[12] = (byte) length;
        return a;
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    private static TlcpException badMac(String why) {
        return new TlcpException(TlcpErrors.BAD_RECORD_MAC, Alert.BAD_RECORD_MAC, why);
    }
}
