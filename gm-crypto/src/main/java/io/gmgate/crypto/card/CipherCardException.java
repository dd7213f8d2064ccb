package io.gmgate.crypto.card;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** A cipher-card failure: device unavailable, wrong PIN, timeout, unknown key, integrity failure. */
public final class CipherCardException extends GmgateException {

    private static final long serialVersionUID = 1L;

    public CipherCardException(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }

    public CipherCardException(ErrorCode errorCode, String message, Throwable cause) {
        super(errorCode, message, cause);
    }
}
