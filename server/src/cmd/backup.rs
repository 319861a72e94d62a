//! `colloquy backup`: the whole store (and the server key) in one portable, compressed file.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use flate2::Compression;
use flate2::write::GzEncoder;

use super::store_args::{StoreArgs, rows_bar, runtime};
use crate::store::archive;
use crate::store::keyfile;

/// Options of `colloquy backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The backup file to write (gzip-compressed JSON lines, created with mode 0600).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Leave the server key out (then keep DATA/server.key safe separately: the sessions cannot
    /// be read without it).
    #[arg(long)]
    pub without_key: bool,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Writes the backup to a private temporary file beside FILE, then renames it into place.
pub fn run(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let (config, database) = args.store.load()?;
    if args.output.exists() && !args.force {
        bail!(
            "{} exists; pass --force to replace it",
            args.output.display()
        );
    }
    let key = if args.without_key {
        None
    } else {
        let path = config.data.join(keyfile::SERVER_KEY_FILE);
        Some(keyfile::load(&path).with_context(|| {
            format!(
                "cannot read the server key {} (pass --without-key to back up without it)",
                path.display()
            )
        })?)
    };
    let rt = runtime()?;
    let target = database.describe();
    let tmp = temporary_beside(&args.output);
    let file = create_private(&tmp)?;
    let bar = rows_bar(0, "backing up");
    let result = (|| -> anyhow::Result<archive::Summary> {
        let mut out = GzEncoder::new(BufWriter::new(file), Compression::default());
        let summary = rt
            .block_on(archive::backup(
                &database,
                key.as_ref(),
                &mut out,
                &mut |total| bar.set_length(total),
                &mut |n| bar.inc(n),
            ))
            .with_context(|| format!("backing up {target} failed"))?;
        let mut inner = out.finish().context("cannot finish the compressed file")?;
        inner.flush()?;
        inner.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(summary)
    })();
    bar.finish_and_clear();
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    fs::rename(&tmp, &args.output)
        .with_context(|| format!("cannot move the backup into {}", args.output.display()))?;
    let rows: u64 = summary.tables.iter().map(|(_, n)| n).sum();
    println!(
        "{target}: wrote {rows} rows from {} tables to {}{}",
        summary.tables.len(),
        args.output.display(),
        if summary.with_key {
            " (with the server key: keep the file private)"
        } else {
            " (without the server key)"
        }
    );
    for (table, n) in &summary.tables {
        println!("  {table}: {n}");
    }
    Ok(ExitCode::SUCCESS)
}

fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn create_private(path: &Path) -> anyhow::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))
}
