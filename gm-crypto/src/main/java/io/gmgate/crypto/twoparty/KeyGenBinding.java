package io.gmgate.crypto.twoparty;

import java.util.Objects;

/**
 * What a key-generation proof is bound to (design §11 key generation): the authenticated enrolment
 * session, the account and the device. A proof made for one binding never verifies under another.
 */
public record KeyGenBinding(String sessionId, String account, String device) {

    public KeyGenBinding {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(device, "device");
        if (sessionId.isEmpty() || account.isEmpty() || device.isEmpty()) {
            throw new IllegalArgumentException("session, account and device must not be empty");
        }
    }
}
