package io.gmgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/** Signature and key encodings round-trip; points and scalars from outside are checked. */
class EncodingAndValidationTest {

    private final Sm2PrivateKey key = Sm2PrivateKey.generate();

    @Test
    void signatureDerAndRawRoundTrip() {
        for (int i = 0; i < 50; i++) {
            Sm2Signature sig = Sm2Signer.sign(key, GmRandom.bytes(i));
            assertEquals(sig, Sm2Signature.fromDer(sig.toDer()));
            byte[] raw = sig.toRaw();
            assertEquals(64, raw.length);
            assertEquals(sig, Sm2Signature.fromRaw(raw));
        }
    }

    @Test
    void malformedSignaturesAreRefused() {
        assertThrows(GmCryptoException.class, () -> Sm2Signature.fromRaw(new byte[63]));
        assertThrows(GmCryptoException.class, () -> Sm2Signature.fromRaw(new byte[64])); // r = s = 0
        assertThrows(GmCryptoException.class, () -> Sm2Signature.fromDer(new byte[] {0x30, 0x03, 0x02, 0x01}));
        assertThrows(GmCryptoException.class, () -> new Sm2Signature(Sm2Curve.N, BigInteger.ONE));
    }

    @Test
    void pemRoundTrips() {
        String priv = GmPem.privateKeyToPem(key);
        assertTrue(priv.startsWith("-----BEGIN PRIVATE KEY-----"));
        Sm2PrivateKey back = GmPem.privateKeyFromPem(priv);
        assertEquals(key.d(), back.d());
        assertEquals(key.publicKey(), back.publicKey());

        String pub = GmPem.publicKeyToPem(key.publicKey());
        assertTrue(pub.startsWith("-----BEGIN PUBLIC KEY-----"));
        assertEquals(key.publicKey(), GmPem.publicKeyFromPem(pub));
        assertArrayEquals(key.publicKey().encoded(), GmPem.publicKeyFromSpki(GmPem.toSpki(key.publicKey())).encoded());
    }

    @Test
    void garbagePemIsMalformedKey() {
        GmCryptoException e = assertThrows(GmCryptoException.class,
                () -> GmPem.privateKeyFromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
        assertEquals(CryptoErrors.MALFORMED_KEY, e.errorCode());
        assertThrows(GmCryptoException.class, () -> GmPem.publicKeyFromPem("no pem here"));
    }

    @Test
    void offCurvePointsAreRefused() {
        byte[] enc = key.publicKey().encoded();
        enc[64] ^= 1; // y no longer matches x
        GmCryptoException e = assertThrows(GmCryptoException.class, () -> Sm2Curve.decodePoint(enc));
        assertEquals(CryptoErrors.INVALID_POINT, e.errorCode());
        assertThrows(GmCryptoException.class, () -> Sm2PublicKey.decode(enc));
        assertThrows(GmCryptoException.class, () -> Sm2Curve.decodePoint(Arrays.copyOf(enc, 40)));
        assertThrows(GmCryptoException.class, () -> Sm2Curve.decodePoint(new byte[0]));
        ECPoint raw = Sm2Curve.DOMAIN.getCurve().createPoint(BigInteger.ONE, BigInteger.TWO);
        assertEquals(CryptoErrors.INVALID_POINT,
                assertThrows(GmCryptoException.class, () -> Sm2Curve.requireValidPoint(raw)).errorCode());
    }

    @Test
    void pointsOnOtherCurveObjectsAreMovedOntoOursOrRefused() {
        ECPoint generic = org.bouncycastle.asn1.gm.GMNamedCurves.getByName("sm2p256v1").getG().multiply(BigInteger.TEN);
        ECPoint moved = Sm2Curve.requireValidPoint(generic);
        assertTrue(moved.getCurve() == Sm2Curve.DOMAIN.getCurve());
        assertEquals(Sm2Curve.multiplyG(BigInteger.TEN), moved);
        ECPoint p256 = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256r1").getG();
        assertEquals(CryptoErrors.INVALID_POINT,
                assertThrows(GmCryptoException.class, () -> Sm2Curve.requireValidPoint(p256)).errorCode());
    }

    @Test
    void infinityIsRefused() {
        ECPoint inf = Sm2Curve.DOMAIN.getCurve().getInfinity();
        assertEquals(CryptoErrors.INVALID_POINT,
                assertThrows(GmCryptoException.class, () -> Sm2Curve.requireValidPoint(inf)).errorCode());
        assertThrows(GmCryptoException.class, () -> Sm2Curve.decodePoint(new byte[] {0x00}));
        assertThrows(GmCryptoException.class, () -> Sm2PublicKey.of(inf));
    }

    @Test
    void scalarsOutsideOneToNMinusOneAreRefused() {
        for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE.negate(), Sm2Curve.N,
                Sm2Curve.N.add(BigInteger.ONE), BigInteger.TWO.pow(256)}) {
            assertEquals(CryptoErrors.INVALID_SCALAR,
                    assertThrows(GmCryptoException.class, () -> Sm2Curve.requireScalar(bad, "k")).errorCode());
        }
        assertEquals(BigInteger.ONE, Sm2Curve.requireScalar(BigInteger.ONE, "k"));
        assertThrows(GmCryptoException.class, () -> Sm2Curve.decodeScalar(new byte[31], "k"));
        assertThrows(GmCryptoException.class, () -> Sm2Curve.decodeScalar(Sm2Curve.encodeScalar(BigInteger.ZERO), "k"));
        assertThrows(GmCryptoException.class, () -> Sm2PrivateKey.of(Sm2Curve.N.subtract(BigInteger.ONE)));
    }

    @Test
    void destroyedKeyNoLongerSignsAndHidesItself() {
        Sm2PrivateKey k = Sm2PrivateKey.generate();
        assertEquals("Sm2PrivateKey[redacted]", k.toString());
        k.destroy();
        assertTrue(k.isDestroyed());
        assertThrows(IllegalStateException.class, () -> Sm2Signer.sign(k, new byte[1]));
    }
}
