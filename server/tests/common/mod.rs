//! Starts real portal processes on real databases and talks to them over HTTP, as a browser would.
//!
//! SQLite: a file in a temporary folder. PostgreSQL: a fresh database in the cluster that
//! `scripts/test.sh` starts (`PORTAL_TEST_POSTGRES_URL`).

#![allow(dead_code)]

pub mod authenticator;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use portal_domain::api::Reply;
use serde::de::DeserializeOwned;
use sqlx::AnyPool;

pub const SECRET_KEY: &str = "6b1f0c2d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c";
pub const TARO_PASSWORD: &str = "Portal2026demo";
pub const TARO_CARD: [(&str, &str); 3] = [
    ("card_number", "371234567890005"),
    ("front_code", "1234"),
    ("birth_date", "1985-04-12"),
];
pub const KEN_CARD: [(&str, &str); 3] = [
    ("card_number", "3712 345678 90021"),
    ("front_code", "4321"),
    ("birth_date", "1990-11-03"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A database for one test, removed when dropped.
pub struct TestDb {
    pub url: String,
    pub dir: PathBuf,
    kind: Kind,
    pg_name: Option<String>,
}

static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

fn unique(tag: &str) -> String {
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    format!("portal_{tag}_{}_{n}", std::process::id())
}

impl TestDb {
    pub async fn new(kind: Kind, tag: &str) -> Self {
        let name = unique(tag);
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        match kind {
            Kind::Sqlite => {
                let url = format!("sqlite://{}/portal.db", dir.display());
                TestDb {
                    url,
                    dir,
                    kind,
                    pg_name: None,
                }
            }
            Kind::Postgres => {
                let admin = postgres_admin_url();
                sqlx::any::install_default_drivers();
                let pool = AnyPool::connect(&admin)
                    .await
                    .expect("PostgreSQL for tests is reachable");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&pool)
                    .await
                    .unwrap();
                pool.close().await;
                let url = match admin.rsplit_once('/') {
                    Some((base, _)) => format!("{base}/{name}"),
                    None => panic!("PORTAL_TEST_POSTGRES_URL needs a database path"),
                };
                TestDb {
                    url,
                    dir,
                    kind,
                    pg_name: Some(name),
                }
            }
        }
    }

    /// A direct connection, for checking what the portal stored.
    pub async fn pool(&self) -> AnyPool {
        sqlx::any::install_default_drivers();
        AnyPool::connect(&self.url).await.unwrap()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let pool = self.pool().await;
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let (Kind::Postgres, Some(name)) = (self.kind, self.pg_name.take()) {
            // Best effort from a plain thread: Drop cannot await.
            let admin = postgres_admin_url();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    if let Ok(pool) = AnyPool::connect(&admin).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&pool)
                                .await;
                        pool.close().await;
                    }
                });
            })
            .join()
            .ok();
        }
    }
}

fn postgres_admin_url() -> String {
    std::env::var("PORTAL_TEST_POSTGRES_URL").expect(
        "PORTAL_TEST_POSTGRES_URL is set by scripts/test.sh, which starts PostgreSQL for the tests",
    )
}

/// A running portal process; killed when dropped.
pub struct Server {
    pub base: String,
    child: Child,
    pub log: PathBuf,
}

impl Server {
    pub async fn start(db: &TestDb) -> Self {
        Self::start_with(db, &[]).await
    }

    pub async fn start_with(db: &TestDb, env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let log = db.dir.join(format!("server-{port}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal-server"));
        cmd.env("LEPTOS_OUTPUT_NAME", "portal")
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("LEPTOS_SITE_PKG_DIR", "pkg")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_RELOAD_PORT", free_port().to_string())
            .env("DATABASE_URL", &db.url)
            .env("PORTAL_DEMO", "1")
            .env("PORTAL_DATA_DIR", &db.dir)
            .env("PORTAL_SECRET_KEY", SECRET_KEY)
            .env("PORTAL_RATE_SIGN_IN_PER_MIN", "10000")
            .env("PORTAL_RATE_IDENTITY_PER_MIN", "10000")
            .env("PORTAL_RATE_PDF_PER_MIN", "10000")
            .env("RUST_LOG", "debug,sqlx=info,hyper=info,h2=info,tower=info")
            .stdout(Stdio::from(out.try_clone().unwrap()))
            .stderr(Stdio::from(out));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("the portal binary starts");
        let server = Server {
            base: format!("http://127.0.0.1:{port}"),
            child,
            log,
        };
        server.wait_until_up().await;
        server
    }

    async fn wait_until_up(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let http = reqwest::Client::new();
        while Instant::now() < deadline {
            if http
                .get(format!("{}/", self.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("portal did not start; log:\n{}", self.log_text());
    }

    /// The origin passkeys are bound to: this server as `localhost`.
    pub fn passkey_origin(&self) -> String {
        self.base.replace("127.0.0.1", "localhost")
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    /// Moves this process's clock forward (demo mode's `/dev/clock`).
    pub async fn advance_clock(&self, secs: i64) {
        let res = reqwest::Client::new()
            .post(format!("{}/dev/clock", self.base))
            .form(&[("advance_secs", secs.to_string())])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "the clock moved");
    }

    /// Mail in the demo outbox, newest first.
    pub async fn outbox(&self) -> Vec<serde_json::Value> {
        reqwest::get(format!("{}/dev/outbox.json", self.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The one-time code in the newest mail to `to`.
    pub async fn latest_code(&self, to: &str) -> String {
        let mail = self
            .outbox()
            .await
            .into_iter()
            .find(|m| m["to"] == to)
            .expect("a mail to the member");
        let body = mail["body"].as_str().unwrap();
        let at = body
            .find("ワンタイムコード: ")
            .expect("the mail carries a code")
            + "ワンタイムコード: ".len();
        body[at..at + 6].to_string()
    }
}

impl Server {
    /// SIGKILL, as a crash or the OOM killer would: no shutdown, no cleanup.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One browser: its own cookies, calling server functions as the hydrated app does.
#[derive(Clone)]
pub struct Browser {
    pub base: String,
    pub http: reqwest::Client,
}

impl Browser {
    pub async fn call<T: DeserializeOwned>(&self, endpoint: &str, form: &[(&str, &str)]) -> T {
        let res = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header("Origin", &self.base)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "{endpoint}: HTTP {status}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{endpoint}: {e}: {text}"))
    }

    /// A server function whose arguments travel as JSON (the passkey answers).
    pub async fn call_json<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        body: serde_json::Value,
    ) -> T {
        let res = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header("Origin", &self.base)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "{endpoint}: HTTP {status}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{endpoint}: {e}: {text}"))
    }

    pub async fn reply(&self, endpoint: &str, form: &[(&str, &str)]) -> Reply<serde_json::Value> {
        self.call(endpoint, form).await
    }

    pub async fn sign_in(&self, user_id: &str, password: &str) -> Reply<serde_json::Value> {
        self.reply("sign_in", &[("user_id", user_id), ("password", password)])
            .await
    }

    pub async fn session_user(&self) -> Option<String> {
        let session: Option<serde_json::Value> = self.call("session", &[]).await;
        session.map(|s| s["user_id"].as_str().unwrap().to_string())
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }
}

/// The refusal in a reply that must be one.
pub fn refused(reply: &Reply<serde_json::Value>) -> portal_domain::api::Refusal {
    match reply {
        Reply::Refused(r) => *r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Runs a scenario on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                $body($crate::common::Kind::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                $body($crate::common::Kind::Postgres).await;
            }
        }
    };
}

/// Registers 佐藤 健's card as a new online account; the browser is then signed in.
pub async fn register_ken(browser: &Browser, user_id: &str, password: &str) {
    assert!(browser.reply("register_card", &KEN_CARD).await.is_done());
    let reply = browser
        .reply(
            "register_account",
            &[
                ("user_id", user_id),
                ("password", password),
                ("password_confirm", password),
            ],
        )
        .await;
    assert!(reply.is_done(), "{reply:?}");
}

pub const HANAKO_PASSWORD: &str = "Sakura-garden-2026";

/// A member registers online with her card (number, front code, birth date) and is signed in.
pub async fn register(browser: &Browser, card: [(&str, &str); 3], user_id: &str, password: &str) {
    assert!(browser.reply("register_card", &card).await.is_done());
    let reply = browser
        .reply(
            "register_account",
            &[
                ("user_id", user_id),
                ("password", password),
                ("password_confirm", password),
            ],
        )
        .await;
    assert!(reply.is_done(), "{reply:?}");
}

/// 山田 花子 registers her family card online as `hanako87`, and is signed in.
pub async fn register_hanako(browser: &Browser) {
    let card = [
        ("card_number", "371234567890013"),
        ("front_code", "9876"),
        ("birth_date", "1987-09-30"),
    ];
    register(browser, card, "hanako87", HANAKO_PASSWORD).await;
}
