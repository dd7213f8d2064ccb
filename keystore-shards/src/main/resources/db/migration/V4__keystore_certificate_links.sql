-- Which certificates (by issuer and serial) were issued for a key. The certificates themselves and
-- their status belong to ca-client (V20 ca_certificates); no foreign key, so an external CA's
-- certificates can be linked too.

CREATE TABLE ks_key_certificates (
    key_id    bigint NOT NULL REFERENCES ks_keys (key_id),
    issuer    text NOT NULL,
    serial    text NOT NULL,                  -- lowercase hex, as ca-client stores it
    linked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (key_id, issuer, serial)
);
CREATE INDEX ks_key_certificates_serial ON ks_key_certificates (serial);
