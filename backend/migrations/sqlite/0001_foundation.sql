-- Members, cards, online accounts, sessions, recovery flows, mail outbox, audit log, statements,
-- transactions and points. Integers are Unix seconds (UTC) or whole yen; dates are ISO text.

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    name_ja TEXT NOT NULL,
    name_en TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    email TEXT NOT NULL
);

CREATE TABLE card_accounts (
    id INTEGER PRIMARY KEY,
    primary_member_id INTEGER NOT NULL REFERENCES members (id),
    product_ja TEXT NOT NULL,
    product_en TEXT NOT NULL,
    closing_day INTEGER NOT NULL,
    payment_day INTEGER NOT NULL
);

-- The card number is kept only as a keyed hash (for look-up) and its last 5 digits (for display);
-- the security codes only as keyed hashes.
CREATE TABLE cards (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES card_accounts (id),
    member_id INTEGER NOT NULL REFERENCES members (id),
    number_mac TEXT NOT NULL UNIQUE,
    last_digits TEXT NOT NULL,
    front_code_mac TEXT NOT NULL,
    back_code_mac TEXT NOT NULL,
    is_family INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE online_users (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL UNIQUE REFERENCES members (id),
    login_key TEXT NOT NULL UNIQUE,
    display_user_id TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL
);

-- Consecutive wrong passwords per login key, whether or not an account has that ID.
CREATE TABLE login_guards (
    login_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_at INTEGER,
    updated_at INTEGER NOT NULL
);

-- Only a hash of the session id is stored.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    online_user_id INTEGER NOT NULL REFERENCES online_users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    client_addr TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (online_user_id);

-- Registration and recovery steps between identity check and completion.
CREATE TABLE flows (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    member_id INTEGER NOT NULL REFERENCES members (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    code_mac TEXT,
    code_sent_at INTEGER,
    code_wrong INTEGER NOT NULL DEFAULT 0,
    code_sends INTEGER NOT NULL DEFAULT 0,
    code_used_at INTEGER,
    completed_at INTEGER
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    event TEXT NOT NULL,
    online_user_id INTEGER,
    login_key TEXT,
    client_addr TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_user ON audit_log (online_user_id, at);

CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES card_accounts (id),
    period_start TEXT NOT NULL,
    closing_date TEXT NOT NULL,
    payment_date TEXT NOT NULL,
    amount_yen INTEGER NOT NULL,
    UNIQUE (account_id, closing_date)
);

CREATE TABLE transactions (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES card_accounts (id),
    card_id INTEGER NOT NULL REFERENCES cards (id),
    used_on TEXT NOT NULL,
    posted_on TEXT,
    merchant TEXT NOT NULL,
    amount_yen INTEGER NOT NULL,
    foreign_currency TEXT,
    foreign_minor INTEGER,
    status TEXT NOT NULL,
    category TEXT NOT NULL,
    memo TEXT NOT NULL DEFAULT ''
);
CREATE INDEX transactions_by_account_date ON transactions (account_id, used_on, id);

CREATE TABLE points_ledger (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES card_accounts (id),
    delta INTEGER NOT NULL,
    reason TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX points_by_account ON points_ledger (account_id);
