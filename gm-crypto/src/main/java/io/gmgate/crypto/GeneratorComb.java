package io.gmgate.crypto;

import java.math.BigInteger;

import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.raw.Nat;

/**
 * [k]G by a comb of {@value #TABLES} tables of 2^{@value #TEETH} points, for every signature's
 * nonce point and every key generated. BouncyCastle's {@code FixedPointCombMultiplier} uses one
 * table of 64: 43 doublings, 43 additions and 43 constant-time scans of 64 entries. Four tables of
 * 32 take 13 doublings, 52 additions and 52 scans of 32, about a quarter less time for 8 KiB of
 * table (docs/perf-gateway.md, "Fifth pass"; five shapes were measured).
 *
 * <p>Bit {@code (tooth·TABLES + table)·COLUMNS + column} of k selects tooth {@code tooth} of table
 * {@code table} in column {@code column}. Every entry also holds one G so that none is the point at
 * infinity, and the sum of those extra Gs is taken off at the end, as BouncyCastle's comb does. The
 * table index is computed without branches and read by BouncyCastle's cache-safe lookup, which
 * touches every entry.
 */
final class GeneratorComb {

    private static final int TEETH = 5;
    private static final int TABLES = 4;
    private static final int COLUMNS = (256 + TEETH * TABLES - 1) / (TEETH * TABLES);
    private static final int BITS = TEETH * TABLES * COLUMNS;

    private final ECCurve curve;
    private final BigInteger order;
    private final ECLookupTable[] tables = new ECLookupTable[TABLES];
    private final ECPoint offsetCorrection;

    GeneratorComb(ECPoint g, BigInteger order) {
        this.curve = g.getCurve();
        this.order = order;
        ECPoint[] teeth = new ECPoint[TEETH * TABLES];
        teeth[0] = g;
        for (int i = 1; i < teeth.length; i++) {
            teeth[i] = teeth[i - 1].timesPow2(COLUMNS);
        }
        curve.normalizeAll(teeth);
        for (int t = 0; t < TABLES; t++) {
            ECPoint[] entries = new ECPoint[1 << TEETH];
            entries[0] = g;
            for (int tooth = TEETH - 1; tooth >= 0; tooth--) {
                int step = 1 << tooth;
                for (int i = step; i < entries.length; i += step << 1) {
                    entries[i] = entries[i - step].add(teeth[tooth * TABLES + t]);
                }
            }
            curve.normalizeAll(entries);
            tables[t] = curve.createCacheSafeLookupTable(entries, 0, entries.length);
        }
        BigInteger extraGs = BigInteger.ONE.shiftLeft(COLUMNS).subtract(BigInteger.ONE).multiply(BigInteger.valueOf(TABLES));
        this.offsetCorrection = g.multiply(extraGs).negate().normalize();
    }

    /** [k]G, normalised, for k in [1, n-1]. */
    ECPoint multiply(BigInteger k) {
        if (k.signum() <= 0 || k.compareTo(order) >= 0) {
            throw new IllegalArgumentException("scalar outside [1, n-1]");
        }
        int[] bits = Nat.fromBigInteger(BITS, k);
        ECPoint r = curve.getInfinity();
        for (int column = COLUMNS - 1; column >= 0; column--) {
            r = r.twice();
            for (int t = 0; t < TABLES; t++) {
                int index = 0;
                for (int tooth = TEETH - 1; tooth >= 0; tooth--) {
                    int at = (tooth * TABLES + t) * COLUMNS + column;
                    index = (index << 1) | ((bits[at >>> 5] >>> (at & 31)) & 1);
                }
                r = r.add(tables[t].lookup(index));
            }
        }
        ECPoint result = r.add(offsetCorrection).normalize();
        if (!result.isValid()) {
            throw new IllegalStateException("[k]G left the curve: a fault in the multiplication");
        }
        return result;
    }
}
