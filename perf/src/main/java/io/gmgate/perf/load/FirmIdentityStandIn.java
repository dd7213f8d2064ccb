package io.gmgate.perf.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.gmgate.cosign.CosignErrors;
import io.gmgate.cosign.CosignException;
import io.gmgate.cosign.identity.Identity;
import io.gmgate.cosign.identity.IdentityVerifier;
import io.gmgate.cosign.identity.PgAccounts;

/**
 * The firm's identity system as {@link LoginStorm}'s cosign node sees it (the place of
 * {@code cosign.identityCallback}): an account the site registered as EXTERNAL, with the rig's one
 * password. It stands in so that enrolling thousands of terminals does not spend two 100,000-round
 * password hashes each; the measured logins never check a password (the terminals' cosign sessions
 * are opened during set-up), so the figures do not depend on it.
 */
final class FirmIdentityStandIn implements IdentityVerifier {

    private final PgAccounts accounts;
    private final byte[] password;

    FirmIdentityStandIn(PgAccounts accounts, String password) {
        this.accounts = accounts;
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return "storm-firm";
    }

    @Override
    public Identity verify(String account, char[] given, String device, String address) {
        boolean known = accounts.find(account).filter(a -> a.source().equals("EXTERNAL")).isPresent();
        boolean matches = MessageDigest.isEqual(password, new String(given).getBytes(StandardCharsets.UTF_8));
        if (!known || !matches) {
            throw new CosignException(CosignErrors.LOGIN_FAILED, "[identity " + name() + "] login of account " + account + " failed");
        }
        return new Identity(account, false, false);
    }
}
