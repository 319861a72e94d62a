//! `Class.using(**kw)`: docassemble's class-with-parameters (`DAObjectPlusParameters`).
//!
//! pyeval represents classes as [`Value::Class`] names; `DAList.using(...)` reaches the host
//! through [`pyeval::Host::call_class_method`] ([`crate::runtime::DaHost`]), which returns a
//! [`Value::Class`] whose name encodes the parameters:
//! `DAList.using(object_type=Individual, there_are_any=True)`. Such a value is serialisable,
//! callable (construction merges the parameters into the keyword arguments), and
//! `isinstance`-compatible (its parent class is the base class).
//!
//! [`prepare_source`] (a source rewrite `Name.using(` → `_da_using(Name, `) is no longer
//! needed and returns its input unchanged; `_da_using` stays callable for old code.

use std::borrow::Cow;

use pyeval::{Flow, Interp, Name, PyResult, Value};

use super::support::type_err;

/// A decoded class-with-parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassSpec {
    /// The base class (`DAList`).
    pub base: String,
    /// The parameters, in order.
    pub params: Vec<(Name, Value)>,
}

/// The base class of a possibly parameterised class name.
pub fn base_of(name: &str) -> &str {
    // Most class names have no parameters: a byte scan settles those without building a
    // substring searcher.
    if !name.as_bytes().contains(&b'(') {
        return name;
    }
    match name.find(".using(") {
        Some(i) => &name[..i],
        None => name,
    }
}

/// Whether a class name carries parameters.
pub fn is_parameterised(name: &str) -> bool {
    name.as_bytes().contains(&b'(') && name.contains(".using(")
}

/// Builds the class value `base.using(**params)`; parameters of an already parameterised class
/// are kept (new ones override).
pub fn encode(cx: &mut Interp<'_>, class: &str, params: &[(Name, Value)]) -> PyResult<Value> {
    let mut spec = decode(cx, class)?;
    for (k, v) in params {
        match spec.params.iter_mut().find(|(n, _)| n == k) {
            Some(slot) => slot.1 = v.clone(),
            None => spec.params.push((k.clone(), v.clone())),
        }
    }
    if spec.params.is_empty() {
        return Ok(Value::Class(Name::from(spec.base.as_str())));
    }
    let mut out = format!("{}.using(", spec.base);
    for (i, (k, v)) in spec.params.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(k);
        out.push('=');
        write_value(cx, v, &mut out, 0)?;
    }
    out.push(')');
    Ok(Value::Class(Name::from(out)))
}

fn write_value(cx: &mut Interp<'_>, v: &Value, out: &mut String, depth: u32) -> PyResult<()> {
    if depth > 8 {
        return Err(type_err("using(): parameters nest too deeply"));
    }
    match v {
        Value::None | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) => {
            out.push_str(&cx.repr(v)?)
        }
        Value::Class(n) => out.push_str(n),
        Value::Tuple(items) => {
            out.push('(');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(cx, x, out, depth + 1)?;
            }
            if items.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Value::Ref(id) if cx.heap().list(*id).is_some() => {
            let items = cx.heap().list(*id).cloned().unwrap_or_default();
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(cx, x, out, depth + 1)?;
            }
            out.push(']');
        }
        other => {
            return Err(type_err(format!(
                "using(): unsupported parameter value {}",
                cx.repr(other)?
            )));
        }
    }
    Ok(())
}

/// Decodes a (possibly parameterised) class name. Lists become new heap lists.
pub fn decode(cx: &mut Interp<'_>, name: &str) -> PyResult<ClassSpec> {
    let Some(i) = name.find(".using(") else {
        return Ok(ClassSpec {
            base: name.to_string(),
            params: Vec::new(),
        });
    };
    let mut p = Parser {
        s: name.as_bytes(),
        i: i + ".using(".len(),
    };
    let mut params = Vec::new();
    loop {
        p.ws();
        if p.eat(b')') {
            break;
        }
        let key = p.ident().ok_or_else(|| bad(name))?;
        p.ws();
        if !p.eat(b'=') {
            return Err(bad(name));
        }
        let v = p.value(cx, name)?;
        params.push((Name::from(key.as_str()), v));
        p.ws();
        if !p.eat(b',') {
            p.ws();
            if p.eat(b')') {
                break;
            }
            return Err(bad(name));
        }
    }
    Ok(ClassSpec {
        base: name[..i].to_string(),
        params,
    })
}

fn bad(name: &str) -> Flow {
    type_err(format!("malformed class parameters: {name}"))
}

struct Parser<'s> {
    s: &'s [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn ident(&mut self) -> Option<String> {
        let st = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c >= 0x80)
        {
            self.i += 1;
        }
        (self.i > st).then(|| String::from_utf8_lossy(&self.s[st..self.i]).into_owned())
    }
    fn value(&mut self, cx: &mut Interp<'_>, name: &str) -> PyResult<Value> {
        self.ws();
        let Some(&c) = self.s.get(self.i) else {
            return Err(bad(name));
        };
        match c {
            b'\'' | b'"' => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    match self.s.get(self.i) {
                        None => return Err(bad(name)),
                        Some(&q) if q == c => {
                            self.i += 1;
                            break;
                        }
                        Some(b'\\') => {
                            let e = *self.s.get(self.i + 1).ok_or_else(|| bad(name))?;
                            match e {
                                b'n' => out.push(b'\n'),
                                b't' => out.push(b'\t'),
                                b'r' => out.push(b'\r'),
                                b'x' => {
                                    let h = self
                                        .s
                                        .get(self.i + 2..self.i + 4)
                                        .ok_or_else(|| bad(name))?;
                                    let h = std::str::from_utf8(h).map_err(|_| bad(name))?;
                                    let b = u8::from_str_radix(h, 16).map_err(|_| bad(name))?;
                                    out.push(b);
                                    self.i += 2;
                                }
                                other => out.push(other),
                            }
                            self.i += 2;
                        }
                        Some(&b) => {
                            out.push(b);
                            self.i += 1;
                        }
                    }
                }
                Ok(Value::str(&String::from_utf8_lossy(&out)))
            }
            b'[' | b'(' => {
                self.i += 1;
                let close = if c == b'[' { b']' } else { b')' };
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if self.eat(close) {
                        break;
                    }
                    items.push(self.value(cx, name)?);
                    self.ws();
                    if !self.eat(b',') {
                        self.ws();
                        if self.eat(close) {
                            break;
                        }
                        return Err(bad(name));
                    }
                }
                Ok(if c == b'[' {
                    cx.heap_mut().new_list(items)
                } else {
                    Value::tuple(items)?
                })
            }
            b'-' | b'0'..=b'9' => {
                let st = self.i;
                self.i += 1;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-'))
                {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[st..self.i]).map_err(|_| bad(name))?;
                if let Ok(i) = t.parse::<i64>() {
                    Ok(Value::Int(i))
                } else {
                    pyeval::format::parse_float(t)
                        .map(Value::Float)
                        .ok_or_else(|| bad(name))
                }
            }
            _ => {
                let st = self.i;
                let id = self.ident().ok_or_else(|| bad(name))?;
                match id.as_str() {
                    "None" => return Ok(Value::None),
                    "True" => return Ok(Value::Bool(true)),
                    "False" => return Ok(Value::Bool(false)),
                    "inf" => return Ok(Value::Float(f64::INFINITY)),
                    "nan" => return Ok(Value::Float(f64::NAN)),
                    _ => {}
                }
                // A class, possibly parameterised: take up to the matching parenthesis.
                if self.s[self.i..].starts_with(b".using(") {
                    self.i += ".using(".len();
                    let mut depth = 1;
                    let mut quote: Option<u8> = None;
                    while depth > 0 {
                        let c = *self.s.get(self.i).ok_or_else(|| bad(name))?;
                        match quote {
                            Some(_) if c == b'\\' => self.i += 1,
                            Some(q) if c == q => quote = None,
                            Some(_) => {}
                            None => match c {
                                b'\'' | b'"' => quote = Some(c),
                                b'(' | b'[' => depth += 1,
                                b')' | b']' => depth -= 1,
                                _ => {}
                            },
                        }
                        self.i += 1;
                    }
                }
                let text = String::from_utf8_lossy(&self.s[st..self.i]).into_owned();
                Ok(Value::Class(Name::from(text)))
            }
        }
    }
}

/// No longer needed: `Class.using(...)` now works through pyeval's
/// [`pyeval::Host::call_class_method`] hook, so the source is returned unchanged. Kept so that
/// callers keep compiling; remove the calls.
pub fn prepare_source(src: &str) -> Cow<'_, str> {
    Cow::Borrowed(src)
}

/// The old rewrite (`Name.using(` → `_da_using(Name, ` outside strings and comments), kept for
/// its tests only.
#[cfg(test)]
fn rewrite_using(src: &str) -> Cow<'_, str> {
    if !src.contains("using") {
        return Cow::Borrowed(src);
    }
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len() + 16);
    let mut i = 0;
    let mut changed = false;
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    while i < b.len() {
        let c = b[i];
        if c == b'#' {
            let end = src[i..].find('\n').map_or(b.len(), |j| i + j);
            out.push_str(&src[i..end]);
            i = end;
            continue;
        }
        if c == b'\'' || c == b'"' {
            let end = string_end(b, i);
            out.push_str(&src[i..end]);
            i = end;
            continue;
        }
        if (c.is_ascii_alphabetic() || c == b'_')
            && (i == 0 || (!is_ident(b[i - 1]) && b[i - 1] != b'.'))
        {
            let mut j = i;
            while j < b.len() && is_ident(b[j]) {
                j += 1;
            }
            // A string prefix (f'', r"", b'' …) belongs to the string.
            if j < b.len() && (b[j] == b'\'' || b[j] == b'"') && j - i <= 2 {
                let end = string_end(b, j);
                out.push_str(&src[i..end]);
                i = end;
                continue;
            }
            let name = &src[i..j];
            let mut k = j;
            while k < b.len() && b[k] == b' ' {
                k += 1;
            }
            if src[k..].starts_with(".using") {
                let mut m = k + ".using".len();
                while m < b.len() && b[m] == b' ' {
                    m += 1;
                }
                if m < b.len() && b[m] == b'(' && !(k + 6 < b.len() && is_ident(b[k + 6])) {
                    out.push_str("_da_using(");
                    out.push_str(name);
                    out.push_str(", ");
                    i = m + 1;
                    changed = true;
                    continue;
                }
            }
            out.push_str(name);
            i = j;
            continue;
        }
        let ch_len = src[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&src[i..i + ch_len]);
        i += ch_len;
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(src)
    }
}

/// The end (exclusive) of the string literal starting at the quote `b[i]`.
#[cfg(test)]
fn string_end(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let triple = b.len() >= i + 3 && b[i + 1] == q && b[i + 2] == q;
    let mut j = if triple { i + 3 } else { i + 1 };
    while j < b.len() {
        if b[j] == b'\\' {
            j += 2;
            continue;
        }
        if triple {
            if b[j] == q && b.get(j + 1) == Some(&q) && b.get(j + 2) == Some(&q) {
                return j + 3;
            }
        } else if b[j] == q || b[j] == b'\n' {
            return j + 1;
        }
        j += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_using_outside_strings() {
        assert_eq!(
            rewrite_using("DAList.using(object_type=Individual, there_are_any=True)"),
            "_da_using(DAList, object_type=Individual, there_are_any=True)"
        );
        assert_eq!(
            rewrite_using("x.initializeAttribute('kids', DAList.using())"),
            "x.initializeAttribute('kids', _da_using(DAList, ))"
        );
        assert_eq!(rewrite_using("'DAList.using(x)'"), "'DAList.using(x)'");
        assert_eq!(rewrite_using("a.b.using(x)"), "a.b.using(x)");
        assert_eq!(rewrite_using("# DAList.using(\nx"), "# DAList.using(\nx");
        assert_eq!(
            rewrite_using("DAList.using(object_type=Thing.using(a=1))"),
            "_da_using(DAList, object_type=_da_using(Thing, a=1))"
        );
        assert_eq!(rewrite_using("usingx = 1"), "usingx = 1");
    }

    #[test]
    fn base_names() {
        assert_eq!(base_of("DAList.using(a=1)"), "DAList");
        assert_eq!(base_of("DAList"), "DAList");
        assert!(is_parameterised("DAList.using(a=1)"));
    }
}
