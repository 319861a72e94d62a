//! `colloquy restore`: load a `colloquy backup` file into a database (either kind).

use std::fs;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use flate2::read::GzDecoder;

use super::store_args::{StoreArgs, rows_bar, runtime};
use crate::store::{archive, keyfile};

/// Options of `colloquy restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file written by `colloquy backup`.
    #[arg(value_name = "FILE")]
    pub input: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Delete what the target database holds first (and replace a different server key, which
    /// is kept as server.key.replaced).
    #[arg(long)]
    pub replace: bool,
}

/// Checks the file and the key, then restores every row in one transaction.
pub fn run(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let (config, database) = args.store.load()?;
    let file = fs::File::open(&args.input)
        .with_context(|| format!("cannot open {}", args.input.display()))?;
    let mut reader = archive::Reader::open(BufReader::new(GzDecoder::new(BufReader::new(file))))
        .with_context(|| format!("{}", args.input.display()))?;
    let manifest = reader.manifest().clone();
    keyfile::ensure_data_dir(&config.data)?;
    let key_path = config.data.join(keyfile::SERVER_KEY_FILE);
    let archived_key = manifest.server_key()?;
    let current_key = if key_path.exists() {
        Some(keyfile::load(&key_path)?)
    } else {
        None
    };
    let install_key = match (&archived_key, &current_key) {
        (Some(a), Some(c)) if *keyfile::to_hex(a) == *keyfile::to_hex(c) => false,
        (Some(_), Some(_)) if !args.replace => bail!(
            "{} holds a different server key than the backup: the restored sessions could not be \
             read with it. Pass --replace to replace the database's contents and the key (the \
             current key is kept as server.key.replaced)",
            key_path.display()
        ),
        (Some(_), _) => true,
        (None, _) => false,
    };
    let rt = runtime()?;
    let target = database.describe();
    let bar = rows_bar(manifest.total_rows(), "restoring");
    let restored = rt.block_on(archive::restore(
        &database,
        &mut reader,
        args.replace,
        &mut |n| bar.inc(n),
    ));
    bar.finish_and_clear();
    let restored = restored.with_context(|| format!("restoring into {target} failed"))?;
    if let (true, Some(key)) = (install_key, &archived_key) {
        if current_key.is_some() {
            let kept = config
                .data
                .join(format!("{}.replaced", keyfile::SERVER_KEY_FILE));
            fs::rename(&key_path, &kept)
                .with_context(|| format!("cannot keep the old key as {}", kept.display()))?;
        }
        keyfile::install(&config.data, key, true)?;
    }
    let rows: u64 = restored.tables.iter().map(|(_, n)| n).sum();
    println!(
        "{target}: restored {rows} rows into {} tables from {} (taken {} from {})",
        restored.tables.len(),
        args.input.display(),
        manifest.created,
        manifest.source
    );
    for (table, n) in &restored.tables {
        println!("  {table}: {n}");
    }
    match (&archived_key, install_key) {
        (Some(_), true) => println!(
            "installed the backup's server key as {}",
            key_path.display()
        ),
        (Some(_), false) => {}
        (None, _) if current_key.is_none() => eprintln!(
            "warning: the backup has no server key and {} does not exist: put the original \
             key there before serving, the sessions cannot be read without it",
            key_path.display()
        ),
        (None, _) => eprintln!(
            "note: the backup has no server key; the sessions are readable only if {} is the key \
             they were written with",
            key_path.display()
        ),
    }
    Ok(ExitCode::SUCCESS)
}
