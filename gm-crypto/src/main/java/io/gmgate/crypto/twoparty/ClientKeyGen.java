package io.gmgate.crypto.twoparty;

import java.math.BigInteger;

import javax.security.auth.Destroyable;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2PublicKey;

/**
 * The client's side of one key generation (design §11 steps 1 and 3). Single use: after
 * {@link #finish} (successful or not) d1 lives only in the returned share.
 */
public final class ClientKeyGen implements Destroyable {

    private final KeyGenBinding binding;
    private final KeyGenRequest request;
    private BigInteger d1;

    private ClientKeyGen(KeyGenBinding binding, BigInteger d1) {
        this.binding = binding;
        this.d1 = d1;
        BigInteger d1Inverse = d1.modInverse(Sm2Curve.N);
        ECPoint p1 = Sm2Curve.multiplyG(d1Inverse);
        this.request = new KeyGenRequest(p1, SchnorrProof.prove(SchnorrProof.Role.CLIENT, binding, d1Inverse, p1));
    }

    /** Step 1: d1 ← [1, n−1], P1 = [d1^-1]G with proof π1 bound to the session, account and device. */
    public static ClientKeyGen start(KeyGenBinding binding) {
        return new ClientKeyGen(binding, Sm2Curve.randomScalar());
    }

    public KeyGenRequest request() {
        return request;
    }

    /**
     * Step 3: checks π2 under the same binding, and that P == [d1^-1]P2 − G, so the server cannot
     * substitute a key of its own. Keeps neither P2 nor the transcript (design §11).
     */
    public ClientKeyShare finish(KeyGenResponse response) {
        if (d1 == null) {
            throw new IllegalStateException("key generation already finished");
        }
        BigInteger share = d1;
        d1 = null;
        response.proof().verify(SchnorrProof.Role.SERVER, binding, response.p2());
        ECPoint expected = response.p2().multiply(share.modInverse(Sm2Curve.N)).subtract(Sm2Curve.G).normalize();
        if (expected.isInfinity() || !expected.equals(response.jointKey())) {
            throw new GmCryptoException(CryptoErrors.PUBLIC_KEY_MISMATCH,
                    "joint key from the server differs from [d1^-1]P2 - G for account '" + binding.account()
                            + "' device '" + binding.device() + "'");
        }
        return new ClientKeyShare(share, Sm2PublicKey.of(expected));
    }

    @Override
    public void destroy() {
        d1 = null;
    }

    @Override
    public boolean isDestroyed() {
        return d1 == null;
    }

    @Override
    public String toString() {
        return "ClientKeyGen[redacted]";
    }
}
