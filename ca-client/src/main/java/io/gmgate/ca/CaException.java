package io.gmgate.ca;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** A failure of a certificate authority or of the certificate lifecycle (CA- and CERT-2xx codes). */
public final class CaException extends GmgateException {

    private static final long serialVersionUID = 1L;

    public CaException(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }

    public CaException(ErrorCode errorCode, String message, Throwable cause) {
        super(errorCode, message, cause);
    }
}
