package io.gmgate.cosign;

import java.time.Duration;
import java.time.Instant;

import io.gmgate.ca.CaErrors;
import io.gmgate.ca.CaException;

/**
 * The online renewal window (seed 002: from 90 days before expiry to 90 days after; beyond that only
 * offline renewal, i.e. re-enrolment) and the expiry warnings of login and status.
 */
public record RenewalWindow(Duration before, Duration after, Duration warnBefore) {

    public boolean isOpen(Instant notAfter, Instant now) {
        return !now.isBefore(notAfter.minus(before)) && !now.isAfter(notAfter.plus(after));
    }

    public void check(Instant notAfter, Instant now) {
        if (!isOpen(notAfter, now)) {
            throw new CaException(CaErrors.OUTSIDE_RENEWAL_WINDOW, "certificate expiring " + notAfter + " is outside the online "
                    + "renewal window (" + before.toDays() + " days before to " + after.toDays() + " days after expiry); "
                    + daysLeft(notAfter, now) + " days left");
        }
    }

    /** Whole days until expiry, negative after it (rounded towards the past, as a calendar would show). */
    public static long daysLeft(Instant notAfter, Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter).getSeconds(), 86_400L);
    }

    public boolean warn(Instant notAfter, Instant now) {
        return !now.isBefore(notAfter.minus(warnBefore));
    }
}
