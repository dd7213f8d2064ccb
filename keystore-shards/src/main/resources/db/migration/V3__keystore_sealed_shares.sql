-- The server share d2 of each key, SM4-GCM sealed under a per-record data key that the cipher
-- card's KEK wraps (ShareSealer). Associated data = account, device, key id, purpose, key version,
-- so a ciphertext copied to another row fails to open (KEY-100). Destruction sets the three
-- sealed columns to NULL and keeps the row; KEK rotation rewrites wrapped_data_key and kek_version.

CREATE TABLE ks_shares (
    key_id           bigint PRIMARY KEY REFERENCES ks_keys (key_id),
    kek_index        integer NOT NULL CHECK (kek_index >= 1),
    kek_version      integer NOT NULL CHECK (kek_version >= 1),
    wrapped_data_key bytea,
    nonce            bytea,
    ciphertext       bytea,
    sealed_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((wrapped_data_key IS NULL) = (ciphertext IS NULL) AND (nonce IS NULL) = (ciphertext IS NULL))
);
-- The KEK rotation job looks for rows not yet on the target version.
CREATE INDEX ks_shares_kek ON ks_shares (kek_index, kek_version) WHERE ciphertext IS NOT NULL;
