//! The SQL of accounts (users, sign-ins, tokens, recovery codes, throttling, audit log),
//! compiled for each backend like [`super::db`]. Plain data in, plain data out.

use time::OffsetDateTime;

/// A `users` row.
#[derive(Debug, Clone)]
pub(super) struct UserRow {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub password_hash: String,
    pub kek_salt: Vec<u8>,
    pub kek_params: String,
    pub wrapped_user_key: Vec<u8>,
    pub active: bool,
    pub email_confirmed: bool,
    pub totp_secret: Option<Vec<u8>>,
    pub created: OffsetDateTime,
}

/// A `logins` row.
#[derive(Debug, Clone)]
pub(super) struct LoginRow {
    pub user_id: i64,
    pub wrapped_user_key: Vec<u8>,
    pub stage: String,
    pub remember: bool,
    pub expires: OffsetDateTime,
}

/// A `login_throttle` row.
#[derive(Debug, Clone)]
pub(super) struct ThrottleRow {
    pub failures: i64,
    pub window_start: OffsetDateTime,
    pub locked_until: Option<OffsetDateTime>,
}

/// An `audit_log` row.
#[derive(Debug, Clone)]
pub(super) struct AuditRow {
    pub at: OffsetDateTime,
    pub event: String,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

/// Everything a new `users` row needs (the wrapped key is written once the id is known).
pub(super) struct NewUser<'a> {
    pub email: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub kek_salt: &'a [u8],
    pub kek_params: &'a str,
    pub active: bool,
    pub email_confirmed: bool,
    pub now: OffsetDateTime,
}

macro_rules! accounts_backend {
    ($module:ident, $db:ty) => {
        pub(super) mod $module {
            use sqlx::Row as _;
            use time::OffsetDateTime;

            use super::{AuditRow, LoginRow, NewUser, ThrottleRow, UserRow};

            type Pool = sqlx::Pool<$db>;
            type DbRow = <$db as sqlx::Database>::Row;

            const USER_COLUMNS: &str = "id, email, role, password_hash, kek_salt, kek_params, \
                 wrapped_user_key, active, email_confirmed, totp_secret, created";

            fn user_row(r: &DbRow) -> Result<UserRow, sqlx::Error> {
                Ok(UserRow {
                    id: r.try_get("id")?,
                    email: r.try_get("email")?,
                    role: r.try_get("role")?,
                    password_hash: r.try_get("password_hash")?,
                    kek_salt: r.try_get("kek_salt")?,
                    kek_params: r.try_get("kek_params")?,
                    wrapped_user_key: r.try_get("wrapped_user_key")?,
                    active: r.try_get("active")?,
                    email_confirmed: r.try_get("email_confirmed")?,
                    totp_secret: r.try_get("totp_secret")?,
                    created: r.try_get("created")?,
                })
            }

            /// Inserts a user; `wrap` seals the user key once the id is known. `None` if the
            /// e-mail address is taken.
            pub(crate) async fn insert_user(
                pool: &Pool,
                new: &NewUser<'_>,
                wrap: impl FnOnce(i64) -> Result<Vec<u8>, sqlx::Error>,
            ) -> Result<Option<i64>, sqlx::Error> {
                let mut tx = pool.begin().await?;
                let inserted = sqlx::query(
                    "INSERT INTO users (email, role, password_hash, kek_salt, kek_params, \
                     wrapped_user_key, active, email_confirmed, totp_secret, created, modified) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9) RETURNING id",
                )
                .bind(new.email)
                .bind(new.role)
                .bind(new.password_hash)
                .bind(new.kek_salt)
                .bind(new.kek_params)
                .bind(Vec::<u8>::new())
                .bind(new.active)
                .bind(new.email_confirmed)
                .bind(new.now)
                .fetch_one(&mut *tx)
                .await;
                let id: i64 = match inserted {
                    Ok(row) => row.try_get("id")?,
                    Err(e) if crate::store::db::is_unique_violation(&e) => return Ok(None),
                    Err(e) => return Err(e),
                };
                let wrapped = wrap(id)?;
                sqlx::query("UPDATE users SET wrapped_user_key = $2 WHERE id = $1")
                    .bind(id)
                    .bind(wrapped)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Some(id))
            }

            pub(crate) async fn user_by_email(
                pool: &Pool,
                email: &str,
            ) -> Result<Option<UserRow>, sqlx::Error> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
                let row = sqlx::query(&sql).bind(email).fetch_optional(pool).await?;
                row.as_ref().map(user_row).transpose()
            }

            pub(crate) async fn user_by_id(
                pool: &Pool,
                id: i64,
            ) -> Result<Option<UserRow>, sqlx::Error> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
                let row = sqlx::query(&sql).bind(id).fetch_optional(pool).await?;
                row.as_ref().map(user_row).transpose()
            }

            pub(crate) async fn list_users(pool: &Pool) -> Result<Vec<UserRow>, sqlx::Error> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY id");
                let rows = sqlx::query(&sql).fetch_all(pool).await?;
                rows.iter().map(user_row).collect()
            }

            pub(crate) async fn count_role(pool: &Pool, role: &str) -> Result<i64, sqlx::Error> {
                let row = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE role = $1")
                    .bind(role)
                    .fetch_one(pool)
                    .await?;
                row.try_get("n")
            }

            pub(crate) async fn set_role(
                pool: &Pool,
                id: i64,
                role: &str,
                now: OffsetDateTime,
            ) -> Result<bool, sqlx::Error> {
                let done =
                    sqlx::query("UPDATE users SET role = $2, modified = $3 WHERE id = $1")
                        .bind(id)
                        .bind(role)
                        .bind(now)
                        .execute(pool)
                        .await?;
                Ok(done.rows_affected() == 1)
            }

            pub(crate) async fn confirm_email(
                pool: &Pool,
                id: i64,
                now: OffsetDateTime,
            ) -> Result<bool, sqlx::Error> {
                let done = sqlx::query(
                    "UPDATE users SET email_confirmed = $2, active = $2, modified = $3 \
                     WHERE id = $1",
                )
                .bind(id)
                .bind(true)
                .bind(now)
                .execute(pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            /// Replaces the password and the wrapped user key; when `drop_logins`, every
            /// sign-in of the user except `keep` ends.
            #[allow(clippy::too_many_arguments)]
            pub(crate) async fn set_password(
                pool: &Pool,
                id: i64,
                password_hash: &str,
                kek_salt: &[u8],
                kek_params: &str,
                wrapped_user_key: &[u8],
                keep: Option<&[u8]>,
                now: OffsetDateTime,
            ) -> Result<bool, sqlx::Error> {
                let mut tx = pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE users SET password_hash = $2, kek_salt = $3, kek_params = $4, \
                     wrapped_user_key = $5, modified = $6 WHERE id = $1",
                )
                .bind(id)
                .bind(password_hash)
                .bind(kek_salt)
                .bind(kek_params)
                .bind(wrapped_user_key)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "DELETE FROM logins WHERE user_id = $1 AND ($2 IS NULL OR token_digest <> $2)",
                )
                .bind(id)
                .bind(keep)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            /// Records a used TOTP step if it is newer than the last one; false: replayed.
            pub(crate) async fn use_totp_step(
                pool: &Pool,
                id: i64,
                step: i64,
            ) -> Result<bool, sqlx::Error> {
                let done = sqlx::query(
                    "UPDATE users SET totp_last_step = $2 WHERE id = $1 \
                     AND (totp_last_step IS NULL OR totp_last_step < $2)",
                )
                .bind(id)
                .bind(step)
                .execute(pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            pub(crate) async fn set_totp(
                pool: &Pool,
                id: i64,
                sealed: Option<&[u8]>,
                now: OffsetDateTime,
            ) -> Result<bool, sqlx::Error> {
                let mut tx = pool.begin().await?;
                let done = sqlx::query(
                    "UPDATE users SET totp_secret = $2, totp_last_step = NULL, modified = $3 \
                     WHERE id = $1",
                )
                .bind(id)
                .bind(sealed)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if sealed.is_none() {
                    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            /// Deletes the user, the user's sessions (steps and files) and everything keyed by
            /// the user.
            pub(crate) async fn delete_user(pool: &Pool, id: i64) -> Result<bool, sqlx::Error> {
                let mut tx = pool.begin().await?;
                for sql in [
                    "DELETE FROM files WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1)",
                    "DELETE FROM steps WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1)",
                    "DELETE FROM sessions WHERE user_id = $1",
                    "DELETE FROM logins WHERE user_id = $1",
                    "DELETE FROM account_tokens WHERE user_id = $1",
                    "DELETE FROM recovery_codes WHERE user_id = $1",
                ] {
                    sqlx::query(sql).bind(id).execute(&mut *tx).await?;
                }
                let done = sqlx::query("DELETE FROM users WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            #[allow(clippy::too_many_arguments)]
            pub(crate) async fn insert_login(
                pool: &Pool,
                digest: &[u8],
                user_id: i64,
                wrapped_user_key: &[u8],
                stage: &str,
                remember: bool,
                now: OffsetDateTime,
                expires: OffsetDateTime,
            ) -> Result<(), sqlx::Error> {
                sqlx::query(
                    "INSERT INTO logins (token_digest, user_id, wrapped_user_key, stage, \
                     remember, created, expires) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(digest)
                .bind(user_id)
                .bind(wrapped_user_key)
                .bind(stage)
                .bind(remember)
                .bind(now)
                .bind(expires)
                .execute(pool)
                .await?;
                Ok(())
            }

            pub(crate) async fn load_login(
                pool: &Pool,
                digest: &[u8],
            ) -> Result<Option<LoginRow>, sqlx::Error> {
                let row = sqlx::query(
                    "SELECT user_id, wrapped_user_key, stage, remember, expires FROM logins \
                     WHERE token_digest = $1",
                )
                .bind(digest)
                .fetch_optional(pool)
                .await?;
                row.map(|r| {
                    Ok(LoginRow {
                        user_id: r.try_get("user_id")?,
                        wrapped_user_key: r.try_get("wrapped_user_key")?,
                        stage: r.try_get("stage")?,
                        remember: r.try_get("remember")?,
                        expires: r.try_get("expires")?,
                    })
                })
                .transpose()
            }

            pub(crate) async fn set_login_stage(
                pool: &Pool,
                digest: &[u8],
                stage: &str,
            ) -> Result<bool, sqlx::Error> {
                let done = sqlx::query("UPDATE logins SET stage = $2 WHERE token_digest = $1")
                    .bind(digest)
                    .bind(stage)
                    .execute(pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            pub(crate) async fn delete_login(pool: &Pool, digest: &[u8]) -> Result<bool, sqlx::Error> {
                let done = sqlx::query("DELETE FROM logins WHERE token_digest = $1")
                    .bind(digest)
                    .execute(pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            pub(crate) async fn insert_token(
                pool: &Pool,
                digest: &[u8],
                user_id: i64,
                purpose: &str,
                expires: OffsetDateTime,
            ) -> Result<(), sqlx::Error> {
                sqlx::query(
                    "INSERT INTO account_tokens (token_digest, user_id, purpose, expires) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(digest)
                .bind(user_id)
                .bind(purpose)
                .bind(expires)
                .execute(pool)
                .await?;
                Ok(())
            }

            /// Deletes the token and returns its user, if it existed for `purpose` and had not
            /// expired.
            pub(crate) async fn take_token(
                pool: &Pool,
                digest: &[u8],
                purpose: &str,
                now: OffsetDateTime,
            ) -> Result<Option<i64>, sqlx::Error> {
                let row = sqlx::query(
                    "DELETE FROM account_tokens WHERE token_digest = $1 AND purpose = $2 \
                     RETURNING user_id, expires",
                )
                .bind(digest)
                .bind(purpose)
                .fetch_optional(pool)
                .await?;
                let Some(r) = row else { return Ok(None) };
                let expires: OffsetDateTime = r.try_get("expires")?;
                if expires < now {
                    return Ok(None);
                }
                Ok(Some(r.try_get("user_id")?))
            }

            pub(crate) async fn replace_codes(
                pool: &Pool,
                user_id: i64,
                digests: &[Vec<u8>],
            ) -> Result<(), sqlx::Error> {
                let mut tx = pool.begin().await?;
                sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                for d in digests {
                    sqlx::query("INSERT INTO recovery_codes (user_id, code_digest) VALUES ($1, $2)")
                        .bind(user_id)
                        .bind(d.as_slice())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await
            }

            /// Deletes the code; true if it was there (so each code works once).
            pub(crate) async fn use_code(
                pool: &Pool,
                user_id: i64,
                digest: &[u8],
            ) -> Result<bool, sqlx::Error> {
                let done = sqlx::query(
                    "DELETE FROM recovery_codes WHERE user_id = $1 AND code_digest = $2",
                )
                .bind(user_id)
                .bind(digest)
                .execute(pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            pub(crate) async fn count_codes(pool: &Pool, user_id: i64) -> Result<i64, sqlx::Error> {
                let row = sqlx::query("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1")
                    .bind(user_id)
                    .fetch_one(pool)
                    .await?;
                row.try_get("n")
            }

            pub(crate) async fn throttle_get(
                pool: &Pool,
                key: &str,
            ) -> Result<Option<ThrottleRow>, sqlx::Error> {
                let row = sqlx::query(
                    "SELECT failures, window_start, locked_until FROM login_throttle WHERE key = $1",
                )
                .bind(key)
                .fetch_optional(pool)
                .await?;
                row.map(|r| {
                    Ok(ThrottleRow {
                        failures: r.try_get("failures")?,
                        window_start: r.try_get("window_start")?,
                        locked_until: r.try_get("locked_until")?,
                    })
                })
                .transpose()
            }

            pub(crate) async fn throttle_put(
                pool: &Pool,
                key: &str,
                row: &ThrottleRow,
            ) -> Result<(), sqlx::Error> {
                sqlx::query(
                    "INSERT INTO login_throttle (key, failures, window_start, locked_until) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET \
                     failures = excluded.failures, window_start = excluded.window_start, \
                     locked_until = excluded.locked_until",
                )
                .bind(key)
                .bind(row.failures)
                .bind(row.window_start)
                .bind(row.locked_until)
                .execute(pool)
                .await?;
                Ok(())
            }

            pub(crate) async fn throttle_clear(pool: &Pool, key: &str) -> Result<(), sqlx::Error> {
                sqlx::query("DELETE FROM login_throttle WHERE key = $1")
                    .bind(key)
                    .execute(pool)
                    .await?;
                Ok(())
            }

            /// Deletes expired sign-ins and one-time tokens, and throttling counters older than
            /// `stale` whose lockout is over; returns how many rows went.
            pub(crate) async fn purge_expired(
                pool: &Pool,
                now: OffsetDateTime,
                stale: OffsetDateTime,
            ) -> Result<u64, sqlx::Error> {
                let mut n = 0;
                n += sqlx::query("DELETE FROM logins WHERE expires < $1")
                    .bind(now)
                    .execute(pool)
                    .await?
                    .rows_affected();
                n += sqlx::query("DELETE FROM account_tokens WHERE expires < $1")
                    .bind(now)
                    .execute(pool)
                    .await?
                    .rows_affected();
                n += sqlx::query(
                    "DELETE FROM login_throttle WHERE window_start < $2 \
                     AND (locked_until IS NULL OR locked_until < $1)",
                )
                .bind(now)
                .bind(stale)
                .execute(pool)
                .await?
                .rows_affected();
                Ok(n)
            }

            pub(crate) async fn insert_audit(pool: &Pool, row: &AuditRow) -> Result<(), sqlx::Error> {
                sqlx::query(
                    "INSERT INTO audit_log (at, event, user_id, email, ip, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(row.at)
                .bind(&row.event)
                .bind(row.user_id)
                .bind(&row.email)
                .bind(&row.ip)
                .bind(&row.detail)
                .execute(pool)
                .await?;
                Ok(())
            }

            pub(crate) async fn audit_events(
                pool: &Pool,
                limit: i64,
            ) -> Result<Vec<AuditRow>, sqlx::Error> {
                let rows = sqlx::query(
                    "SELECT at, event, user_id, email, ip, detail FROM audit_log \
                     ORDER BY id DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(AuditRow {
                            at: r.try_get("at")?,
                            event: r.try_get("event")?,
                            user_id: r.try_get("user_id")?,
                            email: r.try_get("email")?,
                            ip: r.try_get("ip")?,
                            detail: r.try_get("detail")?,
                        })
                    })
                    .collect()
            }
        }
    };
}

accounts_backend!(sqlite, sqlx::Sqlite);
accounts_backend!(postgres, sqlx::Postgres);
