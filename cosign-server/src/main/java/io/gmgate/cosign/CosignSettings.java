package io.gmgate.cosign;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a cosign node runs (docs/cosign-api.md), checked once when built; {@code app} reads it from the
 * configuration file. Rates are per node (each node limits on its own).
 *
 * @param node               instance name in messages and idempotency claims
 * @param pinAttempts        unconfirmed signing attempts tolerated; the next one locks (design §11: 6).
 *                           The shard store's lock threshold must be {@code pinAttempts + 1}.
 * @param attemptLife        how long a signing attempt can be confirmed
 * @param accountRate        requests per second per account (burst {@code accountBurst})
 * @param addressRate        requests per second per client address (burst {@code addressBurst})
 * @param loginFailures      failed logins per account (and per address, times 4) per {@code loginWindow}
 * @param decryptsPerMinute  co-decryptions per account per minute
 * @param pinResetsPerDay    PIN resets per account per day
 * @param maxInFlight        requests in flight on this node before COSIGN-122
 * @param idempotencyLease   how long a claim protects work in progress before another node may take it over
 * @param renewBefore        the online renewal window opens this long before expiry (docs/ca-client.md, "Renewal": 90 days)
 * @param renewAfter         and closes this long after it (docs/ca-client.md, "Renewal": 90 days)
 * @param warnBefore         expiry warnings start this long before expiry
 * @param maxBodyBytes       request body limit
 * @param trustedProxies     the gateways: IP addresses or CIDR blocks whose connections must begin with a PROXY v2
 *                           header naming the real client; nobody else may send one (docs/cosign-api.md §1)
 */
public record CosignSettings(String node, int pinAttempts, Duration attemptLife, double accountRate, int accountBurst,
                             double addressRate, int addressBurst, int loginFailures, Duration loginWindow,
                             int decryptsPerMinute, int pinResetsPerDay, int maxInFlight, Duration idempotencyLease,
                             Duration renewBefore, Duration renewAfter, Duration warnBefore, int maxBodyBytes,
                             Set<String> trustedProxies) {

    public CosignSettings {
        Objects.requireNonNull(node, "node");
        trustedProxies = Set.copyOf(trustedProxies);
        require(!node.isBlank(), "node name is empty");
        require(pinAttempts >= 1 && pinAttempts <= 99, "pinAttempts must be 1..99, was " + pinAttempts);
        require(positive(attemptLife) && positive(loginWindow) && positive(idempotencyLease),
                "attemptLife, loginWindow and idempotencyLease must be positive");
        require(accountRate > 0 && accountBurst >= 1 && addressRate > 0 && addressBurst >= 1, "rates and bursts must be positive");
        require(loginFailures >= 1 && decryptsPerMinute >= 1 && pinResetsPerDay >= 1 && maxInFlight >= 1,
                "loginFailures, decryptsPerMinute, pinResetsPerDay and maxInFlight must be >= 1");
        require(positive(renewBefore) && !renewAfter.isNegative() && positive(warnBefore), "renewal durations must be positive");
        try {
            io.gmgate.cosign.http.AddressSet.parse(trustedProxies);
        } catch (IllegalArgumentException e) {
            require(false, "trustedProxies: " + e.getMessage());
        }
        require(maxBodyBytes >= 4096 && maxBodyBytes <= 1 << 20, "maxBodyBytes must be 4 KiB..1 MiB, was " + maxBodyBytes);
    }

    /** The API document's defaults. */
    public static CosignSettings defaults(String node) {
        return new CosignSettings(node, 6, Duration.ofMinutes(10), 50, 100, 2000, 4000, 5, Duration.ofMinutes(15), 20, 3,
                2048, Duration.ofSeconds(30), Duration.ofDays(90), Duration.ofDays(90), Duration.ofDays(90), 65_536, Set.of());
    }

    public CosignSettings withNode(String n) {
        return new CosignSettings(n, pinAttempts, attemptLife, accountRate, accountBurst, addressRate, addressBurst, loginFailures,
                loginWindow, decryptsPerMinute, pinResetsPerDay, maxInFlight, idempotencyLease, renewBefore, renewAfter,
                warnBefore, maxBodyBytes, trustedProxies);
    }

    public CosignSettings withRates(double perAccount, int accountBurstSize, double perAddress, int addressBurstSize) {
        return new CosignSettings(node, pinAttempts, attemptLife, perAccount, accountBurstSize, perAddress, addressBurstSize,
                loginFailures, loginWindow, decryptsPerMinute, pinResetsPerDay, maxInFlight, idempotencyLease, renewBefore,
                renewAfter, warnBefore, maxBodyBytes, trustedProxies);
    }

    public CosignSettings withMaxInFlight(int n) {
        return new CosignSettings(node, pinAttempts, attemptLife, accountRate, accountBurst, addressRate, addressBurst, loginFailures,
                loginWindow, decryptsPerMinute, pinResetsPerDay, n, idempotencyLease, renewBefore, renewAfter, warnBefore,
                maxBodyBytes, trustedProxies);
    }

    public CosignSettings withIdempotencyLease(Duration lease) {
        return new CosignSettings(node, pinAttempts, attemptLife, accountRate, accountBurst, addressRate, addressBurst, loginFailures,
                loginWindow, decryptsPerMinute, pinResetsPerDay, maxInFlight, lease, renewBefore, renewAfter, warnBefore,
                maxBodyBytes, trustedProxies);
    }

    public CosignSettings withDecryptsPerMinute(int n) {
        return new CosignSettings(node, pinAttempts, attemptLife, accountRate, accountBurst, addressRate, addressBurst, loginFailures,
                loginWindow, n, pinResetsPerDay, maxInFlight, idempotencyLease, renewBefore, renewAfter, warnBefore,
                maxBodyBytes, trustedProxies);
    }

    public CosignSettings withTrustedProxies(Set<String> proxies) {
        return new CosignSettings(node, pinAttempts, attemptLife, accountRate, accountBurst, addressRate, addressBurst, loginFailures,
                loginWindow, decryptsPerMinute, pinResetsPerDay, maxInFlight, idempotencyLease, renewBefore, renewAfter, warnBefore,
                maxBodyBytes, proxies);
    }

    /** The shard store's PIN lock threshold that matches {@link #pinAttempts}: the attempt after the last tolerated one locks. */
    public int shardStoreLockThreshold() {
        return pinAttempts + 1;
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("cosign settings: " + what);
        }
    }
}
