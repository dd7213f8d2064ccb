package io.gmgate.sdk;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** A refusal from the cosign service, carrying its code (COSIGN-, CA-, KEY-, CERT-) and action. */
public final class CosignException extends GmgateException {

    private static final long serialVersionUID = 1L;

    private final int retryAfterSeconds;

    CosignException(ErrorCode code, String message, int retryAfterSeconds) {
        super(code, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds to wait before retrying, or -1 when retrying will not help. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public String action() {
        return errorCode().action();
    }
}
