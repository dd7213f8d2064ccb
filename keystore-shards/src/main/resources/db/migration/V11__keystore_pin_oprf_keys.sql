-- The per-device PIN OPRF key k_s (design §11): the terminal's share is masked by a key derived from
-- [k_s]H(PIN), so every PIN guess needs the server's evaluation, which cosign counts. k_s is sealed
-- exactly like a server share (ShareSealer: SM4-GCM under a per-row data key the card's KEK wraps),
-- with associated data naming the account and device, so a row copied to another device fails to open.
-- KEK rotation does not rewrite these rows yet: they stay readable while the card keeps the old KEK
-- version.

CREATE TABLE ks_pin_oprf_keys (
    account          text NOT NULL,
    device           text NOT NULL,
    kek_index        integer NOT NULL CHECK (kek_index >= 1),
    kek_version      integer NOT NULL CHECK (kek_version >= 1),
    wrapped_data_key bytea NOT NULL,
    nonce            bytea NOT NULL,
    ciphertext       bytea NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account, device),
    FOREIGN KEY (account, device) REFERENCES ks_devices (account, device)
);
