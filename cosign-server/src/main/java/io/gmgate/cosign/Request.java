package io.gmgate.cosign;

import java.util.Optional;

import io.gmgate.cosign.api.Fields;
import io.gmgate.cosign.state.LoginSession;
import io.gmgate.keystore.PinStanding;

/**
 * One checked request as an operation sees it: its fields, the session (null before one: login, policy),
 * the client address, and, when it carried a valid confirmation (docs §4), where the PIN stood once that
 * confirmation had forgiven its tries.
 */
record Request(Operation operation, Fields fields, LoginSession session, String address, Optional<PinStanding> confirmation) {

    String account() {
        return session.account();
    }

    String device() {
        return session.device();
    }

    boolean confirmed() {
        return confirmation.isPresent();
    }

    /** Proven by this request's own confirmation; a request without one never proves the PIN. */
    boolean pinProven() {
        return confirmation.map(PinStanding::proven).orElse(false);
    }
}
