//! How library functions ask something of the engine.
//!
//! Functions that change the interview's flow raise a Python exception of one of the kinds
//! below (a [`pyeval::Flow::Raise`]); the payload is stored in [`Effects::signal`]. Functions
//! that only record something (`set_progress`, `set_parts`, `set_language` …) write to
//! [`Effects`] and return normally. The engine reads and clears the record with
//! [`crate::runtime::DaHost::take_effects`] after each evaluation (or pass).
//!
//! ```text
//! match flow {
//!     Flow::Raise(e) if signals::is_signal(&e.kind) => match host.take_effects().signal { … }
//!     …
//! }
//! ```

use pyeval::Value;

/// Exception kind raised by `force_ask()` / `force_gather()`: ask the first name even if it is
/// defined (questions only, code blocks skipped); see [`Signal::ForceAsk`].
pub const FORCE_ASK: &str = "ForcedNameError";
/// Exception kind raised by `validation_error()`: the POST is invalid; see
/// [`Signal::Validation`].
pub const VALIDATION: &str = "DAValidationError";
/// Exception kind raised by `message()`, `response()`, `json_response()`, `command()`: stop and
/// show/return something else than a question; see [`Signal::Message`], [`Signal::Response`],
/// [`Signal::Command`].
pub const RESPONSE: &str = "QuestionError";
/// Exception kind raised by `re_run_logic()`: restart the pass from the top.
pub const RERUN: &str = "ForcedReRun";
/// Exception kind raised by `background_response()` / `background_response_action()`: the
/// background task is done; see [`Signal::BackgroundResponse`],
/// [`Signal::BackgroundResponseAction`].
pub const BACKGROUND: &str = "BackgroundResponseError";

/// Whether an exception kind is one of the runtime's signals.
pub fn is_signal(kind: &str) -> bool {
    matches!(kind, FORCE_ASK | VALIDATION | RESPONSE | RERUN | BACKGROUND)
}

/// The payload of a raised signal.
#[derive(Debug, Clone, PartialEq)]
pub enum Signal {
    /// `force_ask('a', 'b', …)`: ask `names[0]` now (even if defined); push the others onto the
    /// event stack for the following requests. `gather` is true for `force_gather` (keep
    /// seeking each name until it is defined). Entries are variable names or, for
    /// `{'recompute': [...]}`-style dict arguments, their JSON-like rendering.
    ForceAsk {
        /// The variables, in order.
        names: Vec<String>,
        /// `force_gather` rather than `force_ask`.
        gather: bool,
        /// `forget_prior=True`: clear pending actions first.
        forget_prior: bool,
    },
    /// `validation_error(message, field=…)`.
    Validation {
        /// The message to show.
        message: String,
        /// The field (variable name) the error belongs to, if any.
        field: Option<String>,
    },
    /// `message(title, subtitle, …)`: show a simple screen.
    Message {
        /// The title (question text).
        title: String,
        /// The subquestion text.
        subtitle: String,
        /// `show_restart`, `show_leave`, `url`… keyword arguments, as strings.
        options: Vec<(String, String)>,
    },
    /// `response(text, content_type=…)`, `json_response(data)`: return a raw HTTP response.
    Response {
        /// The body.
        body: String,
        /// The content type (`text/plain; charset=utf-8`, `application/json`).
        content_type: String,
        /// The status code, if given.
        status: Option<i64>,
    },
    /// `command('restart' | 'exit' | 'leave' | 'logout' | …, url=…)`.
    Command {
        /// The command.
        command: String,
        /// The URL argument, if any.
        url: Option<String>,
    },
    /// `re_run_logic()`.
    ReRun,
    /// `background_response(value)`: the task's result (as it crosses to the session).
    BackgroundResponse {
        /// The value (`None` → null).
        value: serde_json::Value,
    },
    /// `background_response_action(action, **kwargs)`: run `action` in the session.
    BackgroundResponseAction {
        /// The event to run.
        action: String,
        /// Its arguments (`action_argument()`).
        arguments: serde_json::Map<String, serde_json::Value>,
    },
}

/// Everything the library recorded for the engine since the last [`crate::runtime::DaHost::take_effects`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Effects {
    /// The payload of the last signal raised (see the module docs).
    pub signal: Option<Signal>,
    /// `set_progress(n)`.
    pub progress: Option<f64>,
    /// `set_parts(title=…, subtitle=…, …)`: screen parts, in call order.
    pub parts: Vec<(String, String)>,
    /// `set_language(lang)`.
    pub language: Option<String>,
    /// Variables deleted by `undefine()`/`invalidate()`/`reconsider()`, in order.
    pub undefined: Vec<String>,
    /// Variables `invalidate()` asked to be re-sought (recomputed) later.
    pub invalidated: Vec<String>,
    /// Variables `reconsider()` undefined and re-sought in this request (once each).
    pub reconsidered: Vec<String>,
    /// Lines written by `log()`.
    pub log: Vec<String>,
    /// `prevent_going_back()` was called.
    pub prevent_going_back: bool,
    /// Lists and dictionaries (by instance name) whose `cancel_add_or_edit()` ran: their
    /// pending add/edit actions leave the event stack.
    pub cancelled_groups: Vec<String>,
    /// The arguments passed to `menu_items` style helpers or other values the engine may want
    /// (currently only `set_save_status`'s argument).
    pub save_status: Option<Value>,
}
