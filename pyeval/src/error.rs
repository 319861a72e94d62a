//! Errors and the non-local control flow of evaluation: [`Flow`] (needs / raise / limit) and
//! [`CompileError`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::path::Path;

/// A syntax or sandbox error found while compiling source into IR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message} (line {line}, column {column})")]
pub struct CompileError {
    /// Human-readable description.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub column: u32,
}

impl CompileError {
    /// Builds an error at a byte offset of `src`.
    pub fn at(src: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_col(src, offset);
        CompileError {
            message: message.into(),
            line,
            column,
        }
    }
}

/// 1-based (line, column) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (u32, u32) {
    let mut line = 1u32;
    let mut col = 1u32;
    for (i, ch) in src.char_indices() {
        if i >= offset {
            break;
        }
        if ch == '\n' {
            line = line.saturating_add(1);
            col = 1;
        } else {
            col = col.saturating_add(1);
        }
    }
    (line, col)
}

/// A Python exception raised by evaluated code (or by the host).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub struct PyErr {
    /// Exception class name: `ValueError`, `KeyError`, or a host class such as `DAError`.
    pub kind: String,
    /// The message (`str(e)`).
    pub message: String,
    /// The source line of the statement that raised it, when known.
    #[serde(default)]
    pub line: Option<u32>,
}

impl fmt::Display for PyErr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(&self.kind)
        } else {
            write!(f, "{}: {}", self.kind, self.message)
        }
    }
}

impl PyErr {
    /// A new exception.
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        PyErr {
            kind: kind.to_string(),
            message: message.into(),
            line: None,
        }
    }
}

/// Which sandbox limit stopped evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LimitKind {
    /// The step counter (fuel) ran out.
    Fuel,
    /// The memory budget would be exceeded.
    Memory,
    /// Recursion / nesting depth cap.
    Depth,
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LimitKind::Fuel => "step limit exceeded",
            LimitKind::Memory => "memory limit exceeded",
            LimitKind::Depth => "recursion depth limit exceeded",
        })
    }
}

/// docassemble's "needs variable" signal: evaluation touched an undefined variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedsVar {
    /// The undefined path, taken from the objects (aliases and loop variables give the real path).
    pub missing: Path,
    /// `missing` plus the syntactic tail being evaluated (`user.address.city` when `user.address` is
    /// missing).
    pub wanted: Path,
    /// Internal: whether enclosing `.attr`/`[i]` nodes may still extend `wanted`.
    #[serde(skip)]
    pub(crate) open: bool,
}

impl NeedsVar {
    /// A needs signal for `path` (with `wanted == missing`) that enclosing nodes will not extend.
    pub fn new(path: Path) -> Self {
        NeedsVar {
            wanted: path.clone(),
            missing: path,
            open: false,
        }
    }
    /// Like [`NeedsVar::new`], but enclosing attribute/subscript nodes extend `wanted`, as for a
    /// plain variable lookup. Hosts use this from [`crate::Host::missing_attr`].
    pub fn open(path: Path) -> Self {
        NeedsVar {
            wanted: path.clone(),
            missing: path,
            open: true,
        }
    }
}

/// Everything that stops evaluation early. All evaluation returns `Result<_, Flow>`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Flow {
    /// An undefined variable was needed. An `except` for NameError (an undefined name),
    /// AttributeError (an attribute) or IndexError (an item) catches it, as docassemble's
    /// own exceptions are; uncaught, it reaches the engine.
    #[error("needs {}", .0.missing)]
    Needs(Box<NeedsVar>),
    /// A Python exception.
    #[error("{0}")]
    Raise(Box<PyErr>),
    /// A sandbox limit was hit. Never caught by `try/except`.
    #[error("{0}")]
    Limit(LimitKind),
}

impl Flow {
    /// A `Flow::Raise` of `kind` with `message`.
    pub fn raise(kind: &str, message: impl Into<String>) -> Self {
        Flow::Raise(Box::new(PyErr::new(kind, message)))
    }
    /// A needs signal for `path`.
    pub fn needs(path: Path) -> Self {
        Flow::Needs(Box::new(NeedsVar::new(path)))
    }
    /// The exception, if this is a `Raise`.
    pub fn as_raise(&self) -> Option<&PyErr> {
        match self {
            Flow::Raise(e) => Some(e),
            _ => None,
        }
    }
}

/// Shorthand constructors for common exceptions.
pub(crate) fn type_err(msg: impl Into<String>) -> Flow {
    Flow::raise("TypeError", msg)
}
pub(crate) fn value_err(msg: impl Into<String>) -> Flow {
    Flow::raise("ValueError", msg)
}
pub(crate) fn overflow() -> Flow {
    Flow::raise(
        "OverflowError",
        "integer overflow (pyeval integers are 64-bit)",
    )
}
pub(crate) fn zero_div(msg: &str) -> Flow {
    Flow::raise("ZeroDivisionError", msg)
}

/// Result alias used throughout the evaluator.
pub type PyResult<T> = Result<T, Flow>;

/// The builtin exception hierarchy: `(class, parent)`.
const EXC_PARENTS: &[(&str, &str)] = &[
    ("Exception", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("LookupError", "Exception"),
    ("KeyError", "LookupError"),
    ("IndexError", "LookupError"),
    ("ValueError", "Exception"),
    ("UnicodeError", "ValueError"),
    ("TypeError", "Exception"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("AttributeError", "Exception"),
    ("AssertionError", "Exception"),
    ("RuntimeError", "Exception"),
    ("RecursionError", "RuntimeError"),
    ("NotImplementedError", "RuntimeError"),
    ("StopIteration", "Exception"),
];

/// Whether `name` is a builtin exception class.
pub fn is_builtin_exception(name: &str) -> bool {
    name == "BaseException" || EXC_PARENTS.iter().any(|(c, _)| *c == name)
}

/// Whether exception class `kind` is `base` or a subclass of it. Unknown (host) classes derive from
/// `Exception`.
pub fn exc_matches(kind: &str, base: &str) -> bool {
    let mut cur = kind;
    loop {
        if cur == base {
            return true;
        }
        match EXC_PARENTS.iter().find(|(c, _)| *c == cur) {
            Some((_, p)) => cur = p,
            None if cur == "BaseException" => return false,
            None => cur = "Exception",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy() {
        assert!(exc_matches("KeyError", "LookupError"));
        assert!(exc_matches("KeyError", "Exception"));
        assert!(!exc_matches("KeyError", "IndexError"));
        assert!(exc_matches("DAError", "Exception"));
        assert!(!exc_matches("Exception", "KeyError"));
    }

    #[test]
    fn line_column() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
    }
}
