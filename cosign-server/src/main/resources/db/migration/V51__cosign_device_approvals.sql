-- Issue 15 ("Also"): a second device for an account whose certificate is live is added from an existing
-- device (devices/add, a co-signed approval) or enrols on an operator's approval, used once before it
-- expires. Every device added either way leaves a notice for the account's other devices, returned at
-- their next login.

CREATE TABLE cosign_device_approvals (
    account     text NOT NULL,
    device      text NOT NULL,
    approved_by text NOT NULL,
    reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    approved_at timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    PRIMARY KEY (account, device, approved_at)
);

CREATE TABLE cosign_device_notices (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account      text NOT NULL,
    device       text NOT NULL,
    via          text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz,
    delivered_to text
);
CREATE INDEX cosign_device_notices_open ON cosign_device_notices (account) WHERE delivered_at IS NULL;
