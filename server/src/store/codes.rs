//! Codes the API hands out: auto-login links (`/api/login_url`), resume links
//! (`/api/resume_url`) and stashed data (`/api/stash_data`). docassemble keeps them in Redis;
//! here they live in the database (`api_codes`), so they work across replicas and restarts.
//!
//! A code has an id part and a secret part (they may be the same text). Only a keyed digest
//! of the id is stored, and the payload is sealed under a key derived from the secret and the
//! server key: the database alone opens nothing, and a wrong secret opens nothing (and
//! deletes nothing).

use time::{Duration, OffsetDateTime};

use super::backend::Pool;
use super::{Store, StoreError, crypto};

/// What a code is for (also the digest and sealing label, so codes of one kind never open
/// as another).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    /// `/user/autologin?key=`.
    Login,
    /// `/launch?c=`.
    Resume,
    /// `/api/retrieve_stashed_data`.
    Stash,
    /// `/goto?c=` (`/api/temp_url`).
    TempUrl,
}

impl CodePurpose {
    fn as_str(self) -> &'static str {
        match self {
            CodePurpose::Login => "login",
            CodePurpose::Resume => "resume",
            CodePurpose::Stash => "stash",
            CodePurpose::TempUrl => "temp_url",
        }
    }

    fn digest_label(self) -> String {
        format!("api-code/{}", self.as_str())
    }

    fn seal_label(self) -> Vec<u8> {
        format!("colloquy/api-code/{}/v1", self.as_str()).into_bytes()
    }
}

/// What taking a code does to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// Read it; a one-time code is deleted all the same.
    Read,
    /// Read and delete it.
    Delete,
    /// Read it and let it live this much longer from now.
    Refresh(Duration),
}

pub(super) struct CodeRow {
    pub sealed: Vec<u8>,
    pub once: bool,
    pub expires: OffsetDateTime,
}

macro_rules! codes_backend {
    ($module:ident, $db:ty) => {
        pub(super) mod $module {
            use sqlx::Row as _;
            use time::OffsetDateTime;

            use super::CodeRow;

            type Pool = sqlx::Pool<$db>;

            /// `false` if a code with that digest exists (a collision of random codes).
            pub(crate) async fn insert(
                pool: &Pool,
                digest: &[u8],
                purpose: &str,
                sealed: &[u8],
                once: bool,
                expires: OffsetDateTime,
                now: OffsetDateTime,
            ) -> Result<bool, sqlx::Error> {
                let r = sqlx::query(
                    "INSERT INTO api_codes (code_digest, purpose, sealed, once, expires, created) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(digest)
                .bind(purpose)
                .bind(sealed)
                .bind(once)
                .bind(expires)
                .bind(now)
                .execute(pool)
                .await;
                match r {
                    Ok(_) => Ok(true),
                    Err(e) if crate::store::db::is_unique_violation(&e) => Ok(false),
                    Err(e) => Err(e),
                }
            }

            pub(crate) async fn find(
                pool: &Pool,
                digest: &[u8],
                purpose: &str,
            ) -> Result<Option<CodeRow>, sqlx::Error> {
                let r = sqlx::query(
                    "SELECT sealed, once, expires FROM api_codes \
                     WHERE code_digest = $1 AND purpose = $2",
                )
                .bind(digest)
                .bind(purpose)
                .fetch_optional(pool)
                .await?;
                r.map(|r| {
                    Ok(CodeRow {
                        sealed: r.try_get("sealed")?,
                        once: r.try_get("once")?,
                        expires: r.try_get("expires")?,
                    })
                })
                .transpose()
            }

            /// Whether this call deleted the row (only one of racing takers does).
            pub(crate) async fn delete(
                pool: &Pool,
                digest: &[u8],
                purpose: &str,
            ) -> Result<bool, sqlx::Error> {
                let r =
                    sqlx::query("DELETE FROM api_codes WHERE code_digest = $1 AND purpose = $2")
                        .bind(digest)
                        .bind(purpose)
                        .execute(pool)
                        .await?;
                Ok(r.rows_affected() > 0)
            }

            pub(crate) async fn set_expiry(
                pool: &Pool,
                digest: &[u8],
                purpose: &str,
                expires: OffsetDateTime,
            ) -> Result<bool, sqlx::Error> {
                let r = sqlx::query(
                    "UPDATE api_codes SET expires = $3 WHERE code_digest = $1 AND purpose = $2",
                )
                .bind(digest)
                .bind(purpose)
                .bind(expires)
                .execute(pool)
                .await?;
                Ok(r.rows_affected() > 0)
            }

            pub(crate) async fn purge(
                pool: &Pool,
                now: OffsetDateTime,
            ) -> Result<u64, sqlx::Error> {
                let r = sqlx::query("DELETE FROM api_codes WHERE expires <= $1")
                    .bind(now)
                    .execute(pool)
                    .await?;
                Ok(r.rows_affected())
            }
        }
    };
}

codes_backend!(sqlite, sqlx::Sqlite);
codes_backend!(postgres, sqlx::Postgres);

macro_rules! on_codes {
    ($self:expr, $func:ident ( $($arg:expr),* $(,)? )) => {
        match &$self.pool {
            Pool::Sqlite(p) => sqlite::$func(p, $($arg),*).await,
            Pool::Postgres(p) => postgres::$func(p, $($arg),*).await,
        }
    };
}

/// The longest a code may live (docassemble's stash default is 90 days).
pub const MAX_CODE_LIFETIME: Duration = Duration::days(366);

impl Store {
    /// Stores `payload` under a new random code of `len` letters and digits, sealed with
    /// `secret` (`None`: the code itself), for `lifetime`; `once`: deleted when first taken.
    /// Returns the code (a new one is drawn, up to four times, if one exists already).
    pub async fn new_code(
        &self,
        purpose: CodePurpose,
        len: usize,
        secret: Option<&str>,
        payload: &[u8],
        once: bool,
        lifetime: Duration,
    ) -> Result<String, StoreError> {
        for _ in 0..4 {
            let code = super::random_code(len).map_err(StoreError::Id)?;
            let secret = secret.unwrap_or(&code);
            if self
                .put_code(purpose, &code, secret, payload, once, lifetime)
                .await?
            {
                return Ok(code);
            }
        }
        Err(StoreError::Id(super::IdError::Random))
    }

    /// Stores `payload` under code `id` (sealed with `secret`) for `lifetime`; `once`: deleted
    /// when first taken. `false` if a code with that id exists already.
    async fn put_code(
        &self,
        purpose: CodePurpose,
        id: &str,
        secret: &str,
        payload: &[u8],
        once: bool,
        lifetime: Duration,
    ) -> Result<bool, StoreError> {
        let digest = self.digest(&purpose.digest_label(), id.as_bytes());
        let sealed = crypto::seal_with_code(
            &self.server_key,
            &purpose.seal_label(),
            secret.as_bytes(),
            payload,
        )
        .map_err(|_| StoreError::Id(super::IdError::Random))?;
        let now = super::now();
        let expires = now + lifetime.clamp(Duration::seconds(1), MAX_CODE_LIFETIME);
        let _turn = self.write_turn().await;
        let purpose = purpose.as_str();
        Ok(on_codes!(
            self,
            insert(&digest, purpose, &sealed, once, expires, now)
        )?)
    }

    /// The payload of code `id` if it exists, has not expired and `secret` opens it; `take`
    /// says what happens to it then (a one-time code is always deleted, and only one of
    /// racing takers gets it). An expired code is deleted; a wrong secret changes nothing.
    pub async fn take_code(
        &self,
        purpose: CodePurpose,
        id: &str,
        secret: &str,
        take: Take,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let digest = self.digest(&purpose.digest_label(), id.as_bytes());
        let label = purpose.seal_label();
        let purpose = purpose.as_str();
        let Some(row) = on_codes!(self, find(&digest, purpose))? else {
            return Ok(None);
        };
        let now = super::now();
        if row.expires <= now {
            let _turn = self.write_turn().await;
            on_codes!(self, delete(&digest, purpose))?;
            return Ok(None);
        }
        let Ok(payload) =
            crypto::open_with_code(&self.server_key, &label, secret.as_bytes(), &row.sealed)
        else {
            return Ok(None);
        };
        let _turn = self.write_turn().await;
        if row.once || take == Take::Delete {
            if !on_codes!(self, delete(&digest, purpose))? {
                return Ok(None);
            }
        } else if let Take::Refresh(lifetime) = take {
            let expires = now + lifetime.clamp(Duration::seconds(1), MAX_CODE_LIFETIME);
            on_codes!(self, set_expiry(&digest, purpose, expires))?;
        }
        Ok(Some(payload))
    }

    /// Deletes expired codes; returns how many.
    pub async fn purge_expired_codes(&self) -> Result<u64, StoreError> {
        let _turn = self.write_turn().await;
        Ok(on_codes!(self, purge(super::now()))?)
    }
}
