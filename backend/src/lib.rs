//! Server-only services of the member portal. Server functions in the `app` crate hold an
//! `Arc<Portal>` (from Leptos context) and call one method per request; every rule they apply is in
//! `portal-domain`, every statement they run is in `store`.

use std::sync::atomic::{AtomicI64, Ordering};

pub mod config;
pub mod crypto;
pub mod demo;
pub mod limits;
pub mod mailer;
pub mod passwords;
pub mod postal;
pub mod store;

mod activity;
mod cards;
mod closing;
mod confirmation;
mod details;
mod family;
mod guards;
mod home;
mod identity;
mod paperless;
mod passkeys;
mod payments;
mod pin;
mod points;
mod recovery;
mod registration;
mod sessions;
mod sign_in;
mod statement;

use config::Config;
use crypto::Keys;
use limits::Limits;
use mailer::{MailError, Mailer, Sms};
use passwords::{HashError, Passwords};
use postal::PostalCodes;
use store::Db;
use store::mail::AuditEntry;

pub use details::{AddressForm, Contact, PhonesForm};
pub use family::FamilyForm;
pub use identity::IdentityForm;
pub use passkeys::Challenge;
pub use pin::PinStart;
pub use registration::NewCredentials;
pub use sessions::{FLOW_COOKIE, SESSION_COOKIE, SessionUser, cookie_value};
pub use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    #[error("storage: {0}")]
    Store(#[from] sqlx::Error),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error("configuration: {0}")]
    Config(#[from] config::ConfigError),
    #[error("passkey: {0}")]
    Passkey(String),
    #[error("statement PDF: {0}")]
    Pdf(String),
    #[error("a sealed PIN did not open (another PIN key?)")]
    Pin,
}

pub type PortalResult<T> = Result<T, PortalError>;

/// Who is asking: the client address used for rate limits and the audit log.
#[derive(Debug, Clone)]
pub struct Client {
    pub addr: String,
}

pub struct Portal {
    pub config: Config,
    pub db: Db,
    keys: Keys,
    passwords: Passwords,
    mailer: Mailer,
    sms: Sms,
    postal: PostalCodes,
    limits: Limits,
    webauthn: webauthn_rs::Webauthn,
    clock: Clock,
}

/// The closing line of every security notice.
const NOT_YOU_JA: &str = "お心当たりがない場合はカード裏面のお問い合わせ先へご連絡ください。";
const NOT_YOU_EN: &str = "If this was not you, call the number on the back of your card.";

/// The portal's clock: the system's, plus an offset that only demo mode can move, so tests and
/// demonstrations step through time (an idle session, an expired code) instead of waiting.
#[derive(Default)]
struct Clock {
    offset_secs: AtomicI64,
}

impl Portal {
    /// Connects to the database, runs its migrations and, in demo mode, loads the demo members into an
    /// empty database.
    pub async fn start(config: Config) -> PortalResult<Self> {
        let db = Db::connect(&config.database_url).await?;
        let postal_path = config.postal_codes_path.clone();
        let postal = tokio::task::spawn_blocking(move || PostalCodes::load(&postal_path))
            .await
            .unwrap_or_default();
        let portal = Self {
            keys: Keys::new(config.secret_key.clone(), config.pin_key),
            passwords: Passwords::new(config.max_concurrent_hashes)?,
            mailer: Mailer::from_config(
                config.demo,
                config.smtp_url.as_deref(),
                &config.mail_from,
            )?,
            sms: Sms::from_config(
                config.demo,
                config
                    .sms_gateway
                    .as_ref()
                    .map(|(url, key)| (url.as_str(), key.as_str())),
            ),
            postal,
            limits: Limits::new(&config.rate),
            webauthn: passkeys::relying_party(&config.passkeys)?,
            clock: Clock::default(),
            db,
            config,
        };
        if portal.config.demo {
            demo::seed_if_empty(&portal).await?;
        }
        // A failure here must not keep members out; the hourly run tries again.
        match portal.close_due_statements().await {
            Ok(0) => {}
            Ok(closed) => tracing::info!(closed, "statements closed at start"),
            Err(e) => tracing::error!(error = %e, "statements not closed at start"),
        }
        match portal.expire_points().await {
            Ok(0) => {}
            Ok(points) => tracing::info!(points, "points expired at start"),
            Err(e) => tracing::error!(error = %e, "points not expired at start"),
        }
        let filled = portal.db.fill_search_keys().await?;
        if filled > 0 {
            tracing::info!(filled, "search keys filled in for older lines");
        }
        Ok(portal)
    }

    /// Now, Unix seconds (UTC). Each operation reads it once and passes it down.
    pub fn now(&self) -> i64 {
        time::OffsetDateTime::now_utc().unix_timestamp()
            + self.clock.offset_secs.load(Ordering::Relaxed)
    }

    /// Moves the clock forward in demo mode (`/dev/clock`); refused otherwise.
    pub fn advance_clock(&self, secs: i64) -> bool {
        if !self.config.demo || secs < 0 {
            return false;
        }
        self.clock.offset_secs.fetch_add(secs, Ordering::Relaxed);
        true
    }

    /// The limits the screens state.
    pub fn policy(&self) -> portal_domain::api::PolicyView {
        let c = &self.config;
        portal_domain::api::PolicyView {
            user_id_min: c.user_id.min_len,
            user_id_max: c.user_id.max_len,
            password_min: c.password.min_len,
            code_digits: c.codes.digits,
            code_ttl_secs: c.codes.ttl_secs,
            code_max_entries: c.codes.max_wrong,
            code_resend_secs: c.codes.resend_after_secs,
            confirmation_secs: c.passkeys.confirmation_secs,
        }
    }

    async fn audit(
        &self,
        client: &Client,
        event: &str,
        online_user_id: Option<i64>,
        login_key: Option<&str>,
        detail: &str,
    ) {
        let entry = AuditEntry {
            event,
            online_user_id,
            login_key,
            client_addr: &client.addr,
            detail,
        };
        if let Err(e) = self.db.audit(&entry, self.now()).await {
            tracing::error!(event, error = %e, "audit log write failed");
        }
    }

    /// Sends a bilingual notice to the member's registered address, addressed by name in each
    /// language. A failure is logged (without the body) and does not undo what was done.
    async fn notify_member(
        &self,
        member_id: i64,
        subject: &str,
        ja: &str,
        en: &str,
    ) -> PortalResult<()> {
        let Some(member) = self.db.member(member_id).await? else {
            return Ok(());
        };
        let body = format!(
            "{name} 様\n\n{ja}\n\nDear {name_en},\n\n{en}\n",
            name = member.name_ja,
            name_en = member.name_en,
        );
        if let Err(e) = self
            .mailer
            .send(&self.db, &member.email, subject, &body, self.now())
            .await
        {
            tracing::error!(subject, error = %e, "mail not sent");
        }
        Ok(())
    }

    /// Lists the account's passkeys, so a member whose password was reset by someone else sees a
    /// passkey they do not know and can remove it.
    async fn notify_password_changed(
        &self,
        member_id: i64,
        online_user_id: i64,
    ) -> PortalResult<()> {
        let names: Vec<String> = self
            .db
            .passkeys_of(online_user_id)
            .await?
            .into_iter()
            .map(|p| format!("・{}", p.name))
            .collect();
        let (passkeys_ja, passkeys_en) = if names.is_empty() {
            (
                "登録されているパスキーはありません。".to_string(),
                "No passkeys are registered.".to_string(),
            )
        } else {
            let list = names.join("\n");
            (
                format!(
                    "登録されているパスキー（心当たりのないものはセキュリティ設定で削除してください）:\n{list}"
                ),
                format!(
                    "Passkeys registered (remove any you do not know in security settings):\n{list}"
                ),
            )
        };
        self.notify_member(
            member_id,
            "【会員ポータル】パスワード変更のお知らせ / Your password was changed",
            &format!("パスワードが変更されました。ロックは解除され、他の端末のログインはすべて終了しました。\n{passkeys_ja}\n{NOT_YOU_JA}"),
            &format!("Your password was changed. Your account is unlocked and every other sign-in has ended.\n{passkeys_en}\n{NOT_YOU_EN}"),
        )
        .await
    }

    /// The password locked: how to get back in online.
    async fn notify_locked(&self, member_id: i64) -> PortalResult<()> {
        let origin = &self.config.passkeys.origin;
        self.notify_member(
            member_id,
            "【会員ポータル】アカウントロックのお知らせ / Your password is locked",
            &format!("パスワードを続けて間違えたため、アカウントがロックされました。\n本人確認のうえ新しいパスワードを設定すると解除されます: {origin}/recover/password\nパスキーを登録済みの場合は、パスキーでログインすることもできます。\n{NOT_YOU_JA}"),
            &format!("Your password was entered wrongly too many times and is now locked.\nProve it is you and set a new one to unlock it: {origin}/recover/password\nIf you have a passkey, you can also sign in with it.\n{NOT_YOU_EN}"),
        )
        .await
    }

    /// A card's identity checks stopped: someone tried its details and failed.
    async fn notify_identity_locked(&self, member_id: i64, until: i64) -> PortalResult<()> {
        let at = portal_domain::period::tokyo_datetime(until);
        let when = format!(
            "{} {:02}:{:02}",
            portal_domain::period::iso_date(at.date()),
            at.hour(),
            at.minute()
        );
        self.notify_member(
            member_id,
            "【会員ポータル】本人確認の一時停止 / Identity checks on your card are paused",
            &format!("お客様のカードで本人確認（オンライン登録・ユーザーID確認・パスワード再設定）が続けて一致しなかったため、{when}（日本時間）まで停止しました。その後は再びご利用いただけます。お急ぎの場合はカード裏面の電話番号へご連絡ください。ご本人確認のうえ解除いたします。\n{NOT_YOU_JA}"),
            &format!("Identity checks with your card (online registration, user ID look-up, password reset) did not match several times in a row, so they are paused until {when} Japan time. After that they work again. If it is urgent, call the number on the back of your card: we can lift the pause once we have checked it is you.\n{NOT_YOU_EN}"),
        )
        .await
    }

    /// Sends mail that the member needs to go on (a one-time code): a failure is an error.
    async fn send_required(&self, to: &str, subject: &str, body: &str) -> PortalResult<()> {
        Ok(self
            .mailer
            .send(&self.db, to, subject, body, self.now())
            .await?)
    }
}
