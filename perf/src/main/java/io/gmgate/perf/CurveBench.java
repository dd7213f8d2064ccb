package io.gmgate.perf;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.gmgate.crypto.Sm2Curve;

/**
 * The curve operations the protocol steps are made of, on points decoded afresh (as from the wire)
 * so that BouncyCastle's per-point precomputation cache does not flatter the variable-base cases.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CurveBench {

    private static final FixedPointCombMultiplier BOUNCY_CASTLE_COMB = new FixedPointCombMultiplier();

    private byte[] pointBytes;
    private BigInteger a;
    private BigInteger b;

    @Setup
    public void setup() {
        pointBytes = Sm2Curve.encodePoint(Sm2Curve.multiplyG(Sm2Curve.randomScalar()));
        a = Sm2Curve.randomScalar();
        b = Sm2Curve.randomScalar();
    }

    @Benchmark
    public BigInteger randomScalar() {
        return Sm2Curve.randomScalar();
    }

    @Benchmark
    public ECPoint decodePoint() {
        return Sm2Curve.decodePoint(pointBytes);
    }

    /** [a]G with the precomputed comb (four tables of 32: GeneratorComb). */
    @Benchmark
    public ECPoint fixedBase() {
        return Sm2Curve.multiplyG(a);
    }

    /** [a]G with BouncyCastle's comb (one table of 64), which {@link #fixedBase} replaced: side by side. */
    @Benchmark
    public ECPoint fixedBaseBouncyCastle() {
        return BOUNCY_CASTLE_COMB.multiply(Sm2Curve.G, a).normalize();
    }

    /** [a]Q for a fresh Q. */
    @Benchmark
    public ECPoint variableBase() {
        return Sm2Curve.decodePoint(pointBytes).multiply(a).normalize();
    }

    /** [a]G + [b]Q interleaved (Shamir's trick), fresh Q: the server co-sign step's core. */
    @Benchmark
    public ECPoint sumOfTwo() {
        return ECAlgorithms.sumOfTwoMultiplies(Sm2Curve.G, a, Sm2Curve.decodePoint(pointBytes), b).normalize();
    }

    /** The same as comb + variable-base, the first version of the server step. */
    @Benchmark
    public ECPoint combPlusVariable() {
        return Sm2Curve.multiplyG(a).add(Sm2Curve.decodePoint(pointBytes).multiply(b)).normalize();
    }
}
