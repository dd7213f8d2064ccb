package io.gmgate.crypto.twoparty;

import java.math.BigInteger;

import javax.security.auth.Destroyable;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;

/**
 * The client's side of one co-signature (design §11 signing steps 1 and 3). Single use: k1 is
 * dropped by {@link #finish} whatever the outcome, since two answers for one k1 would give the
 * server two equations in d1·k1 and d1.
 */
public final class ClientSigning implements Destroyable {

    private final ClientKeyShare share;
    private final BigInteger e;
    private final SignRequest request;
    private BigInteger k1;

    private ClientSigning(ClientKeyShare share, BigInteger e) {
        this.share = share;
        this.e = e;
        this.k1 = Sm2Curve.randomScalar();
        ECPoint q1 = Sm2Curve.multiplyG(k1);
        this.request = new SignRequest(q1, e);
    }

    /** Step 1 for a digest e = SM3(Z‖M) already computed with the joint key. */
    public static ClientSigning start(ClientKeyShare share, BigInteger e) {
        return new ClientSigning(share, e);
    }

    /** Step 1 for a message: e = SM3(Z‖M) with Z over the joint key P and the given user ID. */
    public static ClientSigning start(ClientKeyShare share, byte[] id, byte[] message) {
        return new ClientSigning(share, Sm2Signer.e(share.jointKey(), id, message));
    }

    public SignRequest request() {
        return request;
    }

    /**
     * Step 3: s = d1·k1·s2 + d1·s3 − r mod n, then verifies (r, s) under P before releasing it:
     * a server answering s2 = 0, s3 = 1 would otherwise learn d1 = s + r. Fails with COSIGN-004 if
     * the signature is invalid (wrong share, i.e. wrong PIN, or a faulty server), COSIGN-006 on the
     * s = 0 or r + s = n cases the standard discards.
     */
    public Sm2Signature finish(SignResponse response) {
        if (k1 == null) {
            throw new IllegalStateException("co-signing round already finished");
        }
        BigInteger k = k1;
        k1 = null;
        BigInteger n = Sm2Curve.N;
        BigInteger r = response.r();
        BigInteger s = share.share().multiply(k.multiply(response.s2()).add(response.s3())).subtract(r).mod(n);
        if (s.signum() == 0 || r.add(s).equals(n)) {
            throw new GmCryptoException(CryptoErrors.COSIGNATURE_RETRY, "co-signature discarded (s = 0 or r + s = n)");
        }
        Sm2Signature sig = new Sm2Signature(r, s);
        if (!Sm2Signer.verifyDigest(share.jointKey(), e, sig)) {
            throw new GmCryptoException(CryptoErrors.COSIGNATURE_INVALID,
                    "co-signature does not verify under joint key " + share.jointKey());
        }
        return sig;
    }

    @Override
    public void destroy() {
        k1 = null;
    }

    @Override
    public boolean isDestroyed() {
        return k1 == null;
    }

    @Override
    public String toString() {
        return "ClientSigning[redacted]";
    }
}
