-- Issue 15 items 5 and 6. Locks have reasons (a set per key: PIN, TRADER, OPERATOR; LOCKED while the
-- set is not empty), and the columns that decide what a key may do are authenticated by the cipher
-- card: `seal` is a card MAC (RowSeal: kek index, kek version, MAC) over the row's identity, state,
-- lock reasons and row version; the PIN counter row gets one over its counts. Rows written before
-- this migration have no seal; the node seals them once at its first start (PgShardStore#upgradeSeals,
-- audited as row-seal-upgrade) and from then on a missing or wrong seal is tampering (KEY-130).

ALTER TABLE ks_keys
    ADD COLUMN lock_reasons text[] NOT NULL DEFAULT '{}'
        CHECK (lock_reasons <@ ARRAY['PIN', 'TRADER', 'OPERATOR']::text[]),
    ADD COLUMN seal bytea;

-- What a LOCKED key was locked for before reasons existed: the PIN counter's lock, else an operator's.
-- (cosign's V50 turns its per-device USER locks into TRADER reasons.)
UPDATE ks_keys k SET lock_reasons = ARRAY['PIN']
 WHERE k.state = 'LOCKED' AND EXISTS (SELECT 1 FROM ks_pin_counters p
       WHERE p.account = k.account AND p.device = k.device AND p.locked_at IS NOT NULL);
UPDATE ks_keys SET lock_reasons = ARRAY['OPERATOR'] WHERE state = 'LOCKED' AND lock_reasons = '{}';

ALTER TABLE ks_pin_counters
    ADD COLUMN row_version bigint NOT NULL DEFAULT 1,
    ADD COLUMN seal bytea;

-- Every destroyed key leaves a sealed tombstone that no UPDATE or DELETE may remove: a key row restored
-- from an old copy is refused on every read (KEY-131) because its tombstone is still here.
CREATE TABLE ks_key_tombstones (
    key_id       bigint PRIMARY KEY,
    account      text NOT NULL,
    device       text NOT NULL,
    purpose      text NOT NULL,
    key_version  integer NOT NULL,
    destroyed_at timestamptz NOT NULL DEFAULT now(),
    seal         bytea
);
INSERT INTO ks_key_tombstones (key_id, account, device, purpose, key_version, destroyed_at)
    SELECT key_id, account, device, purpose, key_version, destroyed_at FROM ks_keys WHERE state = 'DESTROYED';

CREATE FUNCTION ks_tombstones_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seal IS NULL AND NEW.seal IS NOT NULL
       AND (OLD.key_id, OLD.account, OLD.device, OLD.purpose, OLD.key_version)
           = (NEW.key_id, NEW.account, NEW.device, NEW.purpose, NEW.key_version) THEN
        RETURN NEW; -- the one-time sealing of tombstones that this migration created
    END IF;
    RAISE EXCEPTION 'ks_key_tombstones is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ks_tombstones_no_update BEFORE UPDATE OR DELETE ON ks_key_tombstones
    FOR EACH ROW EXECUTE FUNCTION ks_tombstones_append_only();
CREATE TRIGGER ks_tombstones_no_truncate BEFORE TRUNCATE ON ks_key_tombstones
    FOR EACH STATEMENT EXECUTE FUNCTION ks_tombstones_append_only();

-- Tampering refusals are audited as row-tamper; the metric counts them from here.
CREATE INDEX ks_audit_tamper ON ks_audit (seq) WHERE action = 'row-tamper';
