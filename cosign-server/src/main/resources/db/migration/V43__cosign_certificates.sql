-- The double certificates each account received through cosign (sign + encryption, with the chain), so
-- status, login warnings and add-device can hand them out whichever CA issued them (embedded or CMP).
-- Status (revocation) stays with the CA; keystore links key records to these serials.

CREATE TABLE cosign_certificates (
    sign_serial  text PRIMARY KEY,
    enc_serial   text NOT NULL UNIQUE,
    account      text NOT NULL,
    issuer       text NOT NULL,
    sign_der     bytea NOT NULL,
    enc_der      bytea NOT NULL,
    chain_der    bytea[] NOT NULL,
    not_before   timestamptz NOT NULL,
    not_after    timestamptz NOT NULL,
    replaces     text,
    replaced_by  text,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cosign_certificates_account ON cosign_certificates (account);
