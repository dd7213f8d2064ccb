package io.gmgate.cosign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.gmgate.cosign.api.Fields;
import io.gmgate.cosign.identity.Identity;
import io.gmgate.jdbc.Jdbc;
import io.gmgate.cosign.state.LoginSession;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.PinCounter;

/** Login, logout, nonces, status and password change (docs/cosign-api.md §5.1–5.3, 5.14, 5.15). */
final class SessionOps extends Ops {

    private final long nonceLifeSeconds;
    private final long sessionIdleSeconds;

    SessionOps(CosignDeps deps, CosignSettings settings, KeyViews views, Limits limits, long nonceLifeSeconds,
               long sessionIdleSeconds) {
        super(deps, settings, views, limits);
        this.nonceLifeSeconds = nonceLifeSeconds;
        this.sessionIdleSeconds = sessionIdleSeconds;
    }

    Map<String, Object> login(Fields f, String address) {
        String account = f.text("account");
        String device = f.text("device");
        char[] password = f.text("password").toCharArray();
        Identity id;
        try {
            id = verifyCounted(account, password, device, address);
        } finally {
            Arrays.fill(password, '\0');
        }
        boolean first = deps.accounts().recordLogin(id.account());
        LoginSession s = deps.sessions().open(id.account(), device, id.mustChangePassword());
        Instant now = now();
        List<KeyViews.DeviceKey> keys = views.deviceKeys(s.account(), device);
        PinCounter counter = counter(s.account(), device);
        Map<String, Object> body = sessionFields(s);
        body.put("nonce", deps.nonces().issue(s.id()));
        body.put("nonceExpiresInSeconds", nonceLifeSeconds);
        body.put("account", s.account());
        body.put("device", device);
        body.put("firstLogin", first);
        body.put("mustChangePassword", id.mustChangePassword());
        body.put("enrolled", views.enrolled(keys));
        body.put("keys", views.keyInfos(s.account(), device, keys, counter, now));
        body.put("pinTriesLeft", views.pinTriesLeft(counter));
        List<Map<String, Object>> warnings = views.warnings(s.account(), keys, now);
        // A device added to the account is told to its other enrolled devices at their next login (docs/terminal.md);
        // a device without a certificate (the new one, or another newcomer) is not the trader's known device.
        for (var n : views.enrolled(keys) ? approvals().deliver(s.account(), device, now)
                : List.<io.gmgate.cosign.pg.PgDeviceApprovals.Notice>of()) {
            warnings.add(KeyViews.warning(CosignErrors.NEW_DEVICE_NOTICE, "device " + n.device() + " was added to account "
                    + s.account() + " at " + n.at() + " (" + n.via() + ")", null));
        }
        body.put("warnings", warnings);
        return body;
    }

    private Map<String, Object> sessionFields(LoginSession s) {
        return map("session", s.token(), "sessionId", s.id(), "sessionExpiresInSeconds", sessionIdleSeconds);
    }

    /** Ends the session: the answer carries no next nonce (docs §5.2). */
    Outcome logout(Request r) {
        deps.sessions().close(r.fields().text("session"));
        deps.nonces().forget(r.session().id());
        return Outcome.noNextNonce(map());
    }

    Map<String, Object> nonces(LoginSession s, Fields f) {
        int count = (int) (long) f.optInteger("count").orElse(1L);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(deps.nonces().issue(s.id()));
        }
        return map("nonces", out, "nonceExpiresInSeconds", nonceLifeSeconds);
    }

    Map<String, Object> status(Request r) {
        Instant now = now();
        List<KeyViews.DeviceKey> keys = views.deviceKeys(r.account(), r.device());
        PinCounter counter = counter(r.account(), r.device());
        var sign = views.currentSignKey(keys);
        var pair = sign.map(KeyViews.DeviceKey::pair).orElse(null);
        Map<String, Object> renewal = map("windowOpen", pair != null && views.windowOpen(pair.notAfter(), now),
                "pendingUntil", pair == null ? null : views.pendingRenewalUntil(pair.signSerial(), now).map(Object::toString)
                        .orElse(null));
        return map("account", r.account(), "device", r.device(),
                "keys", views.keyInfos(r.account(), r.device(), keys, counter, now),
                "certificates", KeyViews.certificates(pair),
                "devices", devices(r.account()),
                "pinTriesLeft", views.pinTriesLeft(counter),
                "pinProven", r.pinProven(),
                "renewal", renewal,
                "warnings", views.warnings(r.account(), keys, now));
    }

    /** All devices of the account, from the key store's device table (read only), with a state from their keys. */
    private List<Map<String, Object>> devices(String account) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var d : deps.jdbc().query("list devices of " + account, "SELECT device, created_at FROM ks_devices WHERE account = ? "
                + "ORDER BY created_at", rs -> map("device", rs.getString(1), "createdAt", Jdbc.instant(rs, "created_at").toString()),
                account)) {
            String device = (String) d.get("device");
            var keys = deps.shards().keys(account, device);
            String state = keys.stream().anyMatch(k -> k.state() == KeyState.ACTIVE) ? "ACTIVE"
                    : keys.stream().anyMatch(k -> k.state() == KeyState.LOCKED) ? "LOCKED"
                    : keys.isEmpty() ? "NONE" : "REVOKED";
            d.put("state", state);
            out.add(d);
        }
        return out;
    }

    /**
     * Password change: re-checks the old one, ends every session of the account, opens a new one for this
     * device; the answer's next nonce belongs to the new session (docs §5.15).
     */
    Outcome password(Request r) {
        if (!deps.identity().managesPasswords()) {
            throw new CosignException(CosignErrors.PASSWORD_CHANGE_UNSUPPORTED, "[cosign " + node() + "] account "
                    + r.account() + " is managed by " + deps.identity().name());
        }
        String oldPassword = r.fields().text("oldPassword");
        String newPassword = r.fields().text("newPassword");
        if (newPassword.length() < 8 || newPassword.equals(oldPassword) || newPassword.equalsIgnoreCase(r.account())) {
            throw new CosignException(CosignErrors.PASSWORD_TOO_WEAK, "[cosign " + node() + "] new password of " + r.account()
                    + " refused (" + newPassword.length() + " characters)");
        }
        recheck(r, oldPassword);
        char[] pw = newPassword.toCharArray();
        try {
            deps.accounts().setPassword(r.account(), pw, false);
        } finally {
            Arrays.fill(pw, '\0');
        }
        audit("password-change", r.account(), r.device(), "");
        deps.sessions().closeAll(r.account());
        LoginSession s = deps.sessions().open(r.account(), r.device(), false);
        return Outcome.nextNonceFor(s.id(), sessionFields(s));
    }
}
