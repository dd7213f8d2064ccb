package io.gmgate.sdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.twoparty.ClientKeyShare;
import io.gmgate.crypto.twoparty.PinMaskedShare;
import io.gmgate.crypto.twoparty.Resharing;

/**
 * The device operations of design §4 step 7 beyond signing: add a device (re-share), lock and
 * unlock, revoke, change the trading password (cosign API §5.10, §5.12, §5.13, §5.15). Kept apart
 * from {@link GmgateClient.Session}, which delegates here, so each stays small.
 */
final class DeviceLifecycle {

    /** What {@code /v1/revoke} destroys (cosign API §5.13). */
    enum Scope { DEVICE, CERTIFICATE }

    private DeviceLifecycle() {
    }

    /**
     * Adds a device (cosign API §5.10): re-shares both keys for {@code newDevice}, and returns the new
     * device's record with its fresh shares masked under {@code newPin} and the same certificates.
     * The server never sees the new device shares; the caller carries the record to the new device
     * (e.g. {@code LocalStore.open(usbStick).save(record)}). This device keeps working unchanged.
     */
    static DeviceRecord addDevice(DeviceRecord r, CosignClient client, CoSigner signer, ClientKeyShare enc,
                                  String newDevice, char[] newPin) {
        proveOnce(client, signer, "gmgate add device ");
        Resharing.Offer signOffer = Resharing.offer(signer.share());
        Resharing.Offer encOffer = Resharing.offer(enc);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("idempotencyKey", UUID.randomUUID().toString());
        body.put("newDevice", newDevice);
        body.put("sign", Fields.b64(signOffer.request().toBytes()));
        body.put("enc", Fields.b64(encOffer.request().toBytes()));
        Fields done = client.callProven("devices/add", body);
        DeviceRecord fresh = DeviceRecord.fresh(r.account(), done.string("newDevice"), GmRandom.bytes(16), r.pinIterations());
        StoredKey sign = reshared(fresh, "sign", signOffer, done.object("sign"), newPin);
        StoredKey encKey = reshared(fresh, "enc", encOffer, done.object("enc"), newPin);
        Fields issued = done.object("certificates");
        // PIN-only until the new device's first login: its OPRF key is the new device's, which only a
        // session of the new device may evaluate; that login re-masks the store (see GmgateClient#login).
        return fresh.withKeys(sign, encKey, DeviceRecord.Mask.PIN_ONLY).withCertificates(DeviceEnrolment.chain(issued),
                issued.bytes("enc"));
    }

    /** A re-shared key checked the same way, masked by an OPRF output (PIN reset: the same device, the new PIN). */
    static StoredKey resharedWithOprf(Resharing.Offer offer, Fields answer, java.math.BigInteger mask) {
        try {
            ClientKeyShare fresh = Resharing.accept(offer.newDeviceShare(), Sm2Curve.decodePoint(answer.bytes("p2")));
            return new StoredKey(Long.toString(answer.number("keyId")), (int) answer.number("version"), fresh.jointKey(),
                    PinMaskedShare.maskWithOprf(fresh, mask));
        } finally {
            offer.newDeviceShare().destroy();
        }
    }

    /**
     * The server's new share pairs with the offer's new device share: check it (P2′ must give the same
     * joint key), mask the share under the PIN alone for the record's own account, device and purpose
     * (a new device's record, re-masked at its first login).
     */
    static StoredKey reshared(DeviceRecord r, String purpose, Resharing.Offer offer, Fields answer, char[] pin) {
        try {
            ClientKeyShare fresh = Resharing.accept(offer.newDeviceShare(), Sm2Curve.decodePoint(answer.bytes("p2")));
            byte[] masked = PinMaskedShare.mask(fresh, pin, r.pinSalt(), r.pinIterations(), r.maskContext(purpose));
            return new StoredKey(Long.toString(answer.number("keyId")), (int) answer.number("version"), fresh.jointKey(), masked);
        } finally {
            offer.newDeviceShare().destroy(); // accept returns this same share once checked
        }
    }

    /** Locks the keys of this device or of {@code target} (a lost laptop), reason USER (§5.12). */
    static Fields lock(CosignClient client, Optional<String> target, Optional<String> reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        target.ifPresent(t -> body.put("target", t));
        reason.ifPresent(t -> body.put("reason", t));
        return client.call("lock", body);
    }

    /** Lifts a lock the trader set; PIN and operator locks stay (COSIGN-153). */
    static Fields unlock(CosignClient client, char[] password, Optional<String> target) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("password", new String(password));
        target.ifPresent(t -> body.put("target", t));
        return client.call("unlock", body);
    }

    /** Revokes a device's shares, or the whole double certificate (§5.13). */
    static Fields revoke(CosignClient client, char[] password, Scope scope, Optional<String> target, Optional<String> reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("password", new String(password));
        body.put("scope", scope == Scope.DEVICE ? "device" : "certificate");
        target.ifPresent(t -> body.put("target", t));
        reason.ifPresent(t -> body.put("reason", t));
        return client.call("revoke", body);
    }

    /**
     * Proves the PIN in the next request (cosign API §4): an operation that requires it must carry a
     * confirmation, so unless one is pending, one co-signature over a throwaway message supplies it.
     */
    static void proveOnce(CosignClient client, CoSigner signer, String why) {
        if (!client.hasFreshProof()) {
            signer.sign((why + System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
