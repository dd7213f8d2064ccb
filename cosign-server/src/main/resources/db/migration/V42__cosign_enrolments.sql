-- Enrolments in progress and done (design §4 steps 3-4): which key records (keystore ks_keys) were
-- generated together in which login session, and whether their certificates were issued. Keys of an
-- enrolment in state KEYS are "pending": usable only to co-sign the CSR, in the session that made them.

CREATE TABLE cosign_enrolments (
    enrolment_id text PRIMARY KEY,
    account      text NOT NULL,
    device       text NOT NULL,
    session_id   text NOT NULL,
    sign_key_id  bigint NOT NULL,
    enc_key_id   bigint NOT NULL,
    state        text NOT NULL CHECK (state IN ('KEYS', 'CERTIFIED', 'ABANDONED')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    certified_at timestamptz
);
CREATE INDEX cosign_enrolments_device ON cosign_enrolments (account, device);
CREATE INDEX cosign_enrolments_sign_key ON cosign_enrolments (sign_key_id);
