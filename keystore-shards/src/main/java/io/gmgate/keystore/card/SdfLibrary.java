package io.gmgate.keystore.card;

import java.util.List;

/**
 * The place for a vendor's SDF library (GM/T 0018, the API Chinese cipher cards ship): the few
 * functions gmgate needs, with keys addressed by index. A vendor adapter implements this over the
 * vendor's native library (JNI or the Foreign Function API), registers itself in
 * {@code META-INF/services/io.gmgate.keystore.card.SdfLibrary}, and is chosen by name in
 * configuration ({@code card: {type: sdf, vendor: NAME}}); {@link SdfCipherCard} does the rest.
 */
public interface SdfLibrary extends AutoCloseable {

    /** The name configuration selects the library by. */
    String vendor();

    /** Opens device and session (SDF_OpenDevice, SDF_OpenSession); credentials from the vendor's own configuration. */
    void open(String configuration);

    /** SDF_GenerateRandom. */
    byte[] generateRandom(int length);

    /** The KEK versions present as {index, version} pairs. */
    List<int[]> keks();

    /** Creates the next version of the internal KEK at {@code index} (SDF_GenerateKeyWithKEK shape); returns the version. */
    int createKek(int index);

    /** SDF_Encrypt / SDF_Decrypt with an internal SM4 key, authenticated (the card's GCM or CBC+MAC). */
    byte[] encrypt(int kekIndex, int kekVersion, byte[] data);

    byte[] decrypt(int kekIndex, int kekVersion, byte[] data);

    /** SDF_CalculateMAC with an internal key. */
    byte[] calculateMac(int kekIndex, int kekVersion, byte[] data);

    /** SDF_GenerateKeyPair_ECC into an internal slot; returns the public key (04‖x‖y). */
    byte[] generateEccKeyPair(int index);

    /** SDF_ExportSignPublicKey_ECC (04‖x‖y). */
    byte[] exportEccPublicKey(int index);

    /** SDF_InternalSign_ECC over e = SM3(Z‖M): r‖s, 64 bytes. */
    byte[] internalSignEcc(int index, byte[] e);

    /** SDF_InternalDecrypt_ECC of a DER SM2Cipher. */
    byte[] internalDecryptEcc(int index, byte[] ciphertextDer);

    /** Health probe the card answers fast. */
    boolean probe();

    @Override
    void close();
}
