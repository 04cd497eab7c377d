//! Guards against guessing (`domain::lockout::Guard`), one row per key. Every change is a
//! compare-and-swap on `version`: read the row, let the domain rule decide, write only if nobody
//! wrote in between, otherwise read again. So parallel attempts on any number of server processes
//! apply the rule one after another, and the rule that is unit-tested is the rule that runs.

use portal_domain::lockout::Guard;

use super::{Db, DbResult};

#[derive(sqlx::FromRow)]
struct GuardRow {
    failures: i64,
    pending: i64,
    pending_since: i64,
    locks: i64,
    locked_until: Option<i64>,
    version: i64,
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl GuardRow {
    fn guard(&self) -> Guard {
        Guard {
            failures: count(self.failures),
            pending: count(self.pending),
            pending_since: self.pending_since,
            locks: count(self.locks),
            locked_until: self.locked_until,
        }
    }
}

impl Db {
    async fn guard_row(&self, key: &str) -> DbResult<Option<GuardRow>> {
        sqlx::query_as(
            "SELECT failures, pending, pending_since, locks, locked_until, version
             FROM attempt_guards WHERE guard_key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn guard(&self, key: &str) -> DbResult<Guard> {
        Ok(self
            .guard_row(key)
            .await?
            .map(|r| r.guard())
            .unwrap_or_default())
    }

    /// Applies `change` to the key's guard atomically and returns what it returned. `change` may
    /// run more than once (when another attempt wrote first), each time on the newest state.
    pub async fn update_guard<T>(
        &self,
        key: &str,
        now: i64,
        mut change: impl FnMut(&mut Guard) -> T,
    ) -> DbResult<T> {
        loop {
            let row = self.guard_row(key).await?;
            let before = row.as_ref().map(GuardRow::guard).unwrap_or_default();
            let mut after = before;
            let outcome = change(&mut after);
            if after == before {
                return Ok(outcome);
            }
            let query = match &row {
                None => sqlx::query(
                    "INSERT INTO attempt_guards
                       (guard_key, failures, pending, pending_since, locks, locked_until, version, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $8, $7)
                     ON CONFLICT (guard_key) DO NOTHING",
                ),
                Some(_) => sqlx::query(
                    "UPDATE attempt_guards
                     SET failures = $2, pending = $3, pending_since = $4, locks = $5,
                         locked_until = $6, updated_at = $7, version = version + 1
                     WHERE guard_key = $1 AND version = $8",
                ),
            };
            let written = query
                .bind(key)
                .bind(i64::from(after.failures))
                .bind(i64::from(after.pending))
                .bind(after.pending_since)
                .bind(i64::from(after.locks))
                .bind(after.locked_until)
                .bind(now)
                .bind(row.as_ref().map_or(0, |r| r.version))
                .execute(&self.pool)
                .await?;
            if written.rows_affected() == 1 {
                return Ok(outcome);
            }
        }
    }
}

impl Db {
    /// Takes one use under `key` if fewer than `max` were taken; the count including this one, or
    /// `None` when the limit is reached. One conditional UPDATE, so parallel uses never pass it.
    pub async fn take_use(&self, key: &str, max: i64, now: i64) -> DbResult<Option<i64>> {
        sqlx::query(
            "INSERT INTO usage_counters (counter_key, used, updated_at) VALUES ($1, 0, $2)
             ON CONFLICT (counter_key) DO NOTHING",
        )
        .bind(key)
        .bind(now)
        .execute(&self.pool)
        .await?;
        let row: Option<(i64,)> = sqlx::query_as(
            "UPDATE usage_counters SET used = used + 1, updated_at = $2
             WHERE counter_key = $1 AND used < $3 RETURNING used",
        )
        .bind(key)
        .bind(now)
        .bind(max)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(n,)| n))
    }

    /// Counters not touched since `before` are of past days and flows.
    pub async fn purge_usage_counters(&self, before: i64) -> DbResult<u64> {
        let done = sqlx::query("DELETE FROM usage_counters WHERE updated_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
