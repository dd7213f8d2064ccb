package io.gmgate.crypto.twoparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2PublicKey;

/** Design §11's OPRF over the PIN: hash to curve, blinding, unblinding, and the points it refuses. */
class PinOprfTest {

    private static final byte[] CONTEXT = "acct\0desk-1".getBytes(StandardCharsets.UTF_8);

    @Test
    void hashToCurveGivesAPointOnTheCurveThatDependsOnPinAndContext() {
        for (int i = 0; i < 200; i++) {
            ECPoint h = PinOprf.hashToCurve(String.format("%06d", i).toCharArray(), CONTEXT);
            assertTrue(h.isValid() && !h.isInfinity(), "H(" + i + ") on sm2p256v1");
        }
        ECPoint a = PinOprf.hashToCurve("123456".toCharArray(), CONTEXT);
        assertEquals(a, PinOprf.hashToCurve("123456".toCharArray(), CONTEXT), "deterministic");
        assertNotEquals(a, PinOprf.hashToCurve("123457".toCharArray(), CONTEXT));
        assertNotEquals(a, PinOprf.hashToCurve("123456".toCharArray(), "acct\0desk-2".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(a, Sm2Curve.G);
    }

    @Test
    void unblindingGivesTheSameMaskWhateverTheBlindingAndTheServerSeesOnlyRandomPoints() {
        BigInteger ks = Sm2Curve.randomScalar();
        PinOprf.Blinded one = PinOprf.blind("135790".toCharArray(), CONTEXT);
        PinOprf.Blinded two = PinOprf.blind("135790".toCharArray(), CONTEXT);
        assertNotEquals(one.request(), two.request(), "each request is freshly blinded");
        assertNotEquals(PinOprf.hashToCurve("135790".toCharArray(), CONTEXT), one.request(), "H(PIN) itself never leaves");
        BigInteger[] both = one.finish(PinOprf.evaluate(ks, one.request()), "sign", "enc");
        BigInteger m1 = both[0];
        assertNotEquals(both[0], both[1], "each key its own mask");
        BigInteger m2 = two.finish(PinOprf.evaluate(ks, two.request()), "sign")[0];
        assertEquals(m1, m2, "[ρ^-1][k_s][ρ]H = [k_s]H");
        assertEquals(PinOprf.mask("135790".toCharArray(), PinOprf.hashToCurve("135790".toCharArray(), CONTEXT).multiply(ks).normalize(),
                CONTEXT, "sign"), m1);

        PinOprf.Blinded wrongPin = PinOprf.blind("135791".toCharArray(), CONTEXT);
        assertNotEquals(m1, wrongPin.finish(PinOprf.evaluate(ks, wrongPin.request()), "sign")[0]);
        PinOprf.Blinded otherKey = PinOprf.blind("135790".toCharArray(), CONTEXT);
        assertNotEquals(m1, otherKey.finish(PinOprf.evaluate(Sm2Curve.randomScalar(), otherKey.request()), "sign")[0],
                "without this server's k_s the PIN gives another mask");
        assertThrows(IllegalStateException.class, () -> one.finish(PinOprf.evaluate(ks, one.request()), "sign"), "single use");
    }

    @Test
    void aShareMaskedWithTheOprfUnmasksWithTheRightPinOnly() {
        BigInteger ks = Sm2Curve.randomScalar();
        BigInteger d1 = Sm2Curve.randomScalar();
        ClientKeyShare share = new ClientKeyShare(d1, Sm2PublicKey.of(Sm2Curve.multiplyG(Sm2Curve.randomScalar())));
        PinOprf.Blinded b = PinOprf.blind("246810".toCharArray(), CONTEXT);
        byte[] stored = PinMaskedShare.maskWithOprf(share, b.finish(PinOprf.evaluate(ks, b.request()), "sign")[0]);
        PinOprf.Blinded again = PinOprf.blind("246810".toCharArray(), CONTEXT);
        assertEquals(d1, PinMaskedShare.unmaskWithOprf(stored, share.jointKey(), again.finish(PinOprf.evaluate(ks, again.request()), "sign")[0])
                .share());
        PinOprf.Blinded wrong = PinOprf.blind("246811".toCharArray(), CONTEXT);
        assertNotEquals(d1, PinMaskedShare.unmaskWithOprf(stored, share.jointKey(), wrong.finish(PinOprf.evaluate(ks, wrong.request()), "sign")[0])
                .share());
    }

    @Test
    void pointsOffTheCurveOrAtInfinityAreRefusedOnBothSides() {
        BigInteger ks = Sm2Curve.randomScalar();
        ECPoint infinity = Sm2Curve.DOMAIN.getCurve().getInfinity();
        assertEquals("COSIGN-001", assertThrows(GmCryptoException.class, () -> PinOprf.evaluate(ks, infinity)).errorCode().code());
        byte[] bad = Sm2Curve.encodePoint(Sm2Curve.G);
        bad[64] ^= 1;
        assertEquals("COSIGN-001", assertThrows(GmCryptoException.class, () -> Sm2Curve.decodePoint(bad)).errorCode().code(),
                "a point off the curve never reaches evaluate: its decoding refuses it");
        PinOprf.Blinded b = PinOprf.blind("000000".toCharArray(), CONTEXT);
        assertEquals("COSIGN-001", assertThrows(GmCryptoException.class, () -> b.finish(infinity, "sign")).errorCode().code());
        assertThrows(GmCryptoException.class, () -> PinOprf.evaluate(BigInteger.ZERO, b.request()), "a zero key is refused");
    }
}
