package io.gmgate.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.gmgate.policy.Endpoint;
import io.gmgate.tlcp.CertificatePin;

/**
 * The {@code client:} section of a terminal's file: the gateway endpoints per site, tried in order
 * (docs/drills.md C1; like the clearing house's two data centres), the roots to trust, the device store, the
 * timeouts of the SDK's failover, the PIN mask's PBKDF2 rounds for a new enrolment, and — optional — the firm's policy key and a signed access policy
 * (design §5), and gateway pins: SM3 fingerprints of the gateway's certificates or of its CA, after
 * which nothing else is accepted as the gateway (design §4 step 5). Relative paths are read from
 * the file's own directory.
 */
public record ClientConfig(List<Endpoint> enrolment, List<Endpoint> trading, Path roots, Path store, Duration connectTimeout,
                           Duration failoverBudget, int pinIterations, Optional<Path> policyKey, Optional<Path> policy,
                           List<CertificatePin> gatewayPins) {

    public ClientConfig {
        enrolment = List.copyOf(enrolment);
        trading = List.copyOf(trading);
        gatewayPins = List.copyOf(gatewayPins);
    }

    /** Without gateway pins. */
    public ClientConfig(List<Endpoint> enrolment, List<Endpoint> trading, Path roots, Path store, Duration connectTimeout,
                        Duration failoverBudget, int pinIterations, Optional<Path> policyKey, Optional<Path> policy) {
        this(enrolment, trading, roots, store, connectTimeout, failoverBudget, pinIterations, policyKey, policy, List.of());
    }

    static ClientConfig read(ConfigNode n, Path base) {
        List<Endpoint> enrol = n.list("enrolment", ClientConfig::endpoint);
        List<Endpoint> trading = n.list("trading", ClientConfig::endpoint);
        if (enrol.isEmpty() || trading.isEmpty()) {
            throw n.error(n.path(), "needs at least one enrolment (:8090) and one trading (:9000) endpoint");
        }
        ClientConfig c = new ClientConfig(enrol, trading, base.resolve(n.string("roots")), base.resolve(n.string("store")),
                n.duration("connectTimeout", Duration.ofSeconds(3)), n.duration("failoverBudget", Duration.ofSeconds(20)),
                n.integer("pinIterations", io.gmgate.sdk.GmgateClient.DEFAULT_PIN_ITERATIONS, 10_000, 10_000_000),
                n.optionalString("policyKey").map(base::resolve), n.optionalString("policy").map(base::resolve),
                pins(n));
        if (c.policy().isPresent() && c.policyKey().isEmpty()) {
            throw n.error(n.path() + ".policy", "needs policyKey: a policy is only believed under the firm's key");
        }
        return c;
    }

    private static List<CertificatePin> pins(ConfigNode n) {
        List<CertificatePin> pins = new java.util.ArrayList<>();
        for (String p : n.strings("gatewayPins")) {
            try {
                pins.add(CertificatePin.parse(p));
            } catch (IllegalArgumentException e) {
                throw n.error(n.path() + ".gatewayPins", e.getMessage() + " (print them with gmgate probe --ca)");
            }
        }
        return pins;
    }

    private static Endpoint endpoint(ConfigNode e) {
        return new Endpoint(e.string("site", "main"), e.string("host"), e.integer("port", 0, 1, 65_535));
    }
}
