package io.gmgate.crypto.card;

import java.util.List;

import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;

/**
 * A cipher card (密码卡) or HSM, shaped after GM/T 0018 (SDF): keys live inside and are addressed by
 * index; callers get results, never internal key material. Implementations: a software card for
 * development and small sites, PKCS#11, vendor SDF libraries.
 *
 * <p>Every method may block on the device; callers on an event loop run them on a worker. A failing
 * device raises {@link CipherCardException} with a {@code KEY-} code — never a silent fallback to
 * software.
 */
public interface CipherCard extends AutoCloseable {

    /** Instance name used in logs and error messages, e.g. "soft:/etc/gmgate/card.json". */
    String name();

    /** SDF_GenerateRandom. */
    byte[] random(int length);

    // --- key-encryption keys (SM4, internal) ---

    /** The KEK version new wraps use for this index. */
    KekId currentKek(int index);

    /** All versions of all KEKs the card still holds (old versions stay until re-wrap is done). */
    List<KekId> keks();

    /** Creates a new version of the KEK at this index and makes it current (rotation step 1). */
    KekId rotateKek(int index);

    /** Wraps a data key under an internal KEK (SDF_GenerateKeyWithKEK / SDF_ImportKeyWithKEK shape). */
    byte[] wrap(KekId kek, byte[] dataKey);

    /** Unwraps a data key; the caller zeroes it after use. Fails with a KEY- integrity error if altered. */
    byte[] unwrap(KekId kek, byte[] wrapped);

    /** A MAC over data under an internal key (audit-chain links). */
    byte[] mac(KekId kek, byte[] data);

    boolean verifyMac(KekId kek, byte[] data, byte[] mac);

    // --- internal SM2 key pairs (the gateway's TLCP keys, the CA's keys, the policy key) ---

    /** Generates an SM2 key pair at this index, replacing none: fails if the index is taken. */
    Sm2PublicKey generateSm2Key(int index);

    Sm2PublicKey sm2PublicKey(int index);

    /** SDF_InternalSign_ECC: signs e = SM3(Z‖M), already computed by the caller. */
    Sm2Signature sm2SignDigest(int index, byte[] e);

    /** SDF_InternalDecrypt_ECC. */
    byte[] sm2Decrypt(int index, Sm2Ciphertext ciphertext);

    /**
     * The SM2 key exchange (GB/T 32918.3, as SDF_GenerateAgreementDataAndKeyWithECC) with the internal
     * key at {@code index} as this side's static key — what the TLCP ECDHE suites need of the
     * gateway's encryption key. The ephemeral key is the caller's. Cards that cannot fail with KEY-025.
     */
    default byte[] sm2KeyExchange(int index, boolean initiator, Sm2PrivateKey ownEphemeral, Sm2PublicKey peerStatic,
                                  Sm2PublicKey peerEphemeral, int bytes) {
        throw new CipherCardException(CardErrors.UNSUPPORTED, "[KEY " + name() + "] this card cannot do the SM2 key exchange "
                + "with an internal key: offer only the ECC suites");
    }

    /** Whether {@link #sm2KeyExchange} works on this card. */
    default boolean exchangesSm2Keys() {
        return false;
    }

    /**
     * How this card serves each GM algorithm family: natively, by a declared fallback (e.g. a PKCS#11
     * token without SM4 wraps with AES-256-GCM inside the token), or not at all. Operations of an
     * unsupported family fail with KEY-025; nothing falls back to software silently.
     */
    List<CardAlgorithm> algorithms();

    /** A cheap probe that exercises the device (a random draw and a MAC), for readiness. */
    CardHealth health();

    @Override
    void close();
}
