//! The evaluator host: docassemble's classes and functions for interview code.

use chrono::NaiveDateTime;
use engine::runtime::{DaHost, RuntimeConfig};

/// The current local date and time of the server.
pub fn now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// The host used for an interview request at `now` (the engine itself has no clock).
pub fn host_at(now: NaiveDateTime) -> Box<dyn engine::run::RunHost> {
    Box::new(DaHost::new(RuntimeConfig::at(now)))
}

/// The host for a request happening now.
pub fn host() -> Box<dyn engine::run::RunHost> {
    host_at(now())
}

/// The host for a request on interview `reference` happening now: `url_action()` and
/// `interview_url()` links name that interview.
pub fn host_for(reference: &str) -> Box<dyn engine::run::RunHost> {
    let mut config = RuntimeConfig::at(now());
    config.interview_name = reference.to_string();
    Box::new(DaHost::new(config))
}
