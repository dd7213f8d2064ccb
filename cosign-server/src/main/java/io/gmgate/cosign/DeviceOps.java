package io.gmgate.cosign;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.ca.RevocationReason;
import io.gmgate.cosign.api.Fields;
import io.gmgate.cosign.api.Schemas;
import io.gmgate.cosign.pg.PgCertificates;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.twoparty.DecryptRequest;
import io.gmgate.crypto.twoparty.Resharing;
import io.gmgate.crypto.twoparty.TwoPartyServer;
import io.gmgate.keystore.CertificateLink;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.LockReason;
import io.gmgate.keystore.OpenedShare;
import io.gmgate.keystore.PinCounter;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * PIN reset, adding a device, lock/unlock and revocation (design §4 step 7; docs/cosign-api.md §5.9,
 * 5.10, 5.12, 5.13). Re-sharing (gm-crypto {@link Resharing}) gives a device fresh shares of the same
 * keys: d2' = d2·ρ^-1 on the server, d1' = d1·ρ on the device, so P and the certificates stay.
 */
final class DeviceOps extends Ops {

    /** How long after /v1/pin/reset/start its session may finish the reset. */
    private static final java.time.Duration RESET_WINDOW = java.time.Duration.ofMinutes(15);

    private final SignOps signing;
    private final EnrolOps enrolment;

    DeviceOps(CosignDeps deps, CosignSettings settings, KeyViews views, Limits limits, SignOps signing, EnrolOps enrolment) {
        super(deps, settings, views, limits);
        this.signing = signing;
        this.enrolment = enrolment;
    }

    /** A re-shared key record and the P2' = [d2'^-1]G the receiving device checks. */
    private record Reshared(KeyRecord record, ECPoint p2) {
        Map<String, Object> toJson() {
            return map("keyId", record.keyId(), "version", record.keyVersion(), "p2", KeyViews.b64(Sm2Curve.encodePoint(p2)));
        }
    }

    // --- PIN reset ---------------------------------------------------------------------------------

    Map<String, Object> pinResetStart(Request r) {
        recheck(r, r.fields().text("password"));
        limits.pinReset(r.account());
        List<KeyRecord> keys = deps.shards().keys(r.account(), r.device());
        if (keys.stream().anyMatch(k -> k.lockedFor(LockReason.OPERATOR))) {
            throw new CosignException(CosignErrors.UNLOCK_NOT_ALLOWED, "[cosign " + node() + "] " + r.account() + "/" + r.device()
                    + " is locked by an operator: a PIN reset cannot lift that");
        }
        PinCounter counter = counter(r.account(), r.device());
        boolean pinLocked = counter.locked() || keys.stream().anyMatch(k -> k.lockedFor(LockReason.PIN));
        if (pinLocked) {
            // Lifts the PIN reason only (and clears the counter); the trader's own lock stays until he unlocks.
            deps.shards().unlock(r.account(), r.device(), LockReason.PIN, ACTOR + ":" + node(), "PIN reset after identity re-check");
        }
        // Remembered durably, so finish on any node knows this session re-checked the identity. The row
        // stays for the window (a finish retried after a lost answer still finds it); older ones go here.
        deps.jdbc().update("purge PIN reset starts", "DELETE FROM cosign_pin_resets WHERE started_at < ?",
                java.sql.Timestamp.from(now().minus(java.time.Duration.ofDays(1))));
        deps.jdbc().update("record PIN reset start of " + r.account(), "INSERT INTO cosign_pin_resets (session_id, account, device, "
                + "started_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET started_at = EXCLUDED.started_at",
                r.session().id(), r.account(), r.device(), java.sql.Timestamp.from(now()));
        audit("pin-reset-start", r.account(), r.device(), "identity re-checked; PIN lock lifted: " + pinLocked);
        return map("triesAllowed", settings.pinAttempts());
    }

    private void requireResetStarted(Request r) {
        boolean started = deps.jdbc().one("read PIN reset start of " + r.account(), "SELECT 1 FROM cosign_pin_resets WHERE session_id = ? "
                + "AND account = ? AND device = ? AND started_at > ?", rs -> true, r.session().id(), r.account(), r.device(),
                java.sql.Timestamp.from(now().minus(RESET_WINDOW))).isPresent();
        if (!started) {
            throw new CosignException(CosignErrors.PIN_RESET_NOT_STARTED, "[cosign " + node() + "] " + r.account() + "/" + r.device()
                    + ": no PIN reset started in session " + r.session().id() + " within " + RESET_WINDOW.toMinutes() + " minutes");
        }
    }

    Map<String, Object> pinResetFinish(Request r) {
        Fields f = r.fields();
        Resharing.ReshareRequest signRho = parse("sign", f.binary("sign"), Resharing.ReshareRequest::fromBytes);
        Resharing.ReshareRequest encRho = parse("enc", f.binary("enc"), Resharing.ReshareRequest::fromBytes);
        requireResetStarted(r);
        signing.requirePinProven(r, "PIN reset");
        KeyRecord signKey = ownKey(r, f.integer("signKeyId"));
        KeyRecord encKey = ownKey(r, f.integer("encKeyId"));
        if (signKey.purpose() != Purpose.SIGN || encKey.purpose() != Purpose.ENCRYPT) {
            throw new CosignException(CosignErrors.WRONG_KEY, "[cosign " + node() + "] signKeyId and encKeyId name keys of the wrong purpose");
        }
        // New versions first, old ones destroyed after: a retry after a crash finds and reuses what was made.
        Reshared sign = reshareInPlace(signKey, signRho);
        Reshared enc = reshareInPlace(encKey, encRho);
        for (KeyRecord old : List.of(signKey, encKey)) {
            if (deps.shards().key(old.keyId()).state() != KeyState.DESTROYED) {
                enrolment.destroyQuietly(old.keyId(), "replaced by PIN reset re-share");
            }
        }
        // The PIN those counted tries guessed is gone with the old shares: the new PIN starts clean.
        deps.shards().resetPinFailures(r.account(), r.device());
        audit("pin-reset", sign.record(), "re-shared sign " + signKey.keyId() + "->" + sign.record().keyId() + ", enc "
                + encKey.keyId() + "->" + enc.record().keyId());
        return map("sign", sign.toJson(), "enc", enc.toJson());
    }

    private Reshared reshareInPlace(KeyRecord old, Resharing.ReshareRequest rho) {
        KeyRecord current = deps.shards().key(old.keyId());
        Optional<KeyRecord> newer = deps.shards().keys(old.account(), old.device()).stream()
                .filter(k -> k.keyId() > old.keyId() && k.purpose() == old.purpose() && k.state() != KeyState.DESTROYED
                        && k.publicKey().equals(old.publicKey())).reduce((a, b) -> b);
        if (current.state() == KeyState.DESTROYED) {
            // An earlier run re-shared and destroyed it, then died before answering.
            KeyRecord made = newer.orElseThrow(() -> unusable(current));
            return new Reshared(made, p2Of(made));
        }
        if (newer.isPresent()) {
            ECPoint expected = expectedP2(old, rho);
            ECPoint found = p2Of(newer.get());
            if (found.equals(expected)) {
                return new Reshared(newer.get(), found);
            }
        }
        return reshare(old, old.device(), rho);
    }

    private Reshared reshare(KeyRecord source, String targetDevice, Resharing.ReshareRequest rho) {
        try (OpenedShare share = deps.shards().openShare(source.keyId())) {
            Resharing.ServerResult result = Resharing.server(share.share(), rho);
            try {
                KeyRecord made = deps.shards().storeKey(source.account(), targetDevice, source.purpose(), result.newDeviceShare(),
                        ACTOR + ":reshare");
                for (CertificateLink l : deps.shards().certificates(source.keyId())) {
                    enrolment.link(made.keyId(), l.issuer(), l.serial());
                }
                return new Reshared(made, result.p2());
            } finally {
                result.newDeviceShare().destroy();
            }
        } catch (KeystoreException e) {
            throw translate(e, source);
        }
    }

    /** P2' = [d2'^-1]G of a stored record: the co-decryption step applied to G. */
    private ECPoint p2Of(KeyRecord k) {
        try (OpenedShare share = deps.shards().openShare(k.keyId())) {
            return TwoPartyServer.decrypt(share.share(), new DecryptRequest(Sm2Curve.G)).t2().normalize();
        } catch (KeystoreException e) {
            throw translate(e, k);
        }
    }

    private ECPoint expectedP2(KeyRecord old, Resharing.ReshareRequest rho) {
        try (OpenedShare share = deps.shards().openShare(old.keyId())) {
            Resharing.ServerResult result = Resharing.server(share.share(), rho);
            result.newDeviceShare().destroy();
            return result.p2().normalize();
        } catch (KeystoreException e) {
            throw translate(e, old);
        }
    }

    // --- add a device ------------------------------------------------------------------------------

    Map<String, Object> addDevice(Request r) {
        Fields f = r.fields();
        String text = deps.idempotency().run(r.account(), f.text("idempotencyKey"), "devices/add", f.digest(Schemas.ENVELOPE),
                () -> json(add(r)));
        return fromJson(text);
    }

    private Map<String, Object> add(Request r) {
        Fields f = r.fields();
        String newDevice = f.text("newDevice");
        Resharing.ReshareRequest signRho = parse("sign", f.binary("sign"), Resharing.ReshareRequest::fromBytes);
        Resharing.ReshareRequest encRho = parse("enc", f.binary("enc"), Resharing.ReshareRequest::fromBytes);
        signing.requirePinProven(r, "adding a device");
        List<KeyViews.DeviceKey> keys = views.deviceKeys(r.account(), r.device());
        KeyViews.DeviceKey sign = views.currentSignKey(keys).orElseThrow(() -> new CosignException(CosignErrors.NO_SUCH_KEY,
                "[cosign " + node() + "] " + r.account() + "/" + r.device() + " is not enrolled"));
        KeyViews.DeviceKey enc = views.currentEncKey(keys).orElseThrow(() -> new CosignException(CosignErrors.NO_SUCH_KEY,
                "[cosign " + node() + "] " + r.account() + "/" + r.device() + " has no encryption key"));
        for (KeyViews.DeviceKey d : List.of(sign, enc)) {
            if (!d.key().state().usable()) {
                throw unusable(d.key());
            }
        }
        if (newDevice.equals(r.device())) {
            throw new CosignException(CosignErrors.DEVICE_EXISTS, "[cosign " + node() + "] the new device must differ from this one");
        }
        ensureDevice(r.account(), newDevice);
        Reshared s = reshareTo(sign.key(), newDevice, signRho);
        Reshared e = reshareTo(enc.key(), newDevice, encRho);
        audit("device-added", s.record(), "from " + r.device() + " keys " + sign.key().keyId() + "/" + enc.key().keyId());
        approvals().notice(r.account(), newDevice, "added from device " + r.device());
        return map("newDevice", newDevice, "sign", s.toJson(), "enc", e.toJson(), "certificates", KeyViews.certificates(sign.pair()));
    }

    /** The new device's record for this key; one made by an earlier, interrupted run with the same ρ is reused. */
    private Reshared reshareTo(KeyRecord source, String newDevice, Resharing.ReshareRequest rho) {
        List<KeyRecord> there = deps.shards().keys(source.account(), newDevice).stream()
                .filter(k -> k.state() != KeyState.DESTROYED && k.purpose() == source.purpose()).toList();
        if (!there.isEmpty()) {
            KeyRecord k = there.get(there.size() - 1);
            if (k.publicKey().equals(source.publicKey()) && p2Of(k).equals(expectedP2(source, rho))) {
                return new Reshared(k, p2Of(k));
            }
            throw new CosignException(CosignErrors.DEVICE_EXISTS, "[cosign " + node() + "] device " + newDevice + " of "
                    + source.account() + " already has keys");
        }
        return reshare(source, newDevice, rho);
    }

    // --- lock, unlock, revoke ----------------------------------------------------------------------

    private String target(Request r) {
        String target = r.fields().optText("target").orElse(r.device());
        if (!target.equals(r.device()) && enrolment.deviceNames(r.account()).stream().noneMatch(target::equals)) {
            throw new CosignException(CosignErrors.NO_SUCH_DEVICE, "[cosign " + node() + "] no device " + target + " for " + r.account());
        }
        return target;
    }

    Map<String, Object> lock(Request r) {
        String target = target(r);
        String note = r.fields().optText("reason").orElse("");
        // Added to whatever locks are there already, so a later PIN reset or operator unlock cannot lift it.
        deps.shards().lock(r.account(), target, LockReason.TRADER, ACTOR + ":" + r.account(), "locked by the trader from "
                + r.device() + (note.isEmpty() ? "" : ": " + note));
        return map("keys", infos(r.account(), target));
    }

    Map<String, Object> unlock(Request r) {
        recheck(r, r.fields().text("password"));
        String target = target(r);
        if (deps.shards().keys(r.account(), target).stream().noneMatch(k -> k.lockedFor(LockReason.TRADER))) {
            throw new CosignException(CosignErrors.UNLOCK_NOT_ALLOWED, "[cosign " + node() + "] " + r.account() + "/" + target
                    + " has no lock set by the trader (a PIN lock is lifted by the PIN reset, an operator's by the operator)");
        }
        // Lifts the trader's reason only: a PIN or operator lock on the same keys stays, and KeyInfo names it.
        deps.shards().unlock(r.account(), target, LockReason.TRADER, ACTOR + ":" + r.account(), "unlocked by the trader from " + r.device());
        return map("keys", infos(r.account(), target));
    }

    Map<String, Object> revoke(Request r) {
        recheck(r, r.fields().text("password"));
        String target = target(r);
        boolean wholeCertificate = r.fields().text("scope").equals("certificate");
        RevocationReason reason = reason(r.fields().optText("reason").orElse("unspecified"));
        List<KeyRecord> targetKeys = deps.shards().keys(r.account(), target).stream()
                .filter(k -> k.state() != KeyState.DESTROYED).toList();
        List<KeyRecord> signKeys = targetKeys.stream().filter(k -> k.purpose() == Purpose.SIGN).toList();
        List<String> revoked = new ArrayList<>();
        for (KeyRecord sign : signKeys) {
            List<KeyRecord> everywhere = enrolment.sameKeys(sign);
            boolean lastHolder = everywhere.stream().allMatch(k -> k.device().equals(target));
            PgCertificates.Pair pair = views.latestPair(sign);
            if (pair != null && pair.revokedAt() == null && (wholeCertificate || lastHolder)) {
                deps.ca().revoke(new BigInteger(pair.signSerial(), 16), reason);
                deps.certificates().markRevoked(pair.signSerial(), now());
                revoked.add(pair.signSerial());
                revoked.add(pair.encSerial());
            }
        }
        List<KeyRecord> toDestroy = new ArrayList<>(targetKeys);
        if (wholeCertificate) {
            for (KeyRecord k : enrolment.sameKeys(targetKeys.toArray(KeyRecord[]::new))) {
                if (toDestroy.stream().noneMatch(t -> t.keyId() == k.keyId())) {
                    toDestroy.add(k);
                }
            }
        }
        for (KeyRecord k : toDestroy) {
            enrolment.destroyQuietly(k.keyId(), "revoked by the trader (" + r.fields().text("scope") + ", " + reason + ")");
        }
        audit("revoke", r.account(), target, "scope " + r.fields().text("scope") + ", serials " + revoked);
        return map("keys", infos(r.account(), target), "revokedSerials", revoked);
    }

    private static RevocationReason reason(String name) {
        String snake = name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            return RevocationReason.valueOf(snake);
        } catch (IllegalArgumentException e) {
            throw new CosignException(CosignErrors.INVALID_FIELD, "revoke: field 'reason' must be an RFC 5280 reason name "
                    + "(unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn)");
        }
    }

    private List<Map<String, Object>> infos(String account, String device) {
        return views.keyInfos(account, device, views.deviceKeys(account, device), counter(account, device), now());
    }
}
