-- Passkeys (WebAuthn), the ceremonies that create and use them, how each session signed in and when
-- it last confirmed the password, and the issuer's hold on an account.

-- Set by support or the issuer's systems; while set, no way of signing in works.
ALTER TABLE online_users ADD COLUMN held_at INTEGER;

-- 'password' or 'passkey'.
ALTER TABLE sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password';
-- The last time this session proved the password or a one-time code again.
ALTER TABLE sessions ADD COLUMN confirmed_at INTEGER;

-- The credential column is webauthn-rs's Passkey (public key, counter, backup flags) as JSON; the
-- counter and flags are repeated as columns for the conditional update and the listing.
CREATE TABLE passkeys (
    id INTEGER PRIMARY KEY,
    online_user_id INTEGER NOT NULL REFERENCES online_users (id) ON DELETE CASCADE,
    user_handle TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    credential TEXT NOT NULL,
    sign_count INTEGER NOT NULL,
    backup_eligible INTEGER NOT NULL,
    backup_state INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE INDEX passkeys_by_user ON passkeys (online_user_id);

-- A challenge waiting for its answer. Only a hash of the ceremony id the browser holds is stored;
-- the row is deleted when the answer arrives, so each challenge is answered at most once.
CREATE TABLE passkey_ceremonies (
    id_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    online_user_id INTEGER,
    state TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX passkey_ceremonies_by_expiry ON passkey_ceremonies (expires_at);
