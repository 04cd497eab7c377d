-- Registered details (C3): the name in kana, the address, phones and employer. Changes are kept in
-- detail_changes, only ever inserted, so the member's history shows every old and new value.
ALTER TABLE members ADD COLUMN name_kana TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN prefecture TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN address_line1 TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN address_line2 TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN home_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN mobile_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN employer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN employer_phone TEXT NOT NULL DEFAULT '';

CREATE TABLE detail_changes (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    online_user_id INTEGER,
    at INTEGER NOT NULL,
    item TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL
);
CREATE INDEX detail_changes_by_member ON detail_changes (member_id, id);

-- A new e-mail address or mobile number waits in its flow until the code sent to it is entered.
ALTER TABLE flows ADD COLUMN pending_value TEXT;

-- SMS (one-time codes to a mobile number) shares the demo outbox with mail.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
