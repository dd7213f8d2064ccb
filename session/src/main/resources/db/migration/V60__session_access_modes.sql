-- Access modes per scope (design §5): the current setting and every change, so a mode survives a
-- restart of the whole cluster and each switch leaves who, when, why, from and to.

CREATE TABLE gm_access_modes (
    scope      text PRIMARY KEY,                 -- cluster | site:NAME | listener:NAME
    mode       text NOT NULL CHECK (mode IN ('NORMAL', 'ONE_WAY', 'BYPASS')),
    reason     text NOT NULL,
    operator   text NOT NULL,
    set_at     timestamptz NOT NULL,
    expires_at timestamptz,
    epoch      bigint NOT NULL
);

CREATE TABLE gm_access_mode_history (
    id         bigserial PRIMARY KEY,
    scope      text NOT NULL,
    from_mode  text NOT NULL,
    to_mode    text NOT NULL,
    reason     text NOT NULL,
    operator   text NOT NULL,
    changed_at timestamptz NOT NULL,
    expires_at timestamptz,
    epoch      bigint NOT NULL
);

-- One global counter: every change takes the next value, so nodes can tell newer from older.
CREATE SEQUENCE gm_access_mode_epoch;
