//! The encrypted state store: sessions and their steps in SQLite or PostgreSQL.
//!
//! Byte-oriented: the engine serialises its state, the store encrypts and keeps the bytes.
//! One row per step (docassemble's `userdict`): saving a changed state appends a step, `back`
//! deletes the newest. Writes are optimistic: each names the step it builds on, and a writer
//! that lost a race gets [`StoreError::Conflict`] (no global lock, nothing overwritten).
//! See [`crypto`] for the envelope.

pub mod accounts;
mod accounts_db;
pub mod api_keys;
pub mod archive;
mod backend;
pub mod codes;
pub mod crypto;
mod db;
mod error;
mod ids;
pub mod keyfile;
pub mod listing;
mod sqlite_sync;

use std::path::Path;
use std::sync::Arc;

use time::OffsetDateTime;
use zeroize::Zeroizing;

pub use backend::{DEFAULT_SQLITE_FILE, Database};
pub use crypto::{DataKey, HolderKind, KEY_VERSION, Kek, ServerKey, UserKey};
pub use error::{IdError, KeyFileError, StoreError};
/// `len` random letters and digits (codes and keys handed out by the API).
pub(crate) use ids::random_alphanumeric as random_code;
pub use ids::{SECRET_LEN, Secret, SessionId, StepNumber, UserId};

use backend::{POSTGRES_MIGRATIONS, Pool, SQLITE_MIGRATIONS};
use crypto::CryptoError;
use db::{Insert, NewSession};

/// Who will hold a new session's data key.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    /// An anonymous browser: only the holder of this secret (the `secret` cookie) can read it.
    Anonymous(&'a Secret),
    /// The server (`multi_user: True`): anyone with the session id. `creator`, if given, lists
    /// the session among that secret holder's sessions.
    Server { creator: Option<&'a Secret> },
    /// A signed-in user: only with the user's key; listed among the user's sessions.
    User(UserCreds<'a>),
    /// Made through the API by `user`'s key: held by the secret (like [`Owner::Anonymous`]) and
    /// listed among that user's sessions (`/api/user/interviews`).
    Api { secret: &'a Secret, user: UserId },
}

/// A signed-in user's id and key, as presented by a request.
#[derive(Debug, Clone, Copy)]
pub struct UserCreds<'a> {
    /// The user's id.
    pub id: UserId,
    /// The user's key (unwrapped at sign-in).
    pub key: &'a UserKey,
}

impl Owner<'_> {
    fn kind(&self) -> HolderKind {
        match self {
            Owner::Anonymous(_) | Owner::Api { .. } => HolderKind::Anonymous,
            Owner::Server { .. } => HolderKind::Server,
            Owner::User(_) => HolderKind::User,
        }
    }

    fn user_id(&self) -> Option<i64> {
        match self {
            Owner::User(u) => Some(u.id.get()),
            Owner::Api { user, .. } => Some(user.get()),
            _ => None,
        }
    }

    fn tag_secret(&self) -> Option<&Secret> {
        match *self {
            Owner::Anonymous(s) | Owner::Api { secret: s, .. } => Some(s),
            Owner::Server { creator } => creator,
            Owner::User(_) => None,
        }
    }
}

/// A new session's sealed parts (see `Store::seal_new_session`).
struct SealedSession {
    id: SessionId,
    wrapped: Vec<u8>,
    first: Vec<u8>,
    tag: Option<Vec<u8>>,
}

impl SealedSession {
    /// The rows `insert_session` writes for it.
    fn row<'a>(&'a self, interview: &'a str, owner: Owner<'_>) -> NewSession<'a> {
        NewSession {
            id: self.id.as_str(),
            interview,
            holder: owner.kind().as_str(),
            holder_tag: self.tag.as_deref(),
            user_id: owner.user_id(),
            wrapped_key: &self.wrapped,
            key_version: i64::from(KEY_VERSION),
            first_step: &self.first,
            now: now(),
        }
    }
}

/// What a request presents to open a session: the `secret` cookie, if any, and the signed-in
/// user's key, if any.
#[derive(Debug, Clone, Copy, Default)]
pub struct Credentials<'a> {
    /// The anonymous holder's secret.
    pub secret: Option<&'a Secret>,
    /// The signed-in user.
    pub user: Option<UserCreds<'a>>,
}

impl<'a> Credentials<'a> {
    /// Credentials carrying a secret.
    pub fn secret(secret: &'a Secret) -> Self {
        Self {
            secret: Some(secret),
            user: None,
        }
    }

    /// These credentials plus a signed-in user.
    pub fn with_user(self, user: Option<UserCreds<'a>>) -> Self {
        Self { user, ..self }
    }

    /// No credentials: enough only for server-held (`multi_user`) sessions.
    pub fn none() -> Self {
        Self::default()
    }

    /// A copy that owns its secret and key, for work moved to another thread.
    pub fn owned(&self) -> OwnedCredentials {
        OwnedCredentials {
            secret: self.secret.cloned(),
            user: self.user.map(|u| (u.id, u.key.clone())),
        }
    }
}

/// [`Credentials`] that own their secret and key (both wiped when dropped).
#[derive(Clone, Default)]
pub struct OwnedCredentials {
    secret: Option<Secret>,
    user: Option<(UserId, UserKey)>,
}

impl OwnedCredentials {
    /// These credentials, borrowed.
    pub fn borrow(&self) -> Credentials<'_> {
        Credentials {
            secret: self.secret.as_ref(),
            user: self
                .user
                .as_ref()
                .map(|(id, key)| UserCreds { id: *id, key }),
        }
    }
}

/// A decrypted step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Its number (the session's step count, docassemble's `steps`).
    pub number: StepNumber,
    /// The engine's serialised state.
    pub state: Vec<u8>,
    /// Who holds the session's key now (a browser's secret, or the server for `multi_user`).
    pub holder: HolderKind,
}

/// A session opened by a request (see [`Store::open_latest`]): the data key that opened it and
/// what a step row copies from the session, so that the request's next step is written without
/// reading the session and unwrapping its key again. Holds the key only for the request.
pub struct OpenSession {
    id: SessionId,
    key: DataKey,
    interview: String,
    user_id: Option<i64>,
    /// The step read and its revision: a write building on that step happens only while it
    /// is unchanged, so that nothing written in between (a check-in) is lost. `None` for a
    /// session opened without reading a step.
    read: Option<(StepNumber, i64)>,
}

impl std::fmt::Debug for OpenSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenSession")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// An uploaded file, decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// Its number within the session (`/uploadedfile/{session}/{number}`).
    pub number: u32,
    /// The (sanitised) file name given at upload.
    pub filename: String,
    /// The media type decided at upload.
    pub mimetype: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The name and type sealed together with a file's bytes.
#[derive(serde::Serialize, serde::Deserialize)]
struct FileHeader {
    filename: String,
    mimetype: String,
}

/// A session as listed (nothing decrypted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub id: SessionId,
    pub interview: String,
    pub holder: HolderKind,
    /// The newest step.
    pub steps: StepNumber,
    pub created: OffsetDateTime,
    pub modified: OffsetDateTime,
}

/// A migration applied by [`Store::migrate`] or still pending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    pub description: String,
}

/// The store: a connection pool plus the server key. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    server_key: Arc<ServerKey>,
    database: Arc<Database>,
    /// SQLite has one writer at a time; queueing writers here is much faster under load than
    /// letting them poll the database lock (`busy_timeout`), which gave 100 ms tails.
    sqlite_writer: Arc<tokio::sync::Mutex<()>>,
    /// For a SQLite file: the connection a step's hot path uses from a blocking thread (see
    /// [`sqlite_sync`]).
    sqlite_sync: Option<Arc<sqlite_sync::SyncSqlite>>,
    /// The runtime the store was connected in: the blocking methods run the async ones on it
    /// where they have no synchronous connection (PostgreSQL, an in-memory SQLite).
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("database", &self.database.describe())
            .finish_non_exhaustive()
    }
}

/// Runs the same backend function on whichever pool this is.
macro_rules! on_pool {
    ($self:expr, $func:ident ( $($arg:expr),* $(,)? )) => {
        match &$self.pool {
            Pool::Sqlite(p) => db::sqlite::$func(p, $($arg),*).await,
            Pool::Postgres(p) => db::postgres::$func(p, $($arg),*).await,
        }
    };
}

/// Now, in UTC, at the microsecond precision both databases keep.
fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000)
        .unwrap_or(t)
}

fn decrypt_error(session: &SessionId) -> impl Fn(CryptoError) -> StoreError + '_ {
    move |e| match e {
        CryptoError::Open => StoreError::Decrypt {
            session: session.clone(),
        },
        CryptoError::Random => StoreError::Id(IdError::Random),
    }
}

/// Step `after + 1` of `open`, sealed.
fn seal_next(
    open: &OpenSession,
    after: StepNumber,
    state: &[u8],
) -> Result<(StepNumber, Vec<u8>), StoreError> {
    let next = after.next().ok_or_else(|| StoreError::Conflict {
        session: open.id.clone(),
        step: after,
    })?;
    let ciphertext = crypto::seal_step(&open.key, &open.id, next, state).map_err(random_error)?;
    Ok((next, ciphertext))
}

/// What writing step `after + 1` of `open` sends to the database: checked against the revision
/// read when `after` is the step `open` read.
fn next_step<'a>(
    open: &'a OpenSession,
    after: StepNumber,
    ciphertext: &'a [u8],
) -> db::NextStep<'a> {
    db::NextStep {
        id: open.id.as_str(),
        after: after.to_db(),
        revision: open
            .read
            .filter(|(read, _)| *read == after)
            .map(|(_, revision)| revision),
        interview: &open.interview,
        user_id: open.user_id,
        key_version: i64::from(KEY_VERSION),
        ciphertext,
        now: now(),
    }
}

/// The step number written, or the lost race as [`StoreError::Conflict`].
fn inserted_or_conflict(
    open: &OpenSession,
    after: StepNumber,
    next: StepNumber,
    inserted: Insert,
) -> Result<StepNumber, StoreError> {
    match inserted {
        Insert::Done => Ok(next),
        Insert::Conflict => Err(StoreError::Conflict {
            session: open.id.clone(),
            step: after,
        }),
    }
}

fn random_error(_: CryptoError) -> StoreError {
    StoreError::Id(IdError::Random)
}

fn corrupt_text(session: &str, detail: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        session: session.to_string(),
        detail: detail.into(),
    }
}

fn corrupt(session: &SessionId, detail: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        session: session.to_string(),
        detail: detail.into(),
    }
}

fn list_row_info(r: db::ListRow) -> Result<SessionInfo, StoreError> {
    let id: SessionId = r.id.parse().map_err(|_| StoreError::Corrupt {
        session: r.id.clone(),
        detail: "malformed session id".into(),
    })?;
    let holder = HolderKind::parse(&r.holder)
        .ok_or_else(|| corrupt(&id, format!("unknown holder {:?}", r.holder)))?;
    let steps = StepNumber::from_db(r.steps.unwrap_or(0))?;
    Ok(SessionInfo {
        id,
        interview: r.interview,
        holder,
        steps,
        created: r.created,
        modified: r.modified,
    })
}

/// Applies pending migrations to `database` (no server key needed); returns those applied.
pub async fn migrate_database(database: &Database) -> Result<Vec<Migration>, StoreError> {
    let pool = database.connect().await?;
    let applied = match &pool {
        Pool::Sqlite(p) => db::sqlite::migrate(p, &SQLITE_MIGRATIONS).await,
        Pool::Postgres(p) => db::postgres::migrate(p, &POSTGRES_MIGRATIONS).await,
    };
    close(&pool).await;
    Ok(to_migrations(applied?))
}

/// The migrations `database` still lacks, without applying them.
pub async fn pending_migrations(database: &Database) -> Result<Vec<Migration>, StoreError> {
    let pool = database.connect().await?;
    let pending = match &pool {
        Pool::Sqlite(p) => db::sqlite::pending(p, &SQLITE_MIGRATIONS).await,
        Pool::Postgres(p) => db::postgres::pending(p, &POSTGRES_MIGRATIONS).await,
    };
    close(&pool).await;
    Ok(to_migrations(pending?))
}

/// Every migration embedded in this binary for `database`'s kind.
pub fn embedded_migrations(database: &Database) -> Vec<Migration> {
    let migrator = match database {
        Database::Sqlite(_) => &SQLITE_MIGRATIONS,
        Database::Postgres(_) => &POSTGRES_MIGRATIONS,
    };
    migrator
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .map(|m| Migration {
            version: m.version,
            description: m.description.to_string(),
        })
        .collect()
}

/// The versions of the migrations embedded for `pool`'s kind.
fn embedded_migrations_of(pool: &Pool) -> Vec<i64> {
    let migrator = match pool {
        Pool::Sqlite(_) => &SQLITE_MIGRATIONS,
        Pool::Postgres(_) => &POSTGRES_MIGRATIONS,
    };
    migrator
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .map(|m| m.version)
        .collect()
}

fn to_migrations(list: Vec<(i64, String)>) -> Vec<Migration> {
    list.into_iter()
        .map(|(version, description)| Migration {
            version,
            description,
        })
        .collect()
}

async fn close(pool: &Pool) {
    match pool {
        Pool::Sqlite(p) => p.close().await,
        Pool::Postgres(p) => p.close().await,
    }
}

impl Store {
    /// Creates `data_dir` if missing (mode 0700), loads (or creates) the server key there,
    /// connects to `database`, and applies pending migrations: everything `colloquy serve`
    /// needs.
    pub async fn open_in(database: &Database, data_dir: &Path) -> Result<Self, StoreError> {
        keyfile::ensure_data_dir(data_dir)?;
        let key = keyfile::load_or_create(data_dir)?;
        let store = Self::connect(database, key).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(database: &Database, server_key: ServerKey) -> Result<Self, StoreError> {
        let pool = database.connect().await?;
        let sqlite_sync = match database {
            Database::Sqlite(options) if !sqlite_sync::is_in_memory(options.get_filename()) => {
                let path = options.get_filename().to_path_buf();
                let conn =
                    tokio::task::spawn_blocking(move || sqlite_sync::SyncSqlite::open(&path))
                        .await
                        .map_err(|e| StoreError::Blocking(e.to_string()))??;
                Some(Arc::new(conn))
            }
            _ => None,
        };
        Ok(Self {
            pool,
            server_key: Arc::new(server_key),
            database: Arc::new(database.clone()),
            sqlite_writer: Arc::new(tokio::sync::Mutex::new(())),
            sqlite_sync,
            runtime: tokio::runtime::Handle::try_current()
                .map_err(|e| StoreError::Blocking(e.to_string()))?,
        })
    }

    /// The database this store uses.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// Applies pending migrations; returns those it applied.
    pub async fn migrate(&self) -> Result<Vec<Migration>, StoreError> {
        let applied = match &self.pool {
            Pool::Sqlite(p) => db::sqlite::migrate(p, &SQLITE_MIGRATIONS).await?,
            Pool::Postgres(p) => db::postgres::migrate(p, &POSTGRES_MIGRATIONS).await?,
        };
        Ok(to_migrations(applied))
    }

    /// Migrations not yet applied.
    pub async fn pending_migrations(&self) -> Result<Vec<Migration>, StoreError> {
        let pending = match &self.pool {
            Pool::Sqlite(p) => db::sqlite::pending(p, &SQLITE_MIGRATIONS).await?,
            Pool::Postgres(p) => db::postgres::pending(p, &POSTGRES_MIGRATIONS).await?,
        };
        Ok(to_migrations(pending))
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
        close(&self.pool).await;
    }

    /// Held while writing to SQLite (nothing for PostgreSQL, which handles concurrent writers).
    async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.pool {
            Pool::Sqlite(_) => Some(self.sqlite_writer.lock().await),
            Pool::Postgres(_) => None,
        }
    }

    fn wrap_key(
        &self,
        session: &SessionId,
        holder: HolderKind,
        creds: Credentials<'_>,
    ) -> Result<crypto::WrapKey, StoreError> {
        match holder {
            HolderKind::Anonymous => {
                let secret = creds
                    .secret
                    .ok_or_else(|| StoreError::SecretRequired(session.clone()))?;
                Ok(crypto::wrap_key_for_secret(
                    &self.server_key,
                    secret,
                    session,
                ))
            }
            HolderKind::Server => Ok(crypto::wrap_key_for_server(&self.server_key, session)),
            HolderKind::User => {
                let user = creds
                    .user
                    .ok_or_else(|| StoreError::SecretRequired(session.clone()))?;
                Ok(crypto::wrap_key_for_user(
                    &self.server_key,
                    user.key,
                    session,
                ))
            }
        }
    }

    fn owner_wrap_key(&self, session: &SessionId, owner: Owner<'_>) -> crypto::WrapKey {
        match owner {
            Owner::Anonymous(secret) | Owner::Api { secret, .. } => {
                crypto::wrap_key_for_secret(&self.server_key, secret, session)
            }
            Owner::Server { .. } => crypto::wrap_key_for_server(&self.server_key, session),
            Owner::User(u) => crypto::wrap_key_for_user(&self.server_key, u.key, session),
        }
    }

    fn data_key(
        &self,
        session: &SessionId,
        row: &db::SessionRow,
        creds: Credentials<'_>,
    ) -> Result<DataKey, StoreError> {
        let holder = HolderKind::parse(&row.holder)
            .ok_or_else(|| corrupt(session, format!("unknown holder {:?}", row.holder)))?;
        if holder == HolderKind::User && creds.user.map(|u| u.id.get()) != row.user_id {
            return Err(StoreError::Decrypt {
                session: session.clone(),
            });
        }
        let wk = self.wrap_key(session, holder, creds)?;
        crypto::unwrap(&wk, &row.wrapped_key, session, holder).map_err(decrypt_error(session))
    }

    async fn session_row(&self, session: &SessionId) -> Result<db::SessionRow, StoreError> {
        on_pool!(self, load_session(session.as_str()))?
            .ok_or_else(|| StoreError::NotFound(session.clone()))
    }

    /// Creates a session of `interview` whose step 1 is `initial`; returns its new id.
    ///
    /// For an anonymous browser without a `secret` cookie yet, make one with
    /// [`Secret::generate`] and set it as the cookie.
    /// The CSRF token for the browser holding `secret` (base64url, no padding).
    pub fn csrf_token(&self, secret: &Secret) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(crypto::csrf_token(&self.server_key, secret))
    }

    /// Is `token` the CSRF token of the browser holding `secret`? (Constant time.)
    pub fn check_csrf(&self, secret: &Secret, token: &str) -> bool {
        use base64::Engine as _;
        match base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.trim()) {
            Ok(bytes) => crypto::csrf_ok(&self.server_key, secret, &bytes),
            Err(_) => false,
        }
    }

    pub async fn create_session(
        &self,
        interview: &str,
        owner: Owner<'_>,
        initial: &[u8],
    ) -> Result<SessionId, StoreError> {
        let sealed = self.seal_new_session(owner, initial)?;
        let new = sealed.row(interview, owner);
        let _turn = self.write_turn().await;
        on_pool!(self, insert_session(&new))?;
        Ok(sealed.id)
    }

    /// [`Store::create_session`] for a blocking thread (see
    /// [`Store::open_latest_of_blocking`]). Must not be called from async code.
    pub fn create_session_blocking(
        &self,
        interview: &str,
        owner: Owner<'_>,
        initial: &[u8],
    ) -> Result<SessionId, StoreError> {
        let Some(conn) = &self.sqlite_sync else {
            return self
                .runtime
                .block_on(self.create_session(interview, owner, initial));
        };
        let sealed = self.seal_new_session(owner, initial)?;
        let new = sealed.row(interview, owner);
        let _turn = self.sqlite_writer.blocking_lock();
        conn.insert_session(&new)?;
        Ok(sealed.id)
    }

    /// A new session's id, its wrapped data key and its first step, sealed for `owner`.
    fn seal_new_session(
        &self,
        owner: Owner<'_>,
        initial: &[u8],
    ) -> Result<SealedSession, StoreError> {
        let id = SessionId::generate()?;
        let holder = owner.kind();
        let data_key = DataKey::generate().map_err(random_error)?;
        let wrapped = crypto::wrap(&self.owner_wrap_key(&id, owner), &data_key, &id, holder)
            .map_err(random_error)?;
        let first =
            crypto::seal_step(&data_key, &id, StepNumber::FIRST, initial).map_err(random_error)?;
        let tag = owner
            .tag_secret()
            .map(|s| crypto::holder_tag(&self.server_key, s));
        Ok(SealedSession {
            id,
            wrapped,
            first,
            tag,
        })
    }

    /// The newest step, decrypted.
    pub async fn latest_step(
        &self,
        session: &SessionId,
        creds: Credentials<'_>,
    ) -> Result<Step, StoreError> {
        Ok(self.open_latest(session, creds).await?.0)
    }

    /// The newest step, decrypted, and the opened session for writing the next step with
    /// [`Store::append_opened`] (one database read and one key unwrap for the whole request).
    pub async fn open_latest(
        &self,
        session: &SessionId,
        creds: Credentials<'_>,
    ) -> Result<(Step, OpenSession), StoreError> {
        self.open_latest_checked(session, None, creds).await
    }

    /// [`Store::open_latest`] for a session of `interview`: a session of another interview
    /// is [`StoreError::NotFound`] (as docassemble finds no rows for that file), and is not
    /// decrypted.
    pub async fn open_latest_of(
        &self,
        session: &SessionId,
        interview: &str,
        creds: Credentials<'_>,
    ) -> Result<(Step, OpenSession), StoreError> {
        self.open_latest_checked(session, Some(interview), creds)
            .await
    }

    /// The newest step of a session of `interview` (see [`Store::open_latest_of`]).
    pub async fn latest_step_of(
        &self,
        session: &SessionId,
        interview: &str,
        creds: Credentials<'_>,
    ) -> Result<Step, StoreError> {
        Ok(self.open_latest_of(session, interview, creds).await?.0)
    }

    async fn open_latest_checked(
        &self,
        session: &SessionId,
        interview: Option<&str>,
        creds: Credentials<'_>,
    ) -> Result<(Step, OpenSession), StoreError> {
        let found = on_pool!(self, load_latest(session.as_str()))?;
        self.open_found(session, interview, found, creds)
    }

    /// [`Store::open_latest_of`] for a blocking thread (the thread that then runs the engine
    /// and saves its step with [`Store::append_opened_blocking`]): on a SQLite file, read
    /// there without a hand-off to another thread. Must not be called from async code.
    pub fn open_latest_of_blocking(
        &self,
        session: &SessionId,
        interview: &str,
        creds: Credentials<'_>,
    ) -> Result<(Step, OpenSession), StoreError> {
        match &self.sqlite_sync {
            Some(conn) => {
                let found = conn.load_latest(session.as_str())?;
                self.open_found(session, Some(interview), found, creds)
            }
            None => self
                .runtime
                .block_on(self.open_latest_of(session, interview, creds)),
        }
    }

    /// A session's row and newest step as loaded, decrypted for `creds`.
    fn open_found(
        &self,
        session: &SessionId,
        interview: Option<&str>,
        found: Option<(db::SessionRow, db::StepRow)>,
        creds: Credentials<'_>,
    ) -> Result<(Step, OpenSession), StoreError> {
        let (row, step) = found.ok_or_else(|| StoreError::NotFound(session.clone()))?;
        if interview.is_some_and(|i| i != row.interview) {
            return Err(StoreError::NotFound(session.clone()));
        }
        let data_key = self.data_key(session, &row, creds)?;
        let holder = HolderKind::parse(&row.holder)
            .ok_or_else(|| corrupt(session, format!("unknown holder {:?}", row.holder)))?;
        let number = StepNumber::from_db(step.step)?;
        let version = u32::try_from(step.key_version)
            .map_err(|_| corrupt(session, format!("key version {}", step.key_version)))?;
        let state = crypto::open_step(&data_key, session, number, version, &step.ciphertext)
            .map_err(decrypt_error(session))?;
        let open = OpenSession {
            id: session.clone(),
            key: data_key,
            interview: row.interview,
            user_id: row.user_id,
            read: Some((number, step.revision)),
        };
        Ok((
            Step {
                number,
                state,
                holder,
            },
            open,
        ))
    }

    /// Saves a changed state as step `after + 1`, if `after` is still the newest step;
    /// otherwise [`StoreError::Conflict`] (another request saved first) and nothing is written.
    pub async fn append_step(
        &self,
        session: &SessionId,
        after: StepNumber,
        creds: Credentials<'_>,
        state: &[u8],
    ) -> Result<StepNumber, StoreError> {
        let row = self.session_row(session).await?;
        let open = OpenSession {
            id: session.clone(),
            key: self.data_key(session, &row, creds)?,
            interview: row.interview,
            user_id: row.user_id,
            read: None,
        };
        self.append_opened(&open, after, state).await
    }

    /// [`Store::append_step`] for a session this request opened with [`Store::open_latest`]:
    /// the same optimistic write (step `after + 1` only if `after` is still the newest, else
    /// [`StoreError::Conflict`]) without reading the session again.
    pub async fn append_opened(
        &self,
        open: &OpenSession,
        after: StepNumber,
        state: &[u8],
    ) -> Result<StepNumber, StoreError> {
        let (next, ciphertext) = seal_next(open, after, state)?;
        let write = next_step(open, after, &ciphertext);
        let _turn = self.write_turn().await;
        let inserted = match &self.pool {
            Pool::Sqlite(p) => db::sqlite_script::insert_step_after(p, &write).await,
            Pool::Postgres(p) => db::postgres::insert_step_after(p, &write).await,
        };
        inserted_or_conflict(open, after, next, inserted?)
    }

    /// [`Store::append_opened`] for a blocking thread (see [`Store::open_latest_of_blocking`]).
    /// Must not be called from async code.
    pub fn append_opened_blocking(
        &self,
        open: &OpenSession,
        after: StepNumber,
        state: &[u8],
    ) -> Result<StepNumber, StoreError> {
        let Some(conn) = &self.sqlite_sync else {
            return self
                .runtime
                .block_on(self.append_opened(open, after, state));
        };
        let (next, ciphertext) = seal_next(open, after, state)?;
        let write = next_step(open, after, &ciphertext);
        let _turn = self.sqlite_writer.blocking_lock();
        let inserted = conn.insert_step_after(&write)?;
        inserted_or_conflict(open, after, next, inserted)
    }

    /// Replaces the step this request opened (with [`Store::open_latest`]) in place (as
    /// docassemble saves a check-in or a reload), if it is still the newest and unchanged
    /// since it was read; otherwise [`StoreError::Conflict`] and nothing is written.
    pub async fn overwrite_opened(
        &self,
        open: &OpenSession,
        state: &[u8],
    ) -> Result<(), StoreError> {
        let Some((step, revision)) = open.read else {
            return Err(corrupt(&open.id, "no step was read to overwrite"));
        };
        let session = &open.id;
        let ciphertext =
            crypto::seal_step(&open.key, session, step, state).map_err(random_error)?;
        let _turn = self.write_turn().await;
        match on_pool!(
            self,
            overwrite_step(
                session.as_str(),
                step.to_db(),
                revision,
                i64::from(KEY_VERSION),
                &ciphertext,
                now(),
            )
        )? {
            Insert::Done => Ok(()),
            Insert::Conflict => Err(StoreError::Conflict {
                session: session.clone(),
                step,
            }),
        }
    }

    /// The back button: deletes step `from` if it is the newest (else
    /// [`StoreError::Conflict`]) and not the first (else [`StoreError::AtFirstStep`]), and
    /// returns the step now newest, decrypted.
    pub async fn back(
        &self,
        session: &SessionId,
        from: StepNumber,
        creds: Credentials<'_>,
    ) -> Result<Step, StoreError> {
        let row = self.session_row(session).await?;
        // Proves the caller may open the session before anything is deleted.
        self.data_key(session, &row, creds)?;
        if from == StepNumber::FIRST {
            return Err(StoreError::AtFirstStep(session.clone()));
        }
        let _turn = self.write_turn().await;
        if !on_pool!(self, delete_newest(session.as_str(), from.to_db(), now()))? {
            return Err(StoreError::Conflict {
                session: session.clone(),
                step: from,
            });
        }
        self.latest_step(session, creds).await
    }

    /// The sessions of the caller (by the secret's tag), newest first, optionally only those
    /// of one interview. Nothing is decrypted. Without a secret: none (until accounts exist).
    pub async fn list_sessions(
        &self,
        creds: Credentials<'_>,
        interview: Option<&str>,
    ) -> Result<Vec<SessionInfo>, StoreError> {
        let Some(secret) = creds.secret else {
            return Ok(Vec::new());
        };
        let tag = crypto::holder_tag(&self.server_key, secret);
        let rows = on_pool!(self, list_by_tag(&tag, interview))?;
        rows.into_iter().map(list_row_info).collect()
    }

    /// The sessions of signed-in user `user`, newest first, optionally only those of one
    /// interview. Nothing is decrypted.
    pub async fn list_user_sessions(
        &self,
        user: UserId,
        interview: Option<&str>,
    ) -> Result<Vec<SessionInfo>, StoreError> {
        let rows = on_pool!(self, list_by_user(user.get(), interview))?;
        rows.into_iter().map(list_row_info).collect()
    }

    /// Whether `creds` can open the session (its data key unwraps); nothing else is read.
    pub async fn can_open(
        &self,
        session: &SessionId,
        creds: Credentials<'_>,
    ) -> Result<bool, StoreError> {
        let row = match self.session_row(session).await {
            Ok(row) => row,
            Err(StoreError::NotFound(_)) => return Ok(false),
            Err(e) => return Err(e),
        };
        match self.data_key(session, &row, creds) {
            Ok(_) => Ok(true),
            Err(StoreError::Decrypt { .. } | StoreError::SecretRequired(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The holder kind and interview of a session, without decrypting anything.
    pub async fn session_holder(
        &self,
        session: &SessionId,
    ) -> Result<(HolderKind, String), StoreError> {
        let row = self.session_row(session).await?;
        let holder = HolderKind::parse(&row.holder)
            .ok_or_else(|| corrupt(session, format!("unknown holder {:?}", row.holder)))?;
        Ok((holder, row.interview))
    }

    /// Deletes a session and all its steps, if the caller can open it.
    pub async fn delete_session(
        &self,
        session: &SessionId,
        creds: Credentials<'_>,
    ) -> Result<(), StoreError> {
        let row = self.session_row(session).await?;
        self.data_key(session, &row, creds)?;
        let _turn = self.write_turn().await;
        if on_pool!(self, delete_session(session.as_str()))? {
            Ok(())
        } else {
            Err(StoreError::NotFound(session.clone()))
        }
    }

    /// Hands a session to another holder by re-wrapping its data key (no step is
    /// re-encrypted): e.g. to the server when an interview sets `multi_user = True`, or back to
    /// an anonymous secret.
    pub async fn set_owner(
        &self,
        session: &SessionId,
        creds: Credentials<'_>,
        owner: Owner<'_>,
    ) -> Result<(), StoreError> {
        let row = self.session_row(session).await?;
        let data_key = self.data_key(session, &row, creds)?;
        let holder = owner.kind();
        let wrapped = crypto::wrap(
            &self.owner_wrap_key(session, owner),
            &data_key,
            session,
            holder,
        )
        .map_err(random_error)?;
        let tag = owner
            .tag_secret()
            .map(|s| crypto::holder_tag(&self.server_key, s));
        let _turn = self.write_turn().await;
        if on_pool!(
            self,
            update_holder(
                session.as_str(),
                holder.as_str(),
                tag.as_deref(),
                owner.user_id(),
                &wrapped,
                now(),
            )
        )? {
            Ok(())
        } else {
            Err(StoreError::NotFound(session.clone()))
        }
    }

    /// Deletes every session not modified since `before` (docassemble's `interview delete
    /// days`); returns how many.
    pub async fn purge_idle(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let _turn = self.write_turn().await;
        Ok(on_pool!(self, purge_idle(before))?)
    }

    /// How many sessions [`Store::purge_idle`] would delete.
    pub async fn count_idle(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let n = on_pool!(self, count_idle(before))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Every session's id and holder (for maintenance checks), oldest first.
    pub async fn all_sessions(&self) -> Result<Vec<(SessionId, HolderKind)>, StoreError> {
        let rows = on_pool!(self, all_sessions())?;
        rows.into_iter()
            .map(|(id, holder)| {
                let kind = HolderKind::parse(&holder)
                    .ok_or_else(|| corrupt_text(&id, format!("unknown holder {holder:?}")))?;
                let id: SessionId = id.parse().map_err(|_| corrupt_text(&id, "malformed id"))?;
                Ok((id, kind))
            })
            .collect()
    }

    /// Database-level checks: SQLite's integrity and foreign-key checks (nothing for
    /// PostgreSQL, which keeps its own). Returns the problems found.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(p)
                    .await?
                    .into_iter()
                    .filter(|line: &String| line != "ok")
                    .collect();
                let fk = sqlx::query("PRAGMA foreign_key_check").fetch_all(p).await?;
                if !fk.is_empty() {
                    problems.push(format!("{} rows break foreign keys", fk.len()));
                }
                Ok(problems)
            }
            Pool::Postgres(_) => Ok(Vec::new()),
        }
    }

    /// Reclaims space and refreshes the planner's statistics (SQLite `VACUUM` + `ANALYZE`,
    /// PostgreSQL `VACUUM ANALYZE`).
    pub async fn vacuum(&self) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query("VACUUM").execute(p).await?;
                sqlx::query("ANALYZE").execute(p).await?;
            }
            Pool::Postgres(p) => {
                sqlx::query("VACUUM ANALYZE").execute(p).await?;
            }
        }
        Ok(())
    }

    /// Stores an uploaded file in `session` (sealed with the session's data key, bound to the
    /// session and the file's number) and returns its number: 1, 2, … per session.
    pub async fn save_file(
        &self,
        session: &SessionId,
        creds: Credentials<'_>,
        filename: &str,
        mimetype: &str,
        bytes: &[u8],
    ) -> Result<u32, StoreError> {
        let row = self.session_row(session).await?;
        let data_key = self.data_key(session, &row, creds)?;
        let header = serde_json::to_vec(&FileHeader {
            filename: filename.to_string(),
            mimetype: mimetype.to_string(),
        })
        .map_err(|e| corrupt(session, e.to_string()))?;
        let header_len =
            u32::try_from(header.len()).map_err(|_| corrupt(session, "file name too long"))?;
        let mut plain = Zeroizing::new(Vec::with_capacity(4 + header.len() + bytes.len()));
        plain.extend_from_slice(&header_len.to_be_bytes());
        plain.extend_from_slice(&header);
        plain.extend_from_slice(bytes);
        // Racing uploads to one session may pick the same number: the loser takes the next.
        for _ in 0..16 {
            let next = on_pool!(self, next_file_number(session.as_str()))?;
            let number =
                u32::try_from(next).map_err(|_| corrupt(session, format!("file number {next}")))?;
            let ciphertext =
                crypto::seal_file(&data_key, session, number, &plain).map_err(random_error)?;
            let _turn = self.write_turn().await;
            match on_pool!(
                self,
                insert_file(
                    session.as_str(),
                    next,
                    i64::from(KEY_VERSION),
                    &ciphertext,
                    now(),
                )
            )? {
                Insert::Done => return Ok(number),
                Insert::Conflict => continue,
            }
        }
        Err(corrupt(session, "could not allocate a file number"))
    }

    /// Uploaded file `number` of `session`, decrypted, if the caller can open the session.
    pub async fn load_file(
        &self,
        session: &SessionId,
        number: u32,
        creds: Credentials<'_>,
    ) -> Result<StoredFile, StoreError> {
        let row = self.session_row(session).await?;
        let data_key = self.data_key(session, &row, creds)?;
        let (version, ciphertext) = on_pool!(self, load_file(session.as_str(), i64::from(number)))?
            .ok_or_else(|| StoreError::FileNotFound {
                session: session.clone(),
                number,
            })?;
        let version = u32::try_from(version)
            .map_err(|_| corrupt(session, format!("key version {version}")))?;
        let plain = crypto::open_file(&data_key, session, number, version, &ciphertext)
            .map_err(decrypt_error(session))?;
        let bad = || corrupt(session, format!("file {number} is malformed"));
        let len_bytes: [u8; 4] = plain
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        let header_len = usize::try_from(u32::from_be_bytes(len_bytes)).map_err(|_| bad())?;
        let header_end = 4usize.checked_add(header_len).ok_or_else(bad)?;
        let header: FileHeader =
            serde_json::from_slice(plain.get(4..header_end).ok_or_else(bad)?).map_err(|_| bad())?;
        Ok(StoredFile {
            number,
            filename: header.filename,
            mimetype: header.mimetype,
            bytes: plain.get(header_end..).ok_or_else(bad)?.to_vec(),
        })
    }

    /// Raw `(step, ciphertext)` rows, for tests and forensics.
    #[doc(hidden)]
    pub async fn raw_steps(&self, session: &SessionId) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
        Ok(on_pool!(self, raw_steps(session.as_str()))?)
    }

    /// Overwrites a step's stored ciphertext as is, for tests (tampering, swapping).
    #[doc(hidden)]
    pub async fn raw_set_ciphertext(
        &self,
        session: &SessionId,
        step: i64,
        ciphertext: &[u8],
    ) -> Result<(), StoreError> {
        Ok(on_pool!(
            self,
            raw_set_ciphertext(session.as_str(), step, ciphertext)
        )?)
    }
}
