package io.gmgate.proxy;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** Bytes that should have been a PROXY v2 header and are not one. */
public final class ProxyHeaderException extends GmgateException {

    private static final long serialVersionUID = 1L;

    public ProxyHeaderException(ErrorCode code, String message) {
        super(code, message);
    }
}
