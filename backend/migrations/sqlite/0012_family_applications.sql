-- Family card applications (家族カードの追加): made online by the account's main member, received,
-- then issued by the issuer (in demo mode by the portal after a short delay), when the new card
-- joins the account. One application per person and account (the same kana name and birth date).
CREATE TABLE family_applications (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES card_accounts (id),
    applied_by INTEGER NOT NULL REFERENCES members (id),
    name_ja TEXT NOT NULL,
    name_kana TEXT NOT NULL,
    name_en TEXT NOT NULL,
    relationship TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'received',
    received_at INTEGER NOT NULL,
    issued_at INTEGER,
    card_id INTEGER REFERENCES cards (id),
    UNIQUE (account_id, name_kana, birth_date)
);
CREATE INDEX family_applications_waiting ON family_applications (status, received_at);
