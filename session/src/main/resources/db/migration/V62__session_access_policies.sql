-- Signed access policies published for terminals (design §5): the newest one is what every cosign
-- node hands out on POST /v1/policy. Kept, never edited: the serial only grows, and the history
-- shows which policy terminals were told when.

CREATE TABLE gm_access_policies (
    serial        bigint PRIMARY KEY CHECK (serial > 0),
    policy        bytea NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now(),
    published_by  text NOT NULL
);
