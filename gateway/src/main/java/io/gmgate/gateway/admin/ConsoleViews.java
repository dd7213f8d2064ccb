package io.gmgate.gateway.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the web console shows beyond the admin API's own actions (docs/console.md), as the app wires it:
 * the whole site seen from this node, the mode table with its history, certificates due for
 * renewal, the audit trail with its verification, and the node's own meters as chart points.
 * Every value is a map or list ready for JSON.
 */
public interface ConsoleViews {

    /** Nothing to show: a node wired without the console's data (tests of the bare admin API). */
    ConsoleViews NONE = new ConsoleViews() {
    };

    /** Cluster members and, per gateway node, readiness with each check's detail, card, CA lines, cosign nodes, fronts. */
    default Map<String, Object> site() {
        return Map.of("nodes", List.of());
    }

    /** Every scope's setting (mode, origin, reason, operator, expiry) and the recent history. */
    default Map<String, Object> modeTable() {
        return Map.of("settings", List.of(), "history", List.of());
    }

    /**
     * Signs and publishes the next access policy for the mode just set, or throws a GatewayException
     * (ADMIN-304) naming the custodian step that is missing.
     */
    default Map<String, Object> publishPolicy(String mode, Optional<Duration> ttl, Operator by) {
        throw new io.gmgate.gateway.GatewayException(io.gmgate.gateway.GatewayErrors.ADMIN_POLICY_NOT_PUBLISHED,
                "this node is wired without a policy signer: sign and publish with gmgate policy sign and publish");
    }

    /** The account a certificate (serial, hex) was issued to, so terminals can be found by serial. */
    default Optional<String> accountOfCertificate(String serialHex) {
        return Optional.empty();
    }

    /** Live trader certificates whose online renewal window is open, soonest expiry first. */
    default List<Map<String, Object>> expiringCertificates() {
        return List.of();
    }

    /** The newest audit records and the result of verifying the whole chain. */
    default Map<String, Object> auditTrail(int limit) {
        return Map.of("records", List.of(), "verification", Map.of("intact", true, "detail", "no audit log on this node"));
    }

    /** Chart points sampled from this node's meters: logins/s, handshake failures by code, co-signs/s and p99. */
    default Map<String, Object> meters() {
        return Map.of("points", List.of());
    }
}
