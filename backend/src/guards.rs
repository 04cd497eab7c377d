//! Applying `domain::lockout` to stored guards: the password lockout per login key and the
//! identity-check lock per card, both in the database so they hold across every server process.

use portal_domain::credentials::UserId;
use portal_domain::lockout::{GuardPolicy, Refused, Settled};

use crate::{Portal, PortalResult};

/// The guard of a login key: a user ID as typed (lower-cased), whether or not an account has it.
pub(crate) fn login_guard(login_key: &str) -> String {
    format!("login:{login_key}")
}

/// The guard of a card number, known or not, by its keyed hash.
pub(crate) fn card_guard(number_mac: &str) -> String {
    format!("card:{number_mac}")
}

impl Portal {
    /// Takes a slot before a secret is compared.
    pub(crate) async fn reserve_attempt(
        &self,
        key: &str,
        policy: &GuardPolicy,
        now: i64,
    ) -> PortalResult<Result<(), Refused>> {
        Ok(self
            .db
            .update_guard(key, now, |g| g.reserve(now, policy))
            .await?)
    }

    /// Says how a reserved attempt ended.
    pub(crate) async fn settle_attempt(
        &self,
        key: &str,
        right: bool,
        policy: &GuardPolicy,
        now: i64,
    ) -> PortalResult<Settled> {
        Ok(self
            .db
            .update_guard(key, now, |g| g.settle(right, now, policy))
            .await?)
    }

    /// Ends the count and any lock: the member proved who they are another way.
    pub(crate) async fn clear_guard(&self, key: &str, now: i64) -> PortalResult<()> {
        self.db.update_guard(key, now, |g| g.clear()).await?;
        Ok(())
    }

    pub(crate) async fn password_locked(
        &self,
        display_user_id: &str,
        now: i64,
    ) -> PortalResult<bool> {
        let key = login_guard(&UserId::login_key(display_user_id));
        let policy = self.config.lockout.guard();
        Ok(self.db.guard(&key).await?.is_locked(now, &policy))
    }
}
