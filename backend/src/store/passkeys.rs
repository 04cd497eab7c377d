//! Passkeys and the WebAuthn ceremonies waiting for an answer.

use super::{Db, DbResult};

#[derive(Debug, Clone)]
pub struct PasskeyRow {
    pub id: i64,
    pub online_user_id: i64,
    pub user_handle: String,
    pub name: String,
    /// webauthn-rs's `Passkey` as JSON.
    pub credential: String,
    pub sign_count: i64,
    pub backup_eligible: bool,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

pub struct NewPasskey<'a> {
    pub online_user_id: i64,
    pub user_handle: &'a str,
    pub credential_id: &'a str,
    pub name: &'a str,
    pub credential: &'a str,
    pub sign_count: i64,
    pub backup_eligible: bool,
    pub backup_state: bool,
    pub created_at: i64,
}

/// A used passkey's new state, written only if the counter moved forward (or is not kept).
pub struct PasskeyUse<'a> {
    pub id: i64,
    pub credential: &'a str,
    pub sign_count: i64,
    pub backup_eligible: bool,
    pub backup_state: bool,
    pub at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CeremonyRow {
    pub purpose: String,
    pub online_user_id: Option<i64>,
    pub state: String,
    pub expires_at: i64,
}

const COLUMNS: &str = "id, online_user_id, user_handle, name, credential, sign_count, backup_eligible, created_at, last_used_at";

/// By column name; `backup_eligible` is an INTEGER 0/1 on both databases.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for PasskeyRow {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row as _;
        Ok(Self {
            id: row.try_get("id")?,
            online_user_id: row.try_get("online_user_id")?,
            user_handle: row.try_get("user_handle")?,
            name: row.try_get("name")?,
            credential: row.try_get("credential")?,
            sign_count: row.try_get("sign_count")?,
            backup_eligible: row.try_get::<i64, _>("backup_eligible")? != 0,
            created_at: row.try_get("created_at")?,
            last_used_at: row.try_get("last_used_at")?,
        })
    }
}

impl Db {
    /// Oldest first.
    pub async fn passkeys_of(&self, online_user_id: i64) -> DbResult<Vec<PasskeyRow>> {
        let sql = format!("SELECT {COLUMNS} FROM passkeys WHERE online_user_id = $1 ORDER BY id");
        sqlx::query_as(&sql)
            .bind(online_user_id)
            .fetch_all(&self.pool)
            .await
    }

    pub async fn passkey_by_credential(&self, credential_id: &str) -> DbResult<Option<PasskeyRow>> {
        let sql = format!("SELECT {COLUMNS} FROM passkeys WHERE credential_id = $1");
        sqlx::query_as(&sql)
            .bind(credential_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Fails with a unique violation when the credential is already registered.
    pub async fn insert_passkey(&self, new: &NewPasskey<'_>) -> DbResult<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO passkeys (online_user_id, user_handle, credential_id, name, credential, sign_count, backup_eligible, backup_state, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(new.online_user_id)
        .bind(new.user_handle)
        .bind(new.credential_id)
        .bind(new.name)
        .bind(new.credential)
        .bind(new.sign_count)
        .bind(i64::from(new.backup_eligible))
        .bind(i64::from(new.backup_state))
        .bind(new.created_at)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// False when the stored counter has meanwhile reached this one (a parallel use of a copy).
    pub async fn record_passkey_use(&self, used: &PasskeyUse<'_>) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE passkeys SET credential = $2, sign_count = $3, backup_eligible = $4, backup_state = $5, last_used_at = $6 \
             WHERE id = $1 AND (sign_count < $3 OR $3 = 0)",
        )
        .bind(used.id)
        .bind(used.credential)
        .bind(used.sign_count)
        .bind(i64::from(used.backup_eligible))
        .bind(i64::from(used.backup_state))
        .bind(used.at)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Only among the member's own; false when there is no such passkey.
    pub async fn rename_passkey(&self, online_user_id: i64, id: i64, name: &str) -> DbResult<bool> {
        let done =
            sqlx::query("UPDATE passkeys SET name = $3 WHERE id = $2 AND online_user_id = $1")
                .bind(online_user_id)
                .bind(id)
                .bind(name)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Only among the member's own; returns the removed passkey's name.
    pub async fn delete_passkey(&self, online_user_id: i64, id: i64) -> DbResult<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as(
            "DELETE FROM passkeys WHERE id = $2 AND online_user_id = $1 RETURNING name",
        )
        .bind(online_user_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(name,)| name))
    }

    /// Stores a ceremony's state and clears out ceremonies that expired unanswered.
    pub async fn insert_ceremony(
        &self,
        id_hash: &str,
        ceremony: &CeremonyRow,
        now: i64,
    ) -> DbResult<()> {
        sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at < $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO passkey_ceremonies (id_hash, purpose, online_user_id, state, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(&ceremony.purpose)
        .bind(ceremony.online_user_id)
        .bind(&ceremony.state)
        .bind(ceremony.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes and returns a ceremony: of two answers to one challenge, only one gets it.
    pub async fn take_ceremony(&self, id_hash: &str) -> DbResult<Option<CeremonyRow>> {
        sqlx::query_as(
            "DELETE FROM passkey_ceremonies WHERE id_hash = $1 RETURNING purpose, online_user_id, state, expires_at",
        )
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await
    }
}
