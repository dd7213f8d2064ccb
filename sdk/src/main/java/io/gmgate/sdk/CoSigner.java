package io.gmgate.sdk;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.ClientSigning;
import io.gmgate.crypto.twoparty.SignResponse;

/**
 * Signs with the device's share and the server's, one round trip each (design §11). The signature
 * is verified under the joint key before it is used; a failure there means the PIN that unmasked
 * the share was wrong, and the server counts it. A good signature is confirmed to the server at once,
 * which forgives its try (and this session's earlier ones) before the caller sees the signature.
 */
public final class CoSigner {

    private final CosignClient client;
    private final long keyId;
    private final ClientKeyShare share;

    public CoSigner(CosignClient client, long keyId, ClientKeyShare share) {
        this.client = client;
        this.keyId = keyId;
        this.share = share;
    }

    ClientKeyShare share() {
        return share;
    }

    public Sm2PublicKey publicKey() {
        return share.jointKey();
    }

    /** Signs a message with Z over the joint key and the default ID (GB/T 32918.2). */
    public Sm2Signature sign(byte[] message) {
        return signDigest(Sm2Signer.e(share.jointKey(), Sm2Signer.defaultId(), message));
    }

    /** Signs e = SM3(Z‖M) computed by the caller (TLCP CertificateVerify, a CSR). */
    public Sm2Signature signDigest(BigInteger e) {
        return signDigest(e, false);
    }

    /**
     * As {@link #signDigest(byte[])}, with the confirmation sent but its answer read later (see
     * {@link CosignClient#confirmPipelined}): for a TLCP CertificateVerify, whose handshake goes on
     * while the confirmation is answered.
     */
    public Sm2Signature signDigestConfirmingLater(byte[] e) {
        return signDigest(new BigInteger(1, e), true);
    }

    private Sm2Signature signDigest(BigInteger e, boolean pipelined) {
        ClientSigning signing = ClientSigning.start(share, e);
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("keyId", keyId);
        req.put("request", Fields.b64(signing.request().toBytes()));
        Fields answer = client.call("sign", req);
        SignResponse response = SignResponse.fromBytes(answer.bytes("response"));
        try {
            Sm2Signature sig = signing.finish(response);
            if (pipelined) {
                client.confirmPipelined(answer.string("attempt"), sig.toRaw());
            } else {
                client.confirm(answer.string("attempt"), sig.toRaw());
            }
            return sig;
        } catch (GmCryptoException ex) {
            if (ex.errorCode() == CryptoErrors.COSIGNATURE_INVALID) {
                throw new SdkException(SdkErrors.WRONG_PIN, "co-signature did not verify; "
                        + answer.number("pinTriesLeft") + " tries left before the key locks", ex);
            }
            throw ex;
        }
    }

    public Sm2Signature signDigest(byte[] e) {
        return signDigest(new BigInteger(1, e));
    }
}
