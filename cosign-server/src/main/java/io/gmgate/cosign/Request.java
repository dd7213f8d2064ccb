package io.gmgate.cosign;

import io.gmgate.cosign.api.Fields;
import io.gmgate.cosign.state.LoginSession;

/**
 * One checked request as an operation sees it: its fields, the session (null for login), the client
 * address, and — when it carried a valid confirmation — whether the PIN is proven (docs §4).
 */
record Request(String operation, Fields fields, LoginSession session, String address, boolean pinProven) {

    String account() {
        return session.account();
    }

    String device() {
        return session.device();
    }
}
