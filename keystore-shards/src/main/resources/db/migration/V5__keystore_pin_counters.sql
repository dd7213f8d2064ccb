-- Server-side PIN-guess counter per device (design §11 rules): every signing attempt that does not
-- end in a valid signature counts; at the threshold (6 by default) the device's keys are LOCKED.

CREATE TABLE ks_pin_counters (
    account         text NOT NULL,
    device          text NOT NULL,
    failures        integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_failure_at timestamptz,
    locked_at       timestamptz,
    PRIMARY KEY (account, device),
    FOREIGN KEY (account, device) REFERENCES ks_devices (account, device)
);
