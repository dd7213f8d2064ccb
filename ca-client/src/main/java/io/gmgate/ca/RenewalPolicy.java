package io.gmgate.ca;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a certificate may be renewed online (design §4 step 7). The clearing house's rule, which
 * traders know (docs/ca-client.md, "Renewal"): "有效期为'90 天至-90 天'的证书可'在线更新'，超过-90 天的证书仅可选择'线下更新'" —
 * online renewal from 90 days before expiry to 90 days after; outside that, re-enrol. autoRenew lets
 * the SDK renew by itself inside the window; warnBefore is when the login answer starts saying
 * "expires in N days"; codeValidity is how long a renewal code (更新码) can complete a renewal.
 */
public record RenewalPolicy(Duration before, Duration after, boolean autoRenew, Duration warnBefore, Duration codeValidity) {

    private static final long DAY_SECONDS = 86_400;

    public RenewalPolicy {
        for (Duration d : new Duration[] {before, after, warnBefore}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("renewal window bounds must not be negative: " + d);
            }
        }
        if (codeValidity == null || codeValidity.isNegative() || codeValidity.isZero()) {
            throw new IllegalArgumentException("a renewal code must be valid for some time: " + codeValidity);
        }
    }

    /** 90 days either side of expiry (docs/ca-client.md, "Renewal"), no auto-renewal, warnings from 30 days, codes valid 3 days. */
    public static RenewalPolicy defaults() {
        return new RenewalPolicy(Duration.ofDays(90), Duration.ofDays(90), false, Duration.ofDays(30), Duration.ofDays(3));
    }

    public RenewalPolicy withAutoRenew(boolean on) {
        return new RenewalPolicy(before, after, on, warnBefore, codeValidity);
    }

    public RenewalPolicy withWindow(Duration b, Duration a) {
        return new RenewalPolicy(b, a, autoRenew, warnBefore, codeValidity);
    }

    public Instant opens(Instant notAfter) {
        return notAfter.minus(before);
    }

    public Instant closes(Instant notAfter) {
        return notAfter.plus(after);
    }

    public boolean inWindow(Instant notAfter, Instant now) {
        return !now.isBefore(opens(notAfter)) && !now.isAfter(closes(notAfter));
    }

    /** CA-103 outside the window, saying which side and what to do. */
    public void requireInWindow(BigInteger serial, Instant notAfter, Instant now) {
        if (now.isBefore(opens(notAfter))) {
            throw new CaException(CaErrors.OUTSIDE_RENEWAL_WINDOW, "certificate " + PgCaStore.hex(serial) + " expires in "
                    + daysUntil(now, notAfter) + " days; online renewal opens " + before.toDays() + " days before expiry, on "
                    + opens(notAfter));
        }
        if (now.isAfter(closes(notAfter))) {
            throw new CaException(CaErrors.OUTSIDE_RENEWAL_WINDOW, "certificate " + PgCaStore.hex(serial) + " expired "
                    + daysUntil(notAfter, now) + " days ago, beyond the " + after.toDays()
                    + "-day online renewal window: re-enrol (apply for a new certificate)");
        }
    }

    /** True when the SDK should renew without asking: auto-renewal is on and the window is open. */
    public boolean autoRenewDue(Instant notAfter, Instant now) {
        return autoRenew && inWindow(notAfter, now);
    }

    /** What the login answer tells the trader about expiry, if anything. */
    public record ExpiryNotice(Kind kind, long days, String text) {
        public enum Kind { EXPIRES_SOON, EXPIRED_RENEWABLE, EXPIRED_REENROL }
    }

    public Optional<ExpiryNotice> notice(Instant notAfter, Instant now) {
        Objects.requireNonNull(notAfter, "notAfter");
        if (now.isBefore(notAfter)) {
            long days = daysUntil(now, notAfter);
            if (now.isBefore(notAfter.minus(warnBefore))) {
                return Optional.empty();
            }
            return Optional.of(new ExpiryNotice(ExpiryNotice.Kind.EXPIRES_SOON, days, "certificate expires in " + days
                    + (days == 1 ? " day" : " days") + (inWindow(notAfter, now) ? "; renew online now" : "")));
        }
        long ago = daysUntil(notAfter, now);
        if (!now.isAfter(closes(notAfter))) {
            long left = daysUntil(now, closes(notAfter));
            return Optional.of(new ExpiryNotice(ExpiryNotice.Kind.EXPIRED_RENEWABLE, ago, "certificate expired " + ago
                    + " days ago; renew online within " + left + " days"));
        }
        return Optional.of(new ExpiryNotice(ExpiryNotice.Kind.EXPIRED_REENROL, ago, "certificate expired " + ago
                + " days ago; re-enrol to get a new one"));
    }

    /** Whole days from a to b, a part-day counted as a day ("expires in 1 day" with 3 hours left). */
    static long daysUntil(Instant a, Instant b) {
        long seconds = Duration.between(a, b).getSeconds();
        return Math.max(0, (seconds + DAY_SECONDS - 1) / DAY_SECONDS);
    }
}
