//! Accounts in the store: users and their keys, sign-ins, one-time tokens, recovery codes,
//! throttling counters and the audit log.
//!
//! Key hierarchy (see [`super::crypto`]): the password gives a key-encryption key (Argon2id,
//! computed by the caller) that wraps the user's random [`UserKey`]; the user key wraps the data
//! keys of the user's sessions. A sign-in keeps the user key wrapped by a key derived from a
//! random token that only the browser's cookie holds. Changing the password re-wraps one key;
//! a reset makes a new user key, so the old sessions cannot be opened any more.

use time::OffsetDateTime;

use super::accounts_db::{self, AuditRow, NewUser, ThrottleRow, UserRow};
use super::backend::Pool;
use super::crypto::{self, Kek, UserKey};
use super::{Credentials, Owner, SessionId, Store, StoreError, UserCreds, UserId};

/// Runs the same accounts function on whichever pool this is.
macro_rules! on_accounts {
    ($self:expr, $func:ident ( $($arg:expr),* $(,)? )) => {
        match &$self.pool {
            Pool::Sqlite(p) => accounts_db::sqlite::$func(p, $($arg),*).await,
            Pool::Postgres(p) => accounts_db::postgres::$func(p, $($arg),*).await,
        }
    };
}

const PASSWORD_PURPOSE: &[u8] = b"password";
const LOGIN_PURPOSE: &[u8] = b"login";
const TOTP_LABEL: &[u8] = b"colloquy/totp-secret/v1";

/// A user as stored (secrets stay wrapped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    /// Lower-cased.
    pub email: String,
    /// `admin`, `developer`, `advocate` or `user`.
    pub role: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Salt and parameters (`m=…,t=…,p=…`) of the key-encryption key.
    pub kek_salt: Vec<u8>,
    pub kek_params: String,
    wrapped_user_key: Vec<u8>,
    pub active: bool,
    pub email_confirmed: bool,
    /// Whether two-factor sign-in is set up.
    pub has_totp: bool,
    totp_secret: Option<Vec<u8>>,
    pub created: OffsetDateTime,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: UserId::new(r.id),
            email: r.email,
            role: r.role,
            password_hash: r.password_hash,
            kek_salt: r.kek_salt,
            kek_params: r.kek_params,
            wrapped_user_key: r.wrapped_user_key,
            active: r.active,
            email_confirmed: r.email_confirmed,
            has_totp: r.totp_secret.is_some(),
            totp_secret: r.totp_secret,
            created: r.created,
        }
    }
}

/// The stored password material of a user: hash for checking, salt and parameters of the
/// key-encryption key.
#[derive(Debug, Clone, Copy)]
pub struct PasswordRecord<'a> {
    pub hash: &'a str,
    pub kek_salt: &'a [u8],
    pub kek_params: &'a str,
}

/// A new account.
#[derive(Debug, Clone, Copy)]
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub role: &'a str,
    pub password: PasswordRecord<'a>,
    pub active: bool,
    pub email_confirmed: bool,
}

/// How far a sign-in has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginStage {
    /// Signed in.
    Full,
    /// Password checked; the two-factor code is pending.
    Mfa,
    /// Password checked; two-factor sign-in is required and must be set up first.
    Setup,
}

impl LoginStage {
    fn as_str(self) -> &'static str {
        match self {
            LoginStage::Full => "full",
            LoginStage::Mfa => "mfa",
            LoginStage::Setup => "setup",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "full" => Some(LoginStage::Full),
            "mfa" => Some(LoginStage::Mfa),
            "setup" => Some(LoginStage::Setup),
            _ => None,
        }
    }
}

/// The random token of a sign-in (the cookie's value). Only its keyed digest is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginToken(String);

impl LoginToken {
    /// Parses a cookie value: 43 characters of URL-safe base64.
    pub fn parse(s: &str) -> Option<Self> {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s.trim())
            .ok()?;
        (bytes.len() == 32).then(|| Self(s.trim().to_string()))
    }

    /// The cookie value.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for LoginToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoginToken(***)")
    }
}

/// A sign-in as loaded for a request.
#[derive(Debug, Clone)]
pub struct Login {
    pub user: User,
    /// The user's key, unwrapped with the token.
    pub key: UserKey,
    pub stage: LoginStage,
    pub remember: bool,
    pub expires: OffsetDateTime,
}

impl Login {
    /// Credentials for the user's sessions.
    pub fn creds(&self) -> UserCreds<'_> {
        UserCreds {
            id: self.user.id,
            key: &self.key,
        }
    }
}

/// A throttling counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub failures: i64,
    pub window_start: OffsetDateTime,
    pub locked_until: Option<OffsetDateTime>,
}

/// An audit-log entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEvent {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub event: String,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

fn random_token() -> Result<(String, [u8; 32]), StoreError> {
    use base64::Engine as _;
    let mut raw = [0u8; 32];
    crypto::random_bytes(&mut raw).map_err(|_| StoreError::Id(super::IdError::Random))?;
    Ok((
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw),
        raw,
    ))
}

fn user_key_error(id: UserId) -> impl Fn(crypto::CryptoError) -> StoreError {
    move |e| match e {
        crypto::CryptoError::Open => StoreError::UserKey(id),
        crypto::CryptoError::Random => StoreError::Id(super::IdError::Random),
    }
}

impl Store {
    pub(super) fn digest(&self, label: &str, data: &[u8]) -> Vec<u8> {
        crypto::keyed_digest(&self.server_key, label.as_bytes(), data)
    }

    /// Creates an account with a fresh user key wrapped by `kek`; `None` if the e-mail
    /// address is taken.
    pub async fn create_user(
        &self,
        account: NewAccount<'_>,
        kek: &Kek,
    ) -> Result<Option<UserId>, StoreError> {
        let user_key = UserKey::generate().map_err(|_| StoreError::Id(super::IdError::Random))?;
        let new = NewUser {
            email: account.email,
            role: account.role,
            password_hash: account.password.hash,
            kek_salt: account.password.kek_salt,
            kek_params: account.password.kek_params,
            active: account.active,
            email_confirmed: account.email_confirmed,
            now: super::now(),
        };
        let wrap = |id: i64| {
            crypto::wrap_user_key(kek, &user_key, id, PASSWORD_PURPOSE)
                .map_err(|_| sqlx::Error::Protocol("random generator failure".into()))
        };
        let _turn = self.write_turn().await;
        let id = on_accounts!(self, insert_user(&new, wrap))?;
        Ok(id.map(UserId::new))
    }

    /// The user with this (lower-cased) e-mail address.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        Ok(on_accounts!(self, user_by_email(email))?.map(User::from))
    }

    /// The user with this id.
    pub async fn user_by_id(&self, id: UserId) -> Result<Option<User>, StoreError> {
        Ok(on_accounts!(self, user_by_id(id.get()))?.map(User::from))
    }

    /// Every user, by id.
    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        Ok(on_accounts!(self, list_users())?
            .into_iter()
            .map(User::from)
            .collect())
    }

    /// How many users have `role`.
    pub async fn count_role(&self, role: &str) -> Result<i64, StoreError> {
        Ok(on_accounts!(self, count_role(role))?)
    }

    /// Changes a user's role; false if there is no such user.
    pub async fn set_role(&self, id: UserId, role: &str) -> Result<bool, StoreError> {
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, set_role(id.get(), role, super::now()))?)
    }

    /// Marks the e-mail address confirmed and the account active.
    pub async fn confirm_email(&self, id: UserId) -> Result<bool, StoreError> {
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, confirm_email(id.get(), super::now()))?)
    }

    /// The user's key, unwrapped with the key-encryption key of the password.
    pub fn unwrap_user_key(&self, user: &User, kek: &Kek) -> Result<UserKey, StoreError> {
        crypto::unwrap_user_key(kek, &user.wrapped_user_key, user.id.get(), PASSWORD_PURPOSE)
            .map_err(user_key_error(user.id))
    }

    /// A new password: the same user key re-wrapped by the new key-encryption key (no session
    /// is re-encrypted). Every other sign-in of the user ends; `keep` survives.
    pub async fn change_password(
        &self,
        id: UserId,
        user_key: &UserKey,
        password: PasswordRecord<'_>,
        kek: &Kek,
        keep: Option<&LoginToken>,
    ) -> Result<bool, StoreError> {
        let wrapped = crypto::wrap_user_key(kek, user_key, id.get(), PASSWORD_PURPOSE)
            .map_err(user_key_error(id))?;
        let keep = keep.map(|t| self.digest("login", t.expose().as_bytes()));
        let _turn = self.write_turn().await;
        Ok(on_accounts!(
            self,
            set_password(
                id.get(),
                password.hash,
                password.kek_salt,
                password.kek_params,
                &wrapped,
                keep.as_deref(),
                super::now(),
            )
        )?)
    }

    /// A forgotten password: a new user key under the new password. The sessions wrapped by the
    /// old key cannot be opened any more; returns how many there are. Every sign-in ends.
    pub async fn reset_password(
        &self,
        id: UserId,
        password: PasswordRecord<'_>,
        kek: &Kek,
    ) -> Result<usize, StoreError> {
        let user_key = UserKey::generate().map_err(|_| StoreError::Id(super::IdError::Random))?;
        self.change_password(id, &user_key, password, kek, None)
            .await?;
        let lost = self
            .list_user_sessions(id, None)
            .await?
            .into_iter()
            .filter(|s| s.holder == super::HolderKind::User)
            .count();
        Ok(lost)
    }

    /// Deletes the account, its sessions and everything keyed by it.
    pub async fn delete_user(&self, id: UserId) -> Result<bool, StoreError> {
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, delete_user(id.get()))?)
    }

    /// Starts a sign-in: a random token (for the cookie) whose derived key wraps the user key.
    pub async fn create_login(
        &self,
        id: UserId,
        user_key: &UserKey,
        stage: LoginStage,
        remember: bool,
        lifetime: time::Duration,
    ) -> Result<LoginToken, StoreError> {
        let (token, raw) = random_token()?;
        let kek = crypto::kek_for_login(&self.server_key, &raw);
        let wrapped = crypto::wrap_user_key(&kek, user_key, id.get(), LOGIN_PURPOSE)
            .map_err(user_key_error(id))?;
        let digest = self.digest("login", token.as_bytes());
        let now = super::now();
        let _turn = self.write_turn().await;
        on_accounts!(
            self,
            insert_login(
                &digest,
                id.get(),
                &wrapped,
                stage.as_str(),
                remember,
                now,
                now + lifetime,
            )
        )?;
        Ok(LoginToken(token))
    }

    /// The sign-in of `token`, if it exists, has not expired and its user is active.
    pub async fn load_login(&self, token: &LoginToken) -> Result<Option<Login>, StoreError> {
        use base64::Engine as _;
        let digest = self.digest("login", token.expose().as_bytes());
        let Some(row) = on_accounts!(self, load_login(&digest))? else {
            return Ok(None);
        };
        if row.expires < super::now() {
            let _turn = self.write_turn().await;
            on_accounts!(self, delete_login(&digest))?;
            return Ok(None);
        }
        let Some(user) = self.user_by_id(UserId::new(row.user_id)).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token.expose())
            .map_err(|_| StoreError::UserKey(user.id))?;
        let kek = crypto::kek_for_login(&self.server_key, &raw);
        let key = crypto::unwrap_user_key(&kek, &row.wrapped_user_key, row.user_id, LOGIN_PURPOSE)
            .map_err(user_key_error(user.id))?;
        let stage = LoginStage::parse(&row.stage).ok_or_else(|| StoreError::Corrupt {
            session: format!("login of user {}", user.id),
            detail: format!("unknown stage {:?}", row.stage),
        })?;
        Ok(Some(Login {
            user,
            key,
            stage,
            remember: row.remember,
            expires: row.expires,
        }))
    }

    /// Moves a sign-in to another stage (after the two-factor code).
    pub async fn set_login_stage(
        &self,
        token: &LoginToken,
        stage: LoginStage,
    ) -> Result<bool, StoreError> {
        let digest = self.digest("login", token.expose().as_bytes());
        let _turn = self.write_turn().await;
        Ok(on_accounts!(
            self,
            set_login_stage(&digest, stage.as_str())
        )?)
    }

    /// Ends a sign-in.
    pub async fn delete_login(&self, token: &LoginToken) -> Result<bool, StoreError> {
        let digest = self.digest("login", token.expose().as_bytes());
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, delete_login(&digest))?)
    }

    /// A one-time token for an e-mailed link (`purpose`: `activate`, `reset`).
    pub async fn create_account_token(
        &self,
        id: UserId,
        purpose: &str,
        lifetime: time::Duration,
    ) -> Result<String, StoreError> {
        let (token, _) = random_token()?;
        let digest = self.digest("account-token", token.as_bytes());
        let _turn = self.write_turn().await;
        on_accounts!(
            self,
            insert_token(&digest, id.get(), purpose, super::now() + lifetime)
        )?;
        Ok(token)
    }

    /// Uses up a one-time token: its user, if the token exists for `purpose` and is fresh.
    pub async fn take_account_token(
        &self,
        token: &str,
        purpose: &str,
    ) -> Result<Option<UserId>, StoreError> {
        let digest = self.digest("account-token", token.trim().as_bytes());
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, take_token(&digest, purpose, super::now()))?.map(UserId::new))
    }

    /// Sets (sealed by the server key) or removes the user's TOTP secret; removing it also
    /// removes the recovery codes.
    pub async fn set_totp_secret(
        &self,
        id: UserId,
        secret: Option<&[u8]>,
    ) -> Result<bool, StoreError> {
        let sealed = match secret {
            Some(s) => Some(
                crypto::seal_with_server(&self.server_key, TOTP_LABEL, s)
                    .map_err(user_key_error(id))?,
            ),
            None => None,
        };
        let _turn = self.write_turn().await;
        Ok(on_accounts!(
            self,
            set_totp(id.get(), sealed.as_deref(), super::now())
        )?)
    }

    /// Uses up TOTP time step `step` for the user: false if it (or a later one) was used
    /// already, so each code signs in once.
    pub async fn use_totp_step(&self, id: UserId, step: u64) -> Result<bool, StoreError> {
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, use_totp_step(id.get(), step))?)
    }

    /// The user's TOTP secret, if set up.
    pub fn totp_secret(&self, user: &User) -> Result<Option<Vec<u8>>, StoreError> {
        match &user.totp_secret {
            None => Ok(None),
            Some(blob) => crypto::open_with_server(&self.server_key, TOTP_LABEL, blob)
                .map(Some)
                .map_err(user_key_error(user.id)),
        }
    }

    /// Replaces the user's recovery codes (only their keyed digests are stored).
    pub async fn replace_recovery_codes(
        &self,
        id: UserId,
        codes: &[String],
    ) -> Result<(), StoreError> {
        let digests: Vec<Vec<u8>> = codes
            .iter()
            .map(|c| self.digest("recovery-code", normalise_code(c).as_bytes()))
            .collect();
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, replace_codes(id.get(), &digests))?)
    }

    /// Uses up a recovery code; false if it is not (or no longer) one of the user's.
    pub async fn use_recovery_code(&self, id: UserId, code: &str) -> Result<bool, StoreError> {
        let digest = self.digest("recovery-code", normalise_code(code).as_bytes());
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, use_code(id.get(), &digest))?)
    }

    /// How many unused recovery codes the user has.
    pub async fn recovery_codes_left(&self, id: UserId) -> Result<i64, StoreError> {
        Ok(on_accounts!(self, count_codes(id.get()))?)
    }

    /// A throttling counter.
    pub async fn throttle(&self, key: &str) -> Result<Option<Throttle>, StoreError> {
        Ok(on_accounts!(self, throttle_get(key))?.map(|r| Throttle {
            failures: r.failures,
            window_start: r.window_start,
            locked_until: r.locked_until,
        }))
    }

    /// Writes a throttling counter.
    pub async fn set_throttle(&self, key: &str, t: Throttle) -> Result<(), StoreError> {
        let row = ThrottleRow {
            failures: t.failures,
            window_start: t.window_start,
            locked_until: t.locked_until,
        };
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, throttle_put(key, &row))?)
    }

    /// Forgets a throttling counter.
    pub async fn clear_throttle(&self, key: &str) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, throttle_clear(key))?)
    }

    /// Deletes expired sign-ins and tokens, and throttling counters whose window (`window`)
    /// and lockout are over; returns how many rows went.
    pub async fn purge_expired_accounts(&self, window: time::Duration) -> Result<u64, StoreError> {
        let now = super::now();
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, purge_expired(now, now - window))?)
    }

    /// Records a security event.
    pub async fn audit(
        &self,
        event: &str,
        user: Option<UserId>,
        email: Option<&str>,
        ip: Option<&str>,
        detail: Option<&str>,
    ) -> Result<(), StoreError> {
        let row = AuditRow {
            at: super::now(),
            event: event.to_string(),
            user_id: user.map(UserId::get),
            email: email.map(str::to_string),
            ip: ip.map(str::to_string),
            detail: detail.map(str::to_string),
        };
        let _turn = self.write_turn().await;
        Ok(on_accounts!(self, insert_audit(&row))?)
    }

    /// The newest `limit` security events, newest first.
    pub async fn audit_events(&self, limit: i64) -> Result<Vec<AuditEvent>, StoreError> {
        Ok(on_accounts!(self, audit_events(limit))?
            .into_iter()
            .map(|r| AuditEvent {
                at: r.at,
                event: r.event,
                user_id: r.user_id,
                email: r.email,
                ip: r.ip,
                detail: r.detail,
            })
            .collect())
    }

    /// Hands the sessions of the browser holding `creds.secret` to the signed-in user (their
    /// data keys re-wrapped by the user key; nothing re-encrypted). Returns how many.
    pub async fn adopt_anonymous_sessions(
        &self,
        creds: Credentials<'_>,
        user: UserCreds<'_>,
    ) -> Result<Vec<SessionId>, StoreError> {
        let mut moved = Vec::new();
        for s in self.list_sessions(creds, None).await? {
            if s.holder != super::HolderKind::Anonymous {
                continue;
            }
            match self.set_owner(&s.id, creds, Owner::User(user)).await {
                Ok(()) => moved.push(s.id),
                // Unreadable with this secret (or gone meanwhile): left as it is.
                Err(StoreError::Decrypt { .. } | StoreError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(moved)
    }
}

/// Recovery codes are compared without case, spaces or dashes.
fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
