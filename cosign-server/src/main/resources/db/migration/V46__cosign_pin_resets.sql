-- PIN resets started (docs/cosign-api.md §5.9): /v1/pin/reset/finish re-shares a device's keys only in
-- the login session that ran /v1/pin/reset/start (identity re-checked) within the last 15 minutes.
-- Rows older than a day are purged by the next start.

CREATE TABLE cosign_pin_resets (
    session_id  text PRIMARY KEY,
    account     text NOT NULL,
    device      text NOT NULL,
    started_at  timestamptz NOT NULL
);
