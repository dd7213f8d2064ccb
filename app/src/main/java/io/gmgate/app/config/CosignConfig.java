package io.gmgate.app.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;

import io.gmgate.cosign.CosignSettings;

/**
 * The {@code cosign:} section (docs/cosign-api.md): where the node listens, how many workers it runs,
 * who checks passwords (built-in accounts or the firm's HTTP callback), the embedded CA's firm name
 * or, with {@code cas:}, the external CAs asked over CMP in priority order (seed 003 C.3),
 * and the service limits, turned into the module's {@link CosignSettings} once.
 */
public record CosignConfig(String bindHost, int port, int workers, String firm, int kekIndex, int passwordIterations,
                           Optional<URI> identityCallback, Duration identityTimeout, CosignSettings settings,
                           java.util.List<CmpCaSettings> cas, Duration caBreakerOpenWait) {

    public CosignConfig {
        cas = java.util.List.copyOf(cas);
    }

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
        java.util.List<CmpCaSettings> cas = n.list("cas", CmpCaSettings::read);
        // how long a CA whose breaker opened is left alone before one trial request (FailoverSettings.openWait)
        Duration openWait = n.duration("caBreakerOpenWait", Duration.ofSeconds(30));
        if (cas.stream().map(CmpCaSettings::name).distinct().count() != cas.size()) {
            throw n.error(n.path() + ".cas", "CA names must be unique");
        }
        n.done();
        return new CosignConfig(host, port, workers, firm, kek, iterations, callback, timeout, s, cas, openWait);
    }
}
