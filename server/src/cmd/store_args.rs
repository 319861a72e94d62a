//! The options every command that works on the store shares, and opening it.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::{CliOverrides, Config};
use crate::store::Database;

/// Where the store is: `--database`, `--data`, `--config` (as `colloquy serve` takes them).
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Database URL: sqlite:PATH or postgres://… (default: SQLite in the data directory).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// Data directory holding the server key and the default SQLite database.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Configuration file (see CONFIG.md); COLLOQUY_* variables apply too.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl StoreArgs {
    /// The configuration these options (plus file and environment) give, and its database.
    pub fn load(&self) -> anyhow::Result<(Config, Database)> {
        let config = Config::load(CliOverrides {
            config: self.config.clone(),
            data: self.data.clone(),
            database: self.database.clone(),
            ..CliOverrides::default()
        })?;
        let database = config.database()?;
        Ok((config, database))
    }
}

/// A single-threaded runtime for a command's database work.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// A progress bar over `total` rows on stderr (hidden when stderr is not a terminal).
pub fn rows_bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} rows ({per_sec}, {eta})")
            .unwrap_or(ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
