package io.gmgate.cosign;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** A failure of the co-signing service; {@code retryAfterSeconds} is set when waiting helps (429, 503, 409). */
public final class CosignException extends GmgateException {

    private static final long serialVersionUID = 1L;

    private final Integer retryAfterSeconds;

    public CosignException(ErrorCode code, String message) {
        this(code, message, (Integer) null);
    }

    public CosignException(ErrorCode code, String message, Integer retryAfterSeconds) {
        super(code, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public CosignException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
        this.retryAfterSeconds = null;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
