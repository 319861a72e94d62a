//! Accounts: roles, e-mail addresses, passwords (Argon2id), two-factor codes, mail and sign-in
//! throttling. Storage lives in [`crate::store::accounts`]; the HTTP side in
//! [`crate::http::account`].

pub mod email;
pub mod mail;
pub mod password;
pub mod role;
pub mod service;
pub mod throttle;
pub mod totp;

pub use email::{BadEmail, Email};
pub use mail::{Mail, MailError, MailFile, Mailer};
pub use password::{Hasher, PasswordError, PasswordPolicy};
pub use role::{Role, UnknownRole};
pub use throttle::{Refusal, Throttler};
