//! Family card applications: received under the account's lock (so parallel ones cannot pass the
//! limit together), issued once (a conditional UPDATE claims the application; only the claimer
//! creates the member and the card, in the same transaction).

use super::points::lock_account;
use super::{Db, DbResult, is_unique_violation};

/// What the main member applied for.
pub struct NewApplication<'a> {
    pub account_id: i64,
    pub applied_by: i64,
    pub name_ja: &'a str,
    pub name_kana: &'a str,
    pub name_en: &'a str,
    pub relationship: &'a str,
    pub birth_date: &'a str,
    pub email: &'a str,
}

pub enum Applied {
    Received(i64),
    /// This person was applied for on this account before.
    Duplicate,
    /// The account has as many applications as it may.
    Full,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub account_id: i64,
    pub applied_by: i64,
    pub name_ja: String,
    pub name_kana: String,
    pub name_en: String,
    pub relationship: String,
    pub birth_date: String,
    pub email: String,
    pub status: String,
    pub received_at: i64,
    /// The issued card's last digits.
    pub last_digits: Option<String>,
}

/// What the issuer keeps of a new card: its number and codes as keyed hashes, its last digits.
pub struct IssuedCard<'a> {
    pub number_mac: &'a str,
    pub last_digits: &'a str,
    pub front_code_mac: &'a str,
    pub back_code_mac: &'a str,
}

const APPLICATION_COLUMNS: &str =
    "f.id, f.account_id, f.applied_by, f.name_ja, f.name_kana, f.name_en,
    f.relationship, f.birth_date, f.email, f.status, f.received_at, c.last_digits";

impl Db {
    pub async fn insert_family_application(
        &self,
        application: &NewApplication<'_>,
        most: i64,
        now: i64,
    ) -> DbResult<Applied> {
        let mut tx = self.pool.begin().await?;
        lock_account(&mut tx, application.account_id).await?;
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM family_applications WHERE account_id = $1")
                .bind(application.account_id)
                .fetch_one(&mut *tx)
                .await?;
        if count >= most {
            return Ok(Applied::Full);
        }
        let inserted: DbResult<(i64,)> = sqlx::query_as(
            "INSERT INTO family_applications
             (account_id, applied_by, name_ja, name_kana, name_en, relationship, birth_date, email, status, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'received', $9) RETURNING id",
        )
        .bind(application.account_id)
        .bind(application.applied_by)
        .bind(application.name_ja)
        .bind(application.name_kana)
        .bind(application.name_en)
        .bind(application.relationship)
        .bind(application.birth_date)
        .bind(application.email)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        match inserted {
            Ok((id,)) => {
                tx.commit().await?;
                Ok(Applied::Received(id))
            }
            Err(e) if is_unique_violation(&e) => Ok(Applied::Duplicate),
            Err(e) => Err(e),
        }
    }

    /// The account's applications, newest first.
    pub async fn family_applications(&self, account_id: i64) -> DbResult<Vec<ApplicationRow>> {
        sqlx::query_as(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM family_applications f
             LEFT JOIN cards c ON c.id = f.card_id
             WHERE f.account_id = $1 ORDER BY f.id DESC"
        ))
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Applications received before `received_before` and not issued yet.
    pub async fn waiting_family_applications(
        &self,
        received_before: i64,
    ) -> DbResult<Vec<ApplicationRow>> {
        sqlx::query_as(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM family_applications f
             LEFT JOIN cards c ON c.id = f.card_id
             WHERE f.status = 'received' AND f.received_at <= $1 ORDER BY f.id"
        ))
        .bind(received_before)
        .fetch_all(&self.pool)
        .await
    }

    /// Issues the card of an application still received: its holder becomes a member (living at
    /// the main member's address), the card joins the account as a family card. The new member's
    /// id, or `None` when the application was issued already (by another process, a moment ago).
    pub async fn issue_family_card(
        &self,
        application: &ApplicationRow,
        card: &IssuedCard<'_>,
        now: i64,
    ) -> DbResult<Option<i64>> {
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "UPDATE family_applications SET status = 'issued', issued_at = $2
             WHERE id = $1 AND status = 'received'",
        )
        .bind(application.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            return Ok(None);
        }
        let (member_id,): (i64,) = sqlx::query_as(
            "INSERT INTO members (name_ja, name_en, birth_date, email) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&application.name_ja)
        .bind(&application.name_en)
        .bind(&application.birth_date)
        .bind(&application.email)
        .fetch_one(&mut *tx)
        .await?;
        let home: (String, String, String, String, String, String) = sqlx::query_as(
            "SELECT postal_code, prefecture, city, address_line1, address_line2, home_phone
             FROM members WHERE id = $1",
        )
        .bind(application.applied_by)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE members SET name_kana = $2, postal_code = $3, prefecture = $4, city = $5,
                address_line1 = $6, address_line2 = $7, home_phone = $8
             WHERE id = $1",
        )
        .bind(member_id)
        .bind(&application.name_kana)
        .bind(&home.0)
        .bind(&home.1)
        .bind(&home.2)
        .bind(&home.3)
        .bind(&home.4)
        .bind(&home.5)
        .execute(&mut *tx)
        .await?;
        let (card_id,): (i64,) = sqlx::query_as(
            "INSERT INTO cards (account_id, member_id, number_mac, last_digits, front_code_mac, back_code_mac, is_family)
             VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id",
        )
        .bind(application.account_id)
        .bind(member_id)
        .bind(card.number_mac)
        .bind(card.last_digits)
        .bind(card.front_code_mac)
        .bind(card.back_code_mac)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE family_applications SET card_id = $2 WHERE id = $1")
            .bind(application.id)
            .bind(card_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(member_id))
    }
}
