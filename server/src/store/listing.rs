//! Every session, for the administrators' listing (`/api/interviews`, docassemble's
//! `user_interviews()`): filtered by interview, session, owner, a page at a time, newest
//! first. Nothing is decrypted; deleting needs no key (an administrator may delete what they
//! cannot read, as in docassemble).

use time::OffsetDateTime;

use super::backend::Pool;
use super::{HolderKind, SessionId, SessionInfo, StepNumber, Store, StoreError, UserId};

/// Which sessions to list.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    /// Only sessions of this interview.
    pub interview: Option<String>,
    /// Only this session.
    pub session: Option<SessionId>,
    /// Only sessions of this user.
    pub user: Option<UserId>,
    /// Only sessions older (by creation, then id) than this position: the page after it.
    pub after: Option<Cursor>,
}

/// A position in the listing (creation time and id of the last session of a page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub created: OffsetDateTime,
    pub id: String,
}

/// A listed session with its owner.
#[derive(Debug, Clone)]
pub struct ListedSession {
    pub info: SessionInfo,
    pub user_id: Option<UserId>,
    pub email: Option<String>,
}

pub(super) struct Row {
    pub id: String,
    pub interview: String,
    pub holder: String,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub created: OffsetDateTime,
    pub modified: OffsetDateTime,
    pub steps: Option<i64>,
}

macro_rules! listing_backend {
    ($module:ident, $db:ty) => {
        pub(super) mod $module {
            use sqlx::Row as _;

            use super::{Row, SessionFilter};

            type Pool = sqlx::Pool<$db>;

            pub(crate) async fn list(
                pool: &Pool,
                f: &SessionFilter,
                limit: i64,
            ) -> Result<Vec<Row>, sqlx::Error> {
                let mut sql = String::from(
                    "SELECT s.id, s.interview, s.holder, s.user_id, s.created, s.modified, \
                     u.email, \
                     (SELECT MAX(t.step) FROM steps t WHERE t.session_id = s.id) AS steps \
                     FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE 1 = 1",
                );
                let mut n = 0;
                let mut next = || {
                    n += 1;
                    format!("${n}")
                };
                if f.interview.is_some() {
                    sql.push_str(&format!(" AND s.interview = {}", next()));
                }
                if f.session.is_some() {
                    sql.push_str(&format!(" AND s.id = {}", next()));
                }
                if f.user.is_some() {
                    sql.push_str(&format!(" AND s.user_id = {}", next()));
                }
                if f.after.is_some() {
                    let (a, b, c) = (next(), next(), next());
                    sql.push_str(&format!(
                        " AND (s.created < {a} OR (s.created = {b} AND s.id < {c}))"
                    ));
                }
                sql.push_str(&format!(
                    " ORDER BY s.created DESC, s.id DESC LIMIT {}",
                    next()
                ));
                let mut q = sqlx::query(&sql);
                if let Some(i) = &f.interview {
                    q = q.bind(i.as_str());
                }
                if let Some(s) = &f.session {
                    q = q.bind(s.as_str());
                }
                if let Some(u) = f.user {
                    q = q.bind(u.get());
                }
                if let Some(c) = &f.after {
                    q = q.bind(c.created).bind(c.created).bind(c.id.as_str());
                }
                let rows = q.bind(limit).fetch_all(pool).await?;
                rows.iter()
                    .map(|r| {
                        Ok(Row {
                            id: r.try_get("id")?,
                            interview: r.try_get("interview")?,
                            holder: r.try_get("holder")?,
                            user_id: r.try_get("user_id")?,
                            email: r.try_get("email")?,
                            created: r.try_get("created")?,
                            modified: r.try_get("modified")?,
                            steps: r.try_get("steps")?,
                        })
                    })
                    .collect()
            }
        }
    };
}

listing_backend!(sqlite, sqlx::Sqlite);
listing_backend!(postgres, sqlx::Postgres);

fn listed(r: Row) -> Result<ListedSession, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt {
        session: r.id.clone(),
        detail,
    };
    let id: SessionId =
        r.id.parse()
            .map_err(|_| corrupt("malformed session id".into()))?;
    let holder = HolderKind::parse(&r.holder)
        .ok_or_else(|| corrupt(format!("unknown holder {:?}", r.holder)))?;
    let steps = StepNumber::from_db(r.steps.unwrap_or(0))?;
    Ok(ListedSession {
        info: SessionInfo {
            id,
            interview: r.interview,
            holder,
            steps,
            created: r.created,
            modified: r.modified,
        },
        user_id: r.user_id.map(UserId::new),
        email: r.email,
    })
}

impl Store {
    /// Up to `limit` sessions matching `filter`, newest first (by creation), and the cursor
    /// of the next page when there may be more.
    pub async fn list_all_sessions(
        &self,
        filter: &SessionFilter,
        limit: usize,
    ) -> Result<(Vec<ListedSession>, Option<Cursor>), StoreError> {
        let fetch = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
        let mut rows = match &self.pool {
            Pool::Sqlite(p) => sqlite::list(p, filter, fetch).await?,
            Pool::Postgres(p) => postgres::list(p, filter, fetch).await?,
        };
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = if more {
            rows.last().map(|r| Cursor {
                created: r.created,
                id: r.id.clone(),
            })
        } else {
            None
        };
        let items = rows.into_iter().map(listed).collect::<Result<_, _>>()?;
        Ok((items, next))
    }

    /// Deletes a session, its steps and files without opening it (administrators); whether
    /// it existed.
    pub async fn delete_session_unopened(&self, session: &SessionId) -> Result<bool, StoreError> {
        let _turn = self.write_turn().await;
        Ok(match &self.pool {
            Pool::Sqlite(p) => super::db::sqlite::delete_session(p, session.as_str()).await?,
            Pool::Postgres(p) => super::db::postgres::delete_session(p, session.as_str()).await?,
        })
    }
}
