//! Password hashing: argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1), computed on the
//! blocking pool and never more than `max_concurrent` at once, so a flood of sign-ins queues instead
//! of exhausting memory.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("password hashing was interrupted")]
    Interrupted,
}

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when the user ID is unknown, so the answer takes as long as for a real one.
    decoy_hash: Arc<str>,
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Hash(e.to_string()))
}

impl Passwords {
    pub fn new(max_concurrent: usize) -> Result<Self, HashError> {
        Ok(Self {
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            decoy_hash: hash_now("decoy password that no member has")?.into(),
        })
    }

    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let password = password.to_owned();
        self.run(move || hash_now(&password)).await?
    }

    /// Checks a password against a stored hash, or against a decoy when there is none.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, HashError> {
        let known = stored.is_some();
        let stored = stored
            .map(Arc::<str>::from)
            .unwrap_or_else(|| self.decoy_hash.clone());
        let password = password.to_owned();
        let matched = self
            .run(move || {
                PasswordHash::new(&stored).is_ok_and(|parsed| {
                    argon2()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
            })
            .await?;
        Ok(known && matched)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| HashError::Interrupted)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| HashError::Interrupted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_are_argon2id_at_owasp_minimum() {
        let p = Passwords::new(2).unwrap();
        let hash = p.hash("Portal2026demo").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(p.verify("Portal2026demo", Some(&hash)).await.unwrap());
        assert!(
            !p.verify("portal2026demo", Some(&hash)).await.unwrap(),
            "case-sensitive"
        );
        assert!(!p.verify("Portal2026demo", None).await.unwrap());
    }
}
