//! Password hashing: argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1), computed on the
//! blocking pool and never more than `max_concurrent` at once, so a flood of sign-ins queues instead
//! of exhausting memory.

use std::sync::{Arc, Mutex};

use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("password hashing was interrupted")]
    Interrupted,
}

impl From<argon2::Error> for HashError {
    fn from(e: argon2::Error) -> Self {
        HashError::Hash(e.to_string())
    }
}

impl From<argon2::password_hash::Error> for HashError {
    fn from(e: argon2::password_hash::Error) -> Self {
        HashError::Hash(e.to_string())
    }
}

/// Argon2's working memory (19 MiB a hash), kept and reused: never more buffers than permits, so
/// a flood of sign-ins holds `max_concurrent` of them however many threads the blocking pool
/// started. Allocating per hash let each thread's allocator arena keep its 19 MiB for good.
type MemoryPool = Arc<Mutex<Vec<Vec<Block>>>>;

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    memory: MemoryPool,
    /// Verified against when the user ID is unknown, so the answer takes as long as for a real one.
    decoy_hash: Arc<str>,
}

fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("OWASP parameters are valid")
}

/// Runs `work` with a buffer of at least `blocks` blocks from the pool, and puts it back.
fn with_memory<T>(pool: &MemoryPool, blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    let taken = pool.lock().ok().and_then(|mut free| free.pop());
    let mut memory = taken.unwrap_or_default();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let result = work(&mut memory);
    if let Ok(mut free) = pool.lock() {
        free.push(memory);
    }
    result
}

/// The argon2 output for `password` and a PHC salt, in pooled working memory.
fn derive(
    pool: &MemoryPool,
    argon2: &Argon2<'_>,
    params: &Params,
    password: &str,
    salt: Salt<'_>,
    out: &mut [u8],
) -> Result<(), HashError> {
    let mut raw_salt = [0u8; 64];
    let raw_salt = salt.decode_b64(&mut raw_salt)?;
    with_memory(pool, params.block_count(), |memory| {
        argon2.hash_password_into_with_memory(password.as_bytes(), raw_salt, out, memory)
    })?;
    Ok(())
}

fn hash_now(pool: &MemoryPool, password: &str) -> Result<String, HashError> {
    let params = params();
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let mut out = [0u8; 32];
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    derive(pool, &argon2, &params, password, salt.as_salt(), &mut out)?;
    let hash = PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out)?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches a stored PHC string, with the stored parameters.
fn matches(pool: &MemoryPool, password: &str, stored: &str) -> Result<bool, HashError> {
    let parsed = PasswordHash::new(stored)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Ok(false);
    };
    let algorithm = Algorithm::try_from(parsed.algorithm)?;
    let version = parsed
        .version
        .map_or(Ok(Version::V0x13), Version::try_from)?;
    let params = Params::try_from(&parsed)?;
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params.clone());
    derive(pool, &argon2, &params, password, salt, &mut out)?;
    // `Output`'s comparison takes the same time wherever the bytes differ.
    Ok(Output::new(&out)? == expected)
}

impl Passwords {
    pub fn new(max_concurrent: usize) -> Result<Self, HashError> {
        let memory = MemoryPool::default();
        Ok(Self {
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            decoy_hash: hash_now(&memory, "decoy password that no member has")?.into(),
            memory,
        })
    }

    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let password = password.to_owned();
        let memory = self.memory.clone();
        self.run(move || hash_now(&memory, &password)).await?
    }

    /// Checks a password against a stored hash, or against a decoy when there is none.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, HashError> {
        let known = stored.is_some();
        let stored = stored
            .map(Arc::<str>::from)
            .unwrap_or_else(|| self.decoy_hash.clone());
        let password = password.to_owned();
        let memory = self.memory.clone();
        let matched = self
            .run(move || matches(&memory, &password, &stored).unwrap_or(false))
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

    #[tokio::test]
    async fn hashes_agree_with_the_reference_api_both_ways() {
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let p = Passwords::new(1).unwrap();
        let ours = p.hash("Green-Tea-2026").await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"Green-Tea-2026", &parsed)
                .is_ok()
        );
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
            .hash_password(b"Green-Tea-2026", &salt)
            .unwrap()
            .to_string();
        assert!(p.verify("Green-Tea-2026", Some(&theirs)).await.unwrap());
        assert!(!p.verify("Green-Tea-2027", Some(&theirs)).await.unwrap());
        assert!(
            !p.verify("Green-Tea-2026", Some("not a hash"))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn the_working_memory_is_kept_per_permit() {
        let p = Passwords::new(2).unwrap();
        let hash = p.hash("Portal2026demo").await.unwrap();
        let checks: Vec<_> = (0..8)
            .map(|_| {
                let (p, hash) = (p.clone(), hash.clone());
                tokio::spawn(async move { p.verify("Portal2026demo", Some(&hash)).await })
            })
            .collect();
        for check in checks {
            assert!(check.await.unwrap().unwrap());
        }
        let buffers = p.memory.lock().unwrap().len();
        assert!(
            (1..=2).contains(&buffers),
            "{buffers} buffers for two permits"
        );
    }
}
