package io.gmgate.keystore;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** A failure of the shard store. */
public final class KeystoreException extends GmgateException {

    private static final long serialVersionUID = 1L;

    public KeystoreException(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }

    public KeystoreException(ErrorCode errorCode, String message, Throwable cause) {
        super(errorCode, message, cause);
    }
}
