package io.gmgate.keystore;

import java.util.HexFormat;
import java.util.Objects;

/**
 * What happened, for the audit log: who, what, to which account/device/key, a short detail and an
 * optional digest (e.g. SM3 of the signed message, design §11). Never key material, PINs or messages
 * themselves — only identifiers and hashes. Null account/device/key fields mean "not about one".
 */
public record AuditEvent(String actor, String action, String account, String device, Long keyId, Integer keyVersion,
                         String detail, byte[] detailHash) {

    public AuditEvent {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        detail = detail == null ? "" : detail;
        detailHash = detailHash == null ? null : detailHash.clone();
        if (actor.isEmpty() || actor.length() > 128 || action.isEmpty() || action.length() > 64 || detail.length() > 1024) {
            throw new KeystoreException(KeystoreErrors.INVALID_ARGUMENT,
                    "[KEY audit] actor (1-128), action (1-64) or detail (<=1024 characters) out of range");
        }
        if (detailHash != null && detailHash.length > 64) {
            throw new KeystoreException(KeystoreErrors.INVALID_ARGUMENT, "[KEY audit] detail hash longer than 64 bytes");
        }
    }

    /** An event about one key record. */
    public static AuditEvent aboutKey(String actor, String action, KeyRecord key, String detail) {
        return new AuditEvent(actor, action, key.account(), key.device(), key.keyId(), key.keyVersion(), detail, null);
    }

    @Override
    public byte[] detailHash() {
        return detailHash == null ? null : detailHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditEvent e && e.actor.equals(actor) && e.action.equals(action)
                && Objects.equals(e.account, account) && Objects.equals(e.device, device)
                && Objects.equals(e.keyId, keyId) && Objects.equals(e.keyVersion, keyVersion)
                && e.detail.equals(detail) && java.util.Arrays.equals(e.detailHash, detailHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(actor, action, account, device, keyId, keyVersion, detail) * 31
                + java.util.Arrays.hashCode(detailHash);
    }

    @Override
    public String toString() {
        return "AuditEvent[" + actor + " " + action + " " + account + "/" + device + " key " + keyId + " v" + keyVersion
                + (detail.isEmpty() ? "" : " " + detail) + (detailHash == null ? "" : " #" + HexFormat.of().formatHex(detailHash)) + "]";
    }
}
