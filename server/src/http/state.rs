//! Shared application state handed to every handler.

use std::sync::Arc;
use std::time::Instant;

use crate::accounts::{Mailer, Throttler};
use crate::config::Config;
use crate::store::Store;

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

    /// Seconds since the server started.
    pub fn uptime_seconds(&self) -> u64 {
        self.inner.started.elapsed().as_secs()
    }
}
