//! Shared application state handed to every handler.

use std::sync::Arc;
use std::time::Instant;

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
    started: Instant,
}

impl AppState {
    /// Creates the state; the uptime clock starts now.
    pub fn new(config: Config, store: Store) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                store,
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

    /// Seconds since the server started.
    pub fn uptime_seconds(&self) -> u64 {
        self.inner.started.elapsed().as_secs()
    }
}
