package io.gmgate.sdk;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** Every SDK failure: a design §8 code, a one-line cause (the message) and the code's action. */
public final class SdkException extends GmgateException {

    private static final long serialVersionUID = 1L;

    public SdkException(ErrorCode code, String message) {
        super(code, message);
    }

    public SdkException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** What the user should do, from the code's registry entry. */
    public String action() {
        return errorCode().action();
    }
}
