-- Paying and points (C1, C2, D2, D9).

-- The issuer's figures for the spending-power rule: the internal line (never shown) and late
-- payments in the last twelve months. The points balance is kept beside the ledger so that a use
-- can take points in one conditional UPDATE; it always equals the sum of the account's ledger rows.
ALTER TABLE card_accounts ADD COLUMN internal_line_yen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE card_accounts ADD COLUMN late_payments BIGINT NOT NULL DEFAULT 0;
ALTER TABLE card_accounts ADD COLUMN points_balance BIGINT NOT NULL DEFAULT 0;
UPDATE card_accounts SET points_balance =
    (SELECT COALESCE(SUM(delta), 0) FROM points_ledger WHERE account_id = card_accounts.id);

-- kind: earn (a posted line), reverse (a refund), bonus, use, return (a failed transfer), expire.
-- earned_on: the day points were earned, for their expiry; only on rows that add earned points.
ALTER TABLE points_ledger ADD COLUMN kind TEXT NOT NULL DEFAULT 'bonus';
ALTER TABLE points_ledger ADD COLUMN transaction_id BIGINT REFERENCES transactions (id);
ALTER TABLE points_ledger ADD COLUMN use_id BIGINT;
ALTER TABLE points_ledger ADD COLUMN earned_on TEXT;
UPDATE points_ledger SET earned_on = to_char(to_timestamp(at) AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD');
-- A line earns once and is reversed once.
CREATE UNIQUE INDEX points_once_per_line ON points_ledger (transaction_id, kind);

-- A use of points: against the bill, for a catalog item, or a transfer to a partner. The browser's
-- request id makes a repeated click the same use.
CREATE TABLE point_uses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES card_accounts (id),
    member_id BIGINT NOT NULL REFERENCES members (id),
    request_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    points BIGINT NOT NULL,
    credit_yen BIGINT NOT NULL DEFAULT 0,
    payment_date TEXT,
    item TEXT,
    partner TEXT,
    partner_number TEXT,
    partner_units BIGINT,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    settled_at BIGINT,
    UNIQUE (account_id, request_id)
);
CREATE INDEX point_uses_requested ON point_uses (status, created_at);

CREATE TABLE partner_links (
    account_id BIGINT NOT NULL REFERENCES card_accounts (id),
    partner TEXT NOT NULL,
    member_number TEXT NOT NULL,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, partner)
);

-- How charges are paid. A plan is written once; which plan a line is in is the newest row of
-- plan_changes for that line (plan_id NULL: back to a lump sum). Nothing is overwritten, and
-- (transaction_id, seq) makes two changes racing for one line end with one of them refused.
CREATE TABLE payment_plans (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES card_accounts (id),
    member_id BIGINT NOT NULL REFERENCES members (id),
    kind TEXT NOT NULL,
    monthly_yen BIGINT NOT NULL,
    payments BIGINT NOT NULL,
    first_payment TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE plan_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES card_accounts (id),
    transaction_id BIGINT NOT NULL REFERENCES transactions (id),
    seq BIGINT NOT NULL,
    plan_id BIGINT REFERENCES payment_plans (id),
    member_id BIGINT NOT NULL REFERENCES members (id),
    at BIGINT NOT NULL,
    UNIQUE (transaction_id, seq)
);
CREATE INDEX plan_changes_by_account ON plan_changes (account_id, transaction_id, seq);
