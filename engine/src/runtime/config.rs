//! What the caller tells the runtime about the world: the engine is a pure library with no
//! clock, no locale and no server, so all of these come from outside.

use chrono::{NaiveDate, NaiveDateTime};

/// docassemble's default `timezone` (its configuration's default), for `today()`,
/// `current_datetime()` and `get_default_timezone()`.
pub const DEFAULT_TIMEZONE: &str = "America/New_York";

/// Configuration of a [`crate::runtime::DaHost`].
#[derive(Debug, Clone, PartialEq)]
pub struct RuntimeConfig {
    /// The current date and time (local to the interview's timezone), for `today()` and
    /// `current_datetime()`.
    pub now: NaiveDateTime,
    /// The currency symbol used by `currency()` (default `$`).
    pub currency_symbol: String,
    /// The interview's URL (`/interview`), used by `url_action()` and `interview_url()`.
    pub interview_url: String,
    /// The interview's file name (the `i=` argument of its URLs).
    pub interview_name: String,
    /// The base URL for static files (`url_of()`), e.g. `/packagestatic`.
    pub static_url: String,
    /// The interview's language (`en`).
    pub language: String,
    /// The default country (`US`), for `states_list()` and addresses.
    pub country: String,
    /// The default timezone name reported by `get_default_timezone()`.
    pub timezone: String,
    /// Whether a user is logged in (`user_logged_in()`).
    pub logged_in: bool,
    /// The user's privileges (`user_has_privilege()`), e.g. `["user"]`.
    pub privileges: Vec<String>,
    /// The session id (`current_context().session`, `user_info().session`); empty if unknown.
    pub session_id: String,
}

impl RuntimeConfig {
    /// A configuration for the given moment with docassemble's defaults.
    pub fn at(now: NaiveDateTime) -> Self {
        RuntimeConfig {
            now,
            currency_symbol: "$".into(),
            interview_url: "/interview".into(),
            interview_name: "interview.yml".into(),
            static_url: "/packagestatic".into(),
            language: "en".into(),
            country: "US".into(),
            timezone: DEFAULT_TIMEZONE.into(),
            logged_in: false,
            privileges: Vec::new(),
            session_id: String::new(),
        }
    }

    /// Today's date.
    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }
}

impl Default for RuntimeConfig {
    /// 2024-01-01 00:00, for tests; real callers pass the actual time with [`RuntimeConfig::at`].
    fn default() -> Self {
        let now = NaiveDate::from_ymd_opt(2024, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default();
        RuntimeConfig::at(now)
    }
}
