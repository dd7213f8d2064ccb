package io.gmgate.card;

import io.gmgate.error.ErrorCode;

/**
 * KEY-150..169: failures of cipher cards on devices (PKCS#11 tokens, SDF libraries). The generic
 * card failures (unavailable KEY-020, wrong PIN KEY-021, no such key KEY-022, integrity KEY-023,
 * unsupported KEY-025) stay in gm-crypto's {@code CardErrors}; these are the ones only a device has.
 */
public final class CardDeviceErrors {

    public static final ErrorCode LIBRARY_MISSING = new ErrorCode("KEY-150",
            "the cipher card's driver cannot be loaded: the PKCS#11 module file is missing or unloadable, or no SDF library of that name is on the class path",
            "check the configured library path or SDF provider name, and that the vendor's package is installed", false);
    public static final ErrorCode TIMEOUT = new ErrorCode("KEY-151",
            "a cipher-card call did not return within its deadline",
            "check the device and its driver; the node reports not-ready until a probe succeeds again", true);
    public static final ErrorCode NO_TOKEN = new ErrorCode("KEY-152",
            "the configured slot does not exist or holds no initialised token",
            "list the slots (softhsm2-util --show-slots, or the vendor's tool) and configure the token's slot", false);
    public static final ErrorCode BUSY = new ErrorCode("KEY-153",
            "too many cipher-card calls are already waiting on this device",
            "retry shortly; if it persists the device is too slow for the load or stuck: check its health", true);
    public static final ErrorCode DEVICE_ERROR = new ErrorCode("KEY-154",
            "the device refused an operation with an error code of its own (PKCS#11 CKR_ or SDF SDR_ code in the message)",
            "look the device's code up in its manual; the message names the operation and the code", false);
    public static final ErrorCode PIN_LOCKED = new ErrorCode("KEY-155",
            "the token has locked its user PIN after too many wrong tries",
            "have the security officer unlock or reset the user PIN with the token's tool, then fix the configured PIN", false);
    public static final ErrorCode BAD_SETTINGS = new ErrorCode("KEY-156",
            "the cipher-card settings are incomplete or inconsistent",
            "the message names the setting; see docs/cipher-cards.md for each card type's settings", false);

    private CardDeviceErrors() {
    }
}
