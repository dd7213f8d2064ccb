package io.gmgate.crypto.twoparty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2CiphertextLayout;
import io.gmgate.crypto.Sm2Curve;

/** Co-decryption opens ordinary SM2 ciphertexts made by BouncyCastle under the joint key. */
class CoDecryptionTest {

    private static byte[] bcEncrypt(ClientKeyShare share, SM2Engine.Mode mode, byte[] msg) throws Exception {
        SM2Engine e = new SM2Engine(mode);
        e.init(true, new ParametersWithRandom(share.jointKey().toParameters(), GmRandom.shared()));
        return e.processBlock(msg, 0, msg.length);
    }

    private static byte[] codecrypt(ClientKeyShare client, ServerKeyShare server, Sm2Ciphertext ct) {
        DecryptRequest req = DecryptRequest.fromBytes(ClientDecryption.start(client, ct).toBytes());
        DecryptResponse resp = DecryptResponse.fromBytes(TwoPartyServer.decrypt(server, req).toBytes());
        return ClientDecryption.finish(ct, resp);
    }

    @Test
    void opensBouncyCastleCiphertextsInBothLayouts() throws Exception {
        Enrolment k = Enrolment.run();
        for (int i = 0; i < 20; i++) {
            byte[] msg = GmRandom.bytes(1 + i * 9);
            Sm2Ciphertext c132 = Sm2Ciphertext.decode(bcEncrypt(k.client(), SM2Engine.Mode.C1C3C2, msg), Sm2CiphertextLayout.C1C3C2);
            assertArrayEquals(msg, codecrypt(k.client(), k.server(), c132));
            Sm2Ciphertext c123 = Sm2Ciphertext.decode(bcEncrypt(k.client(), SM2Engine.Mode.C1C2C3, msg), Sm2CiphertextLayout.C1C2C3);
            assertArrayEquals(msg, codecrypt(k.client(), k.server(), c123));
        }
    }

    @Test
    void aWrongShareFailsWithDecryptFailed() throws Exception {
        Enrolment k = Enrolment.run();
        Enrolment other = Enrolment.run();
        byte[] msg = Enrolment.ascii("enveloped encryption key");
        Sm2Ciphertext ct = Sm2Ciphertext.decode(bcEncrypt(k.client(), SM2Engine.Mode.C1C3C2, msg), Sm2CiphertextLayout.C1C3C2);
        assertEquals(CryptoErrors.DECRYPT_FAILED,
                assertThrows(GmCryptoException.class, () -> codecrypt(k.client(), other.server(), ct)).errorCode());
        assertEquals(CryptoErrors.DECRYPT_FAILED,
                assertThrows(GmCryptoException.class, () -> codecrypt(other.client(), k.server(), ct)).errorCode());
    }

    @Test
    void offCurveAndInfinityPointsAreRefused() throws Exception {
        Enrolment k = Enrolment.run();
        byte[] raw = bcEncrypt(k.client(), SM2Engine.Mode.C1C3C2, Enrolment.ascii("x"));
        byte[] badC1 = raw.clone();
        badC1[64] ^= 1;
        assertEquals(CryptoErrors.INVALID_POINT, assertThrows(GmCryptoException.class,
                () -> Sm2Ciphertext.decode(badC1, Sm2CiphertextLayout.C1C3C2)).errorCode());

        Sm2Ciphertext ct = Sm2Ciphertext.decode(raw, Sm2CiphertextLayout.C1C3C2);
        byte[] t1 = ClientDecryption.start(k.client(), ct).toBytes();
        t1[40] ^= 1;
        assertEquals(CryptoErrors.INVALID_POINT,
                assertThrows(GmCryptoException.class, () -> DecryptRequest.fromBytes(t1)).errorCode());
        byte[] t2 = TwoPartyServer.decrypt(k.server(), ClientDecryption.start(k.client(), ct)).toBytes();
        t2[64] ^= 1;
        assertEquals(CryptoErrors.INVALID_POINT,
                assertThrows(GmCryptoException.class, () -> DecryptResponse.fromBytes(t2)).errorCode());

        ECPoint inf = Sm2Curve.DOMAIN.getCurve().getInfinity();
        assertThrows(GmCryptoException.class, () -> new DecryptRequest(inf));
        assertThrows(GmCryptoException.class, () -> new DecryptResponse(inf));
        assertThrows(GmCryptoException.class, () -> DecryptRequest.fromBytes(new byte[] {0}));
        // A server answering T2 = C1 would make T2 − C1 the point at infinity.
        assertEquals(CryptoErrors.DECRYPT_FAILED, assertThrows(GmCryptoException.class,
                () -> ClientDecryption.finish(ct, new DecryptResponse(ct.c1()))).errorCode());
    }
}
