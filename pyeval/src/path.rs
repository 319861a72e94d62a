//! Variable paths in docassemble's `a.b[0]['k']` text form: [`Path`] (concrete, as carried by
//! objects and reported by [`crate::NeedsVar`]) and [`PathPattern`] (assignment targets, whose
//! indices may be variable names such as `people[i].name`).

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::format::repr_str;

/// An interned-ish identifier.
pub type Name = Arc<str>;

/// One step of a concrete path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Seg {
    /// `.name`
    Attr(Name),
    /// `[3]`
    Index(i64),
    /// `['key']`
    Key(Arc<str>),
}

/// A concrete variable path: `children[0].name.first`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Path {
    /// The global variable the path starts from.
    pub root: Name,
    /// Attribute / index / key steps.
    pub segs: Vec<Seg>,
}

impl Path {
    /// A path that is just a global name.
    pub fn name(root: &str) -> Self {
        Path {
            root: Arc::from(root),
            segs: Vec::new(),
        }
    }
    /// This path extended by one step.
    pub fn child(&self, seg: Seg) -> Self {
        let mut p = self.clone();
        p.segs.push(seg);
        p
    }
    /// This path extended by `.attr`.
    pub fn attr(&self, attr: &str) -> Self {
        self.child(Seg::Attr(Arc::from(attr)))
    }
    /// This path extended by `[i]`.
    pub fn index(&self, i: i64) -> Self {
        self.child(Seg::Index(i))
    }
    /// Parses `a.b[0]['k']`.
    pub fn parse(s: &str) -> Result<Path, PathParseError> {
        let pat = PathPattern::parse(s)?;
        let segs = pat
            .segs
            .into_iter()
            .map(|s| match s {
                PatSeg::Attr(a) => Ok(Seg::Attr(a)),
                PatSeg::Index(i) => Ok(Seg::Index(i)),
                PatSeg::Key(k) => Ok(Seg::Key(k)),
                PatSeg::Var(v) => Err(PathParseError(format!(
                    "variable index [{v}] in a concrete path"
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Path {
            root: pat.root,
            segs,
        })
    }
    /// Whether `self` is `other` or starts with it.
    pub fn starts_with(&self, other: &Path) -> bool {
        self.root == other.root
            && self.segs.len() >= other.segs.len()
            && self.segs[..other.segs.len()] == other.segs[..]
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.root)?;
        for s in &self.segs {
            match s {
                Seg::Attr(a) => write!(f, ".{a}")?,
                Seg::Index(i) => write!(f, "[{i}]")?,
                Seg::Key(k) => write!(f, "[{}]", repr_str(k))?,
            }
        }
        Ok(())
    }
}

/// One step of a [`PathPattern`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PatSeg {
    /// `.name`
    Attr(Name),
    /// `[3]`
    Index(i64),
    /// `['key']`
    Key(Arc<str>),
    /// `[i]`: a subscript whose index is a variable name.
    Var(Name),
}

/// A normalised assignment target, e.g. `people[i].name.first` or `d['k']`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PathPattern {
    /// The root name.
    pub root: Name,
    /// The steps.
    pub segs: Vec<PatSeg>,
}

impl PathPattern {
    /// A bare name pattern.
    pub fn name(root: &str) -> Self {
        PathPattern {
            root: Arc::from(root),
            segs: Vec::new(),
        }
    }
    /// Parses `a.b[i]['k'][0]` (keys in single or double quotes).
    pub fn parse(s: &str) -> Result<PathPattern, PathParseError> {
        let err = |m: &str| PathParseError(format!("{m} in path {s:?}"));
        let b = s.trim().as_bytes();
        let mut i = 0;
        let ident = |i: &mut usize| -> Option<Name> {
            let st = *i;
            while *i < b.len() && (b[*i] == b'_' || b[*i].is_ascii_alphanumeric() || b[*i] >= 0x80)
            {
                *i += 1;
            }
            if *i == st || b[st].is_ascii_digit() {
                return None;
            }
            std::str::from_utf8(&b[st..*i]).ok().map(Arc::from)
        };
        let root = ident(&mut i).ok_or_else(|| err("expected a name"))?;
        let mut segs = Vec::new();
        while i < b.len() {
            match b[i] {
                b'.' => {
                    i += 1;
                    segs.push(PatSeg::Attr(
                        ident(&mut i).ok_or_else(|| err("expected an attribute"))?,
                    ));
                }
                b'[' => {
                    i += 1;
                    let seg = match b.get(i) {
                        Some(&q) if q == b'\'' || q == b'"' => {
                            i += 1;
                            let rest =
                                std::str::from_utf8(&b[i..]).map_err(|_| err("invalid UTF-8"))?;
                            let (key, used) = unescape_until(rest, q as char)
                                .ok_or_else(|| err("bad string key"))?;
                            i += used;
                            PatSeg::Key(Arc::from(key))
                        }
                        Some(c) if c.is_ascii_digit() || *c == b'-' => {
                            let st = i;
                            i += 1;
                            while i < b.len() && b[i].is_ascii_digit() {
                                i += 1;
                            }
                            let t = std::str::from_utf8(&b[st..i]).map_err(|_| err("bad index"))?;
                            PatSeg::Index(t.parse().map_err(|_| err("bad index"))?)
                        }
                        _ => PatSeg::Var(ident(&mut i).ok_or_else(|| err("bad subscript"))?),
                    };
                    if b.get(i) != Some(&b']') {
                        return Err(err("expected ']'"));
                    }
                    i += 1;
                    segs.push(seg);
                }
                _ => return Err(err("unexpected character")),
            }
        }
        Ok(PathPattern { root, segs })
    }
}

impl fmt::Display for PathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.root)?;
        for s in &self.segs {
            match s {
                PatSeg::Attr(a) => write!(f, ".{a}")?,
                PatSeg::Index(i) => write!(f, "[{i}]")?,
                PatSeg::Key(k) => write!(f, "[{}]", repr_str(k))?,
                PatSeg::Var(v) => write!(f, "[{v}]")?,
            }
        }
        Ok(())
    }
}

impl From<&Path> for PathPattern {
    fn from(p: &Path) -> Self {
        PathPattern {
            root: p.root.clone(),
            segs: p
                .segs
                .iter()
                .map(|s| match s {
                    Seg::Attr(a) => PatSeg::Attr(a.clone()),
                    Seg::Index(i) => PatSeg::Index(*i),
                    Seg::Key(k) => PatSeg::Key(k.clone()),
                })
                .collect(),
        }
    }
}

/// Reads a Python string body up to the closing `quote`, handling escapes; returns the text
/// and the number of bytes consumed (including the quote).
fn unescape_until(s: &str, quote: char) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut it = s.char_indices();
    while let Some((i, c)) = it.next() {
        if c == quote {
            return Some((out, i + c.len_utf8()));
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let (_, e) = it.next()?;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '0' => out.push('\0'),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut code = 0u32;
                for _ in 0..n {
                    let (_, h) = it.next()?;
                    code = code * 16 + h.to_digit(16)?;
                }
                out.push(char::from_u32(code)?);
            }
            other => out.push(other),
        }
    }
    None
}

/// A malformed path string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PathParseError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_parse() {
        let p = Path::name("children").index(0).attr("name").attr("first");
        assert_eq!(p.to_string(), "children[0].name.first");
        assert_eq!(Path::parse("children[0].name.first").unwrap(), p);
        let d = Path::name("d").child(Seg::Key(Arc::from("k")));
        assert_eq!(d.to_string(), "d['k']");
        assert_eq!(Path::parse("d[\"k\"]").unwrap(), d);
        let q = PathPattern::parse("people[i].name").unwrap();
        assert_eq!(q.to_string(), "people[i].name");
        assert!(Path::parse("people[i]").is_err());
        assert!(Path::parse("1abc").is_err());
        assert!(Path::parse("a.").is_err());
        assert_eq!(Path::parse("x[-1]").unwrap().to_string(), "x[-1]");
        assert_eq!(
            Path::parse("x[\"it's\"]").unwrap().to_string(),
            "x[\"it's\"]"
        );
    }
}
