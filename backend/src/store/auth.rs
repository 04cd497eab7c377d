//! Online users, the sign-in guard, sessions and registration/recovery flows.

use super::cards::ADD_ONLINE_CARD;
use super::{Db, DbResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OnlineUser {
    pub id: i64,
    pub member_id: i64,
    pub display_user_id: String,
    pub password_hash: String,
    /// When the issuer put a hold on the account (support or the issuer's systems set this).
    pub held_at: Option<i64>,
}

impl OnlineUser {
    pub fn held(&self) -> bool {
        self.held_at.is_some()
    }
}

pub struct NewSession<'a> {
    pub id_hash: &'a str,
    pub online_user_id: i64,
    pub now: i64,
    pub client_addr: &'a str,
    pub method: &'a str,
    /// Set when the sign-in itself proved the password.
    pub confirmed_at: Option<i64>,
    /// The passkey signed in with, if one was.
    pub passkey_id: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub online_user_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub method: String,
    pub confirmed_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FlowRow {
    pub purpose: String,
    pub member_id: i64,
    pub expires_at: i64,
    pub code_mac: Option<String>,
    pub code_sent_at: Option<i64>,
    /// Entries of the current code, right or wrong, each counted before it was compared.
    pub code_entries: i64,
    pub code_sends: i64,
    pub code_used_at: Option<i64>,
    pub completed_at: Option<i64>,
    /// What the flow carries to its end: the new e-mail address or mobile number a contact change
    /// waits to confirm, the card a PIN is for, the card a registration proved.
    pub pending_value: Option<String>,
}

impl Db {
    pub async fn online_user_by_login(&self, login_key: &str) -> DbResult<Option<OnlineUser>> {
        sqlx::query_as(
            "SELECT id, member_id, display_user_id, password_hash, held_at FROM online_users WHERE login_key = $1",
        )
        .bind(login_key)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn online_user_by_id(&self, id: i64) -> DbResult<Option<OnlineUser>> {
        sqlx::query_as(
            "SELECT id, member_id, display_user_id, password_hash, held_at FROM online_users WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn online_user_by_member(&self, member_id: i64) -> DbResult<Option<OnlineUser>> {
        sqlx::query_as(
            "SELECT id, member_id, display_user_id, password_hash, held_at FROM online_users WHERE member_id = $1",
        )
        .bind(member_id)
        .fetch_optional(&self.pool)
        .await
    }

    /// Fails with a unique violation when the member or the login key already has an account.
    /// The online account, with the card it was registered with as the first of its scope.
    pub async fn create_online_user(
        &self,
        member_id: i64,
        card_id: i64,
        login_key: &str,
        display_user_id: &str,
        password_hash: &str,
        now: i64,
    ) -> DbResult<i64> {
        let mut tx = self.pool.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO online_users (member_id, login_key, display_user_id, password_hash, created_at, password_changed_at)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(member_id)
        .bind(login_key)
        .bind(display_user_id)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(ADD_ONLINE_CARD)
            .bind(member_id)
            .bind(card_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn set_password_hash(
        &self,
        online_user_id: i64,
        password_hash: &str,
        now: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "UPDATE online_users SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
        )
        .bind(online_user_id)
        .bind(password_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn create_session(&self, new: &NewSession<'_>) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, online_user_id, created_at, last_seen_at, client_addr, method, confirmed_at, passkey_id)
             VALUES ($1, $2, $3, $3, $4, $5, $6, $7)",
        )
        .bind(new.id_hash)
        .bind(new.online_user_id)
        .bind(new.now)
        .bind(new.client_addr)
        .bind(new.method)
        .bind(new.confirmed_at)
        .bind(new.passkey_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &str) -> DbResult<Option<SessionRow>> {
        sqlx::query_as(
            "SELECT online_user_id, created_at, last_seen_at, method, confirmed_at FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn confirm_session(&self, id_hash: &str, now: i64) -> DbResult<()> {
        sqlx::query("UPDATE sessions SET confirmed_at = $2 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends every session of a member but one (after a password change). Returns how many ended.
    pub async fn delete_other_sessions(&self, online_user_id: i64, keep: &str) -> DbResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE online_user_id = $1 AND id_hash <> $2")
            .bind(online_user_id)
            .bind(keep)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn touch_session(&self, id_hash: &str, now: i64) -> DbResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends the sessions signed in with a passkey (after it was removed) but `keep`. Returns how
    /// many ended.
    pub async fn delete_sessions_of_passkey(&self, passkey_id: i64, keep: &str) -> DbResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE passkey_id = $1 AND id_hash <> $2")
            .bind(passkey_id)
            .bind(keep)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Ends every session of a member (after a password reset). Returns how many ended.
    pub async fn delete_sessions_of(&self, online_user_id: i64) -> DbResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE online_user_id = $1")
            .bind(online_user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn delete_expired_sessions(
        &self,
        idle_before: i64,
        created_before: i64,
    ) -> DbResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_before)
            .bind(created_before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn delete_flow(&self, token_hash: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM flows WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_flow(
        &self,
        token_hash: &str,
        purpose: &str,
        member_id: i64,
        now: i64,
        expires_at: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO flows (token_hash, purpose, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(purpose)
        .bind(member_id)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn set_flow_pending_value(&self, token_hash: &str, value: &str) -> DbResult<()> {
        sqlx::query("UPDATE flows SET pending_value = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn flow(&self, token_hash: &str) -> DbResult<Option<FlowRow>> {
        sqlx::query_as(
            "SELECT purpose, member_id, expires_at, code_mac, code_sent_at, code_entries, code_sends, code_used_at, completed_at,
                    pending_value
             FROM flows WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
    }

    /// Stores a new code for the flow and starts its wrong-entry count again; refuses (false) when
    /// the flow has already had `max_sends` codes or the last was sent less than `resend_after` ago.
    pub async fn store_flow_code(
        &self,
        token_hash: &str,
        code_mac: &str,
        now: i64,
        resend_after: i64,
        max_sends: u32,
    ) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE flows SET code_mac = $2, code_sent_at = $3, code_entries = 0, code_sends = code_sends + 1
             WHERE token_hash = $1 AND code_used_at IS NULL AND completed_at IS NULL
               AND code_sends < $5 AND (code_sent_at IS NULL OR code_sent_at <= $3 - $4)",
        )
        .bind(token_hash)
        .bind(code_mac)
        .bind(now)
        .bind(resend_after)
        .bind(i64::from(max_sends))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Takes one of the code's entries before it is compared, up to `max_entries`: the count
    /// including this one, or `None` when the code has no entries left or was used.
    pub async fn reserve_code_entry(
        &self,
        token_hash: &str,
        max_entries: u32,
    ) -> DbResult<Option<u32>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "UPDATE flows SET code_entries = code_entries + 1
             WHERE token_hash = $1 AND code_entries < $2 AND code_used_at IS NULL
             RETURNING code_entries",
        )
        .bind(token_hash)
        .bind(i64::from(max_entries))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(n,)| u32::try_from(n).unwrap_or(u32::MAX)))
    }

    /// Marks the code used; false when it was used already (a second tab, a double submit).
    pub async fn use_flow_code(&self, token_hash: &str, now: i64) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE flows SET code_used_at = $2 WHERE token_hash = $1 AND code_used_at IS NULL",
        )
        .bind(token_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks the flow complete; false when it was completed already.
    pub async fn complete_flow(&self, token_hash: &str, now: i64) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE flows SET completed_at = $2 WHERE token_hash = $1 AND completed_at IS NULL",
        )
        .bind(token_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
