//! The app's JSON values. Parsing is miniserde's (a parser without per-type generic code, so
//! the app's WASM stays small); the app then reads documents by hand through [`Json`] and
//! [`Obj`] instead of deriving deserialisers (serde's derived visitors and serde_json were a
//! quarter of the first download).
//!
//! Numbers keep whether they were written as integers: docassemble posts a choice value `1`
//! as `1` and `2.0` as `2.0`, so the difference reaches the server.

use std::collections::BTreeMap;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json {
    /// `null`.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number written without fraction or exponent that fits an `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Json>),
    /// An object (keys sorted).
    Object(BTreeMap<String, Json>),
}

/// Nesting deeper than this is cut off (read as `null`) when converting a parsed document.
const MAX_DEPTH: usize = 128;

/// Why a text is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotJson;

impl std::fmt::Display for NotJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("it is not valid JSON")
    }
}

impl Json {
    /// Parses a JSON text.
    ///
    /// # Errors
    /// [`NotJson`] when the text is not one JSON value.
    pub fn parse(text: &str) -> Result<Json, NotJson> {
        let v: miniserde::json::Value = miniserde::json::from_str(text).map_err(|_| NotJson)?;
        Ok(convert(&v, 0))
    }

    /// The member `key` of an object (`None` for other values or a missing key).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(m) => m.get(key),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// An integer (a float with no fraction counts).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Int(i) => Some(*i),
            Json::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            _ => None,
        }
    }

    /// Any number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Int(i) => Some(*i as f64),
            Json::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Whether it is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// Reads an object's members (an empty reader for other values).
    pub fn obj(&self) -> Obj<'_> {
        Obj(match self {
            Json::Object(m) => Some(m),
            _ => None,
        })
    }

    /// The JSON text of the value.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(i) => out.push_str(&i.to_string()),
            Json::Float(f) if f.is_finite() => out.push_str(&crate::num::f64_text(*f)),
            Json::Float(_) => out.push_str("null"),
            Json::Str(s) => write_str(s, out),
            Json::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            Json::Object(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn convert(v: &miniserde::json::Value, depth: usize) -> Json {
    use miniserde::json::{Number, Value};
    if depth > MAX_DEPTH {
        return Json::Null;
    }
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(Number::I64(i)) => Json::Int(*i),
        Value::Number(Number::U64(u)) => match i64::try_from(*u) {
            Ok(i) => Json::Int(i),
            Err(_) => Json::Float(*u as f64),
        },
        Value::Number(Number::F64(f)) => Json::Float(*f),
        Value::String(s) => Json::Str(s.clone()),
        Value::Array(a) => Json::Array(a.iter().map(|x| convert(x, depth + 1)).collect()),
        Value::Object(m) => {
            // Inserted one by one: collecting into a map would link a sort per map type.
            let mut out = BTreeMap::new();
            for (k, x) in m.iter() {
                out.insert(k.clone(), convert(x, depth + 1));
            }
            Json::Object(out)
        }
    }
}

/// Writes `s` as a JSON string.
pub fn write_str(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The JSON text of a string → string map (the answers handed to the evaluator).
pub fn string_map_text(map: &BTreeMap<String, String>) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(k, &mut out);
        out.push(':');
        write_str(v, &mut out);
    }
    out.push('}');
    out
}

/// Lenient reading of an object's members: a missing member, `null` or a member of another
/// type reads as absent (or the type's empty value), so a newer server does not break the app.
#[derive(Clone, Copy)]
pub struct Obj<'a>(Option<&'a BTreeMap<String, Json>>);

impl<'a> Obj<'a> {
    /// The member `key`, unless missing or `null`.
    pub fn get(&self, key: &str) -> Option<&'a Json> {
        self.0?.get(key).filter(|v| !v.is_null())
    }

    /// The member `key` even when it is `null` (`None` only when missing).
    pub fn get_or_null(&self, key: &str) -> Option<&'a Json> {
        self.0?.get(key)
    }

    /// A string member.
    pub fn opt_str(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Json::as_str).map(String::from)
    }

    /// A string member, `""` when absent.
    pub fn str(&self, key: &str) -> String {
        self.opt_str(key).unwrap_or_default()
    }

    /// A boolean member.
    pub fn opt_bool(&self, key: &str) -> Option<bool> {
        self.get(key).and_then(Json::as_bool)
    }

    /// A boolean member, `false` when absent.
    pub fn bool(&self, key: &str) -> bool {
        self.opt_bool(key).unwrap_or(false)
    }

    /// An integer member.
    pub fn opt_i64(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Json::as_i64)
    }

    /// A number member.
    pub fn opt_f64(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(Json::as_f64)
    }

    /// Any member, cloned (`None` when missing or `null`).
    pub fn value(&self, key: &str) -> Option<Json> {
        self.get(key).cloned()
    }

    /// An array member's items read by `item` (empty when absent).
    pub fn list<T>(&self, key: &str, item: impl Fn(&Json) -> T) -> Vec<T> {
        self.get(key)
            .and_then(Json::as_array)
            .map(|a| a.iter().map(item).collect())
            .unwrap_or_default()
    }

    /// An array member of strings (other items are left out).
    pub fn strings(&self, key: &str) -> Vec<String> {
        self.get(key)
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Json::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// An object member of strings (members of other types are left out).
    pub fn string_map(&self, key: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        if let Some(Json::Object(m)) = self.get(key) {
            for (k, v) in m {
                if let Some(s) = v.as_str() {
                    out.insert(k.clone(), s.to_string());
                }
            }
        }
        out
    }

    /// An object member, as it is.
    pub fn map(&self, key: &str) -> BTreeMap<String, Json> {
        match self.get(key) {
            Some(Json::Object(m)) => m.clone(),
            _ => BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_integer_or_float() {
        let v = Json::parse(r#"[1, -2, 2.0, 1.5, 1e2, 18446744073709551615]"#).unwrap();
        let a = v.as_array().unwrap();
        assert_eq!(a[0], Json::Int(1));
        assert_eq!(a[1], Json::Int(-2));
        assert_eq!(a[2], Json::Float(2.0));
        assert_eq!(a[3], Json::Float(1.5));
        assert_eq!(a[4].as_f64(), Some(100.0));
        assert_eq!(a[5], Json::Float(18446744073709551615.0));
    }

    #[test]
    fn objects_read_leniently() {
        let v = Json::parse(r#"{"a":"x","b":null,"c":3,"d":[1,"y"],"e":{"k":"v","n":1},"f":true}"#)
            .unwrap();
        let o = v.obj();
        assert_eq!(o.str("a"), "x");
        assert_eq!(o.opt_str("b"), None);
        assert_eq!(o.opt_str("c"), None);
        assert_eq!(o.opt_i64("c"), Some(3));
        assert_eq!(o.strings("d"), ["y"]);
        assert_eq!(o.list("d", Json::as_i64), [Some(1), None]);
        assert_eq!(o.string_map("e").len(), 1);
        assert!(o.bool("f"));
        assert!(!o.bool("missing"));
        assert_eq!(Json::Int(1).obj().str("a"), "");
    }

    #[test]
    fn bad_text_is_an_error_not_a_panic() {
        for bad in ["", "{", "[1,", "{\"a\" 1}", "nul", "\"\\x\"", "{} {}"] {
            assert_eq!(Json::parse(bad), Err(NotJson), "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_cut_off() {
        let text = format!("{}{}", "[".repeat(500), "]".repeat(500));
        let mut v = &Json::parse(&text).unwrap();
        let mut depth = 0;
        while let Some([inner]) = v.as_array() {
            v = inner;
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH + 1);
    }

    #[test]
    fn text_round_trips() {
        let text = r#"{"a":[1,2.5,null,true],"b":"q\"\\\n\u0001é"}"#;
        let v = Json::parse(text).unwrap();
        assert_eq!(Json::parse(&v.to_text()).unwrap(), v);
        let mut m = BTreeMap::new();
        m.insert("k\"".to_string(), "v\n".to_string());
        assert_eq!(string_map_text(&m), r#"{"k\"":"v\n"}"#);
    }
}
