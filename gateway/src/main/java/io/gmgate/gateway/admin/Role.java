package io.gmgate.gateway.admin;

/**
 * The operator roles of design §9: duties are separated, and the auditor can
 * hold no other role (checked where operators are loaded). VIEWER reads what the console shows
 * (status, modes, terminals, charts) and may change nothing (docs/console.md).
 */
public enum Role {
    SRE, KEY_ADMIN, KEY_OPERATOR, KEY_CUSTODIAN, AUDITOR, VIEWER;

    public static Role parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
}
