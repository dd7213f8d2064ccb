package io.gmgate.card.pkcs11;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.login.FailedLoginException;

import io.gmgate.card.CardDeviceErrors;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.error.ErrorCode;

/**
 * Turns what SunPKCS11 throws into KEY- codes. SunPKCS11 wraps the module's CK_RV in a
 * {@code PKCS11Exception} whose class is not exported, but whose message is the CKR_ name; this
 * reads that name anywhere in the cause chain (PKCS#11 v2.40 §5.1 for the return values).
 */
final class Pkcs11Failures {

    private static final Pattern CKR = Pattern.compile("CKR_[A-Z_]+");

    /** Return values with a meaning of their own; every other CKR_ is KEY-154 with the name in the message. */
    private static final Map<String, ErrorCode> BY_CKR = Map.ofEntries(
            Map.entry("CKR_PIN_INCORRECT", CardErrors.LOGIN_FAILED),
            Map.entry("CKR_PIN_INVALID", CardErrors.LOGIN_FAILED),
            Map.entry("CKR_PIN_LEN_RANGE", CardErrors.LOGIN_FAILED),
            Map.entry("CKR_PIN_EXPIRED", CardErrors.LOGIN_FAILED),
            Map.entry("CKR_USER_NOT_LOGGED_IN", CardErrors.LOGIN_FAILED),
            Map.entry("CKR_PIN_LOCKED", CardDeviceErrors.PIN_LOCKED),
            Map.entry("CKR_SLOT_ID_INVALID", CardDeviceErrors.NO_TOKEN),
            Map.entry("CKR_TOKEN_NOT_RECOGNIZED", CardDeviceErrors.NO_TOKEN),
            Map.entry("CKR_TOKEN_NOT_PRESENT", CardErrors.UNAVAILABLE),
            Map.entry("CKR_DEVICE_REMOVED", CardErrors.UNAVAILABLE),
            Map.entry("CKR_DEVICE_ERROR", CardErrors.UNAVAILABLE),
            Map.entry("CKR_DEVICE_MEMORY", CardErrors.UNAVAILABLE),
            Map.entry("CKR_SESSION_CLOSED", CardErrors.UNAVAILABLE),
            Map.entry("CKR_SESSION_HANDLE_INVALID", CardErrors.UNAVAILABLE),
            Map.entry("CKR_CRYPTOKI_NOT_INITIALIZED", CardErrors.UNAVAILABLE),
            Map.entry("CKR_FUNCTION_CANCELED", CardErrors.UNAVAILABLE),
            Map.entry("CKR_KEY_HANDLE_INVALID", CardErrors.NO_SUCH_KEY),
            Map.entry("CKR_OBJECT_HANDLE_INVALID", CardErrors.NO_SUCH_KEY),
            Map.entry("CKR_MECHANISM_INVALID", CardErrors.UNSUPPORTED),
            Map.entry("CKR_KEY_TYPE_INCONSISTENT", CardErrors.UNSUPPORTED));

    private Pkcs11Failures() {
    }

    static CipherCardException translate(String card, String operation, Throwable failure) {
        if (failure instanceof CipherCardException cce) {
            return cce;
        }
        String ckr = ckrName(failure);
        if (ckr != null) {
            ErrorCode code = BY_CKR.getOrDefault(ckr, CardDeviceErrors.DEVICE_ERROR);
            return new CipherCardException(code, "[KEY " + card + "] " + operation + " failed: the token answered " + ckr, failure);
        }
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof FailedLoginException) {
                return new CipherCardException(CardErrors.LOGIN_FAILED, "[KEY " + card + "] " + operation + ": the token refused the PIN", failure);
            }
        }
        return new CipherCardException(CardErrors.UNAVAILABLE, "[KEY " + card + "] " + operation + " failed: "
                + failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage()), failure);
    }

    /** The first CKR_ name in the cause chain, or null. Bounded: a cause chain may not loop, but we stop at 16. */
    static String ckrName(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t.getMessage() != null) {
                Matcher m = CKR.matcher(t.getMessage());
                if (m.find()) {
                    return m.group();
                }
            }
        }
        return null;
    }
}
