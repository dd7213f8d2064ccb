package io.gmgate.gateway.admin;

/**
 * The operator roles of design §9: duties are separated, and the auditor can
 * hold no other role (checked where operators are loaded).
 */
public enum Role {
    SRE, KEY_ADMIN, KEY_OPERATOR, KEY_CUSTODIAN, AUDITOR;

    public static Role parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
}
