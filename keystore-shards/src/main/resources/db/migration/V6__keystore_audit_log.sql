-- Append-only audit log (design §6): each record carries a MAC made in the cipher card over its
-- canonical content and the previous record's MAC. The single-row head is locked FOR UPDATE by every
-- append, so the chain stays linear across nodes; its own MAC lets verify notice deleted tail records.
-- Records hold hashes and identifiers, never key material or PINs.

CREATE TABLE ks_audit (
    seq         bigint PRIMARY KEY CHECK (seq >= 1),
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    account     text,
    device      text,
    key_id      bigint,
    key_version integer,
    detail      text NOT NULL DEFAULT '',
    detail_hash bytea,
    kek_index   integer NOT NULL,
    kek_version integer NOT NULL,
    mac         bytea NOT NULL
);

CREATE TABLE ks_audit_head (
    id          integer PRIMARY KEY CHECK (id = 1),
    seq         bigint NOT NULL,
    last_mac    bytea,
    kek_index   integer,
    kek_version integer,
    head_mac    bytea
);
INSERT INTO ks_audit_head (id, seq) VALUES (1, 0);

-- Append-only: updates, deletes and truncation are refused. Someone with DDL rights can drop the
-- trigger; the MAC chain is what makes such a change visible to `gmgate audit verify`.
CREATE FUNCTION ks_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ks_audit is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ks_audit_no_update BEFORE UPDATE OR DELETE ON ks_audit
    FOR EACH ROW EXECUTE FUNCTION ks_audit_append_only();
CREATE TRIGGER ks_audit_no_truncate BEFORE TRUNCATE ON ks_audit
    FOR EACH STATEMENT EXECUTE FUNCTION ks_audit_append_only();
