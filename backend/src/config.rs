//! Configuration from the environment. Every policy an issuer may want to set lives here, with the
//! issuer's published rules as defaults.

use std::path::{Path, PathBuf};

use portal_domain::credentials::{PasswordPolicy, UserIdPolicy};
use portal_domain::lockout::{IdentityLockPolicy, LockoutPolicy};
use portal_domain::otp::CodePolicy;
use portal_domain::payments::{PlanTerms, SpendingRule};
use portal_domain::points::{BillRate, Partner, Ratio};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("{0}")]
    Missing(&'static str),
    #[error("could not read or write the development key file {path}: {source}")]
    KeyFile {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Requests allowed per client address, refilled evenly over a minute.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub sign_in_per_minute: u32,
    /// Registration and recovery identity checks.
    pub identity_checks_per_minute: u32,
    /// Passkey ceremonies (start or finish, sign-in or registration).
    pub passkey_per_minute: u32,
    /// Strength-meter estimates (asked while a new password is typed).
    pub strength_per_minute: u32,
    /// "User ID taken" answers per address per hour, and per registration.
    pub user_id_taken_per_hour: u32,
    pub user_id_taken_per_registration: i64,
    /// Statement PDFs per member.
    pub pdf_per_minute: u32,
    /// Spending-power checks per member, per hour: enough to plan a purchase, too few to find the
    /// internal line by trying amounts.
    pub spending_checks_per_member_per_hour: u32,
    /// The same per day, counted in the database so that every server process shares it.
    pub spending_checks_per_member_per_day: i64,
}

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    /// Demo data, the mail outbox in the database and `/dev/outbox`.
    pub demo: bool,
    /// Key for the keyed hashes of card numbers, security codes and one-time codes.
    pub secret_key: Vec<u8>,
    /// Key that seals IC card PINs (`PORTAL_PIN_KEY`, 64 hex digits); derived from the secret key
    /// when not set.
    pub pin_key: Option<[u8; 32]>,
    pub user_id: UserIdPolicy,
    pub password: PasswordPolicy,
    pub lockout: LockoutPolicy,
    /// Wrong identity checks per card before its checks stop for a while (all processes).
    pub identity_lock: IdentityLockPolicy,
    pub codes: CodePolicy,
    pub session_idle_secs: i64,
    pub session_warning_secs: i64,
    pub session_max_secs: i64,
    /// How long a registration or recovery may take from identity check to completion.
    pub flow_ttl_secs: i64,
    pub max_code_sends: u32,
    pub rate: RateLimits,
    /// Password hashes computed at once; each takes about 19 MiB.
    pub max_concurrent_hashes: usize,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// SMS gateway's HTTP API address and key (`PORTAL_SMS_URL`, `PORTAL_SMS_KEY`); without them,
    /// outside demo mode, nothing is sent by SMS.
    pub sms_gateway: Option<(String, String)>,
    /// Japan Post's postal codes, as `scripts/postal-codes.sh` converts them.
    pub postal_codes_path: std::path::PathBuf,
    /// Proxies in front of the portal that append to `X-Forwarded-For`: the client address is the
    /// entry this many places from the right (0: the socket's peer; nothing the client wrote).
    pub forwarded_hops: usize,
    /// Mark cookies `Secure` and send HSTS (served over https, directly or behind a proxy); on by
    /// default outside demo mode.
    pub secure_cookies: bool,
    pub passkeys: PasskeySettings,
    pub plans: PlanTerms,
    pub spending: SpendingRule,
    pub points: PointSettings,
    /// In demo mode, the issuer issues a family card this many seconds after its application.
    pub demo_issue_secs: i64,
}

/// Membership Rewards settings.
#[derive(Debug, Clone)]
pub struct PointSettings {
    /// Points expire this many months after they were earned.
    pub expiry_months: u16,
    /// Points expiring within this many days are shown as expiring soon.
    pub warn_days: i64,
    pub bill: BillRate,
    /// Points → partner units, per partner.
    pub ratios: Vec<(Partner, Ratio)>,
    /// In demo mode, the partner answers a transfer after this many seconds.
    pub demo_transfer_secs: i64,
}

/// WebAuthn relying-party settings. Passkeys are bound to `rp_id`, so it must stay the same for
/// the life of the deployment.
#[derive(Debug, Clone)]
pub struct PasskeySettings {
    /// The address members type, scheme and port included: `https://portal.example`.
    pub origin: String,
    /// The domain passkeys belong to: the origin's host, or a parent of it.
    pub rp_id: String,
    /// How long a challenge may wait for its answer.
    pub ceremony_secs: i64,
    /// How long a confirmation (password or code) allows adding and removing passkeys.
    pub confirmation_secs: i64,
}

// The key must never reach a log line.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database", &redact_url(&self.database_url))
            .field("demo", &self.demo)
            .field("lockout", &self.lockout)
            .field("session_idle_secs", &self.session_idle_secs)
            .finish_non_exhaustive()
    }
}

pub const DEFAULT_DATABASE: &str = "sqlite://data/portal.db";
/// Where setup converts the postal codes, wherever the portal is started from.
pub const DEFAULT_POSTAL_CODES: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../data/postal_codes.tsv");

impl Config {
    /// Reads `DATABASE_URL`, `PORTAL_*` and friends. `vars` is the environment (injected for tests).
    pub fn from_vars(vars: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let demo = flag(&vars, "PORTAL_DEMO", false)?;
        let database_url = normalize_database_url(
            &vars("DATABASE_URL")
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_DATABASE.into()),
        );
        let secret_key = match vars("PORTAL_SECRET_KEY") {
            Some(hex_key) => {
                let key = hex::decode(hex_key.trim()).map_err(|e| ConfigError::Invalid {
                    name: "PORTAL_SECRET_KEY",
                    reason: e.to_string(),
                })?;
                if key.len() < 32 {
                    return Err(ConfigError::Invalid {
                        name: "PORTAL_SECRET_KEY",
                        reason: "needs at least 32 bytes (64 hex digits)".into(),
                    });
                }
                key
            }
            None if demo => {
                let dir = vars("PORTAL_DATA_DIR").unwrap_or_else(|| "data".into());
                development_key(&Path::new(&dir).join("dev-secret.key"))?
            }
            None => {
                return Err(ConfigError::Missing(
                    "PORTAL_SECRET_KEY is required outside demo mode",
                ));
            }
        };
        let smtp_url = vars("PORTAL_SMTP_URL").filter(|v| !v.trim().is_empty());
        if !demo && smtp_url.is_none() {
            return Err(ConfigError::Missing(
                "PORTAL_SMTP_URL is required outside demo mode",
            ));
        }
        let pin_key = match vars("PORTAL_PIN_KEY").filter(|v| !v.trim().is_empty()) {
            Some(hex_key) => {
                let mut key = [0; 32];
                hex::decode_to_slice(hex_key.trim(), &mut key).map_err(|_| {
                    ConfigError::Invalid {
                        name: "PORTAL_PIN_KEY",
                        reason: "needs exactly 32 bytes (64 hex digits)".into(),
                    }
                })?;
                Some(key)
            }
            None => None,
        };
        Ok(Self {
            database_url,
            demo,
            secret_key,
            pin_key,
            user_id: UserIdPolicy {
                min_len: number(&vars, "PORTAL_USER_ID_MIN", 5)?,
                max_len: number(&vars, "PORTAL_USER_ID_MAX", 20)?,
            },
            password: PasswordPolicy {
                min_len: number(&vars, "PORTAL_PASSWORD_MIN", 8)?,
                max_len: number(&vars, "PORTAL_PASSWORD_MAX", 128)?,
                min_strength: number(&vars, "PORTAL_PASSWORD_MIN_STRENGTH", 2)?,
            },
            lockout: LockoutPolicy {
                max_failures: number(&vars, "PORTAL_LOCKOUT_AFTER", 3)?,
            },
            identity_lock: IdentityLockPolicy {
                max_failures: number(&vars, "PORTAL_IDENTITY_LOCK_AFTER", 5)?,
                first_lock_secs: number(&vars, "PORTAL_IDENTITY_LOCK_SECS", 3600)?,
                next_lock_secs: number(&vars, "PORTAL_IDENTITY_RELOCK_SECS", 86_400)?,
            },
            codes: CodePolicy {
                digits: 6,
                ttl_secs: number(&vars, "PORTAL_CODE_TTL_SECS", 600)?,
                max_wrong: number(&vars, "PORTAL_CODE_MAX_WRONG", 5)?,
                resend_after_secs: number(&vars, "PORTAL_CODE_RESEND_SECS", 60)?,
            },
            session_idle_secs: number(&vars, "PORTAL_SESSION_IDLE_SECS", 15 * 60)?,
            session_warning_secs: number(&vars, "PORTAL_SESSION_WARNING_SECS", 2 * 60)?,
            session_max_secs: number(&vars, "PORTAL_SESSION_MAX_SECS", 8 * 60 * 60)?,
            flow_ttl_secs: number(&vars, "PORTAL_FLOW_TTL_SECS", 30 * 60)?,
            max_code_sends: number(&vars, "PORTAL_CODE_MAX_SENDS", 5)?,
            rate: RateLimits {
                sign_in_per_minute: number(&vars, "PORTAL_RATE_SIGN_IN_PER_MIN", 60)?,
                identity_checks_per_minute: number(&vars, "PORTAL_RATE_IDENTITY_PER_MIN", 30)?,
                passkey_per_minute: number(&vars, "PORTAL_RATE_PASSKEY_PER_MIN", 30)?,
                strength_per_minute: number(&vars, "PORTAL_RATE_STRENGTH_PER_MIN", 120)?,
                user_id_taken_per_hour: number(&vars, "PORTAL_RATE_USER_ID_TAKEN_PER_HOUR", 30)?,
                user_id_taken_per_registration: number(
                    &vars,
                    "PORTAL_RATE_USER_ID_TAKEN_PER_FLOW",
                    10,
                )?,
                pdf_per_minute: number(&vars, "PORTAL_RATE_PDF_PER_MIN", 10)?,
                spending_checks_per_member_per_hour: number(
                    &vars,
                    "PORTAL_RATE_SPENDING_PER_HOUR",
                    20,
                )?,
                spending_checks_per_member_per_day: number(
                    &vars,
                    "PORTAL_RATE_SPENDING_PER_DAY",
                    10,
                )?,
            },
            max_concurrent_hashes: number(&vars, "PORTAL_MAX_CONCURRENT_HASHES", 4)?,
            smtp_url,
            mail_from: vars("PORTAL_MAIL_FROM")
                .unwrap_or_else(|| "Member Portal <no-reply@portal.example>".into()),
            sms_gateway: match (
                vars("PORTAL_SMS_URL").filter(|v| !v.trim().is_empty()),
                vars("PORTAL_SMS_KEY").filter(|v| !v.trim().is_empty()),
            ) {
                (Some(url), Some(key)) => Some((url, key)),
                (None, None) => None,
                _ => {
                    return Err(ConfigError::Missing(
                        "PORTAL_SMS_URL and PORTAL_SMS_KEY are set together",
                    ));
                }
            },
            postal_codes_path: vars("PORTAL_POSTAL_CODES")
                .map(Into::into)
                .unwrap_or_else(|| DEFAULT_POSTAL_CODES.into()),
            forwarded_hops: number(&vars, "PORTAL_TRUST_FORWARDED_FOR", 0)?,
            secure_cookies: flag(&vars, "PORTAL_SECURE_COOKIES", !demo)?,
            passkeys: passkey_settings(&vars)?,
            plans: PlanTerms {
                annual_rate_bp: number(&vars, "PORTAL_PLAN_RATE_BP", 1500)?,
                revolving_courses: numbers(
                    &vars,
                    "PORTAL_REVOLVING_COURSES",
                    &[5_000, 10_000, 20_000, 30_000, 50_000],
                )?,
                cutoff_days: number(&vars, "PORTAL_PLAN_CUTOFF_DAYS", 6)?,
                min_charge_yen: number(&vars, "PORTAL_PLAN_MIN_YEN", 3_000)?,
            },
            spending: SpendingRule {
                late_line_pct: number(&vars, "PORTAL_SPENDING_LATE_LINE_PCT", 50)?,
                max_amount_yen: number(&vars, "PORTAL_SPENDING_MAX_YEN", 100_000_000)?,
            },
            points: PointSettings {
                expiry_months: number(&vars, "PORTAL_POINTS_EXPIRY_MONTHS", 36)?,
                warn_days: number(&vars, "PORTAL_POINTS_WARN_DAYS", 90)?,
                bill: BillRate {
                    yen_per_100: number(&vars, "PORTAL_POINTS_BILL_YEN_PER_100", 50)?,
                    min_points: number(&vars, "PORTAL_POINTS_BILL_MIN", 1_000)?,
                },
                ratios: partner_ratios(&vars)?,
                demo_transfer_secs: number(&vars, "PORTAL_DEMO_TRANSFER_SECS", 5)?,
            },
            demo_issue_secs: number(&vars, "PORTAL_DEMO_ISSUE_SECS", 10)?,
        })
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }
}

/// The origin defaults to `http://localhost:<port of LEPTOS_SITE_ADDR>`: browsers allow passkeys
/// on `localhost` without https, but never on a bare IP address.
fn passkey_settings(
    vars: &impl Fn(&str) -> Option<String>,
) -> Result<PasskeySettings, ConfigError> {
    let origin = match vars("PORTAL_PUBLIC_ORIGIN").filter(|v| !v.trim().is_empty()) {
        Some(origin) => origin.trim().trim_end_matches('/').to_string(),
        None => {
            let port = vars("LEPTOS_SITE_ADDR")
                .and_then(|addr| addr.rsplit_once(':').map(|(_, port)| port.to_string()))
                .unwrap_or_else(|| "3000".into());
            format!("http://localhost:{port}")
        }
    };
    let host = origin
        .split_once("://")
        .map(|(_, rest)| {
            rest.split(['/', ':'])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .filter(|h| !h.is_empty())
        .ok_or_else(|| ConfigError::Invalid {
            name: "PORTAL_PUBLIC_ORIGIN",
            reason: "expected scheme://host[:port]".into(),
        })?;
    Ok(PasskeySettings {
        rp_id: vars("PORTAL_PASSKEY_RP_ID")
            .filter(|v| !v.trim().is_empty())
            .unwrap_or(host),
        origin,
        ceremony_secs: number(vars, "PORTAL_PASSKEY_CEREMONY_SECS", 300)?,
        confirmation_secs: number(
            vars,
            "PORTAL_CONFIRMATION_SECS",
            portal_domain::passkey::CONFIRMATION_SECS,
        )?,
    })
}

/// Accepts a PostgreSQL URL, a `sqlite:` URL, or a plain file path (taken as SQLite).
pub fn normalize_database_url(raw: &str) -> String {
    let raw = raw.trim();
    if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
        return raw.to_string();
    }
    let url = if raw.starts_with("sqlite:") {
        raw.to_string()
    } else {
        format!("sqlite://{raw}")
    };
    if url.contains("mode=") || url.contains(":memory:") {
        url
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// The file a SQLite URL names, so its folder can be created.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***{}", &url[..scheme_end], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Reads the demo key, or creates it on first start; owner-only permissions.
fn development_key(path: &Path) -> Result<Vec<u8>, ConfigError> {
    let io = |source| ConfigError::KeyFile {
        path: path.to_path_buf(),
        source,
    };
    if let Ok(text) = std::fs::read_to_string(path)
        && let Ok(key) = hex::decode(text.trim())
        && key.len() >= 32
    {
        return Ok(key);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let key: [u8; 32] = rand::random();
    std::fs::write(path, hex::encode(key)).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    Ok(key.to_vec())
}

fn number<T: std::str::FromStr>(
    vars: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match vars(name) {
        Some(v) if !v.trim().is_empty() => {
            v.trim().parse().map_err(|e: T::Err| ConfigError::Invalid {
                name,
                reason: e.to_string(),
            })
        }
        _ => Ok(default),
    }
}

/// A comma-separated list of positive numbers.
fn numbers(
    vars: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: &[i64],
) -> Result<Vec<i64>, ConfigError> {
    let Some(text) = vars(name).filter(|v| !v.trim().is_empty()) else {
        return Ok(default.to_vec());
    };
    text.split(',')
        .map(|n| match n.trim().parse::<i64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(ConfigError::Invalid {
                name,
                reason: format!("expected positive numbers separated by commas, got {n:?}"),
            }),
        })
        .collect()
}

/// `PORTAL_PARTNER_RATIOS`: `ana=1000:1000,jal=2500:1000,…` (points:units); partners not named keep
/// the issuer's published ratio.
fn partner_ratios(
    vars: &impl Fn(&str) -> Option<String>,
) -> Result<Vec<(Partner, Ratio)>, ConfigError> {
    const NAME: &str = "PORTAL_PARTNER_RATIOS";
    let ratio = |points, units| Ratio { points, units };
    let mut ratios = vec![
        (Partner::Ana, ratio(1_000, 1_000)),
        (Partner::Jal, ratio(2_500, 1_000)),
        (Partner::Marriott, ratio(3_000, 1_000)),
        (Partner::Hilton, ratio(1_000, 500)),
        (Partner::Delta, ratio(1_000, 1_000)),
    ];
    let Some(text) = vars(NAME).filter(|v| !v.trim().is_empty()) else {
        return Ok(ratios);
    };
    for entry in text.split(',') {
        let invalid = || ConfigError::Invalid {
            name: NAME,
            reason: format!("expected partner=points:units, got {entry:?}"),
        };
        let (code, pair) = entry.trim().split_once('=').ok_or_else(invalid)?;
        let partner = Partner::from_code(code.trim()).ok_or_else(invalid)?;
        let (points, units) = pair.split_once(':').ok_or_else(invalid)?;
        let (points, units) = (
            points.trim().parse::<i64>().map_err(|_| invalid())?,
            units.trim().parse::<i64>().map_err(|_| invalid())?,
        );
        if points <= 0 || units <= 0 {
            return Err(invalid());
        }
        if let Some(slot) = ratios.iter_mut().find(|(p, _)| *p == partner) {
            slot.1 = ratio(points, units);
        }
    }
    Ok(ratios)
}

fn flag(
    vars: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match vars(name).as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError::Invalid {
            name,
            reason: format!("expected 1 or 0, got {other:?}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_vars(|name| map.get(name).cloned())
    }

    const KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    #[test]
    fn database_urls_accept_paths_and_urls() {
        assert_eq!(
            normalize_database_url("data/x.db"),
            "sqlite://data/x.db?mode=rwc"
        );
        assert_eq!(
            normalize_database_url("sqlite://a.db"),
            "sqlite://a.db?mode=rwc"
        );
        assert_eq!(
            normalize_database_url("postgres://u:p@localhost/db"),
            "postgres://u:p@localhost/db"
        );
        assert_eq!(
            sqlite_path("sqlite://data/x.db?mode=rwc"),
            Some(PathBuf::from("data/x.db"))
        );
        assert_eq!(sqlite_path("postgres://h/db"), None);
    }

    #[test]
    fn policies_come_from_the_environment() {
        let c = config(&[
            ("PORTAL_DEMO", "0"),
            ("PORTAL_SECRET_KEY", KEY),
            ("PORTAL_SMTP_URL", "smtp://localhost:2525"),
            ("PORTAL_LOCKOUT_AFTER", "5"),
            ("PORTAL_PASSWORD_MIN", "12"),
        ])
        .unwrap();
        assert_eq!(c.lockout.max_failures, 5);
        assert_eq!(c.password.min_len, 12);
        assert_eq!(c.user_id.max_len, 20);
        assert_eq!(c.session_idle_secs, 900);
    }

    #[test]
    fn outside_demo_mode_cookies_are_secure_and_spending_checks_few() {
        let production = config(&[
            ("PORTAL_DEMO", "0"),
            ("PORTAL_SECRET_KEY", KEY),
            ("PORTAL_SMTP_URL", "smtp://localhost:2525"),
        ])
        .unwrap();
        assert!(
            production.secure_cookies,
            "Secure cookies and HSTS by default"
        );
        assert_eq!(production.rate.spending_checks_per_member_per_day, 10);
        assert_eq!(
            production.forwarded_hops, 0,
            "X-Forwarded-For believed only when configured"
        );
        assert_eq!(production.identity_lock.max_failures, 5);
        let demo = config(&[("PORTAL_DEMO", "1"), ("PORTAL_SECRET_KEY", KEY)]).unwrap();
        assert!(
            !demo.secure_cookies,
            "the demo runs on plain http://localhost"
        );
    }

    #[test]
    fn passkeys_belong_to_the_public_host() {
        let base = [("PORTAL_SECRET_KEY", KEY), ("PORTAL_SMTP_URL", "smtp://x")];
        let c = config(&[base[0], base[1], ("LEPTOS_SITE_ADDR", "127.0.0.1:3100")]).unwrap();
        assert_eq!(c.passkeys.origin, "http://localhost:3100");
        assert_eq!(c.passkeys.rp_id, "localhost");
        let c = config(&[
            base[0],
            base[1],
            ("PORTAL_PUBLIC_ORIGIN", "https://portal.example.jp/"),
        ])
        .unwrap();
        assert_eq!(c.passkeys.origin, "https://portal.example.jp");
        assert_eq!(c.passkeys.rp_id, "portal.example.jp");
        assert_eq!(c.passkeys.confirmation_secs, 300);
        assert!(matches!(
            config(&[base[0], base[1], ("PORTAL_PUBLIC_ORIGIN", "portal")]),
            Err(ConfigError::Invalid { .. })
        ));
    }

    #[test]
    fn production_needs_a_key_and_mail() {
        assert!(matches!(config(&[]), Err(ConfigError::Missing(_))));
        assert!(matches!(
            config(&[("PORTAL_SECRET_KEY", KEY)]),
            Err(ConfigError::Missing(_))
        ));
        assert!(matches!(
            config(&[
                ("PORTAL_SECRET_KEY", "abcd"),
                ("PORTAL_SMTP_URL", "smtp://x")
            ]),
            Err(ConfigError::Invalid { .. })
        ));
    }

    #[test]
    fn payment_and_point_terms_come_from_the_environment() {
        let base = [
            ("PORTAL_DEMO", "0"),
            ("PORTAL_SECRET_KEY", KEY),
            ("PORTAL_SMTP_URL", "smtp://localhost:2525"),
        ];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut pairs = base.to_vec();
            pairs.extend_from_slice(extra);
            config(&pairs)
        };
        let c = with(&[
            ("PORTAL_REVOLVING_COURSES", "10000, 30000"),
            ("PORTAL_PARTNER_RATIOS", "hilton=1000:800"),
            ("PORTAL_PLAN_RATE_BP", "1450"),
        ])
        .unwrap();
        assert_eq!(c.plans.revolving_courses, [10_000, 30_000]);
        assert_eq!(c.plans.annual_rate_bp, 1450);
        let hilton = c.points.ratios.iter().find(|(p, _)| *p == Partner::Hilton);
        assert_eq!(hilton.map(|(_, r)| (r.points, r.units)), Some((1_000, 800)));
        assert!(with(&[("PORTAL_PARTNER_RATIOS", "united=1:1")]).is_err());
        assert!(with(&[("PORTAL_REVOLVING_COURSES", "0")]).is_err());
    }

    #[test]
    fn bad_numbers_are_reported_by_name() {
        let err = config(&[
            ("PORTAL_SECRET_KEY", KEY),
            ("PORTAL_SMTP_URL", "smtp://x"),
            ("PORTAL_LOCKOUT_AFTER", "x"),
        ])
        .err()
        .unwrap();
        assert!(err.to_string().contains("PORTAL_LOCKOUT_AFTER"));
    }

    #[test]
    fn debug_hides_the_key_and_database_password() {
        let c = config(&[
            ("PORTAL_SECRET_KEY", KEY),
            ("PORTAL_SMTP_URL", "smtp://x"),
            ("DATABASE_URL", "postgres://portal:hunter2@db/portal"),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2") && !shown.contains(KEY));
    }
}
