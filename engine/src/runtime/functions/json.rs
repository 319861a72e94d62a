//! A small JSON encoder for Python values (`json_response`, `url_action` arguments) and the
//! base64 used in docassemble URLs.

use pyeval::{Interp, ObjKind, PyResult, Value};

/// `json.dumps` options: `indent` (`None`: one line) and `sort_keys`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DumpOptions {
    /// Spaces per level; items on their own lines when set.
    pub indent: Option<usize>,
    /// Dict keys sorted.
    pub sort_keys: bool,
}

/// `json.dumps(v)`.
pub fn dumps(cx: &mut Interp<'_>, v: &Value) -> PyResult<String> {
    dumps_with(cx, v, DumpOptions::default())
}

/// `json.dumps(v, indent=…, sort_keys=…)`.
pub fn dumps_with(cx: &mut Interp<'_>, v: &Value, opts: DumpOptions) -> PyResult<String> {
    let mut out = String::new();
    write(cx, v, &mut out, 0, opts)?;
    Ok(out)
}

/// Between items: `", "`, or a newline and the indent of `depth` when indenting.
fn separator(out: &mut String, depth: u32, opts: DumpOptions, first: bool) {
    match opts.indent {
        Some(n) => {
            if !first {
                out.push(',');
            }
            out.push('\n');
            out.push_str(&" ".repeat(n * depth as usize));
        }
        None if !first => out.push_str(", "),
        None => {}
    }
}

/// Before a closing bracket of a non-empty container.
fn closing(out: &mut String, depth: u32, opts: DumpOptions) {
    if let Some(n) = opts.indent {
        out.push('\n');
        out.push_str(&" ".repeat(n * depth as usize));
    }
}

fn write(
    cx: &mut Interp<'_>,
    v: &Value,
    out: &mut String,
    depth: u32,
    opts: DumpOptions,
) -> PyResult<()> {
    if depth > 64 {
        return Err(pyeval::Flow::raise(
            "ValueError",
            "Circular reference detected",
        ));
    }
    match v {
        Value::None => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) if f.is_nan() => out.push_str("NaN"),
        Value::Float(f) if f.is_infinite() => {
            out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" })
        }
        Value::Float(f) => out.push_str(&pyeval::format::float_repr(*f)),
        Value::Str(s) => string(s, out),
        Value::Tuple(items) => {
            let items = items.to_vec();
            seq(cx, &items, out, depth, opts)?;
        }
        Value::Ref(id) => {
            let kind = cx.heap().get(*id).map(|o| o.kind.clone());
            match kind {
                Some(ObjKind::List(items)) => seq(cx, &items, out, depth, opts)?,
                Some(ObjKind::Set(s)) => {
                    let items: Vec<Value> = s.iter().cloned().collect();
                    seq(cx, &items, out, depth, opts)?;
                }
                Some(ObjKind::Dict(d)) => {
                    let mut entries = Vec::new();
                    for (k, val) in d.iter() {
                        let key = match k {
                            Value::Str(s) => s.to_string(),
                            Value::None => "null".into(),
                            Value::Bool(b) => if *b { "true" } else { "false" }.into(),
                            other => cx.to_str(other)?,
                        };
                        entries.push((key, val.clone()));
                    }
                    if opts.sort_keys {
                        entries.sort_by(|a, b| a.0.cmp(&b.0));
                    }
                    out.push('{');
                    for (i, (key, val)) in entries.iter().enumerate() {
                        separator(out, depth + 1, opts, i == 0);
                        string(key, out);
                        out.push_str(": ");
                        write(cx, val, out, depth + 1, opts)?;
                    }
                    if !entries.is_empty() {
                        closing(out, depth, opts);
                    }
                    out.push('}');
                }
                _ => {
                    let s = cx.to_str(v)?;
                    string(&s, out);
                }
            }
        }
        other => {
            let s = cx.to_str(other)?;
            string(&s, out);
        }
    }
    Ok(())
}

fn seq(
    cx: &mut Interp<'_>,
    items: &[Value],
    out: &mut String,
    depth: u32,
    opts: DumpOptions,
) -> PyResult<()> {
    out.push('[');
    for (i, x) in items.iter().enumerate() {
        separator(out, depth + 1, opts, i == 0);
        write(cx, x, out, depth + 1, opts)?;
    }
    if !items.is_empty() {
        closing(out, depth, opts);
    }
    out.push(']');
    Ok(())
}

/// A JSON string literal (non-ASCII escaped, as `ensure_ascii=True`).
pub fn string(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// docassemble's `myb64quote`: standard base64 with `=` and newlines removed.
pub fn b64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Percent-encodes a URL query value.
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_docassemble() {
        assert_eq!(b64(b"favorite_fruit"), "ZmF2b3JpdGVfZnJ1aXQ");
        assert_eq!(b64(b"likes_turnips"), "bGlrZXNfdHVybmlwcw");
        assert_eq!(b64(b"fruit['apple']"), "ZnJ1aXRbJ2FwcGxlJ10");
        assert_eq!(b64(b"x[i]"), "eFtpXQ");
        assert_eq!(quote("a+b/c="), "a%2Bb%2Fc%3D");
    }
}
