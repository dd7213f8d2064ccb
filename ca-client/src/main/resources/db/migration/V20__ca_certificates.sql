-- Embedded CA (ca-client owns V20..V39). Serial numbers are lowercase hex of positive integers.

CREATE TABLE ca_authorities (
    name        text PRIMARY KEY,              -- 'root' or 'issuing'
    key_index   integer NOT NULL,              -- the CA key's index in the cipher card
    certificate bytea NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE ca_certificates (
    serial            text PRIMARY KEY,
    issuer            text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('SIGN', 'ENCRYPTION', 'GATEWAY_SIGN', 'GATEWAY_ENCRYPTION')),
    account           text NOT NULL,
    device            text NOT NULL DEFAULT '',
    request_id        text NOT NULL,
    pair_serial       text,                    -- the other half of a double certificate
    replaces          text,                    -- sign serial this renewal replaces
    subject           text NOT NULL,
    not_before        timestamptz NOT NULL,
    not_after         timestamptz NOT NULL,
    der               bytea NOT NULL,
    enveloped_key     bytea,                   -- SM2EnvelopedKey when the CA generated the enc key
    status            text NOT NULL DEFAULT 'GOOD' CHECK (status IN ('GOOD', 'REVOKED')),
    revoked_at        timestamptz,
    revocation_reason integer,
    issued_at         timestamptz NOT NULL,
    UNIQUE (request_id, kind)
);
CREATE INDEX ca_certificates_account ON ca_certificates (account);
CREATE INDEX ca_certificates_revoked ON ca_certificates (issuer) WHERE status = 'REVOKED';

CREATE SEQUENCE ca_crl_number;

CREATE TABLE ca_crls (
    crl_number  bigint PRIMARY KEY,
    issuer      text NOT NULL,
    this_update timestamptz NOT NULL,
    next_update timestamptz NOT NULL,
    der         bytea NOT NULL
);

-- Which CA instance served each certificate (failover over several CAs, seed 003 C.3).
CREATE TABLE ca_served (
    sign_serial text NOT NULL,
    enc_serial  text NOT NULL,
    issuer      text NOT NULL,
    ca_name     text NOT NULL,
    operation   text NOT NULL CHECK (operation IN ('ISSUE', 'RENEW')),
    account     text NOT NULL,
    served_at   timestamptz NOT NULL,
    PRIMARY KEY (issuer, sign_serial)
);

-- Renewal codes (seed 002: "更新码更新证书"): a renewal that failed mid-way is completed later with
-- the code, returning the certificates already issued instead of a second pair.
CREATE TABLE ca_renewals (
    code        text PRIMARY KEY,
    account     text NOT NULL,
    old_serial  text NOT NULL,
    state       text NOT NULL CHECK (state IN ('STARTED', 'COMPLETED')),
    sign_der    bytea,
    enc_der     bytea,
    enc_key     bytea,
    chain_pem   text,
    served_by   text,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    completed_at timestamptz
);
CREATE INDEX ca_renewals_old ON ca_renewals (old_serial);
