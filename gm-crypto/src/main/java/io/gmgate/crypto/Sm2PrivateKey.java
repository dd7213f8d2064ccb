package io.gmgate.crypto;

import java.math.BigInteger;

import javax.security.auth.Destroyable;

import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

/**
 * A whole SM2 private key d with its public key. Signing needs (1+d)^-1, so it is computed once here.
 * Used for the gateway's own keys in tests and software cards, and for keys that are not co-signed.
 */
public final class Sm2PrivateKey implements Destroyable {

    private BigInteger d;
    private BigInteger inverseOnePlusD;
    private final Sm2PublicKey publicKey;

    private Sm2PrivateKey(BigInteger d, Sm2PublicKey publicKey) {
        this.d = Sm2Curve.requireScalar(d, "private key");
        if (d.equals(Sm2Curve.N.subtract(BigInteger.ONE))) {
            // GB/T 32918.1 §6.1: d must be in [1, n-2], since 1+d must be invertible.
            throw new GmCryptoException(CryptoErrors.MALFORMED_KEY, "private key is n-1");
        }
        this.inverseOnePlusD = d.add(BigInteger.ONE).modInverse(Sm2Curve.N);
        this.publicKey = publicKey;
    }

    public static Sm2PrivateKey of(BigInteger d) {
        return new Sm2PrivateKey(d, Sm2PublicKey.of(Sm2Curve.multiplyG(d)));
    }

    public static Sm2PrivateKey generate() {
        BigInteger d;
        do {
            d = Sm2Curve.randomScalar();
        } while (d.equals(Sm2Curve.N.subtract(BigInteger.ONE)));
        return of(d);
    }

    public Sm2PublicKey publicKey() {
        return publicKey;
    }

    /** The raw scalar; callers that need it (PEM export, key splitting) zero what they derive from it. */
    public BigInteger d() {
        requireLive();
        return d;
    }

    BigInteger inverseOnePlusD() {
        requireLive();
        return inverseOnePlusD;
    }

    public ECPrivateKeyParameters toParameters() {
        return new ECPrivateKeyParameters(d(), Sm2Curve.DOMAIN);
    }

    @Override
    public void destroy() {
        d = null;
        inverseOnePlusD = null;
    }

    @Override
    public boolean isDestroyed() {
        return d == null;
    }

    private void requireLive() {
        if (d == null) {
            throw new IllegalStateException("SM2 private key has been destroyed");
        }
    }

    @Override
    public String toString() {
        return "Sm2PrivateKey[redacted]";
    }
}
