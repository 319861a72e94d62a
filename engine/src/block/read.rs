//! Helpers that turn YAML nodes into typed values with located, readable errors.

use super::{Cond, Python, Raw, Text, Var};
use crate::error::BlockError;
use crate::source::yaml::{Node, Value};

/// A result with a [`BlockError`].
pub type Result<T> = std::result::Result<T, BlockError>;

/// The top-level mapping of a block, with lower-cased keys (later duplicates after
/// lower-casing replace earlier values, like Python's `data[key.lower()] = value`).
#[derive(Debug)]
pub struct Entries<'a> {
    items: Vec<(String, &'a Node, u32)>,
    /// The line of the block.
    pub line: u32,
}

impl<'a> Entries<'a> {
    /// Builds the entries of a block mapping.
    ///
    /// # Errors
    /// When the node is not a mapping or has a key that is not text.
    pub fn new(node: &'a Node) -> Result<Self> {
        let Some(map) = node.as_map() else {
            return Err(BlockError::new(
                node.line,
                format!("a block must be a dictionary (found {})", node.kind()),
            ));
        };
        let mut items: Vec<(String, &'a Node, u32)> = Vec::with_capacity(map.len());
        for (k, v) in map {
            let Some(key) = k.python_str().filter(|_| matches!(k.value, Value::Str(_))) else {
                return Err(BlockError::new(
                    k.line,
                    format!("a block key must be text (found {})", k.kind()),
                ));
            };
            let key = key.to_lowercase();
            if let Some(slot) = items.iter_mut().find(|(name, _, _)| *name == key) {
                slot.1 = v;
            } else {
                items.push((key, v, k.line));
            }
        }
        let line = items.first().map_or(node.line, |(_, _, l)| *l);
        Ok(Self { items, line })
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.items
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, _)| *v)
    }

    /// Whether `key` is present.
    pub fn has(&self, key: &str) -> bool {
        self.items.iter().any(|(k, _, _)| k == key)
    }

    /// The line of the key `key` (or of the block).
    pub fn key_line(&self, key: &str) -> u32 {
        self.items
            .iter()
            .find(|(k, _, _)| k == key)
            .map_or(self.line, |(_, _, l)| *l)
    }

    /// All keys with their lines.
    pub fn keys(&self) -> impl Iterator<Item = (&str, u32)> {
        self.items.iter().map(|(k, _, l)| (k.as_str(), *l))
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// `str()` of a scalar, as Mako text. Lists and dictionaries are errors.
///
/// # Errors
/// When `node` is a list or a dictionary.
pub fn text(node: &Node, what: &str) -> Result<Text> {
    match node.python_str() {
        Some(s) => Ok(Text {
            source: s.into_owned(),
            line: node.line,
        }),
        None => Err(BlockError::new(
            node.line,
            format!("{what} must be text, not {}", node.kind()),
        )),
    }
}

/// Optional [`text`].
///
/// # Errors
/// As [`text`].
pub fn opt_text(node: Option<&Node>, what: &str) -> Result<Option<Text>> {
    node.map(|n| text(n, what)).transpose()
}

/// Python source from a scalar (`str()` of non-text scalars, as docassemble compiles
/// `str(value)`).
///
/// # Errors
/// When `node` is a list or a dictionary.
pub fn python(node: &Node, what: &str) -> Result<Python> {
    match node.python_str() {
        Some(s) => Ok(Python {
            source: s.into_owned(),
            line: node.line,
        }),
        None => Err(BlockError::new(
            node.line,
            format!(
                "{what} must be Python code written as text, not {}",
                node.kind()
            ),
        )),
    }
}

/// Python source that must be written as text (not a number or true/false).
///
/// # Errors
/// When `node` is not a string.
pub fn python_str(node: &Node, what: &str) -> Result<Python> {
    match node.as_str() {
        Some(s) => Ok(Python {
            source: s.to_string(),
            line: node.line,
        }),
        None => Err(BlockError::new(
            node.line,
            format!(
                "{what} must be Python code written as text, not {}",
                node.kind()
            ),
        )),
    }
}

/// A variable name; must be text.
///
/// # Errors
/// When `node` is not text or is empty.
pub fn var(node: &Node, what: &str) -> Result<Var> {
    let Some(s) = node.as_str() else {
        return Err(BlockError::new(
            node.line,
            format!(
                "{what} must be a variable name written as text, not {}",
                node.kind()
            ),
        ));
    };
    let name = s.trim();
    if name.is_empty() {
        return Err(BlockError::new(
            node.line,
            format!("{what} is an empty variable name"),
        ));
    }
    Ok(Var {
        name: name.to_string(),
        line: node.line,
    })
}

/// A text item or a list of text items.
///
/// # Errors
/// When `node` is neither.
pub fn str_list(node: &Node, what: &str) -> Result<Vec<(String, u32)>> {
    let one = |n: &Node| -> Result<(String, u32)> {
        match (&n.value, n.python_str()) {
            (Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Timestamp(_), Some(s)) => {
                Ok((s.into_owned(), n.line))
            }
            _ => Err(BlockError::new(
                n.line,
                format!(
                    "{what} must be text or a list of text items, not {}",
                    n.kind()
                ),
            )),
        }
    };
    match &node.value {
        Value::Seq(items) => items.iter().map(one).collect(),
        _ => Ok(vec![one(node)?]),
    }
}

/// A variable name or a list of them.
///
/// # Errors
/// When an item is not text.
pub fn var_list(node: &Node, what: &str) -> Result<Vec<Var>> {
    match &node.value {
        Value::Seq(items) => items.iter().map(|n| var(n, what)).collect(),
        _ => Ok(vec![var(node, what)?]),
    }
}

/// A Python expression or a list of them.
///
/// # Errors
/// When an item is a list or a dictionary.
pub fn python_list(node: &Node, what: &str) -> Result<Vec<Python>> {
    match &node.value {
        Value::Seq(items) => items.iter().map(|n| python(n, what)).collect(),
        _ => Ok(vec![python(node, what)?]),
    }
}

/// `True`/`False`/null or an expression.
///
/// # Errors
/// When `node` is a list or a dictionary.
pub fn cond(node: &Node, what: &str) -> Result<Cond> {
    match &node.value {
        Value::Bool(b) => Ok(Cond::Const(*b)),
        Value::Null => Ok(Cond::Const(false)),
        Value::Str(s) if s.trim().is_empty() => Ok(Cond::Const(false)),
        _ => Ok(Cond::Code(python(node, what)?)),
    }
}

/// A boolean; anything else is an error.
///
/// # Errors
/// When `node` is not true/false.
pub fn boolean(node: &Node, what: &str) -> Result<bool> {
    match node.value {
        Value::Bool(b) => Ok(b),
        _ => Err(BlockError::new(
            node.line,
            format!("{what} must be True or False, not {}", node.kind()),
        )),
    }
}

/// Python truthiness of a scalar YAML value.
pub fn truthy(node: &Node) -> bool {
    match &node.value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) | Value::Timestamp(s) => !s.is_empty(),
        Value::Seq(s) => !s.is_empty(),
        Value::Map(m) => !m.is_empty(),
    }
}

/// The entries of a mapping whose keys are text, in order.
///
/// # Errors
/// When `node` is not a mapping or a key is not text.
pub fn str_map<'a>(node: &'a Node, what: &str) -> Result<Vec<(&'a str, &'a Node)>> {
    let Some(map) = node.as_map() else {
        return Err(BlockError::new(
            node.line,
            format!("{what} must be a dictionary, not {}", node.kind()),
        ));
    };
    map.iter()
        .map(|(k, v)| match k.as_str() {
            Some(s) => Ok((s, v)),
            None => Err(BlockError::new(
                k.line,
                format!("the keys of {what} must be text, not {}", k.kind()),
            )),
        })
        .collect()
}

/// A free-form node.
pub fn raw(node: &Node) -> Raw {
    Raw(node.clone())
}

/// An error on `line`.
pub fn err<T>(line: u32, message: impl Into<String>) -> Result<T> {
    Err(BlockError::new(line, message))
}
