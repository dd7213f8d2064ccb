-- Failover over several CAs (seed 003 C.3). ca_served (V20) names the CA that served each double
-- certificate; it now also keeps what was served, so gmgate can repeat an answer (same request id,
-- same renewal code) and answer status for any CA's certificates while every CA is down.

ALTER TABLE ca_served
    ADD COLUMN request_id        text,
    ADD COLUMN replaces          text,                 -- sign serial this renewal replaces
    ADD COLUMN not_after         timestamptz,
    ADD COLUMN sign_der          bytea,
    ADD COLUMN enc_der           bytea,
    ADD COLUMN enc_key           bytea,                -- SM2EnvelopedKey when the CA generated the enc key
    ADD COLUMN chain_pem         text,
    ADD COLUMN status            text NOT NULL DEFAULT 'GOOD' CHECK (status IN ('GOOD', 'REVOKED')),
    ADD COLUMN revoked_at        timestamptz,
    ADD COLUMN revocation_reason integer;

CREATE UNIQUE INDEX ca_served_request ON ca_served (request_id);
CREATE INDEX ca_served_sign ON ca_served (sign_serial);
CREATE INDEX ca_served_enc ON ca_served (enc_serial);
CREATE INDEX ca_served_account ON ca_served (account);

-- Renewal codes: ca_renewals.code holds the SM3 hash of the code, never the code itself; a failed
-- attempt is counted and its reason kept for the operator.
ALTER TABLE ca_renewals
    ADD COLUMN attempts   integer NOT NULL DEFAULT 0,
    ADD COLUMN last_error text;

-- One open renewal per certificate: a second start while a code is live would let two codes each
-- yield a certificate. A code that outlived its validity is marked EXPIRED when the next one starts.
ALTER TABLE ca_renewals DROP CONSTRAINT ca_renewals_state_check;
ALTER TABLE ca_renewals ADD CONSTRAINT ca_renewals_state_check CHECK (state IN ('STARTED', 'COMPLETED', 'EXPIRED'));
CREATE UNIQUE INDEX ca_renewals_open ON ca_renewals (old_serial) WHERE state IN ('STARTED', 'COMPLETED');
