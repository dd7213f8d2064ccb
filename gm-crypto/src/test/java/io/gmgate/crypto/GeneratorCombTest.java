package io.gmgate.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

class GeneratorCombTest {

    private static final BigInteger N = Sm2Curve.N;
    private final FixedPointCombMultiplier bouncyCastle = new FixedPointCombMultiplier();

    @Test
    void itAgreesWithBouncyCastlesCombOnRandomScalars() {
        SplittableRandom random = new SplittableRandom(20261208);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            BigInteger k = new BigInteger(1, bytes).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            assertEquals(expected(k), Sm2Curve.multiplyG(k), "k = " + k.toString(16));
        }
    }

    @Test
    void itAgreesOnTheEdgesOfTheScalarRangeAndOfEveryComb() {
        List<BigInteger> edges = new ArrayList<>(List.of(BigInteger.ONE, BigInteger.TWO, N.subtract(BigInteger.ONE),
                N.subtract(BigInteger.TWO), N.shiftRight(1), BigInteger.ONE.shiftLeft(255)));
        for (int bit = 0; bit < 256; bit++) {
            edges.add(BigInteger.ONE.shiftLeft(bit)); // each tooth of each table alone
            BigInteger belowIt = BigInteger.ONE.shiftLeft(bit + 1).subtract(BigInteger.ONE);
            if (belowIt.compareTo(N) < 0) {
                edges.add(belowIt); // every tooth up to it at once
            }
        }
        for (BigInteger k : edges) {
            assertEquals(expected(k), Sm2Curve.multiplyG(k), "k = " + k.toString(16));
        }
    }

    @Test
    void itRefusesScalarsOutsideTheGroup() {
        for (BigInteger k : List.of(BigInteger.ZERO, N, N.add(BigInteger.ONE), BigInteger.ONE.negate(), BigInteger.ONE.shiftLeft(300))) {
            assertThrows(IllegalArgumentException.class, () -> Sm2Curve.multiplyG(k), "k = " + k);
        }
    }

    private ECPoint expected(BigInteger k) {
        return bouncyCastle.multiply(Sm2Curve.G, k).normalize();
    }
}
