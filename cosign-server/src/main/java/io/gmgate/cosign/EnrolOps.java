package io.gmgate.cosign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import java.math.BigInteger;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import io.gmgate.ca.CaException;
import io.gmgate.ca.CertificateRenewals;
import io.gmgate.ca.IssueRequest;
import io.gmgate.ca.IssuedCertificates;
import io.gmgate.ca.Sm2Verification;
import io.gmgate.cosign.api.Fields;
import io.gmgate.cosign.api.Schemas;
import io.gmgate.cosign.pg.PgCertificates;
import io.gmgate.cosign.pg.PgEnrolments;
import io.gmgate.cosign.state.Tokens;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm3;
import io.gmgate.crypto.twoparty.KeyGenBinding;
import io.gmgate.crypto.twoparty.KeyGenRequest;
import io.gmgate.crypto.twoparty.TwoPartyServer;
import io.gmgate.keystore.KeyRecord;
import io.gmgate.keystore.KeyState;
import io.gmgate.keystore.KeystoreErrors;
import io.gmgate.keystore.KeystoreException;
import io.gmgate.keystore.ShareBinding.Purpose;

/**
 * Enrolment and renewal (design §4 steps 3–4 and 7; docs/cosign-api.md §5.4, §5.7, §5.11): two-party
 * key generation with the shares committed before the answer, certificates for a co-signed CSR, and
 * renewal with a renewal code. Each step is idempotent: a retry on any node returns the first answer
 * and creates no second key or certificate.
 */
final class EnrolOps extends Ops {

    EnrolOps(CosignDeps deps, CosignSettings settings, KeyViews views, Limits limits) {
        super(deps, settings, views, limits);
    }

    /**
     * The stored idempotent answer holds key ids only: P2 = [d2^-1]G is rebuilt from the sealed share,
     * and only for the session that generated the keys (docs/security.md, "The PIN and co-signing": no stored row may reveal P2).
     */
    Map<String, Object> keys(Request r) {
        Fields f = r.fields();
        String text = deps.idempotency().run(r.account(), f.text("idempotencyKey"), "enrol/keys", f.digest(Schemas.ENVELOPE),
                () -> json(generate(r)));
        Map<String, Object> stored = fromJson(text);
        String enrolmentId = (String) stored.get("enrolmentId");
        PgEnrolments.Enrolment e = deps.enrolments().find(enrolmentId)
                .filter(x -> x.sessionId().equals(r.session().id()) && x.state() == PgEnrolments.State.KEYS)
                .orElseThrow(() -> new CosignException(CosignErrors.NO_PENDING_ENROLMENT, "[cosign " + node() + "] enrolment "
                        + enrolmentId + " was made by another session or is no longer pending: start again with a new idempotencyKey"));
        KeyGenBinding binding = new KeyGenBinding(r.session().id(), r.account(), r.device());
        return map("enrolmentId", e.id(), "sign", withAnswer(e.signKeyId(), binding), "enc", withAnswer(e.encKeyId(), binding));
    }

    private Map<String, Object> withAnswer(long keyId, KeyGenBinding binding) {
        try (io.gmgate.keystore.OpenedShare share = deps.shards().openShare(keyId)) {
            return map("keyId", keyId, "version", share.key().keyVersion(),
                    "response", KeyViews.b64(TwoPartyServer.keyGenAnswer(share.share(), binding).toBytes()));
        }
    }

    private Map<String, Object> generate(Request r) {
        Fields f = r.fields();
        KeyGenRequest signRequest = parse("sign", f.binary("sign"), KeyGenRequest::fromBytes);
        KeyGenRequest encRequest = parse("enc", f.binary("enc"), KeyGenRequest::fromBytes);
        KeyGenBinding binding = new KeyGenBinding(r.session().id(), r.account(), r.device());
        TwoPartyServer.KeyGenResult sign = parse("sign", f.binary("sign"), b -> TwoPartyServer.keyGen(binding, signRequest));
        TwoPartyServer.KeyGenResult enc = parse("enc", f.binary("enc"), b -> TwoPartyServer.keyGen(binding, encRequest));
        // Input first (proofs included), state after: a bad message is COSIGN-104 whatever the device's state.
        List<KeyViews.DeviceKey> existing = views.deviceKeys(r.account(), r.device());
        views.currentSignKey(existing).filter(d -> d.pair().revokedAt() == null && d.pair().notAfter().isAfter(now()))
                .ifPresent(d -> {
                    sign.share().destroy();
                    enc.share().destroy();
                    throw new CosignException(CosignErrors.ALREADY_ENROLLED, "[cosign " + node() + "] " + r.account() + "/"
                            + r.device() + " holds certificate " + d.pair().signSerial() + " valid until " + d.pair().notAfter());
                });
        try {
            requireApprovalForAnotherDevice(r);
        } catch (CosignException e) {
            sign.share().destroy();
            enc.share().destroy();
            throw e;
        }
        ensureDevice(r.account(), r.device());
        abandonPending(r);
        KeyRecord signKey;
        KeyRecord encKey;
        try {
            // Both shares are committed here, before any answer leaves the node (design §4 step 3).
            signKey = deps.shards().storeKey(r.account(), r.device(), Purpose.SIGN, sign.share(), ACTOR + ":enrol");
            encKey = deps.shards().storeKey(r.account(), r.device(), Purpose.ENCRYPT, enc.share(), ACTOR + ":enrol");
        } finally {
            sign.share().destroy();
            enc.share().destroy();
        }
        String id = Tokens.id();
        deps.enrolments().insert(new PgEnrolments.Enrolment(id, r.account(), r.device(), r.session().id(), signKey.keyId(),
                encKey.keyId(), PgEnrolments.State.KEYS, now()));
        return map("enrolmentId", id, "sign", map("keyId", signKey.keyId()), "enc", map("keyId", encKey.keyId()));
    }

    /**
     * A device joining an account whose certificate is live on another device (docs/terminal.md, "A second device"): only with
     * that device's co-signed approval (devices/add, which does not come here) or an operator's, used once.
     * Either way the account's other devices are told at their next login (docs/terminal.md).
     */
    private void requireApprovalForAnotherDevice(Request r) {
        for (String other : deviceNames(r.account())) {
            if (other.equals(r.device())) {
                continue;
            }
            var live = views.currentSignKey(views.deviceKeys(r.account(), other))
                    .filter(d -> d.pair().revokedAt() == null && d.pair().notAfter().isAfter(now()));
            if (live.isEmpty()) {
                continue;
            }
            String by = approvals().use(r.account(), r.device(), now());
            if (by == null) {
                audit("device-refused", r.account(), r.device(), "enrolment without approval; certificate "
                        + live.get().pair().signSerial() + " is live on " + other);
                throw new CosignException(CosignErrors.DEVICE_APPROVAL_REQUIRED, "[cosign " + node() + "] " + r.account()
                        + " holds certificate " + live.get().pair().signSerial() + " on device " + other + ": device " + r.device()
                        + " needs that device's approval (devices/add) or an operator's");
            }
            audit("device-approved", r.account(), r.device(), "enrolment on the approval of " + by + "; certificate "
                    + live.get().pair().signSerial() + " is live on " + other);
            approvals().notice(r.account(), r.device(), "enrolled on the approval of operator " + by);
            return;
        }
    }

    /** Keys of an earlier enrolment of this device that never got certificates are destroyed (docs §5.4). */
    private void abandonPending(Request r) {
        for (PgEnrolments.Enrolment e : deps.enrolments().pending(r.account(), r.device())) {
            for (long keyId : new long[] {e.signKeyId(), e.encKeyId()}) {
                destroyQuietly(keyId, "enrolment " + e.id() + " abandoned");
            }
            deps.enrolments().setState(e.id(), PgEnrolments.State.ABANDONED);
        }
    }

    void destroyQuietly(long keyId, String reason) {
        KeyRecord k = deps.shards().key(keyId);
        if (k.state() != KeyState.DESTROYED) {
            try {
                deps.shards().destroy(keyId, k.rowVersion(), ACTOR + ":" + node(), reason);
            } catch (KeystoreException e) {
                if (!e.errorCode().equals(KeystoreErrors.CONFLICT)) {
                    throw e;
                }
                // someone changed it meanwhile (e.g. a concurrent retry destroyed it): re-read once
                KeyRecord again = deps.shards().key(keyId);
                if (again.state() != KeyState.DESTROYED) {
                    deps.shards().destroy(keyId, again.rowVersion(), ACTOR + ":" + node(), reason);
                }
            }
        }
    }

    Map<String, Object> certificate(Request r) {
        Fields f = r.fields();
        String text = deps.idempotency().run(r.account(), f.text("idempotencyKey"), "enrol/certificate", f.digest(Schemas.ENVELOPE),
                () -> json(certify(r)));
        return fromJson(text);
    }

    private Map<String, Object> certify(Request r) {
        Fields f = r.fields();
        String enrolmentId = f.text("enrolmentId");
        PgEnrolments.Enrolment e = deps.enrolments().find(enrolmentId)
                .filter(x -> x.account().equals(r.account()) && x.device().equals(r.device()) && x.state() != PgEnrolments.State.ABANDONED)
                .orElseThrow(() -> new CosignException(CosignErrors.NO_PENDING_ENROLMENT, "[cosign " + node() + "] no enrolment "
                        + enrolmentId + " for " + r.account() + "/" + r.device()));
        KeyRecord signKey = deps.shards().key(e.signKeyId());
        KeyRecord encKey = deps.shards().key(e.encKeyId());
        byte[] csr = f.binary("csr");
        requireSignedBy(csr, signKey);
        // The CA request id is the enrolment id: a retry never makes a second certificate (CertificateAuthority#issue).
        IssuedCertificates issued = deps.ca().issue(new IssueRequest("enrol:" + enrolmentId, r.account(), r.device(), csr,
                encKey.publicKey()));
        PgCertificates.Pair pair = deps.certificates().record(r.account(), issued, null);
        link(signKey.keyId(), pair.issuer(), pair.signSerial());
        link(encKey.keyId(), pair.issuer(), pair.encSerial());
        deps.enrolments().setState(enrolmentId, PgEnrolments.State.CERTIFIED);
        supersedeOthers(r, List.of(signKey.keyId(), encKey.keyId()));
        audit("enrol-certified", signKey, "certificates " + pair.signSerial() + "/" + pair.encSerial() + " from " + pair.issuer());
        return map("certificates", KeyViews.certificates(pair),
                "keys", views.keyInfos(r.account(), r.device(), views.deviceKeys(r.account(), r.device()),
                        counter(r.account(), r.device()), now()));
    }

    /** After a re-enrolment the device's older keys (expired or revoked certificates) are destroyed. */
    private void supersedeOthers(Request r, List<Long> keep) {
        for (KeyRecord k : deps.shards().keys(r.account(), r.device())) {
            if (!keep.contains(k.keyId()) && k.state() != KeyState.DESTROYED && views.isCertified(k.keyId())) {
                destroyQuietly(k.keyId(), "superseded by a new enrolment");
            }
        }
    }

    void link(long keyId, String issuer, String serial) {
        boolean linked = deps.shards().certificates(keyId).stream().anyMatch(l -> l.serial().equals(serial));
        if (!linked) {
            try {
                deps.shards().linkCertificate(keyId, issuer, serial, ACTOR + ":" + node());
            } catch (KeystoreException ex) {
                if (!ex.errorCode().equals(KeystoreErrors.ALREADY_EXISTS)) {
                    throw ex;
                }
            }
        }
    }

    /** The CSR must carry the key's joint public key and a valid signature by it (COSIGN-146 otherwise). */
    void requireSignedBy(byte[] der, KeyRecord signKey) {
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
        } catch (java.io.IOException | RuntimeException ex) {
            throw new CosignException(CosignErrors.BAD_MESSAGE, "field 'csr' is not a DER PKCS#10 request");
        }
        Sm2PublicKey key;
        try {
            key = Sm2Verification.verifiedKey(csr);
        } catch (CaException ex) {
            throw new CosignException(CosignErrors.CSR_MISMATCH, "[cosign " + node() + "] CSR: " + ex.getMessage());
        }
        if (!key.equals(signKey.publicKey())) {
            throw new CosignException(CosignErrors.CSR_MISMATCH, "[cosign " + node() + "] CSR carries another key than sign key "
                    + signKey.keyId());
        }
    }

    /** Renewal step 1 (docs §5.11): ca-client checks the window and hands out the renewal code (更新码). */
    Map<String, Object> renewStart(Request r) {
        long keyId = r.fields().integer("keyId");
        KeyRecord key = ownKey(r, keyId);
        if (key.purpose() != Purpose.SIGN) {
            throw new CosignException(CosignErrors.WRONG_KEY, "[cosign " + node() + "] renewal names the sign key, not key " + keyId);
        }
        if (key.state() == KeyState.REVOKED || key.state() == KeyState.DESTROYED) {
            throw unusable(key);
        }
        PgCertificates.Pair pair = views.latestPair(key);
        if (pair == null) {
            throw new CosignException(CosignErrors.WRONG_KEY, "[cosign " + node() + "] key " + keyId + " has no certificate to renew");
        }
        CertificateRenewals.Started started = deps.renewals().start(r.account(), new BigInteger(pair.signSerial(), 16));
        audit("renewal-start", key, "certificate " + pair.signSerial() + ", code valid until " + started.expiresAt());
        return map("renewalCode", started.code(), "codeExpiresAt", started.expiresAt().toString(),
                "notAfter", pair.notAfter().toString(), "daysLeft", KeyViews.daysLeft(pair.notAfter(), now()));
    }

    /**
     * Renewal step 3: certificates for the same joint keys under the renewal code. ca-client makes the
     * code idempotent (the CA request id derives from it); the claim here keeps two simultaneous
     * finishes of one code from racing to the CA.
     */
    Map<String, Object> renewFinish(Request r) {
        String code = r.fields().text("renewalCode");
        String text = deps.idempotency().run(r.account(), "renew:" + java.util.HexFormat.of().formatHex(
                        Sm3.digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 16), "renew/finish",
                Sm3.digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8)), () -> json(renew(r, code)));
        return fromJson(text);
    }

    private Map<String, Object> renew(Request r, String code) {
        byte[] csr = r.fields().binary("csr");
        KeyRecord signKey = signKeyOfCsr(r, csr);
        PgCertificates.Pair old = views.latestPair(signKey);
        if (old == null) {
            throw new CosignException(CosignErrors.WRONG_KEY, "[cosign " + node() + "] key " + signKey.keyId() + " has no certificate");
        }
        KeyRecord encKey = encKeyOf(signKey, old);
        IssuedCertificates issued = deps.renewals().complete(r.account(), code,
                IssueRequest.of(r.account(), signKey.device(), csr, encKey.publicKey()));
        String newSerial = PgCertificates.hex(issued.signSerial());
        PgCertificates.Pair pair = deps.certificates().record(r.account(), issued,
                old.signSerial().equals(newSerial) ? null : old.signSerial());
        // Every device holding these keys (added devices share the certificate) gets the new links.
        for (KeyRecord k : sameKeys(signKey, encKey)) {
            link(k.keyId(), pair.issuer(), k.purpose() == Purpose.SIGN ? pair.signSerial() : pair.encSerial());
        }
        audit("renewed", signKey, old.signSerial() + " -> " + pair.signSerial());
        return map("certificates", KeyViews.certificates(pair),
                "keys", views.keyInfos(r.account(), r.device(), views.deviceKeys(r.account(), r.device()),
                        counter(r.account(), r.device()), now()));
    }

    /** The device's live sign key that signed this CSR (COSIGN-146 if none did). */
    private KeyRecord signKeyOfCsr(Request r, byte[] csr) {
        List<KeyViews.DeviceKey> keys = views.deviceKeys(r.account(), r.device());
        KeyViews.DeviceKey sign = views.currentSignKey(keys).orElseThrow(() -> new CosignException(CosignErrors.NO_SUCH_KEY,
                "[cosign " + node() + "] " + r.account() + "/" + r.device() + " has no certified sign key to renew"));
        requireSignedBy(csr, sign.key());
        return sign.key();
    }

    /** The encryption key certified with this sign key: the device's ENC key linked to the pair's enc serial. */
    private KeyRecord encKeyOf(KeyRecord signKey, PgCertificates.Pair pair) {
        for (KeyRecord k : deps.shards().keys(signKey.account(), signKey.device())) {
            if (k.purpose() == Purpose.ENCRYPT && k.state() != KeyState.DESTROYED
                    && deps.shards().certificates(k.keyId()).stream().anyMatch(l -> l.serial().equals(pair.encSerial()))) {
                return k;
            }
        }
        throw new KeystoreException(KeystoreErrors.NOT_FOUND, "[cosign " + node() + "] no encryption key linked to "
                + pair.encSerial());
    }

    /** Live key records of the account with the same joint keys as these (one per device). */
    List<KeyRecord> sameKeys(KeyRecord... keys) {
        List<KeyRecord> out = new ArrayList<>();
        for (String device : deviceNames(keys[0].account())) {
            for (KeyRecord k : deps.shards().keys(keys[0].account(), device)) {
                if (k.state() == KeyState.DESTROYED) {
                    continue;
                }
                for (KeyRecord want : keys) {
                    if (k.purpose() == want.purpose() && k.publicKey().equals(want.publicKey())) {
                        out.add(k);
                    }
                }
            }
        }
        return out;
    }

    List<String> deviceNames(String account) {
        return deps.jdbc().query("list devices of " + account, "SELECT device FROM ks_devices WHERE account = ? ORDER BY device",
                rs -> rs.getString(1), account);
    }
}
