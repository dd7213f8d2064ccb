package io.gmgate.cosign;

import java.time.Clock;

import io.gmgate.cosign.state.RateLimiter;

/**
 * The node's rate limits (docs/cosign-api.md §3, design §11 rules): requests per account and per
 * address, failed logins per account and per address, co-decryptions and PIN resets per account.
 */
final class Limits {

    private final RateLimiter accountRequests;
    private final RateLimiter addressRequests;
    private final RateLimiter loginByAccount;
    private final RateLimiter loginByAddress;
    private final RateLimiter decrypts;
    private final RateLimiter pinResets;

    Limits(CosignSettings s, Clock clock) {
        double windowSeconds = s.loginWindow().toSeconds();
        accountRequests = new RateLimiter("account requests", clock, s.accountRate(), s.accountBurst());
        addressRequests = new RateLimiter("address requests", clock, s.addressRate(), s.addressBurst());
        loginByAccount = new RateLimiter("failed logins per account", clock, s.loginFailures() / windowSeconds, s.loginFailures());
        loginByAddress = new RateLimiter("failed logins per address", clock, 4.0 * s.loginFailures() / windowSeconds,
                4 * s.loginFailures());
        decrypts = new RateLimiter("co-decryptions", clock, s.decryptsPerMinute() / 60.0, s.decryptsPerMinute());
        pinResets = new RateLimiter("PIN resets", clock, s.pinResetsPerDay() / 86_400.0, s.pinResetsPerDay());
    }

    void address(String address) {
        int wait = addressRequests.tryAcquire(address);
        if (wait > 0) {
            throw new CosignException(CosignErrors.ADDRESS_RATE_LIMITED, "too many requests from " + address, wait);
        }
    }

    void account(String account) {
        int wait = accountRequests.tryAcquire(account);
        if (wait > 0) {
            throw new CosignException(CosignErrors.ACCOUNT_RATE_LIMITED, "too many requests for account " + account, wait);
        }
    }

    /**
     * Takes one failed-login token per account and per client address up front (so parallel guesses
     * cannot overrun either); a success gives both back, a failure for an unknown account the account's.
     */
    void beforeLogin(String account, String address) {
        int wait = loginByAccount.tryAcquire(account);
        if (wait > 0) {
            throw new CosignException(CosignErrors.ACCOUNT_RATE_LIMITED, "too many failed logins for account " + account, wait);
        }
        wait = loginByAddress.tryAcquire(address);
        if (wait > 0) {
            loginByAccount.refund(account, 1);
            throw new CosignException(CosignErrors.ADDRESS_RATE_LIMITED, "too many failed logins from " + address, wait);
        }
    }

    /**
     * A failed login keeps the address's token; the account's only when the account exists, so guesses
     * at made-up names spend the guesser's own budget and never a bucket a real trader depends on.
     */
    void loginFailed(String account, boolean accountExists) {
        if (!accountExists) {
            loginByAccount.refund(account, 1);
        }
    }

    void loginSucceeded(String account, String address) {
        loginByAccount.refund(account, 1);
        loginByAddress.refund(address, 1);
    }

    void decrypt(String account) {
        int wait = decrypts.tryAcquire(account);
        if (wait > 0) {
            throw new CosignException(CosignErrors.DECRYPT_RATE_LIMITED, "co-decryption budget of account " + account + " used up", wait);
        }
    }

    void pinReset(String account) {
        int wait = pinResets.tryAcquire(account);
        if (wait > 0) {
            throw new CosignException(CosignErrors.ACCOUNT_RATE_LIMITED, "too many PIN resets for account " + account, wait);
        }
    }
}
