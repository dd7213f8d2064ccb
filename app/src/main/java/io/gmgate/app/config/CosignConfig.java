package io.gmgate.app.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;

import io.gmgate.cosign.CosignSettings;
import io.gmgate.cosign.http.ListenerLimits;
import io.gmgate.session.DegradationSettings;
import io.gmgate.session.Scope;

/**
 * The {@code cosign:} section (docs/cosign-api.md): where the node listens, how many workers it runs,
 * who checks passwords (built-in accounts or the firm's HTTP callback), the embedded CA's firm name,
 * the service limits, turned into the module's {@link CosignSettings} once, the CAs it issues through
 * ({@link CaLines}), the CA-down degradation rule, and the admin listener ({@code admin.host}, {@code admin.port}:
 * /metrics and health; port 0, the default, takes a free port and prints it).
 */
public record CosignConfig(String bindHost, int port, int workers, String firm, int kekIndex, int passwordIterations,
                           Optional<URI> identityCallback, Duration identityTimeout, CosignSettings settings,
                           ListenerLimits listener, Optional<CaLines> ca, Optional<DegradationSettings> caDown,
                           String adminHost, int adminPort) {

    static CosignConfig read(ConfigNode n, String nodeName) {
        String host = n.string("bindHost", "127.0.0.1");
        int port = n.port("port", 8091);
        int workers = n.integer("workers", 16, 1, 512);
        String firm = n.string("firm", "gmgate");
        int kek = n.integer("kekIndex", 1, 1, 1_000_000);
        int iterations = n.integer("passwordIterations", 120_000, 100_000, 10_000_000);
        Optional<URI> callback = Optional.empty();
        Duration timeout = Duration.ofSeconds(3);
        if (n.has("identity")) {
            ConfigNode id = n.section("identity");
            String kind = id.string("kind", "builtin");
            if (kind.equals("http")) {
                callback = Optional.of(URI.create(id.string("url")));
            } else if (!kind.equals("builtin")) {
                throw id.error(id.path() + ".kind", "must be builtin or http, got '" + kind + "'");
            }
            timeout = id.duration("timeout", timeout);
            id.done();
        }
        // /metrics and health are not for the street: loopback unless said otherwise
        ConfigNode admin = n.section("admin");
        String adminHost = admin.string("host", "127.0.0.1");
        int adminPort = admin.port("port", 0);
        admin.done();
        Optional<CaLines> ca = n.has("ca") ? Optional.of(CaLines.read(n.section("ca"))) : Optional.empty();
        Optional<DegradationSettings> caDown = Optional.empty();
        if (n.has("degradation")) {
            // design §5, docs/drills.md C3: every CA's breaker open for this long -> ONE_WAY (if act is true)
            ConfigNode dg = n.section("degradation");
            try {
                caDown = Optional.of(new DegradationSettings("ca", Scope.parse(dg.string("scope", "listener:trading")),
                        dg.duration("whenCaDownFor", Duration.ofSeconds(60)), dg.duration("ttl", Duration.ofMinutes(30)),
                        dg.bool("act", false)));
            } catch (io.gmgate.error.GmgateException | IllegalArgumentException e) {
                throw n.error(dg.path(), e.getMessage());
            }
            dg.done();
            if (ca.isEmpty()) {
                throw n.error(n.path() + ".degradation", "watches the CAs' circuit breakers: list the CAs in a cosign.ca section");
            }
        }
        CosignSettings d = CosignSettings.defaults(nodeName);
        CosignSettings s;
        try {
            s = new CosignSettings(nodeName,
                    n.integer("pinAttempts", d.pinAttempts(), 1, 99),
                    n.duration("attemptLife", d.attemptLife()),
                    n.decimal("accountRate", d.accountRate(), 0.01),
                    n.integer("accountBurst", d.accountBurst(), 1, 1_000_000),
                    n.decimal("addressRate", d.addressRate(), 0.01),
                    n.integer("addressBurst", d.addressBurst(), 1, 10_000_000),
                    n.integer("loginFailures", d.loginFailures(), 1, 1000),
                    n.duration("loginWindow", d.loginWindow()),
                    n.integer("decryptsPerMinute", d.decryptsPerMinute(), 1, 100_000),
                    n.integer("pinResetsPerDay", d.pinResetsPerDay(), 1, 1000),
                    n.integer("maxInFlight", d.maxInFlight(), 1, 1_000_000),
                    n.duration("idempotencyLease", d.idempotencyLease()),
                    n.duration("renewBefore", d.renewBefore()),
                    n.duration("renewAfter", d.renewAfter()),
                    n.duration("warnBefore", d.warnBefore()),
                    n.integer("maxBodyBytes", d.maxBodyBytes(), 4096, 1 << 20),
                    new HashSet<>(n.strings("trustedProxies")));
        } catch (IllegalArgumentException e) {
            throw n.error(n.path(), e.getMessage());
        }
        ListenerLimits l = ListenerLimits.defaults();
        ListenerLimits listener;
        try {
            listener = new ListenerLimits(n.duration("bodyTimeout", l.bodyTimeout()), n.duration("idleTimeout", l.idleTimeout()),
                    n.integer("maxConnections", l.maxConnections(), 1, 10_000_000),
                    n.integer("connectionsPerSource", l.connectionsPerSource(), 1, 10_000_000),
                    n.integer("inFlightPerSource", l.inFlightPerSource(), 1, 10_000_000));
        } catch (IllegalArgumentException e) {
            throw n.error(n.path(), e.getMessage());
        }
        n.done();
        return new CosignConfig(host, port, workers, firm, kek, iterations, callback, timeout, s, listener, ca, caDown,
                adminHost, adminPort);
    }
}
