package io.gmgate.cosign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.gmgate.cosign.pg.PgCertificates;
import io.gmgate.cosign.pg.PgEnrolments;
import io.gmgate.error.ErrorCode;
import io.gmgate.keystore.CertificateLink;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.LockReason;
import io.gmgate.keystore.PinCounter;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * How a device's keys look to the terminal (docs/cosign-api.md §5: KeyInfo, Certificates, warnings):
 * key records from the shard store, certificate links, the certificates cosign handed out, enrolment
 * state, PIN counter and lock reasons put together.
 */
final class KeyViews {

    /** A key record with its certificate pair (null while pending). */
    record DeviceKey(KeyRecord key, PgCertificates.Pair pair, boolean pending) {
        boolean sign() {
            return key.purpose() == Purpose.SIGN;
        }
    }

    private final CosignDeps deps;
    private final CosignSettings settings;
    /** Key ids known to be certified: a key never becomes uncertified, so a positive cache is safe. */
    private final Set<Long> certified = ConcurrentHashMap.newKeySet();

    KeyViews(CosignDeps deps, CosignSettings settings) {
        this.deps = deps;
        this.settings = settings;
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String purpose(Purpose p) {
        return p == Purpose.SIGN ? "SIGN" : "ENC";
    }

    /** True if the key has a certificate (not pending). One read until it does, none after. */
    boolean isCertified(long keyId) {
        if (certified.contains(keyId)) {
            return true;
        }
        boolean linked = !deps.shards().certificates(keyId).isEmpty();
        if (linked) {
            certified.add(keyId);
        }
        return linked;
    }

    /** The device's keys that still exist (not DESTROYED), newest first, with their certificates. */
    List<DeviceKey> deviceKeys(String account, String device) {
        List<DeviceKey> out = new ArrayList<>();
        for (KeyRecord k : deps.shards().keys(account, device)) {
            if (k.state() == KeyState.DESTROYED) {
                continue;
            }
            PgCertificates.Pair pair = latestPair(k);
            out.add(new DeviceKey(k, pair, pair == null));
        }
        out.sort(Comparator.comparingLong((DeviceKey d) -> d.key().keyId()).reversed());
        return out;
    }

    PgCertificates.Pair latestPair(KeyRecord k) {
        List<CertificateLink> links = deps.shards().certificates(k.keyId());
        PgCertificates.Pair best = null;
        for (CertificateLink l : links) {
            Optional<PgCertificates.Pair> p = deps.certificates().bySerial(l.serial());
            if (p.isPresent() && (best == null || p.get().notAfter().isAfter(best.notAfter()))) {
                best = p.get();
            }
        }
        if (best != null) {
            certified.add(k.keyId());
        }
        return best;
    }

    /** The device's current certified sign key (newest), if any. */
    Optional<DeviceKey> currentSignKey(List<DeviceKey> keys) {
        return keys.stream().filter(d -> d.sign() && !d.pending() && d.key().state() != KeyState.REVOKED).findFirst();
    }

    Optional<DeviceKey> currentEncKey(List<DeviceKey> keys) {
        return keys.stream().filter(d -> !d.sign() && !d.pending() && d.key().state() != KeyState.REVOKED).findFirst();
    }

    boolean enrolled(List<DeviceKey> keys) {
        return currentSignKey(keys).isPresent();
    }

    String lockReason(String account, String device, KeyRecord k, PinCounter counter) {
        if (k.state() != KeyState.LOCKED) {
            return null;
        }
        // One reason for the terminal (docs/cosign-api.md §5.2), the strongest first; TRADER is the API's USER.
        if (k.lockedFor(LockReason.OPERATOR)) {
            return "OPERATOR";
        }
        if (k.lockedFor(LockReason.PIN) || counter.locked()) {
            return "PIN";
        }
        return k.lockedFor(LockReason.TRADER) ? "USER" : "OPERATOR";
    }

    Map<String, Object> keyInfo(DeviceKey d, String lockReason, Instant now) {
        KeyRecord k = d.key();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keyId", k.keyId());
        m.put("purpose", purpose(k.purpose()));
        m.put("version", k.keyVersion());
        m.put("state", d.pending() && k.state() == KeyState.ACTIVE ? "PENDING" : k.state().name());
        m.put("lockReason", lockReason);
        m.put("publicKey", b64(k.publicKey().encoded()));
        PgCertificates.Pair p = d.pair();
        m.put("signSerial", p == null ? null : p.signSerial());
        m.put("encSerial", p == null ? null : p.encSerial());
        m.put("notBefore", p == null ? null : p.notBefore().toString());
        m.put("notAfter", p == null ? null : p.notAfter().toString());
        m.put("daysLeft", p == null ? null : daysLeft(p.notAfter(), now));
        return m;
    }

    List<Map<String, Object>> keyInfos(String account, String device, List<DeviceKey> keys, PinCounter counter, Instant now) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DeviceKey d : keys) {
            out.add(keyInfo(d, lockReason(account, device, d.key(), counter), now));
        }
        return out;
    }

    static Map<String, Object> certificates(PgCertificates.Pair p) {
        if (p == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sign", b64(p.signDer()));
        m.put("enc", b64(p.encDer()));
        m.put("chain", p.chainDer().stream().map(KeyViews::b64).toList());
        m.put("signSerial", p.signSerial());
        m.put("encSerial", p.encSerial());
        m.put("notBefore", p.notBefore().toString());
        m.put("notAfter", p.notAfter().toString());
        return m;
    }

    List<Map<String, Object>> warnings(String account, List<DeviceKey> keys, Instant now) {
        List<Map<String, Object>> out = new ArrayList<>();
        Optional<DeviceKey> sign = currentSignKey(keys);
        if (sign.isPresent()) {
            PgCertificates.Pair p = sign.get().pair();
            long days = daysLeft(p.notAfter(), now);
            // ca-client's renewal rule decides what the trader is told (docs/ca-client.md's 90 days either side)
            deps.renewals().policy().notice(p.notAfter(), now).ifPresent(n -> out.add(warning(switch (n.kind()) {
                case EXPIRES_SOON -> CosignErrors.CERT_EXPIRING;
                case EXPIRED_RENEWABLE -> CosignErrors.CERT_EXPIRED_RENEWABLE;
                case EXPIRED_REENROL -> CosignErrors.CERT_EXPIRED;
            }, n.text() + " (certificate " + p.signSerial() + ")", days)));
            pendingRenewalUntil(p.signSerial(), now).ifPresent(until -> out.add(warning(CosignErrors.RENEWAL_PENDING,
                    "a renewal of certificate " + p.signSerial() + " was started; its renewal code is valid until " + until, days)));
        }
        if (keys.stream().anyMatch(d -> d.key().state() == KeyState.LOCKED)) {
            out.add(warning(CosignErrors.KEY_LOCKED_WARNING, "a key of this device is locked", null));
        }
        return out;
    }

    static Map<String, Object> warning(ErrorCode code, String message, Long daysLeft) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code.code());
        m.put("message", message);
        m.put("action", code.action());
        m.put("daysLeft", daysLeft);
        return m;
    }

    /** Whole days until expiry, negative after it (floor, as a calendar shows). */
    static long daysLeft(Instant notAfter, Instant now) {
        return Math.floorDiv(java.time.Duration.between(now, notAfter).getSeconds(), 86_400L);
    }

    boolean windowOpen(Instant notAfter, Instant now) {
        return deps.renewals().policy().inWindow(notAfter, now);
    }

    /** Until when a started, unfinished renewal's code is valid (ca-client's ca_renewals, read only: codes are stored hashed). */
    Optional<Instant> pendingRenewalUntil(String signSerial, Instant now) {
        return deps.jdbc().one("read pending renewal of " + signSerial, "SELECT expires_at FROM ca_renewals WHERE old_serial = ? "
                + "AND state = 'STARTED' AND expires_at > ?", rs -> io.gmgate.jdbc.Jdbc.instant(rs, "expires_at"), signSerial, now);
    }

    int pinTriesLeft(PinCounter counter) {
        return counter.locked() ? 0 : Math.max(0, settings.pinAttempts() - counter.failures());
    }

    /** The enrolment a key belongs to while it is pending. */
    Optional<PgEnrolments.Enrolment> pendingEnrolment(long keyId) {
        return deps.enrolments().ofKey(keyId).filter(e -> e.state() == PgEnrolments.State.KEYS);
    }
}
