package io.gmgate.cosign;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.gmgate.cosign.identity.Identity;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.error.GmgateException;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.LockReason;
import io.gmgate.keystore.PinCounter;
import io.gmgate.keystore.ShareBinding.Purpose;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** What the operation classes share: the dependencies, key checks, message parsing and identity re-checks. */
abstract class Ops {

    static final String ACTOR = "cosign";

    final CosignDeps deps;
    final CosignSettings settings;
    final KeyViews views;
    final Limits limits;

    Ops(CosignDeps deps, CosignSettings settings, KeyViews views, Limits limits) {
        this.deps = deps;
        this.settings = settings;
        this.views = views;
        this.limits = limits;
    }

    Instant now() {
        return deps.clock().instant();
    }

    String node() {
        return settings.node();
    }

    /** Parses a gm-crypto message; a bad point, scalar or proof is COSIGN-104 naming the field. */
    static <T> T parse(String field, byte[] bytes, Function<byte[], T> parser) {
        try {
            return parser.apply(bytes);
        } catch (GmCryptoException | IllegalArgumentException e) {
            throw new CosignException(CosignErrors.BAD_MESSAGE, "field '" + field + "': " + e.getMessage(), e);
        }
    }

    /** The device's PIN counter; a device the key store does not know yet has a clean one. */
    PinCounter counter(String account, String device) {
        try {
            return deps.shards().pinCounter(account, device);
        } catch (KeystoreException e) {
            if (e.errorCode().equals(KeystoreErrors.NOT_FOUND)) {
                return new PinCounter(account, device, 0, settings.shardStoreLockThreshold(), false);
            }
            throw e;
        }
    }

    void ensureDevice(String account, String device) {
        try {
            deps.shards().createDevice(account, device, ACTOR);
        } catch (KeystoreException e) {
            if (!e.errorCode().equals(KeystoreErrors.ALREADY_EXISTS)) {
                throw e;
            }
        }
    }

    /** A key of this account and device, or COSIGN-140 (no hint whether it exists elsewhere). */
    KeyRecord ownKey(Request r, long keyId) {
        KeyRecord k;
        try {
            k = deps.shards().key(keyId);
        } catch (KeystoreException e) {
            if (e.errorCode().equals(KeystoreErrors.NOT_FOUND)) {
                throw noSuchKey(r, keyId);
            }
            throw e;
        }
        return requireOwn(r, k);
    }

    KeyRecord requireOwn(Request r, KeyRecord k) {
        if (!k.account().equals(r.account()) || !k.device().equals(r.device())) {
            throw noSuchKey(r, k.keyId());
        }
        return k;
    }

    CosignException noSuchKey(Request r, long keyId) {
        return new CosignException(CosignErrors.NO_SUCH_KEY, "[cosign " + node() + "] no key " + keyId + " for "
                + r.account() + "/" + r.device());
    }

    /** Maps a key that cannot be used to the terminal's code: PIN lock, user/operator lock, revoked. */
    GmgateException unusable(KeyRecord k) {
        String who = "[cosign " + node() + "] " + purposeName(k.purpose()) + " key " + k.keyId() + " of " + k.account() + "/" + k.device();
        if (k.state() == KeyState.DESTROYED || k.state() == KeyState.REVOKED) {
            return new CosignException(CosignErrors.KEY_REVOKED, who + " is " + k.state());
        }
        // The strongest reason first: the one the trader cannot lift himself.
        if (k.lockedFor(LockReason.OPERATOR)) {
            return new CosignException(CosignErrors.KEY_LOCKED_BY_OPERATOR, who + " is locked by an operator " + k.lockReasons());
        }
        if (k.lockedFor(LockReason.PIN) || counter(k.account(), k.device()).locked()) {
            return new CosignException(CosignErrors.PIN_LOCKED, who + " is locked after " + settings.pinAttempts()
                    + " unconfirmed signing attempts " + k.lockReasons());
        }
        return new CosignException(CosignErrors.KEY_LOCKED, who + " is locked " + k.lockReasons());
    }

    /** Keystore refusals of an unusable key become the terminal's codes. */
    RuntimeException translate(KeystoreException e, KeyRecord k) {
        if (e.errorCode().equals(KeystoreErrors.KEY_NOT_USABLE) || e.errorCode().equals(KeystoreErrors.PIN_LOCKED)
                || e.errorCode().equals(KeystoreErrors.DESTROYED) || e.errorCode().equals(KeystoreErrors.LOCKED_BY_OPERATOR)
                || e.errorCode().equals(KeystoreErrors.LOCKED_BY_HOLDER)) {
            return (RuntimeException) unusable(deps.shards().key(k.keyId()));
        }
        return e;
    }

    static String purposeName(Purpose p) {
        return KeyViews.purpose(p);
    }

    /**
     * Checks a password against the login limits (per account, per real client address): a failure keeps
     * the address's token, and the account's only if the account exists.
     */
    Identity verifyCounted(String account, char[] password, String device, String address) {
        limits.beforeLogin(account, address);
        Identity id;
        try {
            id = deps.identity().verify(account, password, device, address);
        } catch (CosignException e) {
            if (e.errorCode().equals(CosignErrors.LOGIN_FAILED)) {
                limits.loginFailed(account, deps.accounts().find(account).isPresent());
            }
            throw e;
        }
        limits.loginSucceeded(account, address);
        return id;
    }

    /** Identity re-check of a sensitive operation: a wrong password is COSIGN-116 and a failed login. */
    Identity recheck(Request r, String password) {
        char[] pw = password.toCharArray();
        try {
            return verifyCounted(r.account(), pw, r.device(), r.address());
        } catch (CosignException e) {
            if (e.errorCode().equals(CosignErrors.LOGIN_FAILED)) {
                throw new CosignException(CosignErrors.IDENTITY_RECHECK_FAILED, "[cosign " + node() + "] identity re-check of "
                        + r.account() + " failed");
            }
            throw e;
        } finally {
            java.util.Arrays.fill(pw, '\0');
        }
    }

    /** Operators' device approvals and the new-device notices (stateless over the node's database). */
    io.gmgate.cosign.pg.PgDeviceApprovals approvals() {
        return new io.gmgate.cosign.pg.PgDeviceApprovals(deps.jdbc());
    }

    void audit(String action, KeyRecord k, String detail) {
        deps.audit().append(io.gmgate.keystore.AuditEvent.aboutKey(ACTOR + ":" + node(), action, k, detail));
    }

    void audit(String action, String account, String device, String detail) {
        deps.audit().append(new io.gmgate.keystore.AuditEvent(ACTOR + ":" + node(), action, account, device, null, null, detail, null));
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String json(Map<String, Object> body) {
        return Json.encode(body);
    }

    static Map<String, Object> fromJson(String text) {
        return new LinkedHashMap<>(new JsonObject(text).getMap());
    }

    static <T> T first(List<T> list) {
        return list.isEmpty() ? null : list.get(0);
    }

    static boolean same(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
