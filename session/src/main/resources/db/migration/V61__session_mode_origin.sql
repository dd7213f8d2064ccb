-- Who asked for each mode change (ModeOrigin): an SRE, an automatic degradation rule, or a
-- time-to-live running out. The epoch index lets every node read the store's newest epoch cheaply,
-- which labels the snapshot it mirrors into the cluster.

ALTER TABLE gm_access_mode_history
    ADD COLUMN origin text NOT NULL DEFAULT 'OPERATOR' CHECK (origin IN ('OPERATOR', 'RULE', 'EXPIRY'));

UPDATE gm_access_mode_history SET origin = 'EXPIRY' WHERE reason = 'time-to-live expired';

CREATE INDEX gm_access_mode_history_epoch ON gm_access_mode_history (epoch);
