//! The database side of backups: which tables and columns there are, reading rows as typed
//! [`Cell`]s, and writing them back, for SQLite and PostgreSQL.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::TryStreamExt as _;
use serde::{Deserialize, Serialize};
use sqlx::{Row as _, TypeInfo as _, ValueRef as _};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{ArchiveError, Cell, decode_bytes, encode_bytes};
use crate::store::backend::Pool;

/// What a column holds, as far as a backup cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Int,
    Real,
    Bool,
    Text,
    Bytes,
    Time,
    /// Anything else (kept as its text form).
    Other,
}

/// A column of a table in the database at hand.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub name: String,
    pub kind: ColumnKind,
    /// The SQL type as the database names it (used in PostgreSQL casts).
    pub sql_type: String,
    /// Filled from a sequence (PostgreSQL serial/identity), to be advanced after a restore.
    pub serial: bool,
}

/// Names read from the database or an archive are used as quoted identifiers only when they
/// are plain lower-case names.
pub(super) fn check_identifier(name: &str) -> Result<(), ArchiveError> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    if ok {
        Ok(())
    } else {
        Err(ArchiveError::Format(format!(
            "{name:?} is not a plain name (lower-case letters, digits and _)"
        )))
    }
}

fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

/// The store's tables (not the migration bookkeeping).
pub(super) async fn tables(pool: &Pool) -> Result<Vec<String>, ArchiveError> {
    let names: Vec<String> = match pool {
        Pool::Sqlite(p) => {
            sqlx::query_scalar(
                "SELECT name FROM sqlite_schema WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
            )
            .fetch_all(p)
            .await?
        }
        Pool::Postgres(p) => {
            sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> '_sqlx_migrations' ORDER BY table_name",
            )
            .fetch_all(p)
            .await?
        }
    };
    for n in &names {
        check_identifier(n)?;
    }
    Ok(names)
}

/// The tables each table refers to by foreign key.
async fn references(pool: &Pool, table: &str) -> Result<Vec<String>, ArchiveError> {
    Ok(match pool {
        Pool::Sqlite(p) => {
            sqlx::query_scalar("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)")
                .bind(table)
                .fetch_all(p)
                .await?
        }
        Pool::Postgres(p) => {
            sqlx::query_scalar(
                "SELECT DISTINCT ccu.table_name::text \
                 FROM information_schema.table_constraints tc \
                 JOIN information_schema.constraint_column_usage ccu \
                   ON tc.constraint_name = ccu.constraint_name \
                  AND tc.constraint_schema = ccu.constraint_schema \
                 WHERE tc.constraint_type = 'FOREIGN KEY' \
                   AND tc.table_schema = current_schema() AND tc.table_name = $1",
            )
            .bind(table)
            .fetch_all(p)
            .await?
        }
    })
}

/// Every table after the tables it refers to (so inserts in this order satisfy foreign keys
/// and deletes in the reverse order do too).
pub(super) async fn restore_order(pool: &Pool) -> Result<Vec<String>, ArchiveError> {
    let names = tables(pool).await?;
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for n in &names {
        let refs = references(pool, n).await?;
        deps.insert(
            n.clone(),
            refs.into_iter()
                .filter(|r| r != n && names.contains(r))
                .collect(),
        );
    }
    let mut order = Vec::with_capacity(names.len());
    let mut placed = BTreeSet::new();
    while order.len() < names.len() {
        let ready: Vec<String> = deps
            .iter()
            .filter(|(n, d)| !placed.contains(*n) && d.iter().all(|x| placed.contains(x)))
            .map(|(n, _)| n.clone())
            .collect();
        if ready.is_empty() {
            return Err(ArchiveError::Mismatch(
                "the tables' foreign keys form a cycle".into(),
            ));
        }
        for n in ready {
            placed.insert(n.clone());
            order.push(n);
        }
    }
    Ok(order)
}

/// A table's columns in order.
pub(super) async fn columns(pool: &Pool, table: &str) -> Result<Vec<Column>, ArchiveError> {
    let columns = match pool {
        Pool::Sqlite(p) => {
            let rows = sqlx::query("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(p)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let name: String = r.try_get("name")?;
                let sql_type: String = r.try_get("type")?;
                let kind = match sql_type.to_ascii_uppercase().as_str() {
                    "INTEGER" | "INT" => ColumnKind::Int,
                    "REAL" => ColumnKind::Real,
                    "TEXT" => ColumnKind::Text,
                    "BLOB" => ColumnKind::Bytes,
                    _ => ColumnKind::Other,
                };
                out.push(Column {
                    name,
                    kind,
                    sql_type,
                    serial: false,
                });
            }
            out
        }
        Pool::Postgres(p) => {
            let rows = sqlx::query(
                "SELECT column_name::text AS name, data_type::text AS type, \
                 COALESCE(column_default LIKE 'nextval(%' OR is_identity = 'YES', false) AS serial \
                 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 \
                 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(p)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let name: String = r.try_get("name")?;
                let sql_type: String = r.try_get("type")?;
                let serial: bool = r.try_get("serial")?;
                let kind = match sql_type.as_str() {
                    "bigint" | "integer" | "smallint" => ColumnKind::Int,
                    "real" | "double precision" | "numeric" => ColumnKind::Real,
                    "boolean" => ColumnKind::Bool,
                    "text" | "character varying" | "character" => ColumnKind::Text,
                    "bytea" => ColumnKind::Bytes,
                    "timestamp with time zone" => ColumnKind::Time,
                    _ => ColumnKind::Other,
                };
                out.push(Column {
                    name,
                    kind,
                    sql_type,
                    serial,
                });
            }
            out
        }
    };
    for c in &columns {
        check_identifier(&c.name)?;
    }
    Ok(columns)
}

/// Rows in a table.
pub(super) async fn count(pool: &Pool, table: &str) -> Result<u64, ArchiveError> {
    let sql = format!("SELECT COUNT(*) FROM {}", quoted(table));
    let n: i64 = match pool {
        Pool::Sqlite(p) => sqlx::query_scalar(&sql).fetch_one(p).await?,
        Pool::Postgres(p) => sqlx::query_scalar(&sql).fetch_one(p).await?,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The migrations applied to the database.
pub(super) async fn applied_migrations(pool: &Pool) -> Result<Vec<i64>, ArchiveError> {
    let sql = "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
    Ok(match pool {
        Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await?,
        Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await?,
    })
}

fn value_error(table: &str, column: &str, detail: impl Into<String>) -> ArchiveError {
    ArchiveError::Value {
        table: table.to_string(),
        column: column.to_string(),
        detail: detail.into(),
    }
}

/// Streams every row of `table` (in primary-key order where there is one) to `f`.
pub(super) async fn for_each_row(
    pool: &Pool,
    table: &str,
    columns: &[Column],
    f: &mut dyn FnMut(Vec<Cell>) -> Result<(), ArchiveError>,
) -> Result<(), ArchiveError> {
    match pool {
        Pool::Sqlite(p) => {
            let list: Vec<String> = columns.iter().map(|c| quoted(&c.name)).collect();
            let sql = format!("SELECT {} FROM {}", list.join(", "), quoted(table));
            let mut rows = sqlx::query(&sql).fetch(p);
            while let Some(row) = rows.try_next().await? {
                let mut cells = Vec::with_capacity(columns.len());
                for (i, c) in columns.iter().enumerate() {
                    let raw = row.try_get_raw(i)?;
                    let cell = if raw.is_null() {
                        Cell::Null
                    } else {
                        let class = raw.type_info().name().to_string();
                        match class.as_str() {
                            "INTEGER" => Cell::Int(row.try_get(i)?),
                            "REAL" => Cell::Real(row.try_get(i)?),
                            "TEXT" => Cell::Text(row.try_get(i)?),
                            "BLOB" => Cell::Bytes(encode_bytes(&row.try_get::<Vec<u8>, _>(i)?)),
                            other => {
                                return Err(value_error(
                                    table,
                                    &c.name,
                                    format!("cannot back up a {other} value"),
                                ));
                            }
                        }
                    };
                    cells.push(cell);
                }
                f(cells)?;
            }
        }
        Pool::Postgres(p) => {
            let list: Vec<String> = columns
                .iter()
                .map(|c| match c.kind {
                    ColumnKind::Int => format!("CAST({} AS BIGINT)", quoted(&c.name)),
                    ColumnKind::Real => format!("CAST({} AS DOUBLE PRECISION)", quoted(&c.name)),
                    ColumnKind::Other => format!("CAST({} AS TEXT)", quoted(&c.name)),
                    _ => quoted(&c.name),
                })
                .collect();
            let sql = format!("SELECT {} FROM {}", list.join(", "), quoted(table));
            let mut rows = sqlx::query(&sql).fetch(p);
            while let Some(row) = rows.try_next().await? {
                let mut cells = Vec::with_capacity(columns.len());
                for (i, c) in columns.iter().enumerate() {
                    let cell = match c.kind {
                        ColumnKind::Int => row.try_get::<Option<i64>, _>(i)?.map(Cell::Int),
                        ColumnKind::Real => row.try_get::<Option<f64>, _>(i)?.map(Cell::Real),
                        ColumnKind::Bool => row.try_get::<Option<bool>, _>(i)?.map(Cell::Bool),
                        ColumnKind::Text | ColumnKind::Other => {
                            row.try_get::<Option<String>, _>(i)?.map(Cell::Text)
                        }
                        ColumnKind::Bytes => row
                            .try_get::<Option<Vec<u8>>, _>(i)?
                            .map(|b| Cell::Bytes(encode_bytes(&b))),
                        ColumnKind::Time => match row.try_get::<Option<OffsetDateTime>, _>(i)? {
                            Some(t) => Some(Cell::Time(
                                t.format(&Rfc3339)
                                    .map_err(|e| value_error(table, &c.name, e.to_string()))?,
                            )),
                            None => None,
                        },
                    };
                    cells.push(cell.unwrap_or(Cell::Null));
                }
                f(cells)?;
            }
        }
    }
    Ok(())
}

/// A value ready to bind.
enum Bind {
    Null,
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(String),
    Bytes(Vec<u8>),
    Time(OffsetDateTime),
}

fn parse_time(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| format!("{s:?} is not an RFC 3339 time ({e})"))
}

/// Converts an archived cell for a column of the target database.
fn to_bind(cell: Cell, target: &Column, sqlite: bool) -> Result<Bind, String> {
    use ColumnKind as K;
    let wrong = |cell: &Cell| format!("a {cell:?} value does not fit a {} column", target.sql_type);
    Ok(match (target.kind, cell) {
        (_, Cell::Null) => Bind::Null,
        (K::Int, Cell::Int(i)) => Bind::Int(i),
        (K::Int, Cell::Bool(b)) => Bind::Int(i64::from(b)),
        (K::Real, Cell::Real(f)) => Bind::Real(f),
        #[allow(clippy::cast_precision_loss)]
        (K::Real, Cell::Int(i)) => Bind::Real(i as f64),
        (K::Bool, Cell::Bool(b)) => Bind::Bool(b),
        (K::Bool, Cell::Int(i)) => Bind::Bool(i != 0),
        (K::Text, Cell::Text(s)) => Bind::Text(s),
        // SQLite keeps times as text in the format sqlx writes; let sqlx write it.
        (K::Text, Cell::Time(s)) if sqlite => Bind::Time(parse_time(&s)?),
        (K::Text, Cell::Time(s)) => Bind::Text(s),
        (K::Bytes, Cell::Bytes(b)) => Bind::Bytes(decode_bytes(&b)?),
        (K::Time, Cell::Time(s)) => Bind::Time(parse_time(&s)?),
        // A time kept as text by SQLite: PostgreSQL's cast parses it.
        (K::Time, Cell::Text(s)) => Bind::Text(s),
        (K::Other, Cell::Int(i)) if sqlite => Bind::Int(i),
        (K::Other, Cell::Real(f)) if sqlite => Bind::Real(f),
        (K::Other, Cell::Bytes(b)) if sqlite => Bind::Bytes(decode_bytes(&b)?),
        (K::Other, Cell::Text(s) | Cell::Time(s)) => Bind::Text(s),
        (K::Other, Cell::Int(i)) => Bind::Text(i.to_string()),
        (K::Other, Cell::Real(f)) => Bind::Text(f.to_string()),
        (K::Other, Cell::Bool(b)) => Bind::Text(b.to_string()),
        (_, cell) => return Err(wrong(&cell)),
    })
}

/// Binds every value to a query (of either backend: the same code for both types).
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut q = $query;
        for b in $binds {
            q = match b {
                Bind::Null => q.bind(None::<String>),
                Bind::Int(i) => q.bind(i),
                Bind::Real(f) => q.bind(f),
                Bind::Bool(v) => q.bind(v),
                Bind::Text(s) => q.bind(s),
                Bind::Bytes(v) => q.bind(v),
                Bind::Time(t) => q.bind(t),
            };
        }
        q
    }};
}

/// The restore's one transaction.
pub(super) enum Transaction {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(
        sqlx::Transaction<'static, sqlx::Postgres>,
        BTreeMap<String, Vec<Column>>,
    ),
}

impl Transaction {
    pub(super) async fn begin(pool: &Pool) -> Result<Self, ArchiveError> {
        Ok(match pool {
            Pool::Sqlite(p) => Transaction::Sqlite(p.begin().await?),
            Pool::Postgres(p) => Transaction::Postgres(p.begin().await?, BTreeMap::new()),
        })
    }

    pub(super) async fn count(&mut self, table: &str) -> Result<u64, ArchiveError> {
        let sql = format!("SELECT COUNT(*) FROM {}", quoted(table));
        let n: i64 = match self {
            Transaction::Sqlite(tx) => sqlx::query_scalar(&sql).fetch_one(&mut **tx).await?,
            Transaction::Postgres(tx, _) => sqlx::query_scalar(&sql).fetch_one(&mut **tx).await?,
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub(super) async fn delete_all(&mut self, table: &str) -> Result<(), ArchiveError> {
        let sql = format!("DELETE FROM {}", quoted(table));
        match self {
            Transaction::Sqlite(tx) => {
                sqlx::query(&sql).execute(&mut **tx).await?;
            }
            Transaction::Postgres(tx, _) => {
                sqlx::query(&sql).execute(&mut **tx).await?;
            }
        }
        Ok(())
    }

    /// Inserts one row; `plan` is the target's column for each archived value.
    pub(super) async fn insert(
        &mut self,
        table: &str,
        plan: &[Column],
        values: Vec<Cell>,
    ) -> Result<(), ArchiveError> {
        let sqlite = matches!(self, Transaction::Sqlite(_));
        let mut binds = Vec::with_capacity(values.len());
        for (cell, column) in values.into_iter().zip(plan) {
            binds.push(
                to_bind(cell, column, sqlite).map_err(|d| value_error(table, &column.name, d))?,
            );
        }
        let names: Vec<String> = plan.iter().map(|c| quoted(&c.name)).collect();
        match self {
            Transaction::Sqlite(tx) => {
                let marks: Vec<String> = (1..=plan.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    quoted(table),
                    names.join(", "),
                    marks.join(", ")
                );
                let q = bind_all!(sqlx::query(&sql), binds);
                q.execute(&mut **tx).await?;
            }
            Transaction::Postgres(tx, seen) => {
                let marks: Vec<String> = plan
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("CAST(${} AS {})", i + 1, pg_type(&c.sql_type)))
                    .collect();
                let sql = format!(
                    "INSERT INTO {} ({}) OVERRIDING SYSTEM VALUE VALUES ({})",
                    quoted(table),
                    names.join(", "),
                    marks.join(", ")
                );
                let q = bind_all!(sqlx::query(&sql), binds);
                q.execute(&mut **tx).await?;
                seen.entry(table.to_string())
                    .or_insert_with(|| plan.to_vec());
            }
        }
        Ok(())
    }

    /// Advances PostgreSQL sequences past the restored ids, then commits.
    pub(super) async fn finish(self, _order: &[String]) -> Result<(), ArchiveError> {
        match self {
            Transaction::Sqlite(tx) => tx.commit().await?,
            Transaction::Postgres(mut tx, seen) => {
                for (table, columns) in &seen {
                    for c in columns.iter().filter(|c| c.serial) {
                        let sql = format!(
                            "SELECT setval(pg_get_serial_sequence($1, $2), \
                             COALESCE((SELECT MAX({col}) FROM {tab}), 0) + 1, false)",
                            col = quoted(&c.name),
                            tab = quoted(table)
                        );
                        sqlx::query(&sql)
                            .bind(quoted(table))
                            .bind(&c.name)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

/// A PostgreSQL type name from information_schema, safe to put in a cast (it came from the
/// target database's own catalog, never from the archive).
fn pg_type(name: &str) -> &str {
    if name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'_')
    {
        name
    } else {
        "text"
    }
}
