package io.gmgate.crypto.twoparty;

import java.math.BigInteger;

import io.gmgate.crypto.Sm2PublicKey;

/** The client's (terminal's) share d1 with d1^-1 and the joint key P. The SDK stores it under a PIN-derived key. */
public final class ClientKeyShare extends KeyShare {

    private static final byte TAG = 0x01;

    ClientKeyShare(BigInteger d1, Sm2PublicKey jointKey) {
        super(d1, jointKey);
    }

    @Override
    byte tag() {
        return TAG;
    }

    public static ClientKeyShare fromBytes(byte[] stored) {
        Stored f = parse(stored, TAG, "client key share");
        return new ClientKeyShare(f.share(), f.jointKey());
    }
}
