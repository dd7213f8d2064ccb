package io.gmgate.crypto.twoparty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2Signer;

/** Key generation: proofs bound to session, account and device; the joint key cannot be substituted. */
class KeyGenTest {

    private static final KeyGenBinding B = Enrolment.BINDING;

    @Test
    void aClientProofReplayedIntoAnotherSessionAccountOrDeviceIsRefused() {
        KeyGenRequest req = ClientKeyGen.start(B).request();
        for (KeyGenBinding other : List.of(
                new KeyGenBinding("sid-2", B.account(), B.device()),
                new KeyGenBinding(B.sessionId(), "acct-8002", B.device()),
                new KeyGenBinding(B.sessionId(), B.account(), "device-b"),
                // length prefixes: moving a character between fields changes the challenge
                new KeyGenBinding("sid-1a", "cct-8001", B.device()))) {
            GmCryptoException e = assertThrows(GmCryptoException.class, () -> TwoPartyServer.keyGen(other, req));
            assertEquals(CryptoErrors.PROOF_REJECTED, e.errorCode(), other.toString());
        }
        TwoPartyServer.keyGen(B, req); // and it does verify where it belongs
    }

    @Test
    void aServerProofFromAnotherSessionIsRefusedByTheClient() {
        ClientKeyGen client = ClientKeyGen.start(B);
        KeyGenBinding other = new KeyGenBinding("sid-9", B.account(), B.device());
        // A server that answers with its proof for another session: P and P2 are right, π2 is not.
        ClientKeyGen decoy = ClientKeyGen.start(other);
        KeyGenResponse forOther = TwoPartyServer.keyGen(other, decoy.request()).response();
        GmCryptoException e = assertThrows(GmCryptoException.class, () -> client.finish(forOther));
        assertEquals(CryptoErrors.PROOF_REJECTED, e.errorCode());
    }

    @Test
    void aReflectedClientProofDoesNotPassAsTheServers() {
        ClientKeyGen client = ClientKeyGen.start(B);
        KeyGenRequest req = client.request();
        ECPoint p = req.p1().multiply(BigInteger.TWO).subtract(Sm2Curve.G).normalize();
        KeyGenResponse reflected = new KeyGenResponse(req.p1(), req.proof(), p);
        assertEquals(CryptoErrors.PROOF_REJECTED,
                assertThrows(GmCryptoException.class, () -> client.finish(reflected)).errorCode());
    }

    @Test
    void aSubstitutedJointKeyIsRefused() {
        ClientKeyGen client = ClientKeyGen.start(B);
        KeyGenResponse honest = TwoPartyServer.keyGen(B, client.request()).response();
        ECPoint serversOwn = Sm2Curve.multiplyG(Sm2Curve.randomScalar());
        GmCryptoException e = assertThrows(GmCryptoException.class,
                () -> client.finish(new KeyGenResponse(honest.p2(), honest.proof(), serversOwn)));
        assertEquals(CryptoErrors.PUBLIC_KEY_MISMATCH, e.errorCode());
    }

    @Test
    void offCurveAndInfinityP1AndP2AreRefused() {
        byte[] req = ClientKeyGen.start(B).request().toBytes();
        byte[] bad = req.clone();
        bad[64] ^= 1; // P1.y
        assertEquals(CryptoErrors.INVALID_POINT,
                assertThrows(GmCryptoException.class, () -> KeyGenRequest.fromBytes(bad)).errorCode());
        byte[] badT = req.clone();
        badT[65 + 64] ^= 1; // proof commitment
        assertThrows(GmCryptoException.class, () -> KeyGenRequest.fromBytes(badT));

        ClientKeyGen c = ClientKeyGen.start(B);
        byte[] resp = TwoPartyServer.keyGen(B, c.request()).response().toBytes();
        byte[] badP2 = resp.clone();
        badP2[10] ^= 1; // P2.x
        assertThrows(GmCryptoException.class, () -> KeyGenResponse.fromBytes(badP2));
        byte[] badP = resp.clone();
        badP[resp.length - 1] ^= 1; // P.y
        assertThrows(GmCryptoException.class, () -> KeyGenResponse.fromBytes(badP));

        ECPoint inf = Sm2Curve.DOMAIN.getCurve().getInfinity();
        KeyGenRequest good = KeyGenRequest.fromBytes(req);
        assertThrows(GmCryptoException.class, () -> new KeyGenRequest(inf, good.proof()));
        assertThrows(GmCryptoException.class, () -> new SchnorrProof(inf, BigInteger.ONE));
    }

    @Test
    void anOutOfRangeProofResponseIsRefused() {
        byte[] req = ClientKeyGen.start(B).request().toBytes();
        System.arraycopy(Sm2Curve.encodeScalar(Sm2Curve.N), 0, req, 130, 32);
        assertEquals(CryptoErrors.INVALID_SCALAR,
                assertThrows(GmCryptoException.class, () -> KeyGenRequest.fromBytes(req)).errorCode());
    }

    @Test
    void aClientKeyGenIsSingleUse() {
        ClientKeyGen c = ClientKeyGen.start(B);
        KeyGenResponse resp = TwoPartyServer.keyGen(B, c.request()).response();
        c.finish(resp);
        assertThrows(IllegalStateException.class, () -> c.finish(resp));
    }

    @Test
    void sharesRoundTripThroughTheirStoredFormAndHideThemselves() {
        Enrolment k = Enrolment.run();
        ClientKeyShare c = ClientKeyShare.fromBytes(k.client().toBytes());
        ServerKeyShare s = ServerKeyShare.fromBytes(k.server().toBytes());
        assertArrayEquals(k.client().toBytes(), c.toBytes());
        assertTrue(Sm2Signer.verify(c.jointKey(), Enrolment.ascii("m"), Enrolment.cosign(c, s, Enrolment.ascii("m"))));
        assertEquals("ClientKeyShare[redacted]", c.toString());
        assertEquals("ServerKeyShare[redacted]", s.toString());
        assertTrue(new TwoPartyServer.KeyGenResult(s, null).toString().contains("[redacted]"));

        // a server share is not accepted as a client share, nor a corrupt one
        assertEquals(CryptoErrors.KEY_SHARE_MALFORMED,
                assertThrows(GmCryptoException.class, () -> ClientKeyShare.fromBytes(k.server().toBytes())).errorCode());
        byte[] zero = k.client().toBytes();
        java.util.Arrays.fill(zero, 1, 33, (byte) 0);
        assertEquals(CryptoErrors.KEY_SHARE_MALFORMED,
                assertThrows(GmCryptoException.class, () -> ClientKeyShare.fromBytes(zero)).errorCode());
        byte[] offCurve = k.client().toBytes();
        offCurve[offCurve.length - 1] ^= 1;
        assertThrows(GmCryptoException.class, () -> ClientKeyShare.fromBytes(offCurve));

        c.destroy();
        assertTrue(c.isDestroyed());
        assertThrows(IllegalStateException.class, c::toBytes);
        assertThrows(IllegalStateException.class, () -> Enrolment.cosign(c, s, Enrolment.ascii("m")));
    }
}
