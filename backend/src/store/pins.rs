//! IC card PINs (C8): inserted once per card, read only to be shown to a verified member.

use super::cards::IN_SCOPE;
use super::{Db, DbResult, is_unique_violation};

/// What proves a card's security codes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CardCodes {
    pub number_mac: String,
    pub front_code_mac: String,
    pub back_code_mac: String,
    pub birth_date: String,
}

impl Db {
    pub async fn card_codes(&self, card_id: i64) -> DbResult<Option<CardCodes>> {
        sqlx::query_as(
            "SELECT c.number_mac, c.front_code_mac, c.back_code_mac, m.birth_date
             FROM cards c JOIN members m ON m.id = c.member_id WHERE c.id = $1",
        )
        .bind(card_id)
        .fetch_optional(&self.pool)
        .await
    }

    /// The cards with a PIN among those the member sees (the scope of `visible_cards`), at once.
    pub async fn cards_with_pin(&self, member_id: i64) -> DbResult<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(&format!(
            "SELECT p.card_id FROM card_pins p JOIN cards c ON c.id = p.card_id
             JOIN card_accounts a ON a.id = c.account_id
             WHERE {IN_SCOPE}"
        ))
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    pub async fn sealed_pin(&self, card_id: i64) -> DbResult<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT pin_sealed FROM card_pins WHERE card_id = $1")
                .bind(card_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(sealed,)| sealed))
    }

    /// Registers the PIN; false when the card has one already (however many tabs raced).
    pub async fn insert_pin(
        &self,
        card_id: i64,
        sealed: &str,
        online_user_id: i64,
        now: i64,
    ) -> DbResult<bool> {
        let inserted = sqlx::query(
            "INSERT INTO card_pins (card_id, pin_sealed, registered_at, registered_by) VALUES ($1, $2, $3, $4)",
        )
        .bind(card_id)
        .bind(sealed)
        .bind(now)
        .bind(online_user_id)
        .execute(&self.pool)
        .await;
        match inserted {
            Ok(_) => Ok(true),
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
