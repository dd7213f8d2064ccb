package io.gmgate.crypto.twoparty;

import java.math.BigInteger;

import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2PublicKey;

/**
 * The cosign server's steps of two-party SM2 (design §11), as pure functions: no I/O, no storage.
 * Every received point and scalar was checked when its message was built; the service around this
 * adds session binding, single-use nonces, rate limits, the failure counter and audit.
 */
public final class TwoPartyServer {

    private TwoPartyServer() {
    }

    /** The server's share (to be stored encrypted <b>before</b> the response is sent) and the response. */
    public record KeyGenResult(ServerKeyShare share, KeyGenResponse response) {
    }

    /** Key generation step 2: checks π1, picks d2, returns P2, π2 and P = [d2^-1]P1 − G. */
    public static KeyGenResult keyGen(KeyGenBinding binding, KeyGenRequest request) {
        request.proof().verify(SchnorrProof.Role.CLIENT, binding, request.p1());
        while (true) {
            BigInteger d2 = Sm2Curve.randomScalar();
            BigInteger d2Inverse = d2.modInverse(Sm2Curve.N);
            ECPoint joint = request.p1().multiply(d2Inverse).subtract(Sm2Curve.G).normalize();
            if (joint.isInfinity()) {
                continue; // P = O would make the joint key d = 0: only when d2^-1 = d1, pick another d2
            }
            ECPoint p2 = Sm2Curve.multiplyG(d2Inverse);
            SchnorrProof proof = SchnorrProof.prove(SchnorrProof.Role.SERVER, binding, d2Inverse, p2);
            ServerKeyShare share = new ServerKeyShare(d2, Sm2PublicKey.of(joint));
            return new KeyGenResult(share, new KeyGenResponse(p2, proof, joint));
        }
    }

    /**
     * Key generation step 2's answer again, rebuilt from the stored share for the same binding: P2 and
     * P as before, a fresh π2. Lets the service answer a retried enrolment without keeping P2 anywhere.
     */
    public static KeyGenResponse keyGenAnswer(ServerKeyShare share, KeyGenBinding binding) {
        BigInteger d2Inverse = share.inverse();
        ECPoint p2 = Sm2Curve.multiplyG(d2Inverse);
        return new KeyGenResponse(p2, SchnorrProof.prove(SchnorrProof.Role.SERVER, binding, d2Inverse, p2), share.jointKey().point());
    }

    /**
     * Signing step 2: fresh k2, k3; R = [k3]Q1 + [k2]G; r = (e + x_R) mod n; s2 = d2·k3;
     * s3 = d2·(r + k2). Retries on r = 0 (and on the equally unlikely R = O or s3 = 0). The standard's
     * other retry, r + k = n, cannot be tested here: k = k1·k3 + k2 is known to nobody. If it
     * happens (probability ~2^-256) the client sees r + s = 0 and asks for a new round.
     */
    public static SignResponse sign(ServerKeyShare share, SignRequest request) {
        BigInteger n = Sm2Curve.N;
        BigInteger d2 = share.share();
        while (true) {
            BigInteger k2 = Sm2Curve.randomScalar();
            BigInteger k3 = Sm2Curve.randomScalar();
            // Interleaved [k2]G + [k3]Q1 shares the doublings: ~1.4x the throughput of comb + separate
            // multiply (docs/perf-crypto.md). Like BouncyCastle's own variable-base multiply it is wNAF,
            // not constant-time in k2, k3.
            ECPoint rPoint = ECAlgorithms.sumOfTwoMultiplies(Sm2Curve.G, k2, request.q1(), k3).normalize();
            if (rPoint.isInfinity()) {
                continue;
            }
            BigInteger r = request.e().add(rPoint.getAffineXCoord().toBigInteger()).mod(n);
            if (r.signum() == 0) {
                continue;
            }
            BigInteger s3 = d2.multiply(r.add(k2)).mod(n);
            if (s3.signum() == 0) {
                continue;
            }
            return new SignResponse(r, d2.multiply(k3).mod(n), s3);
        }
    }

    /**
     * Co-decryption: T2 = [d2^-1]T1. This is a fixed-key DH oracle for whoever holds the session, so
     * the service rate-limits and audits it (design §11).
     */
    public static DecryptResponse decrypt(ServerKeyShare share, DecryptRequest request) {
        return new DecryptResponse(request.t1().multiply(share.inverse()));
    }
}
