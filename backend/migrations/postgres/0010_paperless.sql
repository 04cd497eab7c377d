-- Paperless statements (C5): the closing date from which the account's statements are online only
-- (and e-mailed when final); NULL while paper statements are posted.
ALTER TABLE card_accounts ADD COLUMN paperless_from TEXT;
