package io.gmgate.cosign;

import java.util.List;
import java.util.Map;

import org.bouncycastle.math.ec.ECPoint;

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
import io.gmgate.keystore.PinAttempt;
import io.gmgate.keystore.PinCounter;
import io.gmgate.keystore.PinStanding;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * Co-signing, confirmation and co-decryption (design §11; docs/cosign-api.md §4, §5.5, §5.6, §5.8).
 * Every signing attempt counts as a PIN try in the shard store until a confirmation — the signature
 * the client produced, checked under P against the attempt's e <em>and the attempt's own r</em> —
 * forgives it and this session's earlier tries. A confirmation that does not hold is counted too.
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
            PinAttempt counted = deps.shards().recordPinAttempt(r.account(), r.device(), r.session().id(), PinAttempt.Kind.SIGN);
            PinCounter counter = counted.counter();
            if (counter.locked()) {
                throw new CosignException(CosignErrors.PIN_LOCKED, "[cosign " + node() + "] keys of " + r.account() + "/" + r.device()
                        + " locked: " + settings.pinAttempts() + " signing attempts were never confirmed");
            }
            SignResponse response = TwoPartyServer.sign(share.share(), request);
            String attempt = deps.attempts().issue(keyId, key.keyVersion(), r.session().id(), counted.attemptId(), request.e(),
                    response.r());
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
     * Checks a confirmation; it forgives the PIN tries counted up to the attempt it confirms (design
     * §11, docs §4), and returns where the PIN then stands. An invalid confirmation throws COSIGN-147,
     * and one whose signature does not hold for the attempt's e and r is also counted as a PIN try.
     */
    PinStanding confirm(Request r, Fields confirm) {
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
            throw counted(r, "has a signature with r or s outside [1, n-1]");
        }
        // r first: a signature for e with any other r may be an existential forgery made from P alone.
        if (!sig.r().equals(a.r())) {
            throw counted(r, "has a signature whose r is not the one this attempt's co-signing round produced");
        }
        if (!Sm2Signer.verifyDigest(key.publicKey(), a.e(), sig)) {
            throw counted(r, "has a signature that does not verify under key " + key.keyId());
        }
        PinStanding standing = deps.shards().forgivePinAttempts(r.account(), r.device(), r.session().id(), a.pinAttempt());
        if (deps.nonces().firstUse("confirm:" + a.id(), deps.attempts().life())) {
            deps.operations().record(new OperationLog.Entry(now(), "CONFIRM", r.account(), r.device(), r.session().id(), key.keyId(),
                    key.keyVersion(), Sm2Curve.encodeScalar(a.e()), Sm2Curve.encodeScalar(sig.r()), Sm2Curve.encodeScalar(sig.s())));
        }
        return standing;
    }

    /** A confirmation that claims a signature it does not have is a PIN try like any other. */
    private CosignException counted(Request r, String why) {
        PinAttempt counted = deps.shards().recordPinAttempt(r.account(), r.device(), r.session().id(), PinAttempt.Kind.CONFIRM);
        return invalid(why + " (counted as a PIN try; " + views.pinTriesLeft(counted.counter()) + " left)");
    }

    /**
     * The PIN OPRF evaluation (design §11; docs §5.17): [k_s]B with the device's own key, counted as one
     * PIN try like a co-signing round and refused once the counter has locked. B is checked on the curve
     * and not infinity (COSIGN-104). Only a device with live keys has a PIN to try.
     */
    Map<String, Object> evaluatePin(Request r) {
        ECPoint blinded = parse("blinded", r.fields().binary("blinded"), Sm2Curve::decodePoint);
        List<KeyRecord> live = deps.shards().keys(r.account(), r.device()).stream().filter(k -> k.state() != io.gmgate.keystore.KeyState.DESTROYED
                && k.state() != io.gmgate.keystore.KeyState.REVOKED).toList();
        if (live.isEmpty()) {
            throw new CosignException(CosignErrors.NO_SUCH_KEY, "[cosign " + node() + "] " + r.account() + "/" + r.device()
                    + " has no live keys to evaluate a PIN for");
        }
        // An operator's lock is named first and costs no PIN try: only the operator can help, however right the PIN.
        if (live.stream().anyMatch(k -> k.lockedFor(io.gmgate.keystore.LockReason.OPERATOR))) {
            throw new CosignException(CosignErrors.KEY_LOCKED_BY_OPERATOR, "[cosign " + node() + "] keys of " + r.account() + "/"
                    + r.device() + " are locked by an operator");
        }
        PinAttempt counted = deps.shards().recordPinAttempt(r.account(), r.device(), r.session().id(), PinAttempt.Kind.EVALUATE);
        if (counted.counter().locked()) {
            throw new CosignException(CosignErrors.PIN_LOCKED, "[cosign " + node() + "] keys of " + r.account() + "/" + r.device()
                    + " locked: " + settings.pinAttempts() + " PIN tries were never confirmed");
        }
        ECPoint evaluated = deps.shards().evaluatePinOprf(r.account(), r.device(), blinded, ACTOR + ":" + node());
        return map("evaluated", KeyViews.b64(Sm2Curve.encodePoint(evaluated)), "pinTriesLeft", views.pinTriesLeft(counted.counter()));
    }

    /** Its confirmation's own standing: the forgiving transaction read what two more reads would. */
    Map<String, Object> confirmOnly(Request r) {
        PinCounter counter = r.confirmation().map(PinStanding::counter).orElseGet(() -> counter(r.account(), r.device()));
        return map("pinTriesLeft", views.pinTriesLeft(counter), "pinProven", r.pinProven());
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

    /**
     * The PIN is proven when this request carried a valid confirmation and no PIN try of this session
     * is left unforgiven (docs §4). Another session's tries do not block it; they stay counted.
     */
    void requirePinProven(Request r, String what) {
        if (!r.pinProven()) {
            throw new CosignException(CosignErrors.PIN_NOT_PROVEN, "[cosign " + node() + "] " + what + " for " + r.account() + "/"
                    + r.device() + " needs a confirmed co-signature in this request");
        }
    }

    private static CosignException invalid(String why) {
        return new CosignException(CosignErrors.CONFIRMATION_INVALID, "confirmation " + why);
    }
}
