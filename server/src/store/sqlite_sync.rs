//! The SQLite half of answering a step, run synchronously on the thread that runs the engine.
//!
//! sqlx runs each SQLite connection on a worker thread of its own and hands it every statement
//! over a channel, so a step (read the newest step, run the engine on the blocking pool, write
//! the next step) cost several thread hand-offs, and under load those wake-ups cost more than
//! the SQL itself (over a third of the server's CPU was on sqlx's SQLite worker threads). This
//! is one rusqlite connection to the same file, used under a mutex by the blocking thread that
//! answers the request: it reads the newest step and writes the next without a hand-off, and
//! since it is the only connection this path uses, another connection's write does not discard
//! its page cache at every read. Everything else still goes through the sqlx pool; writers of
//! both take the store's one writer turn, so they queue instead of polling SQLite's lock.
//!
//! The SQL is [`super::db`]'s own (`SESSION_AND_NEWEST_STEP`, `insert_next_step!`,
//! `INSERT_SESSION`, `INSERT_FIRST_STEP`).

use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension as _, TransactionBehavior};

use super::db::{
    INSERT_FIRST_STEP, INSERT_SESSION, Insert, NewSession, NextStep, SESSION_AND_NEWEST_STEP,
    SessionRow, StepRow, insert_next_step,
};

/// The statements of this module kept prepared (two, with room for changes).
const PREPARED_STATEMENTS: usize = 8;

/// One connection, for the step hot path.
pub(super) struct SyncSqlite {
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for SyncSqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncSqlite").finish_non_exhaustive()
    }
}

/// Is `path` (as sqlx was given it) an in-memory database, which a second connection cannot
/// share?
pub(super) fn is_in_memory(path: &Path) -> bool {
    let text = path.to_string_lossy();
    text.is_empty() || text == ":memory:" || text.starts_with("file:")
}

impl SyncSqlite {
    /// Opens the existing database file `path` (the sqlx pool created it and set WAL mode,
    /// which the file keeps) with the pool's settings.
    pub(super) fn open(path: &Path) -> Result<Self, rusqlite::Error> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.set_prepared_statement_cache_capacity(PREPARED_STATEMENTS);
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// The connection. A thread that panicked while holding it left no transaction open (a
    /// transaction rolls back when dropped), so a poisoned lock is still usable.
    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The session and its newest step, in one query.
    pub(super) fn load_latest(
        &self,
        id: &str,
    ) -> Result<Option<(SessionRow, StepRow)>, rusqlite::Error> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(SESSION_AND_NEWEST_STEP)?;
        stmt.query_row([id], |r| {
            Ok((
                SessionRow {
                    interview: r.get(0)?,
                    holder: r.get(1)?,
                    user_id: r.get(2)?,
                    wrapped_key: r.get(3)?,
                },
                StepRow {
                    step: r.get(4)?,
                    revision: r.get(5)?,
                    key_version: r.get(6)?,
                    ciphertext: r.get(7)?,
                },
            ))
        })
        .optional()
    }

    /// Creates a session and its first step, in one transaction (`db::insert_session`'s SQL).
    /// The caller holds the store's writer turn.
    pub(super) fn insert_session(&self, new: &NewSession<'_>) -> Result<(), rusqlite::Error> {
        let now = rfc3339(new.now)?;
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.prepare_cached(INSERT_SESSION)?
            .execute(rusqlite::params![
                new.id,
                new.interview,
                new.holder,
                new.holder_tag,
                new.user_id,
                new.wrapped_key,
                new.key_version,
                now,
            ])?;
        tx.prepare_cached(INSERT_FIRST_STEP)?
            .execute(rusqlite::params![
                new.id,
                new.interview,
                new.user_id,
                new.key_version,
                new.first_step,
                now,
            ])?;
        tx.commit()
    }

    /// Inserts `next` (only while the step it builds on is the newest, at the revision read)
    /// and touches the session's `modified`, in one transaction. The caller holds the store's
    /// writer turn.
    pub(super) fn insert_step_after(&self, next: &NextStep<'_>) -> Result<Insert, rusqlite::Error> {
        let now = rfc3339(next.now)?;
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let inserted = tx
            .prepare_cached(insert_next_step!())?
            .execute(rusqlite::params![
                next.id,
                next.after,
                next.interview,
                next.user_id,
                next.key_version,
                next.ciphertext,
                now,
                next.revision,
            ]);
        match inserted {
            Ok(1) => {}
            // Not the newest step any more (the transaction rolls back when dropped).
            Ok(_) => return Ok(Insert::Conflict),
            Err(e) if is_unique_violation(&e) => return Ok(Insert::Conflict),
            Err(e) => return Err(e),
        }
        tx.prepare_cached("UPDATE sessions SET modified = ?2 WHERE id = ?1")?
            .execute(rusqlite::params![next.id, now])?;
        tx.commit()?;
        Ok(Insert::Done)
    }
}

/// `t` as sqlx writes times (RFC 3339 text), for the listing to read them.
fn rfc3339(t: time::OffsetDateTime) -> Result<String, rusqlite::Error> {
    t.format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == ErrorCode::ConstraintViolation
                && matches!(
                    f.extended_code,
                    rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                        | rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(dir: &Path) -> SyncSqlite {
        let path = dir.join("t.db");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE sessions (id TEXT PRIMARY KEY, interview TEXT NOT NULL,
               holder TEXT NOT NULL, user_id INTEGER, wrapped_key BLOB NOT NULL,
               modified TEXT NOT NULL);
             CREATE TABLE steps (session_id TEXT NOT NULL REFERENCES sessions(id),
               step INTEGER NOT NULL, interview TEXT NOT NULL, user_id INTEGER,
               key_version INTEGER NOT NULL, ciphertext BLOB NOT NULL, created TEXT NOT NULL,
               modified TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 0,
               PRIMARY KEY (session_id, step));
             INSERT INTO sessions VALUES ('s', 'i.yml', 'anonymous', NULL, x'01', 't0');
             INSERT INTO steps VALUES ('s', 1, 'i.yml', NULL, 1, x'aa', 't0', 't0', 0);",
        )
        .unwrap();
        SyncSqlite::open(&path).unwrap()
    }

    #[test]
    fn a_step_goes_in_only_after_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let db = database(dir.path());
        let (session, step) = db.load_latest("s").unwrap().unwrap();
        assert_eq!(session.interview, "i.yml");
        assert_eq!((step.step, step.ciphertext.as_slice()), (1, &[0xaa][..]));

        let now = time::OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let insert = |after, revision, bytes: &[u8]| {
            db.insert_step_after(&NextStep {
                id: "s",
                after,
                revision,
                interview: "i.yml",
                user_id: None,
                key_version: 1,
                ciphertext: bytes,
                now,
            })
            .unwrap()
        };
        // Step 1 changed since it was read (revision 0 -> 1): building on it loses.
        db.conn()
            .execute("UPDATE steps SET revision = 1 WHERE step = 1", [])
            .unwrap();
        assert_eq!(insert(1, Some(0), &[0xbb]), Insert::Conflict);
        assert_eq!(insert(1, Some(1), &[0xbb]), Insert::Done);
        // A writer that read step 1 too lost the race: nothing of it is written.
        assert_eq!(insert(1, Some(1), &[0xcc]), Insert::Conflict);
        assert_eq!(insert(1, None, &[0xcc]), Insert::Conflict);
        assert_eq!(insert(5, None, &[0xcc]), Insert::Conflict);
        let (_, step) = db.load_latest("s").unwrap().unwrap();
        assert_eq!((step.step, step.ciphertext.as_slice()), (2, &[0xbb][..]));
        let modified: String = db
            .conn()
            .query_row("SELECT modified FROM sessions WHERE id = 's'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(modified, "2027-01-15T08:00:00Z");
    }

    #[test]
    fn an_unknown_session_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let db = database(dir.path());
        assert!(db.load_latest("nope").unwrap().is_none());
    }

    #[test]
    fn in_memory_databases_are_recognised() {
        assert!(is_in_memory(Path::new(":memory:")));
        assert!(is_in_memory(Path::new("file:sqlx-in-memory-3")));
        assert!(!is_in_memory(Path::new("/data/colloquy.db")));
    }
}
