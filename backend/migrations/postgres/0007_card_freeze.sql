-- A card the member froze (C7): when, or NULL while it can be used. Spending power answers no for
-- a frozen card, and the issuer's feed will decline its authorisations.
ALTER TABLE cards ADD COLUMN frozen_at BIGINT;
