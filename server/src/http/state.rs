//! Shared application state handed to every handler.

use std::sync::Arc;
use std::time::Instant;

use super::AppConfig;

/// Cheap to clone: everything lives behind one `Arc`.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: AppConfig,
    started: Instant,
}

impl AppState {
    /// Creates the state; the uptime clock starts now.
    pub fn new(config: AppConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                started: Instant::now(),
            }),
        }
    }

    /// The start-up configuration.
    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    /// Seconds since the server started.
    pub fn uptime_seconds(&self) -> u64 {
        self.inner.started.elapsed().as_secs()
    }
}
