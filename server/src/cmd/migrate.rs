//! `colloquy migrate`: apply the embedded database migrations and report what was done.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::store_args::{StoreArgs, runtime};
use crate::store::{self, Database};

/// Options of `colloquy migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Only list the migrations that would be applied.
    #[arg(long)]
    pub dry_run: bool,
}

/// Applies pending migrations (or lists them with `--dry-run`).
pub fn run(args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let (config, database) = args.store.load()?;
    if matches!(database, Database::Sqlite(_)) && config.database.is_none() {
        std::fs::create_dir_all(&config.data).with_context(|| {
            format!("cannot create the data directory {}", config.data.display())
        })?;
    }
    let runtime = runtime()?;
    let target = database.describe();
    let total = store::embedded_migrations(&database).len();

    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {msg}").unwrap_or(ProgressStyle::default_spinner()),
    );
    spinner.enable_steady_tick(Duration::from_millis(100));
    spinner.set_message(format!("{target}: checking migrations"));
    let pending = runtime
        .block_on(store::pending_migrations(&database))
        .with_context(|| format!("cannot read the migration state of {target}"));
    let pending = match pending {
        Ok(p) => p,
        Err(e) => {
            spinner.finish_and_clear();
            return Err(e);
        }
    };
    if pending.is_empty() {
        spinner.finish_and_clear();
        println!("{target}: up to date ({total} migrations applied)");
        return Ok(ExitCode::SUCCESS);
    }
    if args.dry_run {
        spinner.finish_and_clear();
        println!("{target}: {} pending migration(s):", pending.len());
        for m in &pending {
            println!("  {} {}", m.version, m.description);
        }
        return Ok(ExitCode::SUCCESS);
    }
    spinner.set_message(format!("{target}: applying {} migration(s)", pending.len()));
    let applied = runtime.block_on(store::migrate_database(&database));
    spinner.finish_and_clear();
    let applied = applied.with_context(|| format!("migrating {target} failed"))?;
    println!("{target}: applied {} migration(s):", applied.len());
    for m in &applied {
        println!("  {} {}", m.version, m.description);
    }
    Ok(ExitCode::SUCCESS)
}
