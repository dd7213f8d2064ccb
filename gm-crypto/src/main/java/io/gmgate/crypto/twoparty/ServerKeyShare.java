package io.gmgate.crypto.twoparty;

import java.math.BigInteger;

import io.gmgate.crypto.Sm2PublicKey;

/** The cosign server's share d2 with d2^-1 and the joint key P. keystore-shards stores it SM4-GCM encrypted. */
public final class ServerKeyShare extends KeyShare {

    private static final byte TAG = 0x02;

    ServerKeyShare(BigInteger d2, Sm2PublicKey jointKey) {
        super(d2, jointKey);
    }

    @Override
    byte tag() {
        return TAG;
    }

    public static ServerKeyShare fromBytes(byte[] stored) {
        Stored f = parse(stored, TAG, "server key share");
        return new ServerKeyShare(f.share(), f.jointKey());
    }
}
