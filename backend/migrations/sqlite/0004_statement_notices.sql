-- A notice in the portal that a statement became final, for the account holder.
CREATE TABLE statement_notices (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    closing_date TEXT NOT NULL,
    payment_date TEXT NOT NULL,
    amount_yen INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX statement_notices_by_member ON statement_notices (member_id, created_at);
