package io.gmgate.cosign.identity;

import io.gmgate.cosign.CosignErrors;
import io.gmgate.cosign.CosignException;

/** Accounts and PBKDF2-HMAC-SM3 password hashes in gmgate's own database (V40). */
public final class BuiltinIdentityVerifier implements IdentityVerifier {

    private final PgAccounts accounts;

    public BuiltinIdentityVerifier(PgAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "builtin";
    }

    @Override
    public Identity verify(String account, char[] password, String device, String address) {
        PgAccounts.Account a = accounts.find(account).orElse(null);
        if (a == null || a.password() == null) {
            accounts.decoy().matches(password); // same cost as a real check: no oracle for account names
            throw failed(account);
        }
        if (!a.password().matches(password)) {
            throw failed(account);
        }
        if (a.disabled()) {
            throw new CosignException(CosignErrors.ACCOUNT_DISABLED, "[identity builtin] account " + account + " is disabled");
        }
        return new Identity(a.account(), a.lastLoginAt() == null, a.mustChangePassword());
    }

    @Override
    public boolean managesPasswords() {
        return true;
    }

    @Override
    public void changePassword(String account, char[] oldPassword, char[] newPassword) {
        verify(account, oldPassword, "", "");
        accounts.setPassword(account, newPassword, false);
    }

    private static CosignException failed(String account) {
        return new CosignException(CosignErrors.LOGIN_FAILED, "[identity builtin] login of account " + account + " failed");
    }
}
