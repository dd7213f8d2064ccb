-- Why a device's keys are LOCKED when it is not the PIN counter (keystore ks_pin_counters): the trader
-- locked them (USER: a lost laptop) or an operator did (OPERATOR). The lock itself is the key state.

CREATE TABLE cosign_key_locks (
    account   text NOT NULL,
    device    text NOT NULL,
    reason    text NOT NULL CHECK (reason IN ('USER', 'OPERATOR')),
    note      text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    locked_by text NOT NULL,
    locked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account, device)
);
