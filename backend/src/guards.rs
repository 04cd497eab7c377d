//! Applying `domain::lockout` to stored guards: the password lockout per login key and the
//! identity-check lock per card, both in the database so they hold across every server process.

use portal_domain::api::Refusal;
use portal_domain::credentials::UserId;
use portal_domain::lockout::{GuardPolicy, Refused, Settled};

use crate::{Client, Portal, PortalResult};

/// The guard of a login key: a user ID as typed (lower-cased), whether or not an account has it.
pub(crate) fn login_guard(login_key: &str) -> String {
    format!("login:{login_key}")
}

/// What a member is told when a password attempt found no slot.
pub(crate) fn login_refusal(refused: Refused) -> Refusal {
    match refused {
        Refused::Locked { .. } => Refusal::Locked,
        Refused::Busy => Refusal::TryAgain,
    }
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

    /// A password compared under its login key's lockout: a slot taken first, the hash verified
    /// (`stored` `None`: a decoy, never right), the outcome settled. `Err` when nothing was
    /// compared. Sign-in and the confirmation both come through here.
    pub(crate) async fn verify_guarded(
        &self,
        login_key: &str,
        password: &str,
        stored: Option<&str>,
        now: i64,
    ) -> PortalResult<Result<Settled, Refused>> {
        let guard = login_guard(login_key);
        let policy = self.config.lockout.guard();
        if let Err(refused) = self.reserve_attempt(&guard, &policy, now).await? {
            return Ok(Err(refused));
        }
        let right = self.passwords.verify(password, stored).await?;
        Ok(Ok(self.settle_attempt(&guard, right, &policy, now).await?))
    }

    /// A wrong password that locked its login key: on the record, and the member (if the ID is
    /// one) told the way out.
    pub(crate) async fn password_locked_now(
        &self,
        client: &Client,
        account: Option<(i64, i64)>,
        login_key: &str,
        during: &str,
    ) -> PortalResult<()> {
        let online_user_id = account.map(|(id, _)| id);
        self.audit(client, "locked", online_user_id, Some(login_key), during)
            .await;
        match account {
            Some((_, member_id)) => self.notify_locked(member_id).await,
            None => Ok(()),
        }
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
