package io.gmgate.cosign;

import java.util.Map;

import io.gmgate.cosign.api.Fields;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.Sm3;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.twoparty.DecryptRequest;
import io.gmgate.crypto.twoparty.DecryptResponse;
import io.gmgate.crypto.twoparty.SignRequest;
import io.gmgate.crypto.twoparty.SignResponse;
import io.gmgate.crypto.twoparty.TwoPartyServer;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.PinCounter;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * Co-signing, confirmation and co-decryption (design §11; docs/cosign-api.md §4, §5.5, §5.6, §5.8).
 * Every signing attempt counts as a PIN failure in the shard store until a confirmation — the
 * signature the client produced, checked under P against the attempt's e — resets the counter.
 */
final class SignOps extends Ops {

    SignOps(CosignDeps deps, CosignSettings settings, KeyViews views, Limits limits) {
        super(deps, settings, views, limits);
    }

    Map<String, Object> sign(Request r) {
        Fields f = r.fields();
        SignRequest request = parse("request", f.binary("request"), SignRequest::fromBytes);
        long keyId = f.integer("keyId");
        // One read for the hot path: openShare loads the record with the share and refuses unusable keys.
        try (OpenedShare share = open(r, keyId)) {
            KeyRecord key = requireOwn(r, share.key());
            if (key.purpose() != Purpose.SIGN) {
                throw new CosignException(CosignErrors.WRONG_KEY, "[cosign " + node() + "] key " + keyId + " is an encryption key");
            }
            if (!views.isCertified(keyId)) {
                // A pending key signs only its own CSR, in the session that generated it (docs §5.5).
                boolean ownEnrolment = views.pendingEnrolment(keyId).map(e -> e.sessionId().equals(r.session().id())).orElse(false);
                if (!ownEnrolment) {
                    throw new CosignException(CosignErrors.WRONG_KEY, "[cosign " + node() + "] key " + keyId
                            + " is pending; only the session that generated it may use it");
                }
            }
            PinCounter counter = deps.shards().recordPinFailure(r.account(), r.device());
            if (counter.locked()) {
                throw new CosignException(CosignErrors.PIN_LOCKED, "[cosign " + node() + "] keys of " + r.account() + "/" + r.device()
                        + " locked: " + settings.pinAttempts() + " signing attempts were never confirmed");
            }
            SignResponse response = TwoPartyServer.sign(share.share(), request);
            String attempt = deps.attempts().issue(keyId, key.keyVersion(), r.session().id(), request.e());
            deps.operations().record(new OperationLog.Entry(now(), "SIGN", r.account(), r.device(), r.session().id(), keyId,
                    key.keyVersion(), Sm2Curve.encodeScalar(request.e()), Sm2Curve.encodeScalar(response.r()), null));
            return map("response", KeyViews.b64(response.toBytes()), "attempt", attempt,
                    "pinTriesLeft", Math.max(0, settings.pinAttempts() - counter.failures()));
        }
    }

    /** Opens a key's share, mapping the key store's refusals to the terminal's codes. */
    private OpenedShare open(Request r, long keyId) {
        try {
            return deps.shards().openShare(keyId);
        } catch (KeystoreException e) {
            if (e.errorCode().equals(io.gmgate.keystore.KeystoreErrors.NOT_FOUND)) {
                throw noSuchKey(r, keyId);
            }
            KeyRecord k = requireOwn(r, deps.shards().key(keyId));
            throw translate(e, k);
        }
    }

    /**
     * Checks a confirmation; the first time an attempt is confirmed it resets the device's PIN counter.
     * Returns true (invalid confirmations throw COSIGN-147).
     */
    boolean confirm(Request r, Fields confirm) {
        AttemptTokens.Attempt a = deps.attempts().check(confirm.text("attempt"), r.session().id());
        KeyRecord key;
        try {
            key = deps.shards().key(a.keyId());
        } catch (KeystoreException e) {
            throw invalid("names an unknown key");
        }
        if (!key.account().equals(r.account()) || !key.device().equals(r.device()) || key.keyVersion() != a.keyVersion()) {
            throw invalid("is for another key");
        }
        Sm2Signature sig;
        try {
            sig = Sm2Signature.fromRaw(confirm.binary("signature"));
        } catch (GmCryptoException e) {
            throw invalid("has a signature with r or s outside [1, n-1]");
        }
        if (!Sm2Signer.verifyDigest(key.publicKey(), a.e(), sig)) {
            throw invalid("has a signature that does not verify under key " + key.keyId());
        }
        if (deps.nonces().firstUse("confirm:" + a.id(), deps.attempts().life())) {
            deps.shards().resetPinFailures(r.account(), r.device());
            deps.operations().record(new OperationLog.Entry(now(), "CONFIRM", r.account(), r.device(), r.session().id(), key.keyId(),
                    key.keyVersion(), Sm2Curve.encodeScalar(a.e()), Sm2Curve.encodeScalar(sig.r()), Sm2Curve.encodeScalar(sig.s())));
        }
        return true;
    }

    Map<String, Object> confirmOnly(Request r) {
        PinCounter counter = counter(r.account(), r.device());
        return map("pinTriesLeft", views.pinTriesLeft(counter), "pinProven", pinProven(r, counter));
    }

    Map<String, Object> decrypt(Request r) {
        Fields f = r.fields();
        DecryptRequest request = parse("request", f.binary("request"), DecryptRequest::fromBytes);
        long keyId = f.integer("keyId");
        KeyRecord key = ownKey(r, keyId);
        if (key.purpose() != Purpose.ENCRYPT) {
            throw new CosignException(CosignErrors.WRONG_KEY, "[cosign " + node() + "] key " + keyId
                    + " is a sign key; co-decryption uses the encryption key only");
        }
        if (!key.state().usable()) {
            throw unusable(key);
        }
        requirePinProven(r, "co-decryption");
        limits.decrypt(r.account());
        DecryptResponse response;
        try (OpenedShare share = deps.shards().openShare(keyId)) {
            response = TwoPartyServer.decrypt(share.share(), request);
        } catch (KeystoreException e) {
            throw translate(e, key);
        }
        deps.operations().record(new OperationLog.Entry(now(), "DECRYPT", r.account(), r.device(), r.session().id(), keyId,
                key.keyVersion(), Sm3.digest(request.toBytes()), null, null));
        return map("response", KeyViews.b64(response.toBytes()));
    }

    /** The PIN is proven when this request carried a valid confirmation and no attempt is left unconfirmed (docs §4). */
    boolean pinProven(Request r, PinCounter counter) {
        return r.confirmed() && !counter.locked() && counter.failures() == 0;
    }

    void requirePinProven(Request r, String what) {
        if (!pinProven(r, counter(r.account(), r.device()))) {
            throw new CosignException(CosignErrors.PIN_NOT_PROVEN, "[cosign " + node() + "] " + what + " for " + r.account() + "/"
                    + r.device() + " needs a confirmed co-signature in this request");
        }
    }

    private static CosignException invalid(String why) {
        return new CosignException(CosignErrors.CONFIRMATION_INVALID, "confirmation " + why);
    }
}
