//! Server-side sessions. The browser holds a random token in an HttpOnly cookie; the database holds
//! only its hash, the member, and when it started and was last used, so any server process can
//! check it and sign-out ends it everywhere.

use cookie::{Cookie, SameSite};
use portal_domain::api::SessionView;
use portal_domain::session::{SessionPolicy, SessionState, session_state};

use crate::crypto::{random_token, token_hash};
use crate::store::auth::NewSession;
use crate::{Client, Portal, PortalResult};

pub const SESSION_COOKIE: &str = "portal_session";
pub const FLOW_COOKIE: &str = "portal_flow";

/// Activity more often than this does not rewrite the session row.
const TOUCH_INTERVAL_SECS: i64 = 15;

/// How a session was signed in to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    Password,
    Passkey,
}

impl SignInMethod {
    fn as_str(self) -> &'static str {
        match self {
            SignInMethod::Password => "password",
            SignInMethod::Passkey => "passkey",
        }
    }

    fn parse(text: &str) -> Self {
        if text == "passkey" {
            SignInMethod::Passkey
        } else {
            SignInMethod::Password
        }
    }
}

#[derive(Debug, Clone)]
pub struct SessionUser {
    pub online_user_id: i64,
    pub member_id: i64,
    pub display_user_id: String,
    pub method: SignInMethod,
    /// When this session last proved the password or a one-time code again.
    pub confirmed_at: Option<i64>,
    pub(crate) id_hash: String,
}

/// The value of one cookie in a `Cookie` request header.
pub fn cookie_value(header: Option<&str>, name: &str) -> Option<String> {
    Cookie::split_parse(header?)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

impl Portal {
    fn cookie(&self, name: &'static str, value: String, max_age_secs: i64) -> String {
        Cookie::build((name, value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.config.secure_cookies)
            .max_age(cookie::time::Duration::seconds(max_age_secs))
            .build()
            .to_string()
    }

    /// `Set-Cookie` value for a new session. The cookie outlives the idle limit only as long as the
    /// absolute limit; the server enforces both.
    pub fn session_cookie(&self, token: &str) -> String {
        self.cookie(
            SESSION_COOKIE,
            token.to_string(),
            self.config.session_max_secs,
        )
    }

    pub fn flow_cookie(&self, token: &str) -> String {
        self.cookie(FLOW_COOKIE, token.to_string(), self.config.flow_ttl_secs)
    }

    /// `Set-Cookie` value that removes a cookie.
    pub fn expired_cookie(&self, name: &'static str) -> String {
        self.cookie(name, String::new(), 0)
    }

    pub(crate) fn session_policy(&self) -> SessionPolicy {
        SessionPolicy {
            idle_secs: self.config.session_idle_secs,
            max_secs: self.config.session_max_secs,
        }
    }

    /// Starts a session with a fresh id; returns the token for the cookie. A password sign-in
    /// counts as a confirmation; a passkey sign-in does not, and is tied to its passkey so that
    /// removing the passkey ends it.
    pub(crate) async fn open_session(
        &self,
        online_user_id: i64,
        method: SignInMethod,
        passkey_id: Option<i64>,
        client: &Client,
        now: i64,
    ) -> PortalResult<String> {
        let token = random_token();
        let confirmed_at = (method == SignInMethod::Password).then_some(now);
        self.db
            .create_session(&NewSession {
                id_hash: &token_hash(&token),
                online_user_id,
                now,
                client_addr: &client.addr,
                method: method.as_str(),
                confirmed_at,
                passkey_id,
            })
            .await?;
        Ok(token)
    }

    /// The member a session token belongs to, if the session is still within its idle and absolute
    /// limits. Counts as activity.
    pub async fn session_user(&self, token: &str) -> PortalResult<Option<SessionUser>> {
        let id_hash = token_hash(token);
        let Some(row) = self.db.session(&id_hash).await? else {
            return Ok(None);
        };
        let now = self.now();
        let state = session_state(
            row.created_at,
            row.last_seen_at,
            now,
            &self.session_policy(),
        );
        if state != SessionState::Live {
            self.db.delete_session(&id_hash).await?;
            return Ok(None);
        }
        let Some(user) = self
            .db
            .online_user_by_id(row.online_user_id)
            .await?
            .filter(|u| !u.held())
        else {
            self.db.delete_session(&id_hash).await?;
            return Ok(None);
        };
        if now - row.last_seen_at >= TOUCH_INTERVAL_SECS {
            self.db.touch_session(&id_hash, now).await?;
        }
        Ok(Some(SessionUser {
            online_user_id: user.id,
            member_id: user.member_id,
            display_user_id: user.display_user_id,
            method: SignInMethod::parse(&row.method),
            confirmed_at: row.confirmed_at,
            id_hash,
        }))
    }

    pub async fn session_view(&self, user: &SessionUser) -> PortalResult<SessionView> {
        let member = self.db.member(user.member_id).await?;
        let (name_ja, name_en) = member.map(|m| (m.name_ja, m.name_en)).unwrap_or_default();
        Ok(SessionView {
            user_id: user.display_user_id.clone(),
            name_ja,
            name_en,
            idle_timeout_secs: self.config.session_idle_secs,
            warning_secs: self.config.session_warning_secs,
        })
    }

    pub async fn sign_out(&self, user: &SessionUser, client: &Client) -> PortalResult<()> {
        self.db.delete_session(&user.id_hash).await?;
        self.audit(client, "sign_out", Some(user.online_user_id), None, "")
            .await;
        Ok(())
    }

    /// Removes sessions past either limit, usage counters of past days and rate-limit entries of
    /// callers long gone; run now and then so neither the tables nor the memory grow.
    pub async fn purge_expired(&self) -> PortalResult<u64> {
        let now = self.now();
        let policy = self.session_policy();
        let sessions = self
            .db
            .delete_expired_sessions(now - policy.idle_secs, now - policy.max_secs)
            .await?;
        let counters = self.db.purge_usage_counters(now - 2 * 86_400).await?;
        self.limits.trim();
        Ok(sessions + counters)
    }
}
