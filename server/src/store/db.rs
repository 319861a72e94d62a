//! The SQL, written once and compiled for each backend.
//!
//! `backend!` expands the same functions for SQLite and PostgreSQL (the SQL is portable: `$N`
//! placeholders work in both), so both databases run exactly the same code paths. Everything
//! here is plain data in, plain data out; encryption and policy live in [`super::Store`].

use time::OffsetDateTime;

/// A `sessions` row, minus the id.
#[derive(Debug, Clone)]
pub(super) struct SessionRow {
    pub interview: String,
    pub holder: String,
    pub user_id: Option<i64>,
    pub wrapped_key: Vec<u8>,
}

/// The part of a `steps` row needed to decrypt it.
#[derive(Debug, Clone)]
pub(super) struct StepRow {
    pub step: i64,
    /// How many times the step was overwritten in place (a check-in, a reload).
    pub revision: i64,
    pub key_version: i64,
    pub ciphertext: Vec<u8>,
}

/// The next step after `after`, as `insert_step_after` writes it: only while `after` is the
/// newest step and, when `revision` is given, still at the revision the writer read.
pub(super) struct NextStep<'a> {
    pub id: &'a str,
    pub after: i64,
    pub revision: Option<i64>,
    pub interview: &'a str,
    pub user_id: Option<i64>,
    pub key_version: i64,
    pub ciphertext: &'a [u8],
    pub now: OffsetDateTime,
}

/// The SQL `insert_step_after` runs on every backend and connection: step `$2 + 1` of session
/// `$1` from `$3`… (interview, user, key version, ciphertext, time), only while step `$2` is
/// the newest and, when `$8` is not `NULL`, at revision `$8`. The `$N` first appear in order,
/// so a driver binding by position (rusqlite: SQLite numbers `$N` by first use) binds them
/// right too. A macro, for scripts that `concat!` it.
macro_rules! insert_next_step {
    () => {
        "INSERT INTO steps \
         (session_id, step, interview, user_id, key_version, ciphertext, created, modified) \
         SELECT $1, $2 + 1, $3, $4, $5, $6, $7, $7 \
         WHERE (SELECT MAX(step) FROM steps WHERE session_id = $1) = $2 \
         AND ($8 IS NULL OR (SELECT revision FROM steps WHERE session_id = $1 AND step = $2) = $8)"
    };
}
pub(super) use insert_next_step;

/// The session `$1` and its newest step, in one query (every backend and connection).
pub(super) const SESSION_AND_NEWEST_STEP: &str = "SELECT s.interview, s.holder, s.user_id, s.wrapped_key, t.step, t.revision, \
     t.key_version, t.ciphertext \
     FROM sessions s JOIN steps t ON t.session_id = s.id \
     WHERE s.id = $1 ORDER BY t.step DESC LIMIT 1";

/// A new session's row: id, interview, holder, holder tag, user, wrapped key, key version,
/// time (`$N` in order of first use, as for [`insert_next_step`]).
pub(super) const INSERT_SESSION: &str = "INSERT INTO sessions \
     (id, interview, holder, holder_tag, user_id, wrapped_key, key_version, created, modified) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)";

/// A new session's first step: session, interview, user, key version, ciphertext, time.
pub(super) const INSERT_FIRST_STEP: &str = "INSERT INTO steps \
     (session_id, step, interview, user_id, key_version, ciphertext, created, modified) \
     VALUES ($1, 1, $2, $3, $4, $5, $6, $6)";

/// One line of a session listing.
#[derive(Debug, Clone)]
pub(super) struct ListRow {
    pub id: String,
    pub interview: String,
    pub holder: String,
    pub created: OffsetDateTime,
    pub modified: OffsetDateTime,
    pub steps: Option<i64>,
}

/// Everything `insert_session` writes.
pub(super) struct NewSession<'a> {
    pub id: &'a str,
    pub interview: &'a str,
    pub holder: &'a str,
    pub holder_tag: Option<&'a [u8]>,
    pub user_id: Option<i64>,
    pub wrapped_key: &'a [u8],
    pub key_version: i64,
    pub first_step: &'a [u8],
    pub now: OffsetDateTime,
}

/// What an optimistic step insert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Insert {
    Done,
    /// The expected newest step was not the newest (or the new step already exists).
    Conflict,
}

/// True for unique and primary-key violations, on either backend.
pub(super) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

macro_rules! backend {
    ($module:ident, $db:ty, $lock_step:literal) => {
        pub(super) mod $module {
            use sqlx::Row as _;
            use time::OffsetDateTime;

            use super::{
                Insert, ListRow, NewSession, NextStep, SessionRow, StepRow, is_unique_violation,
            };

            type Pool = sqlx::Pool<$db>;
            type DbRow = <$db as sqlx::Database>::Row;

            fn session_row(r: &DbRow) -> Result<SessionRow, sqlx::Error> {
                Ok(SessionRow {
                    interview: r.try_get("interview")?,
                    holder: r.try_get("holder")?,
                    user_id: r.try_get("user_id")?,
                    wrapped_key: r.try_get("wrapped_key")?,
                })
            }

            /// Locks step `step` of session `id` for the transaction, where the backend has
            /// row locks (see the invocations below).
            async fn lock_step(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: &str,
                step: i64,
            ) -> Result<(), sqlx::Error> {
                if !$lock_step.is_empty() {
                    sqlx::query(concat!(
                        "SELECT step FROM steps WHERE session_id = $1 AND step = $2",
                        $lock_step
                    ))
                    .bind(id)
                    .bind(step)
                    .fetch_optional(&mut **tx)
                    .await?;
                }
                Ok(())
            }

            /// Newly applied migration versions and descriptions.
            pub(crate) async fn migrate(
                pool: &Pool,
                migrator: &sqlx::migrate::Migrator,
            ) -> Result<Vec<(i64, String)>, sqlx::migrate::MigrateError> {
                use sqlx::migrate::Migrate as _;
                let applied: Vec<i64> = {
                    let mut conn = pool.acquire().await?;
                    conn.ensure_migrations_table().await?;
                    conn.list_applied_migrations()
                        .await?
                        .into_iter()
                        .map(|m| m.version)
                        .collect()
                };
                migrator.run(pool).await?;
                Ok(migrator
                    .iter()
                    .filter(|m| m.migration_type.is_up_migration())
                    .filter(|m| !applied.contains(&m.version))
                    .map(|m| (m.version, m.description.to_string()))
                    .collect())
            }

            /// Pending migration versions and descriptions, without applying them.
            pub(crate) async fn pending(
                pool: &Pool,
                migrator: &sqlx::migrate::Migrator,
            ) -> Result<Vec<(i64, String)>, sqlx::migrate::MigrateError> {
                use sqlx::migrate::Migrate as _;
                let mut conn = pool.acquire().await?;
                conn.ensure_migrations_table().await?;
                let applied: Vec<i64> = conn
                    .list_applied_migrations()
                    .await?
                    .into_iter()
                    .map(|m| m.version)
                    .collect();
                Ok(migrator
                    .iter()
                    .filter(|m| m.migration_type.is_up_migration())
                    .filter(|m| !applied.contains(&m.version))
                    .map(|m| (m.version, m.description.to_string()))
                    .collect())
            }

            /// Creates the session and its first step in one transaction.
            pub(crate) async fn insert_session(
                pool: &Pool,
                new: &NewSession<'_>,
            ) -> Result<(), sqlx::Error> {
                let mut tx = pool.begin().await?;
                sqlx::query(super::INSERT_SESSION)
                    .bind(new.id)
                    .bind(new.interview)
                    .bind(new.holder)
                    .bind(new.holder_tag)
                    .bind(new.user_id)
                    .bind(new.wrapped_key)
                    .bind(new.key_version)
                    .bind(new.now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(super::INSERT_FIRST_STEP)
                    .bind(new.id)
                    .bind(new.interview)
                    .bind(new.user_id)
                    .bind(new.key_version)
                    .bind(new.first_step)
                    .bind(new.now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await
            }

            pub(crate) async fn load_session(
                pool: &Pool,
                id: &str,
            ) -> Result<Option<SessionRow>, sqlx::Error> {
                let row = sqlx::query(
                    "SELECT interview, holder, user_id, wrapped_key \
                     FROM sessions WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(pool)
                .await?;
                row.as_ref().map(session_row).transpose()
            }

            /// The session and its newest step, in one query.
            pub(crate) async fn load_latest(
                pool: &Pool,
                id: &str,
            ) -> Result<Option<(SessionRow, StepRow)>, sqlx::Error> {
                let row = sqlx::query(super::SESSION_AND_NEWEST_STEP)
                .bind(id)
                .fetch_optional(pool)
                .await?;
                let Some(r) = row else { return Ok(None) };
                let step = StepRow {
                    step: r.try_get("step")?,
                    revision: r.try_get("revision")?,
                    key_version: r.try_get("key_version")?,
                    ciphertext: r.try_get("ciphertext")?,
                };
                Ok(Some((session_row(&r)?, step)))
            }

            /// Inserts step `after + 1` only if `after` is the newest step now.
            // SQLite runs the same transaction as one script (`sqlite_script`).
            #[allow(clippy::too_many_arguments, dead_code)]
            pub(crate) async fn insert_step_after(
                pool: &Pool,
                next: &NextStep<'_>,
            ) -> Result<Insert, sqlx::Error> {
                let mut tx = pool.begin().await?;
                lock_step(&mut tx, next.id, next.after).await?;
                // A write first, so SQLite takes the write lock before reading anything.
                let inserted = sqlx::query(super::insert_next_step!())
                .bind(next.id)
                .bind(next.after)
                .bind(next.interview)
                .bind(next.user_id)
                .bind(next.key_version)
                .bind(next.ciphertext)
                .bind(next.now)
                .bind(next.revision)
                .execute(&mut *tx)
                .await;
                match inserted {
                    Ok(done) if done.rows_affected() == 1 => {}
                    Ok(_) => return Ok(Insert::Conflict),
                    Err(e) if is_unique_violation(&e) => return Ok(Insert::Conflict),
                    Err(e) => return Err(e),
                }
                sqlx::query("UPDATE sessions SET modified = $2 WHERE id = $1")
                    .bind(next.id)
                    .bind(next.now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Insert::Done)
            }

            /// Replaces step `step` only if it is the newest step now.
            pub(crate) async fn overwrite_step(
                pool: &Pool,
                id: &str,
                step: i64,
                revision: i64,
                key_version: i64,
                ciphertext: &[u8],
                now: OffsetDateTime,
            ) -> Result<Insert, sqlx::Error> {
                let mut tx = pool.begin().await?;
                lock_step(&mut tx, id, step).await?;
                let done = sqlx::query(
                    "UPDATE steps SET ciphertext = $3, key_version = $4, modified = $5, \
                     revision = revision + 1 \
                     WHERE session_id = $1 AND step = $2 AND revision = $6 \
                     AND NOT EXISTS \
                     (SELECT 1 FROM steps later WHERE later.session_id = $1 AND later.step > $2)",
                )
                .bind(id)
                .bind(step)
                .bind(ciphertext)
                .bind(key_version)
                .bind(now)
                .bind(revision)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Ok(Insert::Conflict);
                }
                sqlx::query("UPDATE sessions SET modified = $2 WHERE id = $1")
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Insert::Done)
            }

            /// Deletes step `step` if it is the newest and not the first; true if it did.
            pub(crate) async fn delete_newest(
                pool: &Pool,
                id: &str,
                step: i64,
                now: OffsetDateTime,
            ) -> Result<bool, sqlx::Error> {
                let mut tx = pool.begin().await?;
                let done = sqlx::query(
                    "DELETE FROM steps WHERE session_id = $1 AND step = $2 AND step > 1 \
                     AND NOT EXISTS \
                     (SELECT 1 FROM steps later WHERE later.session_id = $1 AND later.step > $2)",
                )
                .bind(id)
                .bind(step)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Ok(false);
                }
                sqlx::query("UPDATE sessions SET modified = $2 WHERE id = $1")
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(true)
            }

            /// Sessions carrying `tag`, newest first, optionally for one interview.
            pub(crate) async fn list_by_tag(
                pool: &Pool,
                tag: &[u8],
                interview: Option<&str>,
            ) -> Result<Vec<ListRow>, sqlx::Error> {
                let rows = sqlx::query(
                    "SELECT s.id, s.interview, s.holder, s.created, s.modified, \
                            (SELECT MAX(t.step) FROM steps t WHERE t.session_id = s.id) AS steps \
                     FROM sessions s \
                     WHERE s.holder_tag = $1 AND ($2 IS NULL OR s.interview = $2) \
                     ORDER BY s.modified DESC, s.id",
                )
                .bind(tag)
                .bind(interview)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(ListRow {
                            id: r.try_get("id")?,
                            interview: r.try_get("interview")?,
                            holder: r.try_get("holder")?,
                            created: r.try_get("created")?,
                            modified: r.try_get("modified")?,
                            steps: r.try_get("steps")?,
                        })
                    })
                    .collect()
            }

            /// Sessions of signed-in user `user_id`, newest first, optionally for one interview.
            pub(crate) async fn list_by_user(
                pool: &Pool,
                user_id: i64,
                interview: Option<&str>,
            ) -> Result<Vec<ListRow>, sqlx::Error> {
                let rows = sqlx::query(
                    "SELECT s.id, s.interview, s.holder, s.created, s.modified, \
                            (SELECT MAX(t.step) FROM steps t WHERE t.session_id = s.id) AS steps \
                     FROM sessions s \
                     WHERE s.user_id = $1 AND ($2 IS NULL OR s.interview = $2) \
                     ORDER BY s.modified DESC, s.id",
                )
                .bind(user_id)
                .bind(interview)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        Ok(ListRow {
                            id: r.try_get("id")?,
                            interview: r.try_get("interview")?,
                            holder: r.try_get("holder")?,
                            created: r.try_get("created")?,
                            modified: r.try_get("modified")?,
                            steps: r.try_get("steps")?,
                        })
                    })
                    .collect()
            }

            /// Deletes a session and its steps; true if it existed.
            pub(crate) async fn delete_session(pool: &Pool, id: &str) -> Result<bool, sqlx::Error> {
                let mut tx = pool.begin().await?;
                sqlx::query("DELETE FROM files WHERE session_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM steps WHERE session_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let done = sqlx::query("DELETE FROM sessions WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            /// Re-wraps a session's data key for another holder.
            pub(crate) async fn update_holder(
                pool: &Pool,
                id: &str,
                holder: &str,
                holder_tag: Option<&[u8]>,
                user_id: Option<i64>,
                wrapped_key: &[u8],
                now: OffsetDateTime,
            ) -> Result<bool, sqlx::Error> {
                let done = sqlx::query(
                    "UPDATE sessions SET holder = $2, holder_tag = $3, wrapped_key = $4, \
                     modified = $5, user_id = COALESCE($6, user_id) WHERE id = $1",
                )
                .bind(id)
                .bind(holder)
                .bind(holder_tag)
                .bind(wrapped_key)
                .bind(now)
                .bind(user_id)
                .execute(pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            /// How many sessions were not modified since `before`.
            pub(crate) async fn count_idle(
                pool: &Pool,
                before: OffsetDateTime,
            ) -> Result<i64, sqlx::Error> {
                sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE modified < $1")
                    .bind(before)
                    .fetch_one(pool)
                    .await
            }

            /// Every session's id and holder, oldest first.
            pub(crate) async fn all_sessions(
                pool: &Pool,
            ) -> Result<Vec<(String, String)>, sqlx::Error> {
                let rows = sqlx::query("SELECT id, holder FROM sessions ORDER BY created, id")
                    .fetch_all(pool)
                    .await?;
                rows.iter()
                    .map(|r| Ok((r.try_get("id")?, r.try_get("holder")?)))
                    .collect()
            }

            /// Deletes sessions not modified since `before`; returns how many.
            pub(crate) async fn purge_idle(
                pool: &Pool,
                before: OffsetDateTime,
            ) -> Result<u64, sqlx::Error> {
                let mut tx = pool.begin().await?;
                sqlx::query(
                    "DELETE FROM files WHERE session_id IN \
                     (SELECT id FROM sessions WHERE modified < $1)",
                )
                .bind(before)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "DELETE FROM steps WHERE session_id IN \
                     (SELECT id FROM sessions WHERE modified < $1)",
                )
                .bind(before)
                .execute(&mut *tx)
                .await?;
                let done = sqlx::query("DELETE FROM sessions WHERE modified < $1")
                    .bind(before)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(done.rows_affected())
            }

            /// Stores file `number` of a session; `Conflict` if that number is taken.
            pub(crate) async fn insert_file(
                pool: &Pool,
                id: &str,
                number: i64,
                key_version: i64,
                ciphertext: &[u8],
                now: OffsetDateTime,
            ) -> Result<Insert, sqlx::Error> {
                let done = sqlx::query(
                    "INSERT INTO files (session_id, number, key_version, ciphertext, created) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(number)
                .bind(key_version)
                .bind(ciphertext)
                .bind(now)
                .execute(pool)
                .await;
                match done {
                    Ok(_) => Ok(Insert::Done),
                    Err(e) if is_unique_violation(&e) => Ok(Insert::Conflict),
                    Err(e) => Err(e),
                }
            }

            /// The next free file number of a session.
            pub(crate) async fn next_file_number(pool: &Pool, id: &str) -> Result<i64, sqlx::Error> {
                let row = sqlx::query(
                    "SELECT COALESCE(MAX(number), 0) + 1 AS next FROM files WHERE session_id = $1",
                )
                .bind(id)
                .fetch_one(pool)
                .await?;
                row.try_get("next")
            }

            /// `(key_version, ciphertext)` of file `number` of a session.
            pub(crate) async fn load_file(
                pool: &Pool,
                id: &str,
                number: i64,
            ) -> Result<Option<(i64, Vec<u8>)>, sqlx::Error> {
                let row = sqlx::query(
                    "SELECT key_version, ciphertext FROM files WHERE session_id = $1 AND number = $2",
                )
                .bind(id)
                .bind(number)
                .fetch_optional(pool)
                .await?;
                row.map(|r| Ok((r.try_get("key_version")?, r.try_get("ciphertext")?)))
                    .transpose()
            }

            /// Raw access for tests and maintenance: (step, ciphertext) of every step.
            pub(crate) async fn raw_steps(
                pool: &Pool,
                id: &str,
            ) -> Result<Vec<(i64, Vec<u8>)>, sqlx::Error> {
                let rows = sqlx::query(
                    "SELECT step, ciphertext FROM steps WHERE session_id = $1 ORDER BY step",
                )
                .bind(id)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| Ok((r.try_get("step")?, r.try_get("ciphertext")?)))
                    .collect()
            }

            /// Raw access for tests and maintenance: overwrites a step's ciphertext as is.
            pub(crate) async fn raw_set_ciphertext(
                pool: &Pool,
                id: &str,
                step: i64,
                ciphertext: &[u8],
            ) -> Result<(), sqlx::Error> {
                sqlx::query("UPDATE steps SET ciphertext = $3 WHERE session_id = $1 AND step = $2")
                    .bind(id)
                    .bind(step)
                    .bind(ciphertext)
                    .execute(pool)
                    .await?;
                Ok(())
            }
        }
    };
}

// A write that builds on a step first locks that step's row where the database has row locks
// (PostgreSQL: `FOR UPDATE`), so that an answer appending the next step and a check-in saving
// over the step take turns: under READ COMMITTED each would otherwise check the other's row
// on its own snapshot, and both could go in (the check-in's change lost). SQLite has one
// writer at a time (and the store's writer turn) and needs no lock.
backend!(sqlite, sqlx::Sqlite, "");
backend!(postgres, sqlx::Postgres, " FOR UPDATE");

/// SQLite's hot writes, each sent to the connection's worker thread as one script
/// (`BEGIN IMMEDIATE; …; COMMIT`): one round trip instead of one per statement (sqlx runs each
/// SQLite connection on its own thread, and the hand-offs cost more than the SQL). Still one
/// transaction. Each script runs in its own task, so a cancelled request cannot stop it
/// between statements, and the connection of a failed script is closed (SQLite then rolls back
/// its transaction) rather than returned to the pool.
pub(super) mod sqlite_script {
    use sqlx::pool::PoolConnection;
    use sqlx::{Connection as _, SqlitePool};

    use super::{Insert, NextStep, is_unique_violation};

    /// Closes the connection of a failed script instead of returning it to the pool: SQLite
    /// rolls back whatever transaction the script left open, and the pool opens a fresh one.
    async fn discard(conn: PoolConnection<sqlx::Sqlite>) {
        let _ = conn.detach().close().await;
    }

    /// Runs `work` in its own task (see the module documentation).
    async fn detached<T: Send + 'static>(
        work: impl Future<Output = Result<T, sqlx::Error>> + Send + 'static,
    ) -> Result<T, sqlx::Error> {
        tokio::spawn(work)
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("the SQLite write task failed: {e}")))?
    }

    /// Inserts step `after + 1` only if `after` is the newest step now, and touches the
    /// session's `modified`, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn insert_step_after(
        pool: &SqlitePool,
        next: &NextStep<'_>,
    ) -> Result<Insert, sqlx::Error> {
        let pool = pool.clone();
        let (id, interview, ciphertext) = (
            next.id.to_owned(),
            next.interview.to_owned(),
            next.ciphertext.to_vec(),
        );
        let (after, revision, user_id, key_version, now) = (
            next.after,
            next.revision,
            next.user_id,
            next.key_version,
            next.now,
        );
        detached(async move {
            let mut conn = pool.acquire().await?;
            // `changes()` in the UPDATE is the INSERT's row count: the session is touched only
            // when the step went in; the RETURNING row says whether it did.
            let rows = sqlx::query(concat!(
                "BEGIN IMMEDIATE; ",
                super::insert_next_step!(),
                " RETURNING step; \
                 UPDATE sessions SET modified = $7 WHERE id = $1 AND changes() = 1; \
                 COMMIT;",
            ))
            .bind(&id)
            .bind(after)
            .bind(&interview)
            .bind(user_id)
            .bind(key_version)
            .bind(&ciphertext)
            .bind(now)
            .bind(revision)
            .fetch_all(&mut *conn)
            .await;
            match rows {
                Ok(rows) if rows.len() == 1 => Ok(Insert::Done),
                Ok(_) => Ok(Insert::Conflict),
                Err(e) => {
                    discard(conn).await;
                    if is_unique_violation(&e) {
                        Ok(Insert::Conflict)
                    } else {
                        Err(e)
                    }
                }
            }
        })
        .await
    }
}
