//! Choosing and connecting to a database: SQLite (default, a file in the data directory) or
//! PostgreSQL (by URL), each with its embedded migrations.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::error::StoreError;

/// The database file's name inside the data directory when no URL is configured.
pub const DEFAULT_SQLITE_FILE: &str = "colloquy.db";

pub(super) static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
pub(super) static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database the store talks to.
#[derive(Clone)]
pub enum Database {
    /// A SQLite file (created if missing).
    Sqlite(SqliteConnectOptions),
    /// A PostgreSQL server.
    Postgres(PgConnectOptions),
}

impl Database {
    /// The configured URL if any (`sqlite:PATH`, `sqlite://PATH`, `postgres://…`,
    /// `postgresql://…`), else `DATA/colloquy.db`.
    pub fn resolve(url: Option<&str>, data_dir: &Path) -> Result<Self, StoreError> {
        match url {
            Some(url) => Self::parse(url),
            None => Ok(Self::sqlite_file(data_dir.join(DEFAULT_SQLITE_FILE))),
        }
    }

    /// A SQLite database in `path`.
    pub fn sqlite_file(path: PathBuf) -> Self {
        Database::Sqlite(SqliteConnectOptions::new().filename(path))
    }

    /// Parses a database URL.
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        let bad = || StoreError::DatabaseUrl(redact(url));
        if url.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url)
                .map(Database::Sqlite)
                .map_err(|_| bad())
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            PgConnectOptions::from_str(url)
                .map(Database::Postgres)
                .map_err(|_| bad())
        } else {
            Err(bad())
        }
    }

    /// "sqlite" or "postgres".
    pub fn kind(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres(_) => "postgres",
        }
    }

    /// A description for logs, without any password.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(o) => format!("sqlite:{}", o.get_filename().display()),
            Database::Postgres(o) => format!(
                "postgres://{}@{}:{}/{}",
                o.get_username(),
                o.get_host(),
                o.get_port(),
                o.get_database().unwrap_or("")
            ),
        }
    }

    pub(super) async fn connect(&self) -> Result<Pool, StoreError> {
        match self {
            Database::Sqlite(options) => {
                if let Some(dir) = options.get_filename().parent()
                    && !dir.as_os_str().is_empty()
                {
                    // The pool reports a missing directory as an opaque I/O error.
                    if !dir.is_dir() {
                        return Err(StoreError::Database(sqlx::Error::Io(std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            format!("the directory {} does not exist", dir.display()),
                        ))));
                    }
                }
                let options = options
                    .clone()
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                // A local file needs no liveness ping before each use: with sqlx's default
                // every acquire cost one more round trip to the connection's worker thread.
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await?;
                Ok(Pool::Sqlite(pool))
            }
            Database::Postgres(options) => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options.clone())
                    .await?;
                Ok(Pool::Postgres(pool))
            }
        }
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Database({})", self.describe())
    }
}

/// Strips a password from a URL for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// A connection pool of either kind.
#[derive(Debug, Clone)]
pub(super) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(Database::parse("sqlite:x.db").unwrap().kind(), "sqlite");
        assert_eq!(Database::parse("sqlite://x.db").unwrap().kind(), "sqlite");
        let pg = Database::parse("postgres://u:pw@h:5433/db").unwrap();
        assert_eq!(pg.kind(), "postgres");
        assert!(!pg.describe().contains("pw"));
        assert_eq!(pg.describe(), "postgres://u@h:5433/db");
        let err = Database::parse("mysql://u:hunter2@h/db").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        let d = Database::resolve(None, Path::new("/tmp/d")).unwrap();
        assert_eq!(d.describe(), "sqlite:/tmp/d/colloquy.db");
    }
}
