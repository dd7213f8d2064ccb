-- cosign-server owns V40..V59 of the one Flyway history (keystore V1.., ca-client V20.., gateway/session V60..).
-- Built-in accounts' credentials (docs/cosign-api.md §5.1). The account itself is keystore's ks_accounts row;
-- this table adds how it logs in. EXTERNAL accounts are checked by the firm's system and store no password.
-- Password hashes: PBKDF2-HMAC-SM3 with a 16-byte random salt and at least 100,000 iterations.

CREATE TABLE cosign_accounts (
    account              text PRIMARY KEY CHECK (length(account) BETWEEN 1 AND 64),
    source               text NOT NULL CHECK (source IN ('BUILTIN', 'EXTERNAL')),
    password_salt        bytea,
    password_hash        bytea,
    password_iterations  integer CHECK (password_iterations >= 100000),
    must_change_password boolean NOT NULL DEFAULT false,
    disabled             boolean NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL DEFAULT now(),
    password_changed_at  timestamptz,
    last_login_at        timestamptz,
    CHECK ((source = 'BUILTIN') = (password_hash IS NOT NULL)),
    CHECK ((password_hash IS NULL) = (password_salt IS NULL) AND (password_hash IS NULL) = (password_iterations IS NULL))
);
