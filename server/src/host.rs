//! The evaluator host: docassemble's classes and functions for interview code.

/// The host used for every interview.
pub fn host() -> Box<dyn pyeval::Host> {
    Box::new(pyeval::NoHost)
}
