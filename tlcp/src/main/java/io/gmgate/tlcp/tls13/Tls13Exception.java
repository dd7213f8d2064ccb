package io.gmgate.tlcp.tls13;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** A TLS 1.3 engine failure with a {@link Tls13Errors} code; the message names the engine and alert. */
public final class Tls13Exception extends GmgateException {

    private static final long serialVersionUID = 1L;

    public Tls13Exception(ErrorCode errorCode, String message) {
        super(errorCode, message);
    }

    public Tls13Exception(ErrorCode errorCode, String message, Throwable cause) {
        super(errorCode, message, cause);
    }
}
