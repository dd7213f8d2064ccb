package io.gmgate.agent;

import io.gmgate.error.ErrorCode;
import io.gmgate.error.GmgateException;

/** A failure of the local agent, with its design §8 code. */
public final class AgentException extends GmgateException {

    private static final long serialVersionUID = 1L;

    public AgentException(ErrorCode code, String message) {
        super(code, message);
    }

    public AgentException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
