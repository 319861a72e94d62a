//! Shared application state handed to every handler.

use std::sync::Arc;
use std::time::Instant;

use crate::accounts::{Mailer, Throttler};
use crate::config::Config;
use crate::store::Store;

use super::error::ApiError;

/// How many engine jobs run at once: two per core (at least four), so that one waiting on the
/// disk (a SQLite checkpoint's fsync) or making a long document leaves room for others. Under
/// the load benchmark two to eight gave the same CPU per step; more threads than that only
/// cost memory (each blocking thread keeps its own compiled interviews).
fn engine_turns() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (cores * 2).max(4)
}

/// Cheap to clone: everything lives behind one `Arc`.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    store: Store,
    mailer: Mailer,
    throttler: Throttler,
    started: Instant,
    /// Turns on the blocking pool for engine work (see [`AppState::engine_turn`]).
    engine_turns: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Creates the state; the uptime clock starts now. A mailer that cannot be built from the
    /// configuration falls back to the console mailer (logged); [`super::serve`] refuses to
    /// start in that case, so only embedders see the fallback.
    pub fn new(config: Config, store: Store) -> Self {
        let mailer = Mailer::from_config(&config).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the mailer cannot be set up: mail goes to the log");
            Mailer::console_fallback()
        });
        let throttler = Throttler::from_config(&config);
        Self {
            inner: Arc::new(Inner {
                config,
                store,
                mailer,
                throttler,
                started: Instant::now(),
                engine_turns: Arc::new(tokio::sync::Semaphore::new(engine_turns())),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The session store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The mailer.
    pub fn mailer(&self) -> &Mailer {
        &self.inner.mailer
    }

    /// The sign-in throttle.
    pub fn throttler(&self) -> &Throttler {
        &self.inner.throttler
    }

    /// A turn to run engine work on the blocking pool, waited for (cheaply, as a task) when
    /// all are taken. Without it, under load every waiting request had a blocking thread of
    /// its own (a hundred concurrent sessions: a hundred threads, each with its own copy of
    /// the compiled interview), and their switching cost more CPU than the work.
    pub async fn engine_turn(&self) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        self.inner
            .engine_turns
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::Internal("the engine is shutting down".into()))
    }

    /// Seconds since the server started.
    pub fn uptime_seconds(&self) -> u64 {
        self.inner.started.elapsed().as_secs()
    }
}
