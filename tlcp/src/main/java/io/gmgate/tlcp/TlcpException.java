package io.gmgate.tlcp;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** A TLCP failure: the code callers see, and the alert the peer was (or will be) sent. */
public final class TlcpException extends GmgateException {

    private static final long serialVersionUID = 1L;

    private final transient Alert alert;

    public TlcpException(ErrorCode code, Alert alert, String message) {
        super(code, message);
        this.alert = alert;
    }

    public TlcpException(ErrorCode code, Alert alert, String message, Throwable cause) {
        super(code, message, cause);
        this.alert = alert;
    }

    /** The alert for the peer. */
    public Alert alert() {
        return alert;
    }

    public static TlcpException decode(String what) {
        return new TlcpException(TlcpErrors.MALFORMED, Alert.DECODE_ERROR, what);
    }

    public static TlcpException unexpected(String what) {
        return new TlcpException(TlcpErrors.UNEXPECTED_MESSAGE, Alert.UNEXPECTED_MESSAGE, what);
    }
}
