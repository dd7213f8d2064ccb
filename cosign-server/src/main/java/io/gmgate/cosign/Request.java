package io.gmgate.cosign;

import io.gmgate.cosign.api.Fields;
import io.gmgate.cosign.state.LoginSession;

/**
 * One checked request as an operation sees it: its fields, the session (null before one: login, policy),
 * the client address, and whether it carried a valid confirmation (docs §4).
 */
record Request(Operation operation, Fields fields, LoginSession session, String address, boolean confirmed) {

    String account() {
        return session.account();
    }

    String device() {
        return session.device();
    }
}
