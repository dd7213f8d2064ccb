package io.gmgate.sdk;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a device keeps between runs: who it is, its two key pairs (sign, enc) as
 * {@link StoredKey}s, how their shares are masked, the certificates (DER), a pending renewal code,
 * and the last access policy it accepted. Immutable; changes go through {@code with…} copies and
 * {@link LocalStore#save}.
 */
public record DeviceRecord(
        String account,
        String deviceId,
        byte[] pinSalt,
        int pinIterations,
        Optional<StoredKey> signKey,
        Optional<StoredKey> encKey,
        List<byte[]> signChain,
        Optional<byte[]> encCertificate,
        Optional<String> renewalCode,
        Optional<byte[]> accessPolicy,
        Mask mask) {

    /**
     * How the shares are masked. {@code PIN_ONLY} (PBKDF2 over the PIN, stores written before the OPRF
     * and add-device records) can be tested offline and is re-masked at the next successful login;
     * {@code OPRF} needs a counted server evaluation per PIN guess (design §11).
     */
    public enum Mask { PIN_ONLY, OPRF }

    public DeviceRecord {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(deviceId, "deviceId");
        pinSalt = pinSalt.clone();
        if (pinSalt.length < 16 || pinIterations < 1) {
            throw new IllegalArgumentException("PIN salt of at least 16 bytes and positive iterations");
        }
        signChain = signChain.stream().map(byte[]::clone).toList();
        encCertificate = encCertificate.map(byte[]::clone);
        accessPolicy = accessPolicy.map(byte[]::clone);
        Objects.requireNonNull(mask, "mask");
    }

    /** A device that has not enrolled yet; its shares will be OPRF-masked. */
    public static DeviceRecord fresh(String account, String deviceId, byte[] pinSalt, int pinIterations) {
        return new DeviceRecord(account, deviceId, pinSalt, pinIterations, Optional.empty(), Optional.empty(),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Mask.OPRF);
    }

    @Override
    public byte[] pinSalt() {
        return pinSalt.clone();
    }

    public boolean enrolled() {
        return signKey.isPresent() && !signChain.isEmpty();
    }

    public DeviceRecord withKeys(StoredKey sign, StoredKey enc) {
        return new DeviceRecord(account, deviceId, pinSalt, pinIterations, Optional.of(sign), Optional.ofNullable(enc),
                signChain, encCertificate, renewalCode, accessPolicy, mask);
    }

    /** The same record with new shares masked as {@code newMask} says. */
    public DeviceRecord withKeys(StoredKey sign, StoredKey enc, Mask newMask) {
        return new DeviceRecord(account, deviceId, pinSalt, pinIterations, Optional.of(sign), Optional.ofNullable(enc),
                signChain, encCertificate, renewalCode, accessPolicy, newMask);
    }

    public DeviceRecord withCertificates(List<byte[]> chain, byte[] encCert) {
        return new DeviceRecord(account, deviceId, pinSalt, pinIterations, signKey, encKey, chain,
                Optional.ofNullable(encCert), renewalCode, accessPolicy, mask);
    }

    public DeviceRecord withRenewalCode(Optional<String> code) {
        return new DeviceRecord(account, deviceId, pinSalt, pinIterations, signKey, encKey, signChain,
                encCertificate, code, accessPolicy, mask);
    }

    public DeviceRecord withAccessPolicy(byte[] policy) {
        return new DeviceRecord(account, deviceId, pinSalt, pinIterations, signKey, encKey, signChain,
                encCertificate, renewalCode, Optional.of(policy), mask);
    }

    /** Separates the PIN masks of different accounts, devices and keys. */
    public byte[] maskContext(String keyId) {
        return (account + "\u0000" + deviceId + "\u0000" + keyId).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** What the PIN OPRF hashes with the PIN: this account and device, so no guess serves two devices. */
    public byte[] oprfContext() {
        return (account + "\u0000" + deviceId).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DeviceRecord[" + account + "/" + deviceId + ", enrolled=" + enrolled() + ", mask " + mask + "]";
    }
}
