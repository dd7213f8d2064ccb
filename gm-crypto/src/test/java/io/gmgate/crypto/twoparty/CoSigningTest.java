package io.gmgate.crypto.twoparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import org.bouncycastle.crypto.signers.SM2Signer;
import org.junit.jupiter.api.Test;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;

/** Co-signatures are ordinary SM2 signatures under the joint key, and the client never releases a bad one. */
class CoSigningTest {

    @Test
    void aThousandCoSignaturesVerifyWithBouncyCastlesOrdinarySigner() {
        Enrolment[] keys = {Enrolment.run(), Enrolment.run(), Enrolment.run(), Enrolment.run()};
        for (int i = 0; i < 1000; i++) {
            Enrolment k = keys[i % keys.length];
            byte[] msg = GmRandom.bytes(i % 97);
            Sm2Signature sig = Enrolment.cosign(k.client(), k.server(), msg);
            SM2Signer bc = new SM2Signer(); // default ID 1234567812345678
            bc.init(false, k.client().jointKey().toParameters());
            bc.update(msg, 0, msg.length);
            assertTrue(bc.verifySignature(sig.toDer()), "co-signature " + i);
        }
    }

    @Test
    void theJointKeyIsTheSameOnBothSides() {
        Enrolment k = Enrolment.run();
        assertEquals(k.client().jointKey(), k.server().jointKey());
        assertNotEquals(Enrolment.run().client().jointKey(), k.client().jointKey());
    }

    @Test
    void aServerAnsweringS2ZeroS3OneIsCaught() {
        Enrolment k = Enrolment.run();
        ClientSigning signing = ClientSigning.start(k.client(), Sm2Signer.defaultId(), Enrolment.ascii("pay 100"));
        SignResponse honest = TwoPartyServer.sign(k.server(), signing.request());
        // s2 = 0 does not even parse: it is outside [1, n-1].
        byte[] wire = new SignResponse(honest.r(), BigInteger.ONE, BigInteger.ONE).toBytes();
        java.util.Arrays.fill(wire, 32, 64, (byte) 0);
        GmCryptoException parse = assertThrows(GmCryptoException.class, () -> SignResponse.fromBytes(wire));
        assertEquals(CryptoErrors.INVALID_SCALAR, parse.errorCode());
        assertThrows(GmCryptoException.class, () -> new SignResponse(honest.r(), BigInteger.ZERO, BigInteger.ONE));
        // Any other forged (s2, s3) is caught by the verification before release.
        GmCryptoException e = assertThrows(GmCryptoException.class,
                () -> signing.finish(new SignResponse(honest.r(), BigInteger.ONE, BigInteger.ONE)));
        assertEquals(CryptoErrors.COSIGNATURE_INVALID, e.errorCode());
        // The round is spent: the honest answer cannot be applied to the same k1 afterwards.
        assertThrows(IllegalStateException.class, () -> signing.finish(honest));
    }

    @Test
    void aWrongClientShareNeverYieldsASignature() {
        Enrolment k = Enrolment.run();
        byte[] stored = k.client().toBytes();
        stored[32] ^= 0x01; // alter d1, keep the joint key
        ClientKeyShare wrong = ClientKeyShare.fromBytes(stored);
        assertEquals(k.client().jointKey(), wrong.jointKey());
        for (int i = 0; i < 20; i++) {
            GmCryptoException e = assertThrows(GmCryptoException.class,
                    () -> Enrolment.cosign(wrong, k.server(), GmRandom.bytes(16)));
            assertEquals(CryptoErrors.COSIGNATURE_INVALID, e.errorCode());
        }
    }

    @Test
    void aWrongServerShareNeverYieldsASignature() {
        Enrolment k = Enrolment.run();
        Enrolment other = Enrolment.run();
        for (int i = 0; i < 20; i++) {
            GmCryptoException e = assertThrows(GmCryptoException.class,
                    () -> Enrolment.cosign(k.client(), other.server(), GmRandom.bytes(16)));
            assertEquals(CryptoErrors.COSIGNATURE_INVALID, e.errorCode());
        }
    }

    @Test
    void offCurveAndInfinityQ1AreRefused() {
        Enrolment k = Enrolment.run();
        byte[] wire = ClientSigning.start(k.client(), BigInteger.TEN).request().toBytes();
        wire[64] ^= 0x01;
        assertEquals(CryptoErrors.INVALID_POINT,
                assertThrows(GmCryptoException.class, () -> SignRequest.fromBytes(wire)).errorCode());
        assertThrows(GmCryptoException.class,
                () -> new SignRequest(Sm2Curve.DOMAIN.getCurve().getInfinity(), BigInteger.TEN));
        byte[] infinity = new byte[SignRequest.BYTES];
        assertThrows(GmCryptoException.class, () -> SignRequest.fromBytes(infinity));
        assertThrows(GmCryptoException.class, () -> SignRequest.fromBytes(new byte[SignRequest.BYTES - 1]));
    }

    @Test
    void outOfRangeScalarsInTheResponseAreRefused() {
        byte[] n = Sm2Curve.encodeScalar(Sm2Curve.N);
        byte[] ok = Sm2Curve.encodeScalar(BigInteger.TWO);
        for (int field = 0; field < 3; field++) {
            byte[] wire = new byte[SignResponse.BYTES];
            for (int j = 0; j < 3; j++) {
                System.arraycopy(j == field ? n : ok, 0, wire, 32 * j, 32);
            }
            assertEquals(CryptoErrors.INVALID_SCALAR,
                    assertThrows(GmCryptoException.class, () -> SignResponse.fromBytes(wire)).errorCode());
        }
        assertEquals(CryptoErrors.INVALID_SCALAR, assertThrows(GmCryptoException.class,
                () -> SignResponse.fromBytes(new byte[SignResponse.BYTES + 1])).errorCode());
    }

    @Test
    void messagesRoundTripThroughBytes() {
        Enrolment k = Enrolment.run();
        SignRequest req = ClientSigning.start(k.client(), new BigInteger(1, GmRandom.bytes(32))).request();
        assertEquals(req, SignRequest.fromBytes(req.toBytes()));
        SignResponse resp = TwoPartyServer.sign(k.server(), req);
        assertEquals(resp, SignResponse.fromBytes(resp.toBytes()));
        assertFalse(req.toString().isEmpty());
    }
}
