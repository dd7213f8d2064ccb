package io.gmgate.error;

/**
 * Base of the one-exception-per-subsystem family: every failure carries an {@link ErrorCode}. The
 * message names the instance and the numbers that explain it; it never carries key material.
 */
public class GmgateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode errorCode;

    public GmgateException(ErrorCode errorCode, String message) {
        super(errorCode.code() + " " + message);
        this.errorCode = errorCode;
    }

    public GmgateException(ErrorCode errorCode, String message, Throwable cause) {
        super(errorCode.code() + " " + message, cause);
        this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }
}
