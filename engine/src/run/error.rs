//! What can go wrong while running an interview.

use thiserror::Error;

/// An error that stops the interview (shown to the user as an error page; stored answers are
/// never changed by it).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RunError {
    /// A problem in the interview source (Python that does not compile, bad Mako …).
    #[error("{file}:{line}: {message}")]
    Source {
        /// The file.
        file: String,
        /// The line.
        line: u32,
        /// What is wrong.
        message: String,
    },
    /// A variable is needed that no block defines (the variable, the current language).
    #[error(
        "Interview has an error. There was a reference to a variable '{0}' that could not be looked up in the question file (for language '{1}') or in any of the files incorporated by reference into the question file."
    )]
    MissingVariable(String, String),
    /// The same variable keeps being sought.
    #[error("There appears to be an infinite loop. Variables in stack are {0}.")]
    InfiniteLoop(String),
    /// Python code raised an exception.
    #[error("{block}: {kind}: {message}")]
    Python {
        /// The block that was running (`Question_3`, `ID intro`).
        block: String,
        /// The exception class.
        kind: String,
        /// Its message.
        message: String,
    },
    /// An evaluation budget (steps, memory, depth) ran out.
    #[error("{block}: the code used more than its {what} budget")]
    Limit {
        /// The block that was running.
        block: String,
        /// Which budget.
        what: String,
    },
    /// Every mandatory block is done and no question was produced (docassemble's
    /// `DAErrorNoEndpoint`, with its message).
    #[error(
        "Docassemble has finished executing all code blocks marked as initial or mandatory, and finished asking all questions marked as mandatory (if any). It is a best practice to end your interview with a question that says goodbye."
    )]
    NoEndpoint,
    /// A submission or action that cannot be applied.
    #[error("{0}")]
    BadRequest(String),
    /// `background_response()` / `background_response_action()` ended the code: how a
    /// background task finishes (see [`super::background`]); an error anywhere else.
    #[error("background_response() was called outside a background task")]
    BackgroundResponse(BackgroundExit),
}

/// How a background task's code finished.
#[derive(Debug, Clone, PartialEq)]
pub enum BackgroundExit {
    /// `background_response(value)`.
    Value(serde_json::Value),
    /// `background_response_action(action, **kwargs)`: run this action in the session.
    Action(super::state::Action),
}

impl RunError {
    /// A compile error at `file:line`.
    pub fn compile(file: &str, line: u32, e: &pyeval::CompileError) -> Self {
        RunError::Source {
            file: file.to_string(),
            line,
            message: e.message.clone(),
        }
    }
}
