package io.gmgate.card.sdf;

import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;

/**
 * The GM/T 0018 functions gmgate uses, on one session. Keys are the device's internal keys,
 * addressed by index; none of them ever crosses this interface. Failures are {@link SdfException}s
 * with the standard SDR_ code.
 */
public interface SdfSession extends AutoCloseable {

    /** SDF_GenerateRandom. */
    byte[] generateRandom(int length);

    /**
     * SDF_Encrypt under the internal key-encryption key at {@code kekIndex}, in the device's own SM4
     * mode: the result carries whatever IV the mode needs, and {@link #decryptWithKek} reverses it.
     * gmgate adds its own MAC ({@link #calculateMac}) over the result, so a mode without integrity
     * (SM4-CBC) is still safe to use.
     */
    byte[] encryptWithKek(int kekIndex, byte[] data);

    /** SDF_Decrypt, the inverse of {@link #encryptWithKek}. */
    byte[] decryptWithKek(int kekIndex, byte[] data);

    /** SDF_CalculateMAC under the internal key at {@code keyIndex} (SM4-MAC on most devices). */
    byte[] calculateMac(int keyIndex, byte[] data);

    /** SDF_ExportSignPublicKey_ECC: the public half of the signing pair at {@code keyIndex}. */
    Sm2PublicKey exportSignPublicKey(int keyIndex);

    /** SDF_InternalSign_ECC over e = SM3(Z‖M), which the caller computed (GB/T 32918.2 §6.1 steps A1–A2). */
    Sm2Signature internalSign(int keyIndex, byte[] e);

    /** SDF_InternalDecrypt_ECC with the encryption pair at {@code keyIndex}. */
    byte[] internalDecrypt(int keyIndex, Sm2Ciphertext ciphertext);

    /** SDF_CloseSession. */
    @Override
    void close();
}
