-- Idempotency records (docs/cosign-api.md §7): a request with a client-chosen key is claimed here before
-- its work starts and its response is stored with the result, so a retry on any node returns the same
-- answer and creates nothing twice. A claim whose node died is taken over after claimed_until.

CREATE TABLE cosign_idempotency (
    account        text NOT NULL,
    idem_key       text NOT NULL CHECK (length(idem_key) BETWEEN 8 AND 64),
    operation      text NOT NULL,
    request_digest bytea NOT NULL,
    state          text NOT NULL CHECK (state IN ('RUNNING', 'DONE')),
    claimed_by     text,
    claimed_until  timestamptz,
    response       text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz,
    PRIMARY KEY (account, idem_key),
    CHECK ((state = 'DONE') = (response IS NOT NULL))
);
CREATE INDEX cosign_idempotency_created ON cosign_idempotency (created_at);
