package io.gmgate.policy;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.gmgate.crypto.Sm2SignKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.error.GmgateException;

/** The signed form that travels: 4-byte body length ‖ body ‖ DER SM2 signature (default ID). */
public final class SignedPolicy {

    private SignedPolicy() {
    }

    /** Signs with the firm's policy key (in the cipher card on the server side). */
    public static byte[] sign(AccessPolicy policy, Sm2SignKey key) {
        byte[] body = policy.encode();
        byte[] e = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32,
                Sm2Signer.e(key.publicKey(), Sm2Signer.defaultId(), body));
        byte[] sig = key.signDigest(e).toDer();
        return ByteBuffer.allocate(4 + body.length + sig.length).putInt(body.length).put(body).put(sig).array();
    }

    public static byte[] body(byte[] signed) {
        if (signed.length < 4) {
            throw unsigned("too short");
        }
        int n = ByteBuffer.wrap(signed).getInt();
        if (n < 0 || n > signed.length - 4) {
            throw unsigned("body length " + n);
        }
        return Arrays.copyOfRange(signed, 4, 4 + n);
    }

    public static Sm2Signature signature(byte[] signed) {
        int n = ByteBuffer.wrap(signed).getInt();
        try {
            return Sm2Signature.fromDer(Arrays.copyOfRange(signed, 4 + n, signed.length));
        } catch (RuntimeException e) {
            throw unsigned("no valid signature");
        }
    }

    static GmgateException unsigned(String why) {
        return new GmgateException(PolicyErrors.POLICY_UNSIGNED, "access policy refused: " + why);
    }
}
