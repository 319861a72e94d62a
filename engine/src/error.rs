//! Errors with a file and line, printed as `file:line: message`.

use std::fmt;

/// A problem found while reading an interview, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    /// The file, as it was referred to (a path or a `package:path` reference).
    pub file: String,
    /// The 1-based line in the file (0 when the problem is with the file as a whole).
    pub line: u32,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl Error {
    /// An error at `file:line`.
    pub fn new(file: impl Into<String>, line: u32, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line,
            message: message.into(),
        }
    }
}

/// A problem inside one block, before the file name is known; the loader adds the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockError {
    /// The 1-based line in the file.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

impl BlockError {
    /// An error on `line`.
    pub fn new(line: u32, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }

    /// Attaches the file name.
    pub fn in_file(self, file: &str) -> Error {
        Error::new(file, self.line, self.message)
    }
}
