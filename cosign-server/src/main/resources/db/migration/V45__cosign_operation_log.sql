-- Every co-signature, co-decryption and confirmation (design §11 rules: account, device, key version,
-- the digest signed, r, time), written in batches by OperationLog. Each batch is anchored in keystore's
-- MAC-chained audit log by one record holding the SM3 of the batch's rows, so an edited or deleted row
-- shows up when the batch is re-hashed. No key material: e and SM3(T1) are digests, r is public.

CREATE TABLE cosign_operation_log (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    node        text NOT NULL,
    operation   text NOT NULL CHECK (operation IN ('SIGN', 'DECRYPT', 'CONFIRM')),
    account     text NOT NULL,
    device      text NOT NULL,
    session_id  text NOT NULL,
    key_id      bigint NOT NULL,
    key_version integer NOT NULL,
    digest      bytea NOT NULL,
    r           bytea,
    s           bytea,
    batch_hash  bytea NOT NULL
);
CREATE INDEX cosign_operation_log_key ON cosign_operation_log (key_id, at);
