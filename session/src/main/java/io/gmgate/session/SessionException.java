package io.gmgate.session;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** A failure of the cluster's shared state: modes, policy, shared maps. */
public final class SessionException extends GmgateException {

    private static final long serialVersionUID = 1L;

    public SessionException(ErrorCode code, String message) {
        super(code, message);
    }

    public SessionException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
