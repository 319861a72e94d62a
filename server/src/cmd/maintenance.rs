//! `colloquy maintenance`: housekeeping on the store — purge idle sessions, vacuum, verify.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use time::OffsetDateTime;

use super::store_args::{StoreArgs, rows_bar, runtime};
use crate::store::{Credentials, HolderKind, Store, keyfile};

/// Options of `colloquy maintenance`.
#[derive(Debug, Args)]
pub struct MaintenanceArgs {
    #[command(subcommand)]
    pub task: Task,
}

/// The housekeeping jobs.
#[derive(Debug, Subcommand)]
pub enum Task {
    /// Delete sessions (with their steps and files) idle for longer than the session lifetime.
    Purge {
        #[command(flatten)]
        store: StoreArgs,
        /// Idle days after which a session goes (default: `session_lifetime_days`).
        #[arg(long, value_name = "DAYS")]
        older_than: Option<u32>,
        /// Only count what would be deleted.
        #[arg(long)]
        dry_run: bool,
    },
    /// Reclaim free space and refresh the query planner's statistics.
    Vacuum {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Check the database's integrity and that every server-held (multi_user) session still
    /// decrypts with the server key; exit 1 on any problem.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Runs the chosen task.
pub fn run(args: MaintenanceArgs) -> anyhow::Result<ExitCode> {
    match args.task {
        Task::Purge {
            store,
            older_than,
            dry_run,
        } => purge(&store, older_than, dry_run),
        Task::Vacuum { store } => vacuum(&store),
        Task::Verify { store } => verify(&store),
    }
}

fn open(
    args: &StoreArgs,
) -> anyhow::Result<(crate::config::Config, Store, tokio::runtime::Runtime)> {
    let (config, database) = args.load()?;
    let key_path = config.data.join(keyfile::SERVER_KEY_FILE);
    let key = keyfile::load(&key_path)?;
    let rt = runtime()?;
    let store = rt
        .block_on(Store::connect(&database, key))
        .with_context(|| format!("cannot open {}", database.describe()))?;
    let pending = rt.block_on(store.pending_migrations())?;
    if !pending.is_empty() {
        anyhow::bail!(
            "{} has {} pending migration(s): run `colloquy migrate` first",
            database.describe(),
            pending.len()
        );
    }
    Ok((config, store, rt))
}

fn purge(args: &StoreArgs, older_than: Option<u32>, dry_run: bool) -> anyhow::Result<ExitCode> {
    let (config, store, rt) = open(args)?;
    let days = older_than.unwrap_or(config.session_lifetime_days);
    let before = OffsetDateTime::now_utc() - time::Duration::days(i64::from(days));
    let target = store.database().describe();
    if dry_run {
        let n = rt.block_on(store.count_idle(before))?;
        println!("{target}: {n} session(s) idle for more than {days} days would be deleted");
    } else {
        let n = rt.block_on(store.purge_idle(before))?;
        println!("{target}: deleted {n} session(s) idle for more than {days} days");
        let codes = rt.block_on(store.purge_expired_codes())?;
        println!("{target}: deleted {codes} expired API link(s) and stash(es)");
    }
    rt.block_on(store.close());
    Ok(ExitCode::SUCCESS)
}

fn vacuum(args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let (_, store, rt) = open(args)?;
    let target = store.database().describe();
    rt.block_on(store.vacuum())
        .with_context(|| format!("vacuuming {target} failed"))?;
    println!("{target}: vacuumed and analysed");
    rt.block_on(store.close());
    Ok(ExitCode::SUCCESS)
}

fn verify(args: &StoreArgs) -> anyhow::Result<ExitCode> {
    let (_, store, rt) = open(args)?;
    let target = store.database().describe();
    let mut problems = rt.block_on(store.integrity_problems())?;
    let sessions = rt.block_on(store.all_sessions())?;
    let bar = rows_bar(sessions.len() as u64, "verifying");
    let (mut checked, mut unverifiable) = (0u64, 0u64);
    for (id, holder) in &sessions {
        bar.inc(1);
        match holder {
            HolderKind::Server => {
                checked += 1;
                if let Err(e) = rt.block_on(store.latest_step(id, Credentials::none())) {
                    problems.push(e.to_string());
                }
            }
            // Only the browser's secret (or the user's password) opens these.
            HolderKind::Anonymous | HolderKind::User => unverifiable += 1,
        }
    }
    bar.finish_and_clear();
    rt.block_on(store.close());
    println!(
        "{target}: {} session(s); {checked} server-held decrypted with the server key, \
         {unverifiable} held by browsers' secrets or users' passwords (not checkable here)",
        sessions.len()
    );
    if problems.is_empty() {
        println!("no problems found");
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &problems {
            println!("problem: {p}");
        }
        println!("{} problem(s) found", problems.len());
        Ok(ExitCode::FAILURE)
    }
}
