//! The store's error types.

use std::path::PathBuf;

use super::ids::{SessionId, StepNumber, UserId};

/// A malformed identifier or secret, or the system's random generator failing.
#[derive(Debug, thiserror::Error)]
pub enum IdError {
    /// A session id must be exactly 32 characters.
    #[error("a session id has 32 characters, not {0}")]
    SessionIdLength(usize),
    /// A session id is made of `[A-Za-z0-9]`.
    #[error("a session id contains only the letters A-Z, a-z and the digits 0-9")]
    SessionIdCharacters,
    /// A secret is 43 characters of unpadded URL-safe base64 (32 bytes).
    #[error("the secret is not 43 characters of URL-safe base64 (32 bytes)")]
    SecretEncoding,
    /// A step number read from the database is out of range.
    #[error("step number {0} is out of range")]
    StepNumber(i64),
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed")]
    Random,
}

/// Loading or creating the server key file.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// Reading, creating or inspecting the file failed.
    #[error("server key file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Group or others may read or write the file.
    #[error(
        "server key file {} has permissions {mode:04o}; it must be readable by its owner only \
         (run `chmod 600 {}`)",
        path.display(),
        path.display()
    )]
    Permissions { path: PathBuf, mode: u32 },
    /// The file is not a key written by Colloquy.
    #[error(
        "server key file {} is malformed: {reason} (expected one line of 64 hexadecimal digits; \
         if the key is lost, existing sessions cannot be read)",
        path.display()
    )]
    Malformed { path: PathBuf, reason: &'static str },
    /// The random generator failed while creating a key.
    #[error("cannot generate a server key: the operating system's random generator failed")]
    Random,
}

/// Everything the store can report. None of these is a bug in the caller's request handling:
/// map `Decrypt`, `SecretRequired` and `NotFound` to 403/404, `Conflict` to 409, `AtFirstStep` to
/// a no-op, and the rest to 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The ciphertext could not be decrypted: wrong secret, tampered or swapped rows.
    #[error("cannot decrypt session {session}: wrong secret, or the stored data was altered")]
    Decrypt { session: SessionId },
    /// The session is held by an anonymous user and no secret was presented.
    #[error("session {0} can only be opened with its secret")]
    SecretRequired(SessionId),
    /// A user's key could not be unwrapped: wrong password or sign-in token, or altered data.
    #[error("cannot unwrap the key of user {0}")]
    UserKey(UserId),
    /// No such session.
    #[error("no session {0}")]
    NotFound(SessionId),
    /// Another request saved this session first (optimistic concurrency): reload and retry.
    #[error("session {session} changed concurrently: step {step} is not the newest step any more")]
    Conflict {
        session: SessionId,
        step: StepNumber,
    },
    /// No such uploaded file in this session.
    #[error("session {session} has no file {number}")]
    FileNotFound { session: SessionId, number: u32 },
    /// `back` on a session that is at its first step.
    #[error("session {0} is at its first step")]
    AtFirstStep(SessionId),
    /// The database holds something this version cannot interpret.
    #[error("session {session}: corrupt record: {detail}")]
    Corrupt { session: String, detail: String },
    /// The database URL is not `sqlite:…` or `postgres://…`.
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://…")]
    DatabaseUrl(String),
    /// A malformed id or a random generator failure.
    #[error(transparent)]
    Id(#[from] IdError),
    /// The server key file.
    #[error(transparent)]
    KeyFile(#[from] KeyFileError),
    /// The database itself.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The SQLite connection of the step hot path (see `sqlite_sync`).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Store work could not be handed to the runtime or a blocking thread.
    #[error("the store's blocking work failed: {0}")]
    Blocking(String),
    /// Applying migrations.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// The HTTP status a handler should answer with: 403 for a wrong or missing secret, 404
    /// for an unknown session, 409 for a lost race (and for `back` at the first step), 500 for
    /// the rest (log those).
    pub fn http_status(&self) -> u16 {
        match self {
            StoreError::Decrypt { .. } | StoreError::SecretRequired(_) | StoreError::UserKey(_) => {
                403
            }
            StoreError::NotFound(_) | StoreError::FileNotFound { .. } => 404,
            StoreError::Conflict { .. } | StoreError::AtFirstStep(_) => 409,
            StoreError::Id(IdError::SessionIdLength(_) | IdError::SessionIdCharacters) => 400,
            _ => 500,
        }
    }
}
