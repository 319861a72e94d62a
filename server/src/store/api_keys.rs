//! API keys (docassemble's `/api` keys): 32 random letters and digits, shown once when made and
//! kept only as a keyed digest (HMAC with the server key), so the database never holds a usable
//! key. A key acts for its user; `method` limits where it may be used from.

use time::OffsetDateTime;

use super::backend::Pool;
use super::ids::random_alphanumeric;
use super::{Store, StoreError, UserId};

/// The length of a key.
pub const API_KEY_LEN: usize = 32;

const DIGEST_LABEL: &str = "api-key";

/// An API key as presented by a caller (validated shape; not yet known to be real).
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// A key of the right shape, else `None`.
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim();
        (t.len() == API_KEY_LEN && t.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| Self(t.to_string()))
    }

    /// The key itself (shown once to its owner).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// Where a key may be used from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyMethod {
    /// Anywhere.
    None,
    /// Only from these addresses or networks.
    Ip(Vec<String>),
    /// Only from pages whose `Referer`/`Origin` matches one of these patterns (`*` wildcards).
    Referer(Vec<String>),
}

impl KeyMethod {
    fn parts(&self) -> (&'static str, String) {
        let list = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        match self {
            KeyMethod::None => ("none", "[]".into()),
            KeyMethod::Ip(v) => ("ip", list(v)),
            KeyMethod::Referer(v) => ("referer", list(v)),
        }
    }

    fn from_parts(method: &str, constraints: &str) -> Self {
        let list: Vec<String> = serde_json::from_str(constraints).unwrap_or_default();
        match method {
            "ip" => KeyMethod::Ip(list),
            "referer" => KeyMethod::Referer(list),
            _ => KeyMethod::None,
        }
    }

    /// A method by docassemble's name (`none`, `ip`, `referer`) with its allowed addresses or
    /// patterns, checked.
    pub fn build(method: &str, allowed: Vec<String>) -> Result<Self, String> {
        match method {
            "none" => Ok(KeyMethod::None),
            "ip" => {
                for a in &allowed {
                    a.parse::<crate::config::ProxyNet>()
                        .map_err(|e| format!("Invalid IP address: {e}"))?;
                }
                if allowed.is_empty() {
                    return Err("An ip key needs at least one allowed address.".into());
                }
                Ok(KeyMethod::Ip(allowed))
            }
            "referer" => {
                if allowed.is_empty() {
                    return Err("A referer key needs at least one allowed pattern.".into());
                }
                Ok(KeyMethod::Referer(allowed))
            }
            other => Err(format!(
                "Invalid security method {other:?} (none, ip or referer)."
            )),
        }
    }

    /// docassemble's name of the method.
    pub fn name(&self) -> &'static str {
        self.parts().0
    }

    /// The constraints (addresses or patterns).
    pub fn constraints(&self) -> &[String] {
        match self {
            KeyMethod::None => &[],
            KeyMethod::Ip(v) | KeyMethod::Referer(v) => v,
        }
    }
}

/// What is known of a key (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyInfo {
    /// Whose key it is.
    pub user_id: UserId,
    /// Its name (unique per user).
    pub name: String,
    /// Where it may be used from.
    pub method: KeyMethod,
    /// The last four characters, to tell keys apart.
    pub last_four: String,
    /// When it was made.
    pub created: OffsetDateTime,
}

/// A row of `api_keys`.
pub(super) struct KeyRow {
    pub user_id: i64,
    pub name: String,
    pub method: String,
    pub constraints: String,
    pub last_four: String,
    pub created: OffsetDateTime,
}

impl KeyRow {
    fn info(self) -> ApiKeyInfo {
        ApiKeyInfo {
            user_id: UserId::new(self.user_id),
            method: KeyMethod::from_parts(&self.method, &self.constraints),
            name: self.name,
            last_four: self.last_four,
            created: self.created,
        }
    }
}

macro_rules! keys_backend {
    ($module:ident, $db:ty) => {
        pub(super) mod $module {
            use sqlx::Row as _;
            use time::OffsetDateTime;

            use super::KeyRow;

            type Pool = sqlx::Pool<$db>;
            type DbRow = <$db as sqlx::Database>::Row;

            const COLUMNS: &str = "user_id, name, method, constraints, last_four, created";

            fn row(r: &DbRow) -> Result<KeyRow, sqlx::Error> {
                Ok(KeyRow {
                    user_id: r.try_get("user_id")?,
                    name: r.try_get("name")?,
                    method: r.try_get("method")?,
                    constraints: r.try_get("constraints")?,
                    last_four: r.try_get("last_four")?,
                    created: r.try_get("created")?,
                })
            }

            /// `false` if the user already has a key of that name.
            #[allow(clippy::too_many_arguments)]
            pub(crate) async fn insert(
                pool: &Pool,
                digest: &[u8],
                user_id: i64,
                name: &str,
                method: &str,
                constraints: &str,
                last_four: &str,
                now: OffsetDateTime,
            ) -> Result<bool, sqlx::Error> {
                let r = sqlx::query(
                    "INSERT INTO api_keys (key_digest, user_id, name, method, constraints, \
                     last_four, created) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(digest)
                .bind(user_id)
                .bind(name)
                .bind(method)
                .bind(constraints)
                .bind(last_four)
                .bind(now)
                .execute(pool)
                .await;
                match r {
                    Ok(_) => Ok(true),
                    Err(e) if crate::store::db::is_unique_violation(&e) => Ok(false),
                    Err(e) => Err(e),
                }
            }

            pub(crate) async fn by_digest(
                pool: &Pool,
                digest: &[u8],
            ) -> Result<Option<KeyRow>, sqlx::Error> {
                let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE key_digest = $1");
                let r = sqlx::query(&sql).bind(digest).fetch_optional(pool).await?;
                r.as_ref().map(row).transpose()
            }

            pub(crate) async fn of_user(
                pool: &Pool,
                user_id: i64,
            ) -> Result<Vec<KeyRow>, sqlx::Error> {
                let sql =
                    format!("SELECT {COLUMNS} FROM api_keys WHERE user_id = $1 ORDER BY name");
                let rows = sqlx::query(&sql).bind(user_id).fetch_all(pool).await?;
                rows.iter().map(row).collect()
            }

            pub(crate) async fn delete(
                pool: &Pool,
                user_id: i64,
                name: &str,
            ) -> Result<bool, sqlx::Error> {
                let r = sqlx::query("DELETE FROM api_keys WHERE user_id = $1 AND name = $2")
                    .bind(user_id)
                    .bind(name)
                    .execute(pool)
                    .await?;
                Ok(r.rows_affected() > 0)
            }
        }
    };
}

keys_backend!(sqlite, sqlx::Sqlite);
keys_backend!(postgres, sqlx::Postgres);

macro_rules! on_keys {
    ($self:expr, $func:ident ( $($arg:expr),* $(,)? )) => {
        match &$self.pool {
            Pool::Sqlite(p) => sqlite::$func(p, $($arg),*).await,
            Pool::Postgres(p) => postgres::$func(p, $($arg),*).await,
        }
    };
}

impl Store {
    /// Makes a key for `user` named `name`; `None` if the user has a key of that name.
    pub async fn create_api_key(
        &self,
        user: UserId,
        name: &str,
        method: &KeyMethod,
    ) -> Result<Option<ApiKey>, StoreError> {
        let key = ApiKey(random_alphanumeric(API_KEY_LEN)?);
        let digest = self.digest(DIGEST_LABEL, key.0.as_bytes());
        let (m, constraints) = method.parts();
        let last_four = &key.0[API_KEY_LEN - 4..];
        let _turn = self.write_turn().await;
        let made = on_keys!(
            self,
            insert(
                &digest,
                user.get(),
                name,
                m,
                &constraints,
                last_four,
                super::now()
            )
        )?;
        Ok(made.then_some(key))
    }

    /// The key's record, if it is a real key.
    pub async fn find_api_key(&self, key: &ApiKey) -> Result<Option<ApiKeyInfo>, StoreError> {
        let digest = self.digest(DIGEST_LABEL, key.0.as_bytes());
        Ok(on_keys!(self, by_digest(&digest))?.map(KeyRow::info))
    }

    /// The user's keys, by name.
    pub async fn api_keys_of(&self, user: UserId) -> Result<Vec<ApiKeyInfo>, StoreError> {
        Ok(on_keys!(self, of_user(user.get()))?
            .into_iter()
            .map(KeyRow::info)
            .collect())
    }

    /// Deletes the user's key named `name`; whether there was one.
    pub async fn delete_api_key(&self, user: UserId, name: &str) -> Result<bool, StoreError> {
        let _turn = self.write_turn().await;
        Ok(on_keys!(self, delete(user.get(), name))?)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn key_shape() {
        assert!(ApiKey::parse("abcdefghijABCDEFGHIJ0123456789xy").is_some());
        assert!(ApiKey::parse(" abcdefghijABCDEFGHIJ0123456789xy ").is_some());
        for bad in [
            "",
            "short",
            "abcdefghijABCDEFGHIJ0123456789x!",
            &"a".repeat(33),
        ] {
            assert!(ApiKey::parse(bad).is_none(), "{bad}");
        }
        let k = ApiKey::parse("abcdefghijABCDEFGHIJ0123456789xy").unwrap();
        assert_eq!(format!("{k:?}"), "ApiKey(***)");
    }

    #[test]
    fn methods_round_trip() {
        for m in [
            KeyMethod::None,
            KeyMethod::Ip(vec!["10.0.0.0/8".into()]),
            KeyMethod::Referer(vec!["https://*.example.org/*".into()]),
        ] {
            let (name, c) = m.parts();
            assert_eq!(KeyMethod::from_parts(name, &c), m);
        }
    }
}
