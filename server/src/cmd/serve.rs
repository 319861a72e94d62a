//! `colloquy serve`: the web server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::http::{self, AppConfig};

/// Options of `colloquy serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "COLLOQUY_LISTEN")]
    pub listen: SocketAddr,
    /// Directory for the database and the server key (created if missing).
    #[arg(long, default_value = "./data", env = "COLLOQUY_DATA")]
    pub data: PathBuf,
    /// Package roots holding interviews (the layout of unpacked docassemble wheels). Repeatable.
    #[arg(long = "packages", env = "COLLOQUY_PACKAGES", value_delimiter = ',')]
    pub packages: Vec<PathBuf>,
    /// The built web app (Trunk's `dist/`).
    #[arg(long, default_value = "./dist", env = "COLLOQUY_DIST")]
    pub dist: PathBuf,
}

/// Starts the server and blocks until it is shut down (SIGINT or SIGTERM).
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&args.data)
        .with_context(|| format!("cannot create the data directory {}", args.data.display()))?;
    if !args.dist.join("index.html").is_file() {
        tracing::warn!(
            dist = %args.dist.display(),
            "no index.html in the app directory: build the UI with `trunk build --release`"
        );
    }
    let config = AppConfig {
        dist: args.dist,
        packages: args.packages,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr().context("no local address")?;
        tracing::info!(%addr, "colloquy listening on http://{addr}/");
        http::serve(listener, config, http::shutdown_signal()).await
    })?;
    Ok(ExitCode::SUCCESS)
}
