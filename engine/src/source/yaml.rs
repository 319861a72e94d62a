//! A small YAML 1.2 node tree with line numbers, built from `saphyr-parser` events.
//!
//! This reproduces what docassemble gets from `ruamel.yaml` with `typ=['safe', 'string']`:
//!
//! * plain scalars are resolved with the YAML 1.2 core schema as ruamel implements it:
//!   `null`/`Null`/`NULL`/`~`/empty → null; `true`/`True`/`TRUE`/`false`/`False`/`FALSE` → bool
//!   (`yes`, `no`, `on`, `off` stay strings); `010` → 10, `0o10` → 8, `0x1f`, `0b101`, `1_000`
//!   → ints; `1.5`, `1e3`, `.inf`, `.nan` → floats;
//! * dates and timestamps (`2020-01-01`, `2020-01-01 10:00:00`) become [`Value::Timestamp`],
//!   which keeps the source text (Python would build a `date`/`datetime`; its `str()` is the
//!   same text for dates);
//! * quoted and block scalars are always strings; core tags (`!!str`, `!!int`, …) are honoured
//!   and any other tag is an error, as with ruamel's safe loader;
//! * a duplicate key in a mapping is an error; anchors and aliases are expanded (with a size
//!   limit), and `<<` merge keys are applied.

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};
use std::borrow::Cow;

/// A YAML node with the 1-based line (within the parsed text) on which it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// The line on which the node starts.
    pub line: u32,
}

/// A YAML value after YAML 1.2 resolution.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true`/`false`.
    Bool(bool),
    /// An integer that fits in `i64`.
    Int(i64),
    /// A float (also used for integers too large for `i64`).
    Float(f64),
    /// A string.
    Str(String),
    /// A date or timestamp, as its source text.
    Timestamp(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order (keys are unique).
    Map(Vec<(Node, Node)>),
}

/// A YAML error with the 1-based line within the parsed text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    /// The line of the problem.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

/// The largest number of nodes alias expansion may create (guards against "billion laughs").
const MAX_NODES: usize = 1_000_000;
/// The deepest nesting accepted.
const MAX_DEPTH: usize = 256;

impl Node {
    /// The node as JSON: maps become objects (keys as Python's `str()`), sequences arrays,
    /// other scalars strings.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(pairs) => {
                let mut m = serde_json::Map::new();
                for (k, v) in pairs {
                    let key = k.python_str().map(|s| s.into_owned()).unwrap_or_default();
                    m.insert(key, v.to_json());
                }
                serde_json::Value::Object(m)
            }
            _ => serde_json::Value::String(
                self.python_str()
                    .map(|s| s.into_owned())
                    .unwrap_or_default(),
            ),
        }
    }

    /// The string if this is a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The entries if this is a mapping.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The items if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The value of key `key` if this is a mapping with a string key equal to `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// True for scalars (not sequences or mappings).
    pub fn is_scalar(&self) -> bool {
        !matches!(self.value, Value::Seq(_) | Value::Map(_))
    }

    /// Python's `str()` of a scalar value (`True`, `None`, `10`, `1.5`, text); `None` for
    /// sequences and mappings.
    pub fn python_str(&self) -> Option<Cow<'_, str>> {
        Some(match &self.value {
            Value::Null => Cow::Borrowed("None"),
            Value::Bool(true) => Cow::Borrowed("True"),
            Value::Bool(false) => Cow::Borrowed("False"),
            Value::Int(i) => Cow::Owned(i.to_string()),
            Value::Float(f) => Cow::Owned(python_float(*f)),
            Value::Str(s) | Value::Timestamp(s) => Cow::Borrowed(s.as_str()),
            Value::Seq(_) | Value::Map(_) => return None,
        })
    }

    /// A short description of the kind of value, for error messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "a true/false value",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Timestamp(_) => "a date",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a dictionary",
        }
    }
}

/// Formats a float like Python's `str(float)`.
pub fn python_float(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf".into() } else { "-inf".into() }
    } else if f == f.trunc() && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

/// Parses one YAML document (a chunk). Returns `Ok(None)` for an empty document.
///
/// # Errors
/// Syntax errors, more than one document, duplicate keys, unknown tags, undefined aliases.
pub fn parse_document(text: &str) -> Result<Option<Node>, YamlError> {
    let mut builder = Builder {
        parser: Parser::new_from_str(text),
        anchors: Vec::new(),
        nodes: 0,
    };
    builder.document()
}

struct Builder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: Vec<(usize, Node)>,
    nodes: usize,
}

fn line_of(span: &Span) -> u32 {
    u32::try_from(span.start.line()).unwrap_or(u32::MAX).max(1)
}

fn scan_error(e: &ScanError) -> YamlError {
    YamlError {
        line: u32::try_from(e.marker().line()).unwrap_or(u32::MAX).max(1),
        message: e.info().to_string(),
    }
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), YamlError> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => Err(scan_error(&e)),
            None => Err(YamlError {
                line: 1,
                message: "unexpected end of YAML input".into(),
            }),
        }
    }

    fn document(&mut self) -> Result<Option<Node>, YamlError> {
        let mut root: Option<Option<Node>> = None;
        loop {
            let (ev, span) = self.next()?;
            match ev {
                Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
                Event::StreamEnd => return Ok(root.flatten()),
                Event::DocumentStart(_) => {
                    if root.is_some() {
                        return Err(YamlError {
                            line: line_of(&span),
                            message: "expected a single document in the block, but found another \
                                      document"
                                .into(),
                        });
                    }
                    let (ev, span) = self.next()?;
                    if matches!(ev, Event::DocumentEnd) {
                        // An empty document.
                        root = Some(None);
                        continue;
                    }
                    root = Some(Some(self.node(ev, span, 0)?));
                }
                other => {
                    return Err(YamlError {
                        line: line_of(&span),
                        message: format!("unexpected YAML event {other:?}"),
                    });
                }
            }
        }
    }

    fn count(&mut self, line: u32) -> Result<(), YamlError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(YamlError {
                line,
                message: "the YAML document is too large (alias expansion)".into(),
            });
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor > 0 {
            self.anchors.push((anchor, node.clone()));
        }
    }

    fn node(&mut self, ev: Event<'a>, span: Span, depth: usize) -> Result<Node, YamlError> {
        let line = line_of(&span);
        if depth > MAX_DEPTH {
            return Err(YamlError {
                line,
                message: "the YAML is nested too deeply".into(),
            });
        }
        self.count(line)?;
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let value = resolve_scalar(&text, style, tag.as_deref(), line)?;
                let node = Node { value, line };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::Alias(id) => {
                let found = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n.clone());
                match found {
                    Some(mut n) => {
                        let size = node_size(&n);
                        self.nodes = self.nodes.saturating_add(size);
                        self.count(line)?;
                        n.line = line;
                        Ok(n)
                    }
                    None => Err(YamlError {
                        line,
                        message: "found an undefined alias".into(),
                    }),
                }
            }
            Event::SequenceStart(anchor, tag) => {
                check_collection_tag(tag.as_deref(), "seq", line)?;
                let mut items = Vec::new();
                loop {
                    let (ev, span) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(ev, span, depth + 1)?);
                }
                let node = Node {
                    value: Value::Seq(items),
                    line,
                };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::MappingStart(anchor, tag) => {
                check_collection_tag(tag.as_deref(), "map", line)?;
                let mut entries: Vec<(Node, Node)> = Vec::new();
                let mut merges: Vec<Node> = Vec::new();
                loop {
                    let (ev, span) = self.next()?;
                    if matches!(ev, Event::MappingEnd) {
                        break;
                    }
                    let is_merge =
                        matches!(&ev, Event::Scalar(t, ScalarStyle::Plain, _, None) if t == "<<");
                    let key = self.node(ev, span, depth + 1)?;
                    let (ev, span) = self.next()?;
                    let value = self.node(ev, span, depth + 1)?;
                    if is_merge {
                        merges.push(value);
                        continue;
                    }
                    if let Some((first, _)) = entries.iter().find(|(k, _)| same_key(k, &key)) {
                        return Err(YamlError {
                            line: key.line,
                            message: format!(
                                "found duplicate key {} (first given on line {})",
                                key_text(&key),
                                first.line
                            ),
                        });
                    }
                    entries.push((key, value));
                }
                for merge in merges {
                    apply_merge(&mut entries, merge)?;
                }
                let node = Node {
                    value: Value::Map(entries),
                    line,
                };
                self.remember(anchor, &node);
                Ok(node)
            }
            other => Err(YamlError {
                line,
                message: format!("unexpected YAML event {other:?}"),
            }),
        }
    }
}

fn node_size(n: &Node) -> usize {
    match &n.value {
        Value::Seq(items) => 1 + items.iter().map(node_size).sum::<usize>(),
        Value::Map(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| node_size(k) + node_size(v))
                .sum::<usize>()
        }
        _ => 1,
    }
}

/// Merges the mapping(s) of a `<<` value into `entries` (existing keys win).
fn apply_merge(entries: &mut Vec<(Node, Node)>, merge: Node) -> Result<(), YamlError> {
    let line = merge.line;
    let maps = match merge.value {
        Value::Map(m) => vec![m],
        Value::Seq(items) => {
            let mut maps = Vec::new();
            for item in items {
                match item.value {
                    Value::Map(m) => maps.push(m),
                    _ => {
                        return Err(YamlError {
                            line: item.line,
                            message: "a merge key (<<) needs a mapping or a list of mappings"
                                .into(),
                        });
                    }
                }
            }
            maps
        }
        _ => {
            return Err(YamlError {
                line,
                message: "a merge key (<<) needs a mapping or a list of mappings".into(),
            });
        }
    };
    for map in maps {
        for (k, v) in map {
            if !entries.iter().any(|(e, _)| same_key(e, &k)) {
                entries.push((k, v));
            }
        }
    }
    Ok(())
}

/// Key equality for duplicate detection (Python dict semantics for scalars).
fn same_key(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => (*x as f64) == *y,
        (Value::Bool(x), Value::Int(y)) | (Value::Int(y), Value::Bool(x)) => i64::from(*x) == *y,
        (x, y) => x == y,
    }
}

fn key_text(n: &Node) -> String {
    match n.python_str() {
        Some(s) => format!("'{s}'"),
        None => format!("({})", n.kind()),
    }
}

fn check_collection_tag(tag: Option<&Tag>, expected: &str, line: u32) -> Result<(), YamlError> {
    match tag {
        None => Ok(()),
        Some(t) if t.is_yaml_core_schema() && t.suffix == expected => Ok(()),
        Some(t) => Err(YamlError {
            line,
            message: format!("could not determine a constructor for the tag '{t}'"),
        }),
    }
}

fn resolve_scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    line: u32,
) -> Result<Value, YamlError> {
    if let Some(tag) = tag {
        let bad = || YamlError {
            line,
            message: format!("could not determine a constructor for the tag '{tag}'"),
        };
        if !tag.is_yaml_core_schema() {
            // A non-specific `!` tag on a quoted scalar means string.
            if tag.handle == "!" && tag.suffix.is_empty() {
                return Ok(Value::Str(text.to_string()));
            }
            return Err(bad());
        }
        let invalid = |what: &str| YamlError {
            line,
            message: format!("'{text}' is not a valid {what}"),
        };
        return match tag.suffix.as_str() {
            "str" => Ok(Value::Str(text.to_string())),
            "null" => Ok(Value::Null),
            "bool" => parse_bool(text)
                .map(Value::Bool)
                .ok_or_else(|| invalid("bool")),
            "int" => parse_int(text).ok_or_else(|| invalid("int")),
            "float" => parse_float(text)
                .or_else(|| match parse_int(text) {
                    Some(Value::Int(i)) => Some(i as f64),
                    _ => None,
                })
                .map(Value::Float)
                .ok_or_else(|| invalid("float")),
            "timestamp" if is_timestamp(text) => Ok(Value::Timestamp(text.to_string())),
            _ => Err(bad()),
        };
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::Str(text.to_string()));
    }
    Ok(resolve_plain(text))
}

/// Resolves a plain scalar with ruamel's YAML 1.2 rules.
pub fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        _ => {}
    }
    if let Some(b) = parse_bool(text) {
        return Value::Bool(b);
    }
    if let Some(v) = parse_int(text) {
        return v;
    }
    if let Some(f) = parse_float(text) {
        return Value::Float(f);
    }
    if is_timestamp(text) {
        return Value::Timestamp(text.to_string());
    }
    Value::Str(text.to_string())
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `[-+]?0b[01_]+ | [-+]?0o?[0-7_]+ | [-+]?[0-9_]+ | [-+]?0x[0-9a-fA-F_]+`, underscores ignored.
fn parse_int(text: &str) -> Option<Value> {
    let (neg, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits) = if let Some(d) = body.strip_prefix("0b") {
        (2, d)
    } else if let Some(d) = body.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = body.strip_prefix("0o") {
        (8, d)
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c == '_' || c.is_digit(radix)) {
        return None;
    }
    // ruamel accepts the `0o?[0-7_]+` form; `0` followed by only underscores is still 0.
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() {
        // Only underscores: Python's int('') would fail; ruamel treats "_" as a string.
        return None;
    }
    let signed = if neg { format!("-{clean}") } else { clean };
    match i64::from_str_radix(&signed, radix) {
        Ok(i) => Some(Value::Int(i)),
        Err(_) => {
            // Too large for i64: keep it as a float approximation.
            let mut acc = 0f64;
            for c in signed.trim_start_matches('-').chars() {
                acc = acc * f64::from(radix) + f64::from(c.to_digit(radix)?);
            }
            Some(Value::Float(if neg { -acc } else { acc }))
        }
    }
}

/// YAML 1.2 floats as ruamel resolves them: a number with a `.` or an exponent, `.inf`, `.nan`.
fn parse_float(text: &str) -> Option<f64> {
    let (neg, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let sign = if neg { -1.0 } else { 1.0 };
    match body {
        ".inf" | ".Inf" | ".INF" => return Some(sign * f64::INFINITY),
        ".nan" | ".NaN" | ".NAN" if text == body => return Some(f64::NAN),
        _ => {}
    }
    let bytes = body.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || (i > int_start && bytes[i] == b'_')) {
        i += 1;
    }
    let has_int = i > int_start;
    let mut has_dot = false;
    let mut has_frac = false;
    if i < bytes.len() && bytes[i] == b'.' {
        has_dot = true;
        i += 1;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'_') {
            has_frac = true;
            i += 1;
        }
    }
    if !(has_int || has_dot && has_frac) {
        return None;
    }
    if !has_int && neg {
        // `-.5` is not in ruamel's 1.2 float pattern.
        return None;
    }
    let mut has_exp = false;
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        let exp_digits = j;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j == exp_digits {
            return None;
        }
        has_exp = true;
        i = j;
    }
    if i != bytes.len() || !(has_dot || has_exp) {
        return None;
    }
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    let clean = if clean.ends_with('.') {
        format!("{clean}0")
    } else {
        clean
    };
    let clean = clean.replace(".e", ".0e").replace(".E", ".0E");
    clean.parse::<f64>().ok().map(|f| sign * f)
}

/// `YYYY-M?M-D?D` alone, or followed by `[Tt]|[ \t]+` and a time.
fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut i = 5;
    let month = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&month) {
        return false;
    }
    i += month;
    if i >= b.len() || b[i] != b'-' {
        return false;
    }
    i += 1;
    let day = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&day) {
        return false;
    }
    i += day;
    if i == b.len() {
        return month == 2 && day == 2;
    }
    // A time part: separator, then H?H:MM:SS...
    let rest = &text[i..];
    let rest = if let Some(r) = rest.strip_prefix(['T', 't']) {
        r
    } else {
        let trimmed = rest.trim_start_matches([' ', '\t']);
        if trimmed.len() == rest.len() {
            return false;
        }
        trimmed
    };
    let rb = rest.as_bytes();
    let hour = rb.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&hour)
        && rb.len() >= hour + 6
        && rb[hour] == b':'
        && rb[hour + 1..hour + 3].iter().all(u8::is_ascii_digit)
        && rb[hour + 3] == b':'
        && rb[hour + 4..hour + 6].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(text: &str) -> Value {
        resolve_plain(text)
    }

    #[test]
    fn yaml_1_2_scalars() {
        assert_eq!(val("yes"), Value::Str("yes".into()));
        assert_eq!(val("no"), Value::Str("no".into()));
        assert_eq!(val("on"), Value::Str("on".into()));
        assert_eq!(val("Off"), Value::Str("Off".into()));
        assert_eq!(val("True"), Value::Bool(true));
        assert_eq!(val("FALSE"), Value::Bool(false));
        assert_eq!(val("010"), Value::Int(10));
        assert_eq!(val("0o10"), Value::Int(8));
        assert_eq!(val("0x1f"), Value::Int(31));
        assert_eq!(val("1_000"), Value::Int(1000));
        assert_eq!(val("-5"), Value::Int(-5));
        assert_eq!(val("1e3"), Value::Float(1000.0));
        assert_eq!(val("1.5"), Value::Float(1.5));
        assert_eq!(val("3."), Value::Float(3.0));
        assert_eq!(val("~"), Value::Null);
        assert_eq!(val("2020-01-01"), Value::Timestamp("2020-01-01".into()));
        assert_eq!(
            val("2020-01-01 10:00:00"),
            Value::Timestamp("2020-01-01 10:00:00".into())
        );
        assert_eq!(val("2020-1-1x"), Value::Str("2020-1-1x".into()));
        assert_eq!(val("1.2.3"), Value::Str("1.2.3".into()));
        assert_eq!(val("0.5"), Value::Float(0.5));
    }

    #[test]
    fn quoted_scalars_are_strings() {
        let n = parse_document("a: 'true'\nb: \"010\"\n").unwrap().unwrap();
        assert_eq!(n.get("a").unwrap().value, Value::Str("true".into()));
        assert_eq!(n.get("b").unwrap().value, Value::Str("010".into()));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = parse_document("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("duplicate key 'a'"), "{}", e.message);
    }

    #[test]
    fn lines_are_tracked() {
        let n = parse_document("\na: 1\nb:\n  - x\n  - y\n")
            .unwrap()
            .unwrap();
        assert_eq!(n.get("a").unwrap().line, 2);
        let items = n.get("b").unwrap().as_seq().unwrap();
        assert_eq!(items[1].line, 5);
    }

    #[test]
    fn anchors_and_merges() {
        let n = parse_document("a: &x {p: 1, q: 2}\nb:\n  <<: *x\n  q: 3\n")
            .unwrap()
            .unwrap();
        let b = n.get("b").unwrap();
        assert_eq!(b.get("p").unwrap().value, Value::Int(1));
        assert_eq!(b.get("q").unwrap().value, Value::Int(3));
    }

    #[test]
    fn empty_and_unknown_tags() {
        assert_eq!(parse_document("").unwrap(), None);
        assert_eq!(parse_document("# just a comment\n").unwrap(), None);
        assert!(parse_document("a: !foo x\n").is_err());
        assert_eq!(
            parse_document("a: !!str 10\n")
                .unwrap()
                .unwrap()
                .get("a")
                .unwrap()
                .value,
            Value::Str("10".into())
        );
    }

    #[test]
    fn syntax_errors_have_lines() {
        let e = parse_document("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
    }
}
