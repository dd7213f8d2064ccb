-- keystore-shards owns V1..V19 of the one Flyway history (ca-client V20.., cosign V40.., gateway V60..).
-- Accounts and their enrolled devices (design §6). Names are the firm's own identifiers.

CREATE TABLE ks_accounts (
    account    text PRIMARY KEY CHECK (length(account) BETWEEN 1 AND 128),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ks_devices (
    account    text NOT NULL REFERENCES ks_accounts (account),
    device     text NOT NULL CHECK (length(device) BETWEEN 1 AND 128),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account, device)
);
