package io.gmgate.crypto;

import java.util.Arrays;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.DefaultBufferedBlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * SM4 (GB/T 32907) in ECB, CBC (raw or PKCS#7-padded) and GCM. Raw ECB/CBC take whole blocks; the
 * TLCP record layer does its own padding.
 */
public final class Sm4 {

    public static final int KEY_BYTES = 16;
    public static final int BLOCK_BYTES = 16;
    public static final int GCM_TAG_BYTES = 16;

    private Sm4() {
    }

    public static byte[] ecb(boolean encrypt, byte[] key, byte[] data) {
        requireBlocks(data);
        return run(new DefaultBufferedBlockCipher(new SM4Engine()), encrypt, new KeyParameter(checkKey(key)), data);
    }

    public static byte[] cbc(boolean encrypt, byte[] key, byte[] iv, byte[] data) {
        requireBlocks(data);
        BlockCipher cbc = CBCBlockCipher.newInstance(new SM4Engine());
        return run(new DefaultBufferedBlockCipher(cbc), encrypt, withIv(key, iv), data);
    }

    public static byte[] cbcPkcs7Encrypt(byte[] key, byte[] iv, byte[] plaintext) {
        return run(paddedCbc(), true, withIv(key, iv), plaintext);
    }

    public static byte[] cbcPkcs7Decrypt(byte[] key, byte[] iv, byte[] ciphertext) {
        return run(paddedCbc(), false, withIv(key, iv), ciphertext);
    }

    /** Returns ciphertext‖tag (16-byte tag). */
    public static byte[] gcmEncrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        return runGcm(true, key, nonce, aad, plaintext);
    }

    /** Takes ciphertext‖tag; any altered byte, wrong key, nonce or AAD fails with KEY-002. */
    public static byte[] gcmDecrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertextAndTag) {
        return runGcm(false, key, nonce, aad, ciphertextAndTag);
    }

    private static byte[] runGcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] in) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(new SM4Engine());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(checkKey(key)), GCM_TAG_BYTES * 8, nonce, aad));
        byte[] out = new byte[gcm.getOutputSize(in.length)];
        int n = gcm.processBytes(in, 0, in.length, out, 0);
        try {
            n += gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            Arrays.fill(out, (byte) 0);
            throw new GmCryptoException(CryptoErrors.DECRYPT_FAILED, "SM4-GCM authentication failed");
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static PaddedBufferedBlockCipher paddedCbc() {
        return new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(new SM4Engine()), new PKCS7Padding());
    }

    private static ParametersWithIV withIv(byte[] key, byte[] iv) {
        if (iv == null || iv.length != BLOCK_BYTES) {
            throw new IllegalArgumentException("SM4-CBC IV must be 16 bytes");
        }
        return new ParametersWithIV(new KeyParameter(checkKey(key)), iv);
    }

    private static byte[] run(BufferedBlockCipher cipher, boolean encrypt,
                              org.bouncycastle.crypto.CipherParameters params, byte[] in) {
        cipher.init(encrypt, params);
        byte[] out = new byte[cipher.getOutputSize(in.length)];
        int n = cipher.processBytes(in, 0, in.length, out, 0);
        try {
            n += cipher.doFinal(out, n);
        } catch (InvalidCipherTextException | org.bouncycastle.crypto.DataLengthException e) {
            Arrays.fill(out, (byte) 0);
            throw new GmCryptoException(CryptoErrors.DECRYPT_FAILED, "SM4 padding check failed");
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static byte[] checkKey(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("SM4 key must be 16 bytes");
        }
        return key;
    }

    private static void requireBlocks(byte[] data) {
        if (data.length % BLOCK_BYTES != 0) {
            throw new IllegalArgumentException("raw SM4 input must be whole 16-byte blocks, got " + data.length);
        }
    }
}
