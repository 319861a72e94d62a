//! `colloquy serve`: the web server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::config::{CliOverrides, Config};
use crate::http;
use crate::store::Store;

/// Options of `colloquy serve`. Each also has a configuration-file key and a `COLLOQUY_*`
/// environment variable (see README); flags win.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The configuration file (TOML; unknown keys are refused).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Address and port to listen on [default: 127.0.0.1:8080].
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Directory for the SQLite database and the server key (created if missing) [default: ./data].
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Package roots holding interviews (the layout of unpacked docassemble wheels). Repeatable.
    #[arg(long = "packages")]
    pub packages: Vec<PathBuf>,
    /// The built web app (Trunk's `dist/`) [default: ./dist].
    #[arg(long)]
    pub dist: Option<PathBuf>,
    /// The database URL (`sqlite://…` or `postgres://…`) [default: SQLite in the data directory].
    #[arg(long)]
    pub database: Option<String>,
}

/// Starts the server and blocks until it is shut down (SIGINT or SIGTERM).
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let config = Config::load(CliOverrides {
        config: args.config,
        listen: args.listen,
        data: args.data,
        packages: (!args.packages.is_empty()).then_some(args.packages),
        dist: args.dist,
        database: args.database,
    })?;
    if !config.dist.join("index.html").is_file() {
        tracing::warn!(
            dist = %config.dist.display(),
            "no index.html in the app directory: build the UI with `trunk build --release`"
        );
    }
    let database = config.database()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let store = Store::open_in(&database, &config.data)
            .await
            .with_context(|| format!("cannot open the database {}", database.describe()))?;
        tracing::info!(database = %database.describe(), "store ready");
        spawn_purge(
            store.clone(),
            config.session_lifetime(),
            time::Duration::seconds(i64::try_from(config.login_ban_seconds).unwrap_or(i64::MAX)),
        );
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let addr = listener.local_addr().context("no local address")?;
        tracing::info!(%addr, "colloquy listening on http://{addr}/");
        http::serve(listener, config, store, http::shutdown_signal()).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Deletes sessions idle for longer than the configured lifetime, and expired sign-ins, tokens,
/// throttling counters and API codes (login and resume links, stashes), hourly.
fn spawn_purge(store: Store, lifetime: time::Duration, ban: time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match store
                .purge_idle(time::OffsetDateTime::now_utc() - lifetime)
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "purged idle sessions"),
                Err(e) => tracing::warn!(error = %e, "purging idle sessions failed"),
            }
            match store.purge_expired_accounts(ban).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "purged expired sign-ins, tokens and counters"),
                Err(e) => tracing::warn!(error = %e, "purging expired sign-ins failed"),
            }
            match store.purge_expired_codes().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "purged expired API links and stashes"),
                Err(e) => tracing::warn!(error = %e, "purging expired API codes failed"),
            }
        }
    });
}
