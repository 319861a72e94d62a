//! Portable backups of the whole store: `colloquy backup` and `colloquy restore`.
//!
//! An archive is gzip-compressed JSON Lines: a [`Manifest`] line (format, version, the source
//! database, the migrations it had, every table with its columns and row count, and — unless
//! left out — the server key), then one [`Record::Row`] per row, then a [`Record::End`] line with
//! the total, so a truncated file is detected. Values are typed [`Cell`]s, so an archive taken
//! from SQLite restores into PostgreSQL and back. Nothing is decrypted: the rows hold the same
//! ciphertexts, readable again only with the same server key.
//!
//! Restoring reads table and column names from the file, which is untrusted: only tables and
//! columns that exist in the target database (after its migrations) are written, under quoted
//! identifiers that were checked to be plain names; anything else is a clear error.

mod catalog;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zeroize::Zeroizing;

use super::backend::{Database, Pool};
use super::crypto::ServerKey;
use super::{close, keyfile};

pub use catalog::ColumnKind;

/// The `format` of every archive's manifest.
pub const FORMAT: &str = "colloquy-backup";
/// The archive layout version this binary writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// Why a backup or restore failed.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The database.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Applying the target's migrations before restoring.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Reading or writing the archive file.
    #[error("archive I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The archive is not one this binary wrote or can read.
    #[error("not a Colloquy backup: {0}")]
    Format(String),
    /// The archive was cut short.
    #[error("the backup is incomplete: {0}")]
    Truncated(String),
    /// The archive does not fit the target database.
    #[error("cannot restore: {0}")]
    Mismatch(String),
    /// The target already holds data.
    #[error(
        "the target database is not empty ({0}); restore into an empty database, or pass \
         --replace to delete what it holds first"
    )]
    NotEmpty(String),
    /// A value the archive cannot represent, or a value that does not fit its column.
    #[error("table {table}, column {column}: {detail}")]
    Value {
        table: String,
        column: String,
        detail: String,
    },
}

/// One value, typed so that either backend can read it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(String),
    /// Bytes, as standard base64.
    Bytes(String),
    /// A timestamp with time zone, RFC 3339.
    Time(String),
}

/// A column as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    pub kind: ColumnKind,
}

/// A table as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableInfo {
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    pub rows: u64,
}

/// The first line of an archive.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// When the backup was taken (RFC 3339).
    pub created: String,
    /// The version of Colloquy that wrote it.
    pub colloquy: String,
    /// "sqlite" or "postgres".
    pub source: String,
    /// The migrations applied to the source database.
    pub migrations: Vec<i64>,
    /// Tables in restore order (every table after the tables it refers to).
    pub tables: Vec<TableInfo>,
    /// The server key file's line, unless the backup was taken without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_key: Option<String>,
}

impl std::fmt::Debug for Manifest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Manifest")
            .field("version", &self.version)
            .field("created", &self.created)
            .field("source", &self.source)
            .field("tables", &self.tables)
            .field(
                "server_key",
                &self.server_key.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}

impl Manifest {
    /// The server key in the archive, if any.
    pub fn server_key(&self) -> Result<Option<ServerKey>, ArchiveError> {
        self.server_key
            .as_deref()
            .map(|hex| {
                keyfile::from_hex(hex)
                    .map_err(|why| ArchiveError::Format(format!("the server key is {why}")))
            })
            .transpose()
    }

    /// Rows in all tables.
    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// Every line after the manifest.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Record {
    Row { table: String, values: Vec<Cell> },
    End { rows: u64 },
}

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Each table and its row count, in archive order.
    pub tables: Vec<(String, u64)>,
    /// Whether the server key is in the archive.
    pub with_key: bool,
}

/// Writes every table of `database` to `out` (plain JSON Lines; the caller compresses).
/// `total` is told how many rows there are once they are counted, then `tick` once per row
/// written.
pub async fn backup(
    database: &Database,
    server_key: Option<&ServerKey>,
    out: &mut dyn Write,
    total: &mut dyn FnMut(u64),
    tick: &mut dyn FnMut(u64),
) -> Result<Summary, ArchiveError> {
    let pool = database.connect().await.map_err(store_to_archive)?;
    let result = backup_pool(&pool, server_key, out, total, tick).await;
    close(&pool).await;
    result
}

async fn backup_pool(
    pool: &Pool,
    server_key: Option<&ServerKey>,
    out: &mut dyn Write,
    total: &mut dyn FnMut(u64),
    tick: &mut dyn FnMut(u64),
) -> Result<Summary, ArchiveError> {
    let names = catalog::restore_order(pool).await?;
    let mut tables = Vec::with_capacity(names.len());
    let mut columns_of = Vec::with_capacity(names.len());
    for name in &names {
        let columns = catalog::columns(pool, name).await?;
        let rows = catalog::count(pool, name).await?;
        tables.push(TableInfo {
            name: name.clone(),
            columns: columns
                .iter()
                .map(|c| ColumnInfo {
                    name: c.name.clone(),
                    kind: c.kind,
                })
                .collect(),
            rows,
        });
        columns_of.push(columns);
    }
    let key_line = server_key.map(keyfile::to_hex);
    let manifest = Manifest {
        format: FORMAT.to_string(),
        version: FORMAT_VERSION,
        created: OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default(),
        colloquy: env!("CARGO_PKG_VERSION").to_string(),
        source: pool_kind(pool).to_string(),
        migrations: catalog::applied_migrations(pool).await?,
        tables,
        server_key: key_line.as_ref().map(|k| k.trim_end().to_string()),
    };
    total(manifest.total_rows());
    write_line(out, &manifest)?;
    let mut written_total = 0u64;
    let mut summary = Vec::with_capacity(manifest.tables.len());
    for (table, columns) in manifest.tables.iter().zip(&columns_of) {
        let mut written = 0u64;
        catalog::for_each_row(pool, &table.name, columns, &mut |values| {
            write_line(
                out,
                &Record::Row {
                    table: table.name.clone(),
                    values,
                },
            )?;
            written += 1;
            tick(1);
            Ok(())
        })
        .await?;
        written_total += written;
        summary.push((table.name.clone(), written));
    }
    write_line(
        out,
        &Record::End {
            rows: written_total,
        },
    )?;
    out.flush()?;
    Ok(Summary {
        tables: summary,
        with_key: server_key.is_some(),
    })
}

fn write_line<T: Serialize>(out: &mut dyn Write, value: &T) -> Result<(), ArchiveError> {
    let line =
        Zeroizing::new(serde_json::to_vec(value).map_err(|e| ArchiveError::Format(e.to_string()))?);
    out.write_all(&line)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// An archive being read: its manifest, then its rows.
pub struct Reader<R> {
    manifest: Manifest,
    lines: std::io::Lines<R>,
    line_number: u64,
}

impl<R: BufRead> Reader<R> {
    /// Reads and checks the manifest line.
    pub fn open(input: R) -> Result<Self, ArchiveError> {
        let mut lines = input.lines();
        let first = match lines.next() {
            Some(line) => Zeroizing::new(line.map_err(|e| not_an_archive(&e))?),
            None => return Err(ArchiveError::Format("the file is empty".into())),
        };
        let manifest: Manifest = serde_json::from_str(&first)
            .map_err(|e| ArchiveError::Format(format!("line 1: {e}")))?;
        if manifest.format != FORMAT {
            return Err(ArchiveError::Format(format!(
                "format {:?}, expected {FORMAT:?}",
                manifest.format
            )));
        }
        if manifest.version != FORMAT_VERSION {
            return Err(ArchiveError::Format(format!(
                "archive version {} (this Colloquy reads version {FORMAT_VERSION})",
                manifest.version
            )));
        }
        let mut seen = BTreeSet::new();
        for t in &manifest.tables {
            catalog::check_identifier(&t.name)?;
            if !seen.insert(t.name.as_str()) {
                return Err(ArchiveError::Format(format!(
                    "table {} is listed twice",
                    t.name
                )));
            }
            let mut cols = BTreeSet::new();
            for c in &t.columns {
                catalog::check_identifier(&c.name)?;
                if !cols.insert(c.name.as_str()) {
                    return Err(ArchiveError::Format(format!(
                        "column {}.{} is listed twice",
                        t.name, c.name
                    )));
                }
            }
        }
        manifest.server_key()?;
        Ok(Self {
            manifest,
            lines,
            line_number: 1,
        })
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    fn next_record(&mut self) -> Result<Record, ArchiveError> {
        let Some(line) = self.lines.next() else {
            return Err(ArchiveError::Truncated(format!(
                "it ends after line {} without its end record",
                self.line_number
            )));
        };
        self.line_number += 1;
        let line = line.map_err(|e| ArchiveError::Truncated(e.to_string()))?;
        serde_json::from_str(&line)
            .map_err(|e| ArchiveError::Format(format!("line {}: {e}", self.line_number)))
    }
}

fn not_an_archive(e: &std::io::Error) -> ArchiveError {
    ArchiveError::Format(format!(
        "cannot read it as gzip-compressed JSON lines ({e})"
    ))
}

/// What a restore wrote.
#[derive(Debug, Clone)]
pub struct Restored {
    pub tables: Vec<(String, u64)>,
}

/// Applies the target's migrations, checks that the archive fits, then writes every row in one
/// transaction: on any error nothing is written. With `replace`, the target's rows are deleted
/// first (in the same transaction); otherwise the target must be empty.
pub async fn restore<R: BufRead>(
    database: &Database,
    reader: &mut Reader<R>,
    replace: bool,
    tick: &mut dyn FnMut(u64),
) -> Result<Restored, ArchiveError> {
    let pool = database.connect().await.map_err(store_to_archive)?;
    let result = restore_pool(&pool, reader, replace, tick).await;
    close(&pool).await;
    result
}

async fn restore_pool<R: BufRead>(
    pool: &Pool,
    reader: &mut Reader<R>,
    replace: bool,
    tick: &mut dyn FnMut(u64),
) -> Result<Restored, ArchiveError> {
    match pool {
        Pool::Sqlite(p) => {
            super::db::sqlite::migrate(p, &super::backend::SQLITE_MIGRATIONS).await?;
        }
        Pool::Postgres(p) => {
            super::db::postgres::migrate(p, &super::backend::POSTGRES_MIGRATIONS).await?;
        }
    }
    let known: BTreeSet<i64> = super::embedded_migrations_of(pool).into_iter().collect();
    let newer: Vec<i64> = reader
        .manifest
        .migrations
        .iter()
        .copied()
        .filter(|v| !known.contains(v))
        .collect();
    if !newer.is_empty() {
        return Err(ArchiveError::Mismatch(format!(
            "the backup was taken by a newer Colloquy (migrations {newer:?} are unknown here); \
             restore it with that version or later"
        )));
    }
    // Every archived table and column must exist in the target.
    let order = catalog::restore_order(pool).await?;
    let mut targets = BTreeMap::new();
    for name in &order {
        targets.insert(name.clone(), catalog::columns(pool, name).await?);
    }
    let mut plans = BTreeMap::new();
    for table in &reader.manifest.tables {
        let Some(columns) = targets.get(&table.name) else {
            return Err(ArchiveError::Mismatch(format!(
                "the backup has a table {} that this database does not have",
                table.name
            )));
        };
        let mut plan = Vec::with_capacity(table.columns.len());
        for c in &table.columns {
            let Some(target) = columns.iter().find(|t| t.name == c.name) else {
                return Err(ArchiveError::Mismatch(format!(
                    "the backup has a column {}.{} that this database does not have",
                    table.name, c.name
                )));
            };
            plan.push(target.clone());
        }
        plans.insert(table.name.clone(), plan);
    }
    let mut written: BTreeMap<String, u64> = BTreeMap::new();
    let mut tx = catalog::Transaction::begin(pool).await?;
    let mut present = Vec::new();
    for name in &order {
        let n = tx.count(name).await?;
        if n > 0 {
            present.push(format!("{name}: {n} rows"));
        }
    }
    if !present.is_empty() {
        if !replace {
            return Err(ArchiveError::NotEmpty(present.join(", ")));
        }
        for name in order.iter().rev() {
            tx.delete_all(name).await?;
        }
    }
    let mut total = 0u64;
    loop {
        match reader.next_record()? {
            Record::Row { table, values } => {
                let Some(plan) = plans.get(&table) else {
                    return Err(ArchiveError::Format(format!(
                        "line {}: a row for table {table}, which the manifest does not list",
                        reader.line_number
                    )));
                };
                if values.len() != plan.len() {
                    return Err(ArchiveError::Format(format!(
                        "line {}: {} values for the {} columns of {table}",
                        reader.line_number,
                        values.len(),
                        plan.len()
                    )));
                }
                tx.insert(&table, plan, values).await?;
                *written.entry(table).or_default() += 1;
                total += 1;
                tick(1);
            }
            Record::End { rows } => {
                if rows != total {
                    return Err(ArchiveError::Truncated(format!(
                        "its end record counts {rows} rows but it holds {total}"
                    )));
                }
                break;
            }
        }
    }
    for table in &reader.manifest.tables {
        let got = written.get(&table.name).copied().unwrap_or(0);
        if got != table.rows {
            return Err(ArchiveError::Truncated(format!(
                "table {} should have {} rows, the backup holds {got}",
                table.name, table.rows
            )));
        }
    }
    tx.finish(&order).await?;
    Ok(Restored {
        tables: reader
            .manifest
            .tables
            .iter()
            .map(|t| (t.name.clone(), t.rows))
            .collect(),
    })
}

fn pool_kind(pool: &Pool) -> &'static str {
    match pool {
        Pool::Sqlite(_) => "sqlite",
        Pool::Postgres(_) => "postgres",
    }
}

fn store_to_archive(e: super::StoreError) -> ArchiveError {
    match e {
        super::StoreError::Database(e) => ArchiveError::Database(e),
        other => ArchiveError::Mismatch(other.to_string()),
    }
}

fn encode_bytes(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn decode_bytes(text: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("bad base64 ({e})"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cells_round_trip_as_json() {
        let cells = vec![
            Cell::Null,
            Cell::Int(-3),
            Cell::Real(1.5),
            Cell::Bool(true),
            Cell::Text("a\nb".into()),
            Cell::Bytes(encode_bytes(&[0, 255])),
            Cell::Time("2026-12-01T11:00:00Z".into()),
        ];
        let json = serde_json::to_string(&cells).unwrap();
        assert_eq!(
            json,
            r#"["null",{"int":-3},{"real":1.5},{"bool":true},{"text":"a\nb"},{"bytes":"AP8="},{"time":"2026-12-01T11:00:00Z"}]"#
        );
        let back: Vec<Cell> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cells);
    }

    #[test]
    fn a_reader_refuses_what_is_not_an_archive() {
        for (input, wanted) in [
            ("", "empty"),
            ("{}", "line 1"),
            ("not json", "line 1"),
            (
                r#"{"format":"other","version":1,"created":"","colloquy":"","source":"sqlite","migrations":[],"tables":[]}"#,
                "format",
            ),
            (
                r#"{"format":"colloquy-backup","version":9,"created":"","colloquy":"","source":"sqlite","migrations":[],"tables":[]}"#,
                "version 9",
            ),
            (
                r#"{"format":"colloquy-backup","version":1,"created":"","colloquy":"","source":"sqlite","migrations":[],"tables":[{"name":"x; DROP TABLE sessions","columns":[],"rows":0}]}"#,
                "not a plain name",
            ),
            (
                r#"{"format":"colloquy-backup","version":1,"created":"","colloquy":"","source":"sqlite","migrations":[],"tables":[],"server_key":"abc"}"#,
                "server key",
            ),
        ] {
            let err = Reader::open(input.as_bytes()).err().unwrap().to_string();
            assert!(err.contains(wanted), "{input}: {err}");
        }
    }

    #[test]
    fn a_missing_end_record_is_truncation() {
        let input = r#"{"format":"colloquy-backup","version":1,"created":"","colloquy":"","source":"sqlite","migrations":[],"tables":[]}"#;
        let mut r = Reader::open(input.as_bytes()).unwrap();
        let err = r.next_record().unwrap_err();
        assert!(matches!(err, ArchiveError::Truncated(_)), "{err}");
    }
}
