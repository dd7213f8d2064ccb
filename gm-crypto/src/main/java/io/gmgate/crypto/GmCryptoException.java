package io.gmgate.crypto;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** A failure inside gm-crypto: malformed input, a rejected point, scalar or proof, a failed decryption. */
public final class GmCryptoException extends GmgateException {

    private static final long serialVersionUID = 1L;

    public GmCryptoException(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }

    public GmCryptoException(ErrorCode errorCode, String message, Throwable cause) {
        super(errorCode, message, cause);
    }
}
