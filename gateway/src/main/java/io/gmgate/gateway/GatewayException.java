package io.gmgate.gateway;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** A failure of the gateway's own machinery: fronts, listeners, admission. */
public final class GatewayException extends GmgateException {

    private static final long serialVersionUID = 1L;

    public GatewayException(ErrorCode code, String message) {
        super(code, message);
    }

    public GatewayException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
