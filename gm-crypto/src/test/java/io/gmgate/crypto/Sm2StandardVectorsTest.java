package io.gmgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of GB/T 32918.5-2017 annex A (also GM/T 0003.5-2012 A.2/A.3) on the
 * recommended curve: key d, signature with the fixed k, and the ciphertext of "encryption standard".
 */
class Sm2StandardVectorsTest {

    static final BigInteger D = new BigInteger("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8", 16);
    static final String PX = "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020";
    static final String PY = "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13";
    static final BigInteger K = new BigInteger("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21", 16);
    static final String Z = "B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3";
    static final String E = "F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640";
    static final BigInteger R = new BigInteger("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3", 16);
    static final BigInteger S = new BigInteger("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA", 16);
    static final byte[] SIGN_MESSAGE = "message digest".getBytes(StandardCharsets.US_ASCII);

    static final String C1 = "04"
            + "04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73"
            + "E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0";
    static final String C3 = "59983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766";
    static final String C2 = "21886CA989CA9C7D58087307CA93092D651EFA";
    static final String CIPHER_DER = "307C"
            + "0220" + "04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73"
            + "022100" + "E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0"
            + "0420" + C3
            + "0413" + C2;
    static final byte[] ENCRYPT_MESSAGE = "encryption standard".getBytes(StandardCharsets.US_ASCII);

    private final Sm2PrivateKey key = Sm2PrivateKey.of(D);

    @Test
    void publicKeyIsDTimesG() {
        assertArrayEquals(Hex.decode("04" + PX + PY), key.publicKey().encoded());
    }

    @Test
    void zAndEMatchTheStandardWithTheDefaultId() {
        assertArrayEquals(Hex.decode(Z), Sm2Signer.z(key.publicKey(), Sm2Signer.defaultId()));
        assertEquals(new BigInteger(E, 16), Sm2Signer.e(key.publicKey(), Sm2Signer.defaultId(), SIGN_MESSAGE));
    }

    @Test
    void theDefaultIdIsHandedOutAsCopiesSoNoCallerCanChangeEverySignature() {
        Arrays.fill(Sm2Signer.defaultId(), (byte) 0);
        assertArrayEquals("1234567812345678".getBytes(StandardCharsets.US_ASCII), Sm2Signer.defaultId());
        assertArrayEquals(Hex.decode(Z), Sm2Signer.z(key.publicKey(), Sm2Signer.defaultId()));
    }

    @Test
    void theKeptZStaysTheStandardsWhateverACallerDoesWithTheOneItWasGiven() {
        byte[] given = Sm2Signer.z(key.publicKey(), Sm2Signer.defaultId());
        Arrays.fill(given, (byte) 0);
        assertArrayEquals(Hex.decode(Z), Sm2Signer.z(key.publicKey(), Sm2Signer.defaultId()));
        assertEquals(new BigInteger(E, 16), Sm2Signer.e(key.publicKey(), Sm2Signer.defaultId(), SIGN_MESSAGE));
    }

    @Test
    void signingWithTheStandardsKGivesItsRAndS() {
        Sm2Signature sig = Sm2Signer.signDigest(key, new BigInteger(E, 16), K);
        assertEquals(R, sig.r());
        assertEquals(S, sig.s());
    }

    @Test
    void theStandardsSignatureVerifiesAndAnAlteredOneDoesNot() {
        Sm2PublicKey pub = Sm2PublicKey.decode(Hex.decode("04" + PX + PY));
        assertTrue(Sm2Signer.verify(pub, SIGN_MESSAGE, new Sm2Signature(R, S)));
        assertEquals(false, Sm2Signer.verify(pub, SIGN_MESSAGE, new Sm2Signature(R, S.add(BigInteger.ONE))));
        assertEquals(false, Sm2Signer.verify(pub, "message digesT".getBytes(StandardCharsets.US_ASCII),
                new Sm2Signature(R, S)));
        assertEquals(false, Sm2Signer.verify(pub, "1234567812345679".getBytes(StandardCharsets.US_ASCII),
                SIGN_MESSAGE, new Sm2Signature(R, S)));
    }

    @Test
    void theStandardsCiphertextDecryptsInEveryLayout() {
        assertArrayEquals(ENCRYPT_MESSAGE, Sm2Cipher.decrypt(key, Hex.decode(C1 + C3 + C2), Sm2CiphertextLayout.C1C3C2));
        assertArrayEquals(ENCRYPT_MESSAGE, Sm2Cipher.decrypt(key, Hex.decode(C1 + C2 + C3), Sm2CiphertextLayout.C1C2C3));
        assertArrayEquals(ENCRYPT_MESSAGE, Sm2Cipher.decrypt(key, Sm2Ciphertext.fromDer(Hex.decode(CIPHER_DER))));
    }

    @Test
    void derEncodingOfTheStandardsCiphertextIsCanonical() {
        Sm2Ciphertext ct = Sm2Ciphertext.decode(Hex.decode(C1 + C3 + C2), Sm2CiphertextLayout.C1C3C2);
        assertArrayEquals(Hex.decode(CIPHER_DER), ct.toDer());
    }

    @Test
    void anAlteredCiphertextFailsWithDecryptFailed() {
        byte[] raw = Hex.decode(C1 + C3 + C2);
        raw[raw.length - 1] ^= 1;
        GmCryptoException e = assertThrows(GmCryptoException.class,
                () -> Sm2Cipher.decrypt(key, raw, Sm2CiphertextLayout.C1C3C2));
        assertEquals(CryptoErrors.DECRYPT_FAILED, e.errorCode());
        // Read with the wrong layout, C3 and C2 are mixed up and the hash check fails too.
        assertThrows(GmCryptoException.class,
                () -> Sm2Cipher.decrypt(key, Hex.decode(C1 + C3 + C2), Sm2CiphertextLayout.C1C2C3));
    }
}
