-- Several accounts under one user ID (R1): the cards a member has brought into the portal, the one
-- she registered with and each she added since. Her scope is the accounts of these cards: every
-- card of an account she holds, her own card of one where she is a family member. Members who
-- registered before keep what they saw: each of their own cards.
CREATE TABLE online_cards (
    member_id INTEGER NOT NULL REFERENCES members (id),
    card_id INTEGER NOT NULL REFERENCES cards (id),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, card_id)
);

INSERT INTO online_cards (member_id, card_id, added_at)
SELECT c.member_id, c.id, u.created_at FROM cards c JOIN online_users u ON u.member_id = c.member_id;
