-- Which PIN tries a confirmation may forgive (design §11, issue 15 item 7). ks_pin_counters.failures
-- stays the count; each counted try (a co-signing round or an OPRF evaluation) also leaves a row here
-- naming its login session. A confirmed signature forgives the tries counted up to the confirmed one,
-- in any session (the right PIN was used then), never later ones; a session whose own tries are not
-- all forgiven has not proven the PIN. Rows go when forgiven or when the device's counter is cleared
-- by an unlock.

CREATE TABLE ks_pin_attempts (
    attempt_id  bigserial PRIMARY KEY,
    account     text NOT NULL,
    device      text NOT NULL,
    session_id  text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('SIGN', 'EVALUATE', 'CONFIRM')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (account, device) REFERENCES ks_devices (account, device)
);
CREATE INDEX ks_pin_attempts_session ON ks_pin_attempts (account, device, session_id, attempt_id);
