package io.gmgate.gateway.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the admin API can do, as the app wires it: the access-mode registry and the online-terminal
 * registry live in session/, certificate locks in keystore-shards. The admin server is only the
 * HTTP mechanism, role checks and audit around these.
 */
public interface AdminActions {

    /** Mode per scope, e.g. {"cluster": "NORMAL", "listener:9000": "ONE_WAY"}. */
    Map<String, String> modes();

    void setMode(String scope, String mode, String reason, Optional<Duration> ttl, Operator by);

    /** Online terminals: id, account, node, since, bytes — as maps ready for JSON. */
    List<Map<String, Object>> onlineTerminals();

    /** Disconnects a terminal; false if no such connection. */
    boolean disconnect(String connectionId, Operator by);

    /** Locks or unlocks a certificate's key record by certificate serial (hex). */
    void setCertificateLocked(String serialHex, boolean locked, String reason, Operator by);

    /**
     * Approves one new device of an account whose certificate is live on another device, so that it may
     * enrol (once, within a day; docs/terminal.md "A second device"). The trader is told at his next login.
     */
    default void approveDevice(String account, String device, String reason, Operator by) {
        throw new IllegalArgumentException("this node cannot approve devices");
    }

    /** Free-form status of this node for SREs (listeners, fronts, mode, versions). */
    Map<String, Object> status();
}
