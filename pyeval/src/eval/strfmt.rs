//! `format()`/f-string spec dispatch, `%`-formatting and `str.format`.

use std::sync::Arc;

use super::Interp;
use crate::error::{Flow, PyResult, type_err, value_err};
use crate::format::{Spec, format_float, format_int, format_str};
use crate::heap::ObjKind;
use crate::host::Args;
use crate::value::Value;

impl Interp<'_> {
    /// `format(v, spec)`.
    pub fn format_value(&mut self, v: &Value, spec: &str) -> PyResult<String> {
        if spec.is_empty() {
            return self.to_str(v);
        }
        match v {
            Value::Int(i) => format_int(*i, &Spec::parse(spec)?),
            Value::Bool(b) => format_int(i64::from(*b), &Spec::parse(spec)?),
            Value::Float(f) => format_float(*f, &Spec::parse(spec)?),
            Value::Str(s) => format_str(s, &Spec::parse(spec)?),
            Value::Decimal(d) => crate::dates::format_decimal(*d, &Spec::parse(spec)?),
            Value::Date(_) | Value::DateTime(_) => crate::dates::strftime(v, spec),
            Value::Ref(id) if self.state.heap.instance(*id).is_some() => {
                let s = self.to_str(v)?;
                format_str(&s, &Spec::parse(spec)?)
            }
            _ => Err(type_err(format!(
                "unsupported format string passed to {}.__format__",
                super::protocol::type_name(v, &self.state.heap)
            ))),
        }
    }

    /// `fmt % args`.
    pub fn percent_format(&mut self, fmt: &str, args: &Value) -> PyResult<String> {
        let mapping = matches!(args, Value::Ref(id) if matches!(self.state.heap.get(*id).map(|o| &o.kind), Some(ObjKind::Dict(_))));
        let items: Vec<Value> = match args {
            Value::Tuple(t) => t.to_vec(),
            v => vec![v.clone()],
        };
        let mut next = 0usize;
        let mut used_mapping = false;
        let chars: Vec<char> = fmt.chars().collect();
        let mut out = String::with_capacity(fmt.len() + 16);
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            i += 1;
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut key: Option<String> = None;
            if chars.get(i) == Some(&'(') {
                let st = i + 1;
                let mut depth = 1;
                let mut j = st;
                while j < chars.len() && depth > 0 {
                    match chars[j] {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    j += 1;
                }
                if depth > 0 {
                    return Err(value_err("incomplete format key"));
                }
                key = Some(chars[st..j - 1].iter().collect());
                i = j;
            }
            let (mut left, mut plus, mut space, mut alt, mut zero) =
                (false, false, false, false, false);
            while let Some(&f) = chars.get(i) {
                match f {
                    '-' => left = true,
                    '+' => plus = true,
                    ' ' => space = true,
                    '#' => alt = true,
                    '0' => zero = true,
                    _ => break,
                }
                i += 1;
            }
            let mut take_arg = |this: &mut Self, next: &mut usize| -> PyResult<Value> {
                if let Some(k) = &key {
                    if !mapping {
                        return Err(type_err("format requires a mapping"));
                    }
                    used_mapping = true;
                    return this.get_item(args, &Value::Str(Arc::from(k.as_str())));
                }
                let v = items
                    .get(*next)
                    .cloned()
                    .ok_or_else(|| type_err("not enough arguments for format string"))?;
                *next += 1;
                Ok(v)
            };
            let mut width = 0usize;
            if chars.get(i) == Some(&'*') {
                i += 1;
                let w = take_arg(self, &mut next)?;
                width = usize::try_from(w.as_int().ok_or_else(|| type_err("* wants int"))?)
                    .unwrap_or(0);
            } else {
                while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                    width = width.saturating_mul(10).saturating_add(d as usize);
                    i += 1;
                }
            }
            let mut precision = None;
            if chars.get(i) == Some(&'.') {
                i += 1;
                let mut p = 0usize;
                if chars.get(i) == Some(&'*') {
                    i += 1;
                    let w = take_arg(self, &mut next)?;
                    p = usize::try_from(w.as_int().ok_or_else(|| type_err("* wants int"))?)
                        .unwrap_or(0);
                } else {
                    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                        p = p.saturating_mul(10).saturating_add(d as usize);
                        i += 1;
                    }
                }
                precision = Some(p);
            }
            while matches!(chars.get(i), Some('h' | 'l' | 'L')) {
                i += 1;
            }
            let Some(&conv) = chars.get(i) else {
                return Err(value_err("incomplete format"));
            };
            i += 1;
            if conv == '%' {
                out.push('%');
                continue;
            }
            if width > 100_000 || precision.is_some_and(|p| p > 10_000) {
                return Err(value_err("width or precision too large"));
            }
            let v = take_arg(self, &mut next)?;
            let numeric = matches!(
                conv,
                'd' | 'i' | 'u' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'x' | 'X' | 'o'
            );
            let spec = Spec {
                fill: if zero && numeric && !left { '0' } else { ' ' },
                align: Some(if left {
                    '<'
                } else if zero && numeric {
                    '='
                } else {
                    '>'
                }),
                sign: if plus {
                    '+'
                } else if space {
                    ' '
                } else {
                    '-'
                },
                alt,
                width,
                grouping: None,
                precision: None,
                ty: None,
            };
            let tn = |this: &Self, v: &Value| super::protocol::type_name(v, &this.state.heap);
            let s = match conv {
                's' | 'r' | 'a' => {
                    let s = if conv == 's' {
                        self.to_str(&v)?
                    } else {
                        self.repr(&v)?
                    };
                    let s: String = match precision {
                        Some(p) => s.chars().take(p).collect(),
                        None => s,
                    };
                    Spec {
                        sign: '-',
                        alt: false,
                        ..spec
                    }
                    .pad_pub(&s)
                }
                'd' | 'i' | 'u' => {
                    let n = match &v {
                        Value::Int(i) => *i,
                        Value::Bool(b) => i64::from(*b),
                        Value::Float(f) => crate::builtins::float_to_int(*f)?,
                        Value::Decimal(d) => crate::builtins::decimal_to_int(*d)?,
                        _ => {
                            return Err(type_err(format!(
                                "%{conv} format: a real number is required, not {}",
                                tn(self, &v)
                            )));
                        }
                    };
                    format_int(n, &spec)?
                }
                'x' | 'X' | 'o' => {
                    let n = v.as_int().ok_or_else(|| {
                        type_err(format!(
                            "%{conv} format: an integer is required, not {}",
                            tn(self, &v)
                        ))
                    })?;
                    format_int(
                        n,
                        &Spec {
                            ty: Some(conv),
                            ..spec
                        },
                    )?
                }
                'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                    let f = crate::builtins::to_float(&v).ok_or_else(|| {
                        type_err(format!("must be real number, not {}", tn(self, &v)))
                    })?;
                    format_float(
                        f,
                        &Spec {
                            ty: Some(conv),
                            precision: Some(precision.unwrap_or(6)),
                            ..spec
                        },
                    )?
                }
                'c' => {
                    let ch = match &v {
                        Value::Str(s) if s.chars().count() == 1 => s.to_string(),
                        v => match v
                            .as_int()
                            .and_then(|i| u32::try_from(i).ok())
                            .and_then(char::from_u32)
                        {
                            Some(c) => c.to_string(),
                            None => return Err(type_err("%c requires int or char")),
                        },
                    };
                    Spec { sign: '-', ..spec }.pad_pub(&ch)
                }
                c => {
                    return Err(value_err(format!(
                        "unsupported format character '{c}' (0x{:x})",
                        c as u32
                    )));
                }
            };
            self.budget.mem(s.len())?;
            out.push_str(&s);
        }
        if !used_mapping && next < items.len() && !mapping {
            return Err(type_err(
                "not all arguments converted during string formatting",
            ));
        }
        Ok(out)
    }

    /// `fmt.format(*args, **kwargs)`.
    pub fn str_format(&mut self, fmt: &str, args: &Args) -> PyResult<String> {
        let chars: Vec<char> = fmt.chars().collect();
        let mut out = String::new();
        let mut auto = 0usize;
        let mut mode: Option<bool> = None; // Some(true) = automatic numbering
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '{' {
                if chars.get(i + 1) == Some(&'{') {
                    out.push('{');
                    i += 2;
                    continue;
                }
                // find the matching close brace (one level of nesting in the spec)
                let st = i + 1;
                let mut depth = 1;
                let mut j = st;
                while j < chars.len() {
                    match chars[j] {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(value_err("expected '}' before end of string"));
                }
                let field: String = chars[st..j].iter().collect();
                i = j + 1;
                let (head, spec) = match field.find(':') {
                    Some(k) => (field[..k].to_string(), field[k + 1..].to_string()),
                    None => (field.clone(), String::new()),
                };
                let (name, conv) = match head.find('!') {
                    Some(k) => (head[..k].to_string(), head[k + 1..].chars().next()),
                    None => (head, None),
                };
                let spec = if spec.contains('{') {
                    self.str_format(&spec, args)?
                } else {
                    spec
                };
                let v = self.format_field(&name, args, &mut auto, &mut mode)?;
                let v = match conv {
                    Some('r') => Value::Str(Arc::from(self.repr(&v)?)),
                    Some('s') => Value::Str(Arc::from(self.to_str(&v)?)),
                    Some('a') => {
                        Value::Str(Arc::from(crate::builtins::ascii_escape(&self.repr(&v)?)))
                    }
                    Some(c) => return Err(value_err(format!("Unknown conversion specifier {c}"))),
                    None => v,
                };
                let s = self.format_value(&v, &spec)?;
                self.budget.mem(s.len())?;
                out.push_str(&s);
            } else if c == '}' {
                if chars.get(i + 1) == Some(&'}') {
                    out.push('}');
                    i += 2;
                    continue;
                }
                return Err(value_err("Single '}' encountered in format string"));
            } else {
                out.push(c);
                i += 1;
            }
        }
        Ok(out)
    }

    fn format_field(
        &mut self,
        name: &str,
        args: &Args,
        auto: &mut usize,
        mode: &mut Option<bool>,
    ) -> PyResult<Value> {
        let end = name.find(['.', '[']).unwrap_or(name.len());
        let (first, mut rest) = name.split_at(end);
        let mut v = if first.is_empty() {
            if *mode == Some(false) {
                return Err(value_err(
                    "cannot switch from manual field specification to automatic field numbering",
                ));
            }
            *mode = Some(true);
            let k = *auto;
            *auto += 1;
            args.pos.get(k).cloned().ok_or_else(|| {
                Flow::raise(
                    "IndexError",
                    format!("Replacement index {k} out of range for positional args tuple"),
                )
            })?
        } else if let Ok(k) = first.parse::<usize>() {
            if *mode == Some(true) {
                return Err(value_err(
                    "cannot switch from automatic field numbering to manual field specification",
                ));
            }
            *mode = Some(false);
            args.pos.get(k).cloned().ok_or_else(|| {
                Flow::raise(
                    "IndexError",
                    format!("Replacement index {k} out of range for positional args tuple"),
                )
            })?
        } else {
            args.kw(first)
                .cloned()
                .ok_or_else(|| Flow::raise("KeyError", crate::format::repr_str(first)))?
        };
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                let e = r.find(['.', '[']).unwrap_or(r.len());
                let attr = &r[..e];
                if attr.starts_with("__") {
                    return Err(value_err("dunder attributes are not allowed"));
                }
                v = self.get_attr(&v, attr)?;
                rest = &r[e..];
            } else if let Some(r) = rest.strip_prefix('[') {
                let e = r
                    .find(']')
                    .ok_or_else(|| value_err("Missing ']' in format string"))?;
                let key = &r[..e];
                let kv = match key.parse::<i64>() {
                    Ok(i) => Value::Int(i),
                    Err(_) => Value::Str(Arc::from(key)),
                };
                v = self.get_item(&v, &kv)?;
                rest = &r[e + 1..];
            } else {
                return Err(value_err(
                    "Only '.' or '[' may follow ']' in format field specifier",
                ));
            }
        }
        Ok(v)
    }
}
