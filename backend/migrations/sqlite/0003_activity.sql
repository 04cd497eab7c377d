-- Activity search: merchant and memo text in the form they are matched (see
-- portal_domain::activity::search_key), filled in by the portal for existing rows; an index per
-- card for filtered pages newest first.
ALTER TABLE transactions ADD COLUMN merchant_key TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN memo_key TEXT NOT NULL DEFAULT '';
CREATE INDEX transactions_by_card_date ON transactions (card_id, used_on, id);
