//! Account operations shared by the command line and the HTTP handlers.

use crate::config::Config;
use crate::store::accounts::{NewAccount, PasswordRecord, User};
use crate::store::{Kek, Store, StoreError, UserId, UserKey};

use super::password::{self, Hasher, PasswordPolicy};
use super::{BadEmail, Email, PasswordError, Role};

/// An account operation that cannot be done.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Email(#[from] BadEmail),
    /// The password breaks the strength rules (each sentence one rule).
    #[error("{}", .0.join(" "))]
    WeakPassword(Vec<String>),
    #[error("an account with this e-mail address exists already")]
    Taken,
    #[error("no such user")]
    NoSuchUser,
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks `password` against the configured rules.
pub fn check_strength(config: &Config, password: &str) -> Result<(), AccountError> {
    let problems = PasswordPolicy::from_config(config).problems(password);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AccountError::WeakPassword(problems))
    }
}

/// Hashes on the blocking pool (Argon2id takes tens of milliseconds by design).
pub async fn hash_password(
    config: &Config,
    password: &str,
) -> Result<password::PasswordMaterial, AccountError> {
    let hasher = Hasher::from_config(config);
    let pw = zeroize::Zeroizing::new(password.to_string());
    tokio::task::spawn_blocking(move || hasher.create(&pw))
        .await
        .map_err(|e| PasswordError::Hash(e.to_string()))?
        .map_err(AccountError::from)
}

/// Checks the password and derives the key-encryption key; `None` if the password is wrong.
pub async fn verify_password(user: &User, password: &str) -> Result<Option<Kek>, AccountError> {
    let hash = user.password_hash.clone();
    let salt = user.kek_salt.clone();
    let params = user.kek_params.clone();
    let pw = zeroize::Zeroizing::new(password.to_string());
    tokio::task::spawn_blocking(move || -> Result<Option<Kek>, PasswordError> {
        if !password::verify(&hash, &pw) {
            return Ok(None);
        }
        password::derive_kek(&pw, &salt, &params).map(Some)
    })
    .await
    .map_err(|e| PasswordError::Hash(e.to_string()))?
    .map_err(AccountError::from)
}

/// Creates an account (strength rules apply).
pub async fn create_account(
    store: &Store,
    config: &Config,
    email: &str,
    password: &str,
    role: Role,
    active: bool,
) -> Result<UserId, AccountError> {
    let email = Email::parse(email)?;
    check_strength(config, password)?;
    let m = hash_password(config, password).await?;
    let account = NewAccount {
        email: email.as_str(),
        role: role.as_str(),
        password: PasswordRecord {
            hash: &m.hash,
            kek_salt: &m.kek_salt,
            kek_params: &m.kek_params,
        },
        active,
        email_confirmed: active,
    };
    store
        .create_user(account, &m.kek)
        .await?
        .ok_or(AccountError::Taken)
}

/// Sets a new password keeping the user key (so every session stays readable).
pub async fn change_password(
    store: &Store,
    config: &Config,
    user: UserId,
    user_key: &UserKey,
    new_password: &str,
    keep: Option<&crate::store::accounts::LoginToken>,
) -> Result<(), AccountError> {
    check_strength(config, new_password)?;
    let m = hash_password(config, new_password).await?;
    let record = PasswordRecord {
        hash: &m.hash,
        kek_salt: &m.kek_salt,
        kek_params: &m.kek_params,
    };
    if store
        .change_password(user, user_key, record, &m.kek, keep)
        .await?
    {
        Ok(())
    } else {
        Err(AccountError::NoSuchUser)
    }
}

/// Sets a new password with a new user key; returns how many sessions became unreadable.
pub async fn reset_password(
    store: &Store,
    config: &Config,
    user: UserId,
    new_password: &str,
) -> Result<usize, AccountError> {
    check_strength(config, new_password)?;
    let m = hash_password(config, new_password).await?;
    let record = PasswordRecord {
        hash: &m.hash,
        kek_salt: &m.kek_salt,
        kek_params: &m.kek_params,
    };
    Ok(store.reset_password(user, record, &m.kek).await?)
}
