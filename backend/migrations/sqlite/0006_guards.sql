-- Guards against guessing (domain::lockout::Guard), one row per key: 'login:<login key>' for the
-- password lockout, 'card:<card number MAC>' for identity checks. `version` makes every change a
-- compare-and-swap, so the domain rule decides and any number of processes apply it safely.
CREATE TABLE attempt_guards (
    guard_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    pending INTEGER NOT NULL DEFAULT 0,
    pending_since INTEGER NOT NULL DEFAULT 0,
    locks INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    version INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);

INSERT INTO attempt_guards (guard_key, failures, updated_at)
SELECT 'login:' || login_key, failures, updated_at FROM login_guards;

DROP TABLE login_guards;

-- A code's entries are counted (reserved) before the code is compared, right ones included.
ALTER TABLE flows RENAME COLUMN code_wrong TO code_entries;

-- The passkey a session signed in with, so removing the passkey ends it.
ALTER TABLE sessions ADD COLUMN passkey_id INTEGER;

-- Uses counted against a limit that must hold across processes (spending checks per member per
-- Tokyo day, "user ID taken" answers per registration), taken before the use is answered.
CREATE TABLE usage_counters (
    counter_key TEXT PRIMARY KEY,
    used INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
