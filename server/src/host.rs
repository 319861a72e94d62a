//! The evaluator host: docassemble's classes and functions for interview code.

use chrono::NaiveDateTime;
use engine::runtime::{DaHost, RuntimeConfig};

/// The current date and time in the interviews' default timezone (docassemble's
/// `timezone` configuration, `America/New_York` unless set), as docassemble's `today()` and
/// `current_datetime()` give it; the machine's local time for a zone the engine cannot convert.
pub fn now() -> NaiveDateTime {
    now_in(
        engine::runtime::config::DEFAULT_TIMEZONE,
        chrono::Utc::now().naive_utc(),
    )
}

/// The local time in `tz` at UTC time `utc` (the machine's local time for unknown zones).
fn now_in(tz: &str, utc: NaiveDateTime) -> NaiveDateTime {
    engine::runtime::functions::datefmt::local_time(tz, &utc)
        .unwrap_or_else(|| chrono::Local::now().naive_local())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_reads_the_default_timezone_not_the_machine() {
        let utc = chrono::NaiveDate::from_ymd_opt(2024, 1, 5)
            .and_then(|d| d.and_hms_opt(3, 0, 0))
            .unwrap();
        let ny = chrono::NaiveDate::from_ymd_opt(2024, 1, 4)
            .and_then(|d| d.and_hms_opt(22, 0, 0))
            .unwrap();
        assert_eq!(RuntimeConfig::default().timezone, "America/New_York");
        assert_eq!(now_in("America/New_York", utc), ny);
    }
}
