-- IC card PINs (C8): one per card, registered once (the primary key refuses a second), sealed with
-- AES-256-GCM under the PIN key and bound to the card; never hashed, since a member who forgot it
-- may have it shown after identity checks.
CREATE TABLE card_pins (
    card_id BIGINT PRIMARY KEY REFERENCES cards (id),
    pin_sealed TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    registered_by BIGINT NOT NULL
);
