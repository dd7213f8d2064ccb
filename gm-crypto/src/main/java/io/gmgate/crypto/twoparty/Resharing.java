package io.gmgate.crypto.twoparty;

import java.math.BigInteger;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;

/**
 * Re-sharing for "add a device" (design §4 step 7; protocol in the package documentation):
 * d1' = d1·ρ on the old device, d2' = d2·ρ^-1 on the server, so d1'·d2' = d1·d2 and P is unchanged.
 */
public final class Resharing {

    private Resharing() {
    }

    /** What the old device produces: ρ for the server, and the new device's share d1' to hand over. */
    public record Offer(ReshareRequest request, ClientKeyShare newDeviceShare) {
        @Override
        public String toString() {
            return "Resharing.Offer[redacted]";
        }
    }

    /** Old device → server: ρ (a uniform scalar that says nothing about d1). */
    public record ReshareRequest(BigInteger rho) {
        public ReshareRequest {
            Sm2Curve.requireScalar(rho, "rho");
        }

        public byte[] toBytes() {
            return Sm2Curve.encodeScalar(rho);
        }

        public static ReshareRequest fromBytes(byte[] in) {
            return new ReshareRequest(Sm2Curve.decodeScalar(in, "rho"));
        }

        @Override
        public String toString() {
            return "ReshareRequest[redacted]";
        }
    }

    /** The server's new record for the new device, and P2' = [d2'^-1]G for the new device to check. */
    public record ServerResult(ServerKeyShare newDeviceShare, ECPoint p2) {
    }

    /** Step 1, old device: ρ ← [1, n−1], d1' = d1·ρ. */
    public static Offer offer(ClientKeyShare oldShare) {
        BigInteger rho = Sm2Curve.randomScalar();
        ClientKeyShare fresh = new ClientKeyShare(oldShare.share().multiply(rho).mod(Sm2Curve.N), oldShare.jointKey());
        return new Offer(new ReshareRequest(rho), fresh);
    }

    /** Step 2, server: d2' = d2·ρ^-1 for a new record; the old device's record is left as it is. */
    public static ServerResult server(ServerKeyShare oldShare, ReshareRequest request) {
        BigInteger d2 = oldShare.share().multiply(request.rho().modInverse(Sm2Curve.N)).mod(Sm2Curve.N);
        ServerKeyShare fresh = new ServerKeyShare(d2, oldShare.jointKey());
        return new ServerResult(fresh, Sm2Curve.multiplyG(fresh.inverse()));
    }

    /** Step 3, new device: accepts d1' only if P == [d1'^-1]P2' − G (fails with COSIGN-005). */
    public static ClientKeyShare accept(ClientKeyShare received, ECPoint p2) {
        ECPoint checked = Sm2Curve.requireValidPoint(p2);
        ECPoint joint = checked.multiply(received.inverse()).subtract(Sm2Curve.G).normalize();
        if (joint.isInfinity() || !joint.equals(received.jointKey().point())) {
            throw new GmCryptoException(CryptoErrors.PUBLIC_KEY_MISMATCH,
                    "re-shared key does not match the joint key " + received.jointKey());
        }
        return received;
    }
}
