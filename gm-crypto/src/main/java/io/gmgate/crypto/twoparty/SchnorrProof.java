package io.gmgate.crypto.twoparty;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.Pack;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;

/**
 * A non-interactive Schnorr proof of knowledge of x with X = [x]G (Fiat–Shamir): commitment
 * T = [t]G, response z = t + c·x mod n, where the challenge c hashes, with SM3, a domain label, the
 * prover's role and the binding (session, account, device), X and T, each field length-prefixed so
 * no two different inputs hash alike. The role keeps a server from reflecting a client's proof.
 */
public record SchnorrProof(ECPoint commitment, BigInteger response) {

    static final int BYTES = Wire.POINT + Wire.SCALAR;
    private static final byte[] DOMAIN = "gmgate/two-party-sm2/schnorr/v1".getBytes(StandardCharsets.US_ASCII);

    /** Who made the proof; part of the challenge. */
    public enum Role { CLIENT, SERVER }

    public SchnorrProof {
        commitment = Sm2Curve.requireValidPoint(commitment);
        Sm2Curve.requireScalar(response, "proof response");
    }

    static SchnorrProof prove(Role role, KeyGenBinding binding, BigInteger x, ECPoint publicPoint) {
        while (true) {
            BigInteger t = Sm2Curve.randomScalar();
            ECPoint commitment = Sm2Curve.multiplyG(t);
            BigInteger c = challenge(role, binding, publicPoint, commitment);
            BigInteger z = t.add(c.multiply(x)).mod(Sm2Curve.N);
            if (z.signum() != 0) {
                return new SchnorrProof(commitment, z);
            }
        }
    }

    /** Checks [z]G == T + [c]X; fails with COSIGN-003 otherwise. */
    void verify(Role role, KeyGenBinding binding, ECPoint publicPoint) {
        BigInteger c = challenge(role, binding, publicPoint, commitment);
        // [z]G − [c]X must equal T
        ECPoint lhs = ECAlgorithms.sumOfTwoMultiplies(Sm2Curve.G, response, publicPoint, Sm2Curve.N.subtract(c));
        if (!lhs.normalize().equals(commitment)) {
            throw new GmCryptoException(CryptoErrors.PROOF_REJECTED,
                    "proof of the " + role.name().toLowerCase() + " key share does not verify for account '"
                            + binding.account() + "' device '" + binding.device() + "'");
        }
    }

    static BigInteger challenge(Role role, KeyGenBinding b, ECPoint x, ECPoint t) {
        SM3Digest sm3 = new SM3Digest();
        field(sm3, DOMAIN);
        field(sm3, role.name().getBytes(StandardCharsets.US_ASCII));
        field(sm3, b.sessionId().getBytes(StandardCharsets.UTF_8));
        field(sm3, b.account().getBytes(StandardCharsets.UTF_8));
        field(sm3, b.device().getBytes(StandardCharsets.UTF_8));
        field(sm3, Sm2Curve.encodePoint(x));
        field(sm3, Sm2Curve.encodePoint(t));
        byte[] out = new byte[32];
        sm3.doFinal(out, 0);
        return new BigInteger(1, out).mod(Sm2Curve.N);
    }

    private static void field(SM3Digest sm3, byte[] value) {
        sm3.update(Pack.intToBigEndian(value.length), 0, 4);
        sm3.update(value, 0, value.length);
    }

    public byte[] toBytes() {
        return Wire.writer(BYTES).point(commitment).scalar(response).bytes();
    }

    public static SchnorrProof fromBytes(byte[] in) {
        Wire w = Wire.reader(in, BYTES, "Schnorr proof");
        return new SchnorrProof(w.readPoint(), w.readScalar("proof response"));
    }

    static SchnorrProof read(Wire w) {
        return new SchnorrProof(w.readPoint(), w.readScalar("proof response"));
    }
}
