//! The `colloquy check` logic: load interviews and report every problem.

use crate::error::Error;
use crate::interview::load;
use crate::source::{FileRef, Source};
use std::fmt;

/// The result of checking one interview file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileReport {
    /// The file checked.
    pub file: FileRef,
    /// The number of blocks loaded (including those of included files).
    pub blocks: usize,
    /// The problems found (empty when the file loads).
    pub errors: Vec<Error>,
}

/// The result of checking several files.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckReport {
    /// One report per file, in the order given.
    pub files: Vec<FileReport>,
}

impl CheckReport {
    /// The number of files that loaded without problems.
    pub fn ok_count(&self) -> usize {
        self.files.iter().filter(|f| f.errors.is_empty()).count()
    }

    /// The number of files with problems.
    pub fn error_count(&self) -> usize {
        self.files.len() - self.ok_count()
    }

    /// Every problem, in order.
    pub fn errors(&self) -> impl Iterator<Item = &Error> {
        self.files.iter().flat_map(|f| f.errors.iter())
    }

    /// The summary line: `checked N files: N ok, N with errors`.
    pub fn summary(&self) -> String {
        format!(
            "checked {} files: {} ok, {} with errors",
            self.files.len(),
            self.ok_count(),
            self.error_count()
        )
    }
}

impl fmt::Display for CheckReport {
    /// One `file:line: message` line per problem, then the summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in self.errors() {
            writeln!(f, "{e}")?;
        }
        writeln!(f, "{}", self.summary())
    }
}

/// Checks one file.
pub fn check_file(source: &dyn Source, file: &FileRef) -> FileReport {
    match load(source, file) {
        Ok(interview) => {
            let blocks = interview.blocks.len();
            FileReport {
                file: file.clone(),
                blocks,
                errors: compile_errors(interview),
            }
        }
        Err(errors) => FileReport {
            file: file.clone(),
            blocks: 0,
            errors,
        },
    }
}

/// The Python that does not compile (code blocks, `mandatory`/`initial`/`if` expressions).
#[cfg(feature = "parser")]
fn compile_errors(interview: crate::Interview) -> Vec<Error> {
    match crate::run::CompiledInterview::new(interview) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .map(|e| match e {
                crate::run::RunError::Source {
                    file,
                    line,
                    message,
                } => Error::new(file, line, message),
                other => Error::new("", 0, other.to_string()),
            })
            .collect(),
    }
}

#[cfg(not(feature = "parser"))]
fn compile_errors(_interview: crate::Interview) -> Vec<Error> {
    Vec::new()
}

/// Checks each file in turn.
pub fn check(source: &dyn Source, files: &[FileRef]) -> CheckReport {
    CheckReport {
        files: files.iter().map(|f| check_file(source, f)).collect(),
    }
}
