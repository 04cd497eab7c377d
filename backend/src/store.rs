//! Storage: one SQL text for SQLite and PostgreSQL through sqlx's `Any` driver, each database with its
//! own migrations. Every integer column is BIGINT (i64), times are Unix seconds, dates ISO text.
//!
//! Rules that must hold under concurrency are single statements (a conditional `UPDATE … RETURNING`)
//! or a compare-and-swap on a version (`guards`),
//! so they are atomic on both databases without explicit locking.

use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::config::sqlite_path;

pub type DbResult<T> = Result<T, sqlx::Error>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub(crate) pool: AnyPool,
    pub backend: Backend,
}

impl Db {
    /// Connects, turns on WAL for SQLite, and runs the migrations for this database.
    pub async fn connect(url: &str) -> DbResult<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        if backend == Backend::Sqlite
            && let Some(dir) = sqlite_path(url)
                .as_deref()
                .and_then(std::path::Path::parent)
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        }
        let options: AnyConnectOptions = url.parse()?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        if backend == Backend::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        let migrator = match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        migrator.run(&pool).await?;
        Ok(Self { pool, backend })
    }
}

/// True when a write failed on a unique constraint.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

pub mod activity;
pub mod auth;
pub mod cards;
pub mod details;
pub mod family;
pub mod guards;
pub mod mail;
pub mod notices;
pub mod passkeys;
pub mod payments;
pub mod pins;
pub mod points;
