-- KEK rotation re-seals tombstones under the new KEK version (issue 17): the append-only trigger lets
-- an UPDATE through only when it changes nothing but the seal, to a seal of the same KEK index and a
-- higher KEK version. The database cannot check a seal's MAC; a forged or garbled one fails the card
-- check like any edited row (KEY-130), so this opens no way to un-destroy a key. DELETE and TRUNCATE
-- stay refused.
CREATE OR REPLACE FUNCTION ks_tombstones_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seal IS NULL AND NEW.seal IS NOT NULL
       AND (OLD.key_id, OLD.account, OLD.device, OLD.purpose, OLD.key_version)
           = (NEW.key_id, NEW.account, NEW.device, NEW.purpose, NEW.key_version) THEN
        RETURN NEW; -- the one-time sealing of tombstones that V7 created
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.seal IS NOT NULL AND NEW.seal IS NOT NULL
       AND length(OLD.seal) > 8 AND length(NEW.seal) > 8
       AND substring(NEW.seal from 1 for 4) = substring(OLD.seal from 1 for 4)
       AND substring(NEW.seal from 5 for 4) > substring(OLD.seal from 5 for 4)
       AND (OLD.key_id, OLD.account, OLD.device, OLD.purpose, OLD.key_version, OLD.destroyed_at)
           = (NEW.key_id, NEW.account, NEW.device, NEW.purpose, NEW.key_version, NEW.destroyed_at) THEN
        RETURN NEW; -- KEK rotation: the same tombstone sealed under a newer KEK version
    END IF;
    RAISE EXCEPTION 'ks_key_tombstones is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
