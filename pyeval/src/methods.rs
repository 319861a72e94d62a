//! Methods of builtin types: `str`, `list`, `dict`, `set` (and a few on numbers and dates).

use std::sync::Arc;

use crate::error::{Flow, PyResult, type_err, value_err};
use crate::eval::{Interp, type_name};
use crate::heap::{Dict, ObjKind};
use crate::host::Args;
use crate::value::{Key, Value};

const STR_METHODS: &[&str] = &[
    "upper",
    "lower",
    "title",
    "capitalize",
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "rsplit",
    "splitlines",
    "join",
    "replace",
    "startswith",
    "endswith",
    "find",
    "rfind",
    "index",
    "rindex",
    "count",
    "format",
    "isdigit",
    "isalpha",
    "isalnum",
    "isspace",
    "isupper",
    "islower",
    "isnumeric",
    "isdecimal",
    "istitle",
    "zfill",
    "center",
    "ljust",
    "rjust",
    "partition",
    "rpartition",
    "casefold",
    "swapcase",
    "removeprefix",
    "removesuffix",
    "expandtabs",
];
const LIST_METHODS: &[&str] = &[
    "append", "extend", "insert", "pop", "remove", "index", "count", "sort", "reverse", "copy",
    "clear",
];
const DICT_METHODS: &[&str] = &[
    "get",
    "keys",
    "values",
    "items",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "copy",
    "clear",
];
const SET_METHODS: &[&str] = &[
    "add",
    "discard",
    "remove",
    "pop",
    "union",
    "intersection",
    "difference",
    "symmetric_difference",
    "issubset",
    "issuperset",
    "isdisjoint",
    "copy",
    "clear",
    "update",
];

/// Whether builtin type `ty` (`str`, `list`, `dict`, `set`) has method `name`.
pub fn type_has_method(ty: &str, name: &str) -> bool {
    match ty {
        "str" => STR_METHODS.contains(&name),
        "list" => LIST_METHODS.contains(&name),
        "dict" => DICT_METHODS.contains(&name),
        "set" => SET_METHODS.contains(&name),
        _ => false,
    }
}

/// Whether `v` has builtin method `name` (for `hasattr`).
pub fn has_method(v: &Value, name: &str, heap: &crate::Heap) -> bool {
    match v {
        Value::Str(_) => STR_METHODS.contains(&name),
        Value::Ref(id) => match heap.get(*id).map(|o| &o.kind) {
            Some(ObjKind::List(_)) => LIST_METHODS.contains(&name),
            Some(ObjKind::Dict(_)) => DICT_METHODS.contains(&name),
            Some(ObjKind::Set(_)) => SET_METHODS.contains(&name),
            _ => false,
        },
        Value::Float(_) => name == "is_integer",
        Value::Int(_) => name == "bit_length",
        Value::Date(_) | Value::DateTime(_) | Value::Delta(_) | Value::Decimal(_) => {
            crate::dates::has_method(v, name)
        }
        _ => false,
    }
}

fn s_arg<'a>(args: &'a Args, i: usize, m: &str) -> PyResult<&'a str> {
    match args.pos.get(i) {
        Some(Value::Str(s)) => Ok(s),
        Some(_) => Err(type_err(format!("{m}() argument {} must be str", i + 1))),
        None => Err(type_err(format!("{m}() takes at least {} argument", i + 1))),
    }
}

fn opt_s<'a>(args: &'a Args, i: usize, m: &str) -> PyResult<Option<&'a str>> {
    match args.pos.get(i) {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(_) => Err(type_err(format!("{m}() argument must be str or None"))),
    }
}

fn opt_i(args: &Args, i: usize, name: &str) -> PyResult<Option<i64>> {
    match args.get(i, name) {
        None | Some(Value::None) => Ok(None),
        Some(v) => v
            .as_int()
            .map(Some)
            .ok_or_else(|| type_err("slice indices must be integers or None")),
    }
}

fn sv(s: String) -> Value {
    Value::Str(Arc::from(s))
}

fn chars_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Byte range of the char-index slice [start:end] after Python index adjustment.
fn char_window(s: &str, start: Option<i64>, end: Option<i64>) -> (usize, usize) {
    let n = chars_len(s);
    let (a, b, _, _) = crate::eval::slice_indices_pub(n, start, end, Some(1));
    let a = usize::try_from(a.max(0)).unwrap_or(0).min(n);
    let b = usize::try_from(b.max(0)).unwrap_or(0).min(n).max(a);
    if s.is_ascii() {
        return (a, b);
    }
    let idx = |k: usize| s.char_indices().nth(k).map_or(s.len(), |(i, _)| i);
    (idx(a), idx(b))
}

fn char_pos(s: &str, byte: usize) -> i64 {
    let n = if s.is_ascii() {
        byte
    } else {
        s[..byte].chars().count()
    };
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn pad(it: &mut Interp<'_>, s: &str, args: &Args, how: char) -> PyResult<Value> {
    let w = args
        .pos
        .first()
        .and_then(Value::as_int)
        .ok_or_else(|| type_err("integer argument expected"))?;
    let fill = match args.pos.get(1) {
        Some(Value::Str(f)) if f.chars().count() == 1 => f.chars().next().unwrap_or(' '),
        Some(_) => {
            return Err(type_err(
                "The fill character must be exactly one character long",
            ));
        }
        None => ' ',
    };
    let n = chars_len(s);
    let w = usize::try_from(w).unwrap_or(0);
    if w <= n {
        return Ok(sv(s.to_string()));
    }
    it.charge_mem(w)?;
    let marg = w - n;
    let (l, r) = match how {
        '<' => (0, marg),
        '>' => (marg, 0),
        _ => {
            let l = marg / 2 + (marg & w & 1);
            (l, marg - l)
        }
    };
    let f = |k| std::iter::repeat_n(fill, k).collect::<String>();
    Ok(sv(format!("{}{s}{}", f(l), f(r))))
}

fn is_py_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\x1c'..='\x1f')
}

fn split_ws(s: &str, maxsplit: i64, from_right: bool) -> Vec<String> {
    let mut out = Vec::new();
    if from_right {
        let chars: Vec<char> = s.chars().collect();
        let mut end = chars.len();
        let mut splits = 0;
        loop {
            while end > 0 && is_py_space(chars[end - 1]) {
                end -= 1;
            }
            if end == 0 {
                break;
            }
            if maxsplit >= 0 && splits >= maxsplit {
                out.push(chars[..end].iter().collect());
                break;
            }
            let mut st = end;
            while st > 0 && !is_py_space(chars[st - 1]) {
                st -= 1;
            }
            out.push(chars[st..end].iter().collect());
            splits += 1;
            end = st;
        }
        out.reverse();
        return out;
    }
    let mut rest = s.trim_start_matches(is_py_space);
    let mut splits = 0;
    while !rest.is_empty() {
        if maxsplit >= 0 && splits >= maxsplit {
            out.push(rest.to_string());
            break;
        }
        let end = rest.find(is_py_space).unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        splits += 1;
        rest = rest[end..].trim_start_matches(is_py_space);
    }
    out
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if c.is_alphabetic() {
            if prev_cased {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            prev_cased = true;
        } else {
            out.push(c);
            prev_cased = false;
        }
    }
    out
}

fn strip_set<'a>(s: &'a str, chars: Option<&str>, left: bool, right: bool) -> &'a str {
    let f = |c: char| match chars {
        Some(cs) => cs.contains(c),
        None => is_py_space(c),
    };
    let mut r = s;
    if left {
        r = r.trim_start_matches(f);
    }
    if right {
        r = r.trim_end_matches(f);
    }
    r
}

fn str_method(it: &mut Interp<'_>, s: &Arc<str>, name: &str, mut args: Args) -> PyResult<Value> {
    let m = name;
    Ok(match name {
        "upper" => sv(s.to_uppercase()),
        "lower" => sv(s.to_lowercase()),
        "casefold" => sv(s.to_lowercase().replace('ß', "ss").replace('ς', "σ")),
        "swapcase" => sv(s
            .chars()
            .map(|c| {
                if c.is_uppercase() {
                    c.to_lowercase().collect::<String>()
                } else {
                    c.to_uppercase().collect()
                }
            })
            .collect()),
        "title" => sv(title(s)),
        "capitalize" => {
            let mut cs = s.chars();
            match cs.next() {
                Some(f) => sv(f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect()),
                None => sv(String::new()),
            }
        }
        "strip" | "lstrip" | "rstrip" => {
            let chars = opt_s(&args, 0, m)?;
            sv(strip_set(s, chars, name != "rstrip", name != "lstrip").to_string())
        }
        "split" | "rsplit" => {
            let maxsplit = match args.get(1, "maxsplit") {
                Some(v) => v
                    .as_int()
                    .ok_or_else(|| type_err("maxsplit must be an integer"))?,
                None => -1,
            };
            let sep = match args.get(0, "sep") {
                None | Some(Value::None) => None,
                Some(Value::Str(x)) => Some(x.clone()),
                Some(_) => return Err(type_err("must be str or None")),
            };
            let parts: Vec<String> = match sep {
                None => split_ws(s, maxsplit, name == "rsplit"),
                Some(sep) => {
                    if sep.is_empty() {
                        return Err(value_err("empty separator"));
                    }
                    if maxsplit < 0 {
                        s.split(&*sep).map(str::to_string).collect()
                    } else if name == "split" {
                        s.splitn(usize::try_from(maxsplit).unwrap_or(0) + 1, &*sep)
                            .map(str::to_string)
                            .collect()
                    } else {
                        let mut v: Vec<String> = s
                            .rsplitn(usize::try_from(maxsplit).unwrap_or(0) + 1, &*sep)
                            .map(str::to_string)
                            .collect();
                        v.reverse();
                        v
                    }
                }
            };
            it.charge_mem(s.len() + parts.len() * 24)?;
            it.make_list(parts.into_iter().map(sv).collect())?
        }
        "splitlines" => {
            let keep = match args.get(0, "keepends") {
                Some(v) => it.truthy(&v.clone())?,
                None => false,
            };
            let mut out = Vec::new();
            let mut cur = String::new();
            let mut cs = s.chars().peekable();
            while let Some(c) = cs.next() {
                if matches!(
                    c,
                    '\n' | '\r'
                        | '\x0b'
                        | '\x0c'
                        | '\x1c'
                        | '\x1d'
                        | '\x1e'
                        | '\u{85}'
                        | '\u{2028}'
                        | '\u{2029}'
                ) {
                    let mut end = c.to_string();
                    if c == '\r' && cs.peek() == Some(&'\n') {
                        cs.next();
                        end.push('\n');
                    }
                    if keep {
                        cur.push_str(&end);
                    }
                    out.push(sv(std::mem::take(&mut cur)));
                } else {
                    cur.push(c);
                }
            }
            if !cur.is_empty() {
                out.push(sv(cur));
            }
            it.make_list(out)?
        }
        "join" => {
            let src = args
                .pos
                .first()
                .cloned()
                .ok_or_else(|| type_err("join() takes exactly one argument"))?;
            let items = it.collect(&src)?;
            let mut out = String::new();
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(s);
                }
                match x {
                    Value::Str(p) => out.push_str(p),
                    v => {
                        return Err(type_err(format!(
                            "sequence item {i}: expected str instance, {} found",
                            type_name(v, it.heap())
                        )));
                    }
                }
                if out.len() > 1 << 20 {
                    it.charge_mem(out.len())?;
                }
            }
            it.charge_mem(out.len())?;
            sv(out)
        }
        "replace" => {
            let old = s_arg(&args, 0, m)?;
            let new = s_arg(&args, 1, m)?;
            let count = match args.pos.get(2) {
                Some(v) => v.as_int().ok_or_else(|| type_err("count must be int"))?,
                None => -1,
            };
            let occurrences = if old.is_empty() {
                chars_len(s) + 1
            } else {
                s.matches(old).count()
            };
            it.budget.mem_items(occurrences, new.len())?;
            if count < 0 {
                if old.is_empty() {
                    let mut out = String::from(new);
                    for c in s.chars() {
                        out.push(c);
                        out.push_str(new);
                    }
                    sv(out)
                } else {
                    sv(s.replace(old, new))
                }
            } else {
                sv(s.replacen(old, new, usize::try_from(count).unwrap_or(0)))
            }
        }
        "startswith" | "endswith" => {
            let (a, b) = char_window(s, opt_i(&args, 1, "start")?, opt_i(&args, 2, "end")?);
            let sub = &s[a..b];
            let test = |p: &str| {
                if name == "startswith" {
                    sub.starts_with(p)
                } else {
                    sub.ends_with(p)
                }
            };
            match args.pos.first() {
                Some(Value::Str(p)) => Value::Bool(test(p)),
                Some(Value::Tuple(t)) => {
                    Value::Bool(t.iter().any(|p| p.as_str().is_some_and(test)))
                }
                _ => {
                    return Err(type_err(format!(
                        "{name} first arg must be str or a tuple of str"
                    )));
                }
            }
        }
        "find" | "rfind" | "index" | "rindex" | "count" => {
            let sub = s_arg(&args, 0, m)?;
            let (a, b) = char_window(s, opt_i(&args, 1, "start")?, opt_i(&args, 2, "end")?);
            let hay = &s[a..b];
            if name == "count" {
                let n = if sub.is_empty() {
                    chars_len(hay) + 1
                } else {
                    hay.matches(sub).count()
                };
                return Ok(Value::Int(i64::try_from(n).unwrap_or(i64::MAX)));
            }
            let found = if name.starts_with('r') {
                hay.rfind(sub)
            } else {
                hay.find(sub)
            };
            match found {
                Some(p) => Value::Int(char_pos(s, a + p)),
                None if name.ends_with("find") => Value::Int(-1),
                None => return Err(value_err("substring not found")),
            }
        }
        "format" => sv(it.str_format(s, &args)?),
        "isdigit" | "isdecimal" | "isnumeric" => Value::Bool(
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_digit() || (name != "isdecimal" && c.is_numeric())),
        ),
        "isalpha" => Value::Bool(!s.is_empty() && s.chars().all(char::is_alphabetic)),
        "isalnum" => Value::Bool(!s.is_empty() && s.chars().all(char::is_alphanumeric)),
        "isspace" => Value::Bool(!s.is_empty() && s.chars().all(is_py_space)),
        "isupper" => {
            Value::Bool(s.chars().any(|c| c.is_uppercase()) && !s.chars().any(|c| c.is_lowercase()))
        }
        "islower" => {
            Value::Bool(s.chars().any(|c| c.is_lowercase()) && !s.chars().any(|c| c.is_uppercase()))
        }
        "istitle" => Value::Bool(s.chars().any(char::is_alphabetic) && title(s) == **s),
        "zfill" => {
            let w = args
                .pos
                .first()
                .and_then(Value::as_int)
                .ok_or_else(|| type_err("zfill() argument must be int"))?;
            let n = chars_len(s);
            let w = usize::try_from(w).unwrap_or(0);
            if w <= n {
                sv(s.to_string())
            } else {
                it.charge_mem(w)?;
                let (sign, body) = match s.chars().next() {
                    Some(c @ ('+' | '-')) => (c.to_string(), &s[1..]),
                    _ => (String::new(), &s[..]),
                };
                sv(format!("{sign}{}{body}", "0".repeat(w - n)))
            }
        }
        "center" => pad(it, s, &args, '^')?,
        "ljust" => pad(it, s, &args, '<')?,
        "rjust" => pad(it, s, &args, '>')?,
        "partition" | "rpartition" => {
            let sep = s_arg(&args, 0, m)?;
            if sep.is_empty() {
                return Err(value_err("empty separator"));
            }
            let found = if name == "partition" {
                s.find(sep)
            } else {
                s.rfind(sep)
            };
            let parts = match found {
                Some(p) => [
                    s[..p].to_string(),
                    sep.to_string(),
                    s[p + sep.len()..].to_string(),
                ],
                None if name == "partition" => [s.to_string(), String::new(), String::new()],
                None => [String::new(), String::new(), s.to_string()],
            };
            Value::tuple(parts.into_iter().map(sv).collect())?
        }
        "removeprefix" => {
            let p = s_arg(&args, 0, m)?;
            sv(s.strip_prefix(p).unwrap_or(s).to_string())
        }
        "removesuffix" => {
            let p = s_arg(&args, 0, m)?;
            sv(s.strip_suffix(p).unwrap_or(s).to_string())
        }
        "expandtabs" => {
            let t =
                usize::try_from(args.pos.first().and_then(Value::as_int).unwrap_or(8)).unwrap_or(0);
            let mut out = String::new();
            let mut col = 0;
            for c in s.chars() {
                match c {
                    '\t' => {
                        if t > 0 {
                            let n = t - col % t;
                            it.charge_mem(n)?;
                            out.push_str(&" ".repeat(n));
                            col += n;
                        }
                    }
                    '\n' | '\r' => {
                        out.push(c);
                        col = 0;
                    }
                    c => {
                        out.push(c);
                        col += 1;
                    }
                }
            }
            sv(out)
        }
        _ => {
            args.kw.clear();
            return Err(Flow::raise(
                "AttributeError",
                format!("'str' object has no attribute '{name}'"),
            ));
        }
    })
}

fn list_method(
    it: &mut Interp<'_>,
    id: crate::value::ObjId,
    obj: &Value,
    name: &str,
    mut args: Args,
) -> PyResult<Value> {
    let len = it.heap().list(id).map_or(0, Vec::len);
    Ok(match name {
        "append" => {
            let v = args
                .pos
                .first()
                .cloned()
                .ok_or_else(|| type_err("append() takes exactly one argument (0 given)"))?;
            it.charge_mem(24)?;
            if let Some(p) = it.heap().path(id).cloned() {
                it.name_object(&v, || p.index(i64::try_from(len).unwrap_or(i64::MAX)));
            }
            if let Some(l) = it.heap_mut().list_mut(id) {
                l.push(v);
            }
            Value::None
        }
        "extend" => {
            let src = args
                .pos
                .first()
                .cloned()
                .ok_or_else(|| type_err("extend() takes exactly one argument"))?;
            let items = it.collect(&src)?;
            if let Some(l) = it.heap_mut().list_mut(id) {
                l.extend(items);
            }
            Value::None
        }
        "insert" => {
            let i = args
                .pos
                .first()
                .and_then(Value::as_int)
                .ok_or_else(|| type_err("insert() index must be int"))?;
            let v = args
                .pos
                .get(1)
                .cloned()
                .ok_or_else(|| type_err("insert expected 2 arguments"))?;
            it.charge_mem(24)?;
            let n = i64::try_from(len).unwrap_or(i64::MAX);
            let j = if i < 0 { (i + n).max(0) } else { i.min(n) };
            if let Some(l) = it.heap_mut().list_mut(id) {
                l.insert(usize::try_from(j).unwrap_or(0), v);
            }
            Value::None
        }
        "pop" => {
            let i = match args.pos.first() {
                Some(v) => v
                    .as_int()
                    .ok_or_else(|| type_err("pop() index must be int"))?,
                None => -1,
            };
            if len == 0 {
                return Err(Flow::raise("IndexError", "pop from empty list"));
            }
            let j = crate::eval::norm_index_pub(i, len)
                .ok_or_else(|| Flow::raise("IndexError", "pop index out of range"))?;
            it.heap_mut()
                .list_mut(id)
                .map(|l| l.remove(j))
                .unwrap_or(Value::None)
        }
        "remove" | "index" | "count" => {
            let x = args
                .pos
                .first()
                .cloned()
                .ok_or_else(|| type_err(format!("{name}() takes exactly one argument")))?;
            let mut count = 0i64;
            for i in 0..len {
                let Some(y) = it.heap().list(id).and_then(|l| l.get(i)).cloned() else {
                    break;
                };
                if crate::ops::eq(it, &y, &x)? {
                    match name {
                        "remove" => {
                            if let Some(l) = it.heap_mut().list_mut(id) {
                                l.remove(i);
                            }
                            return Ok(Value::None);
                        }
                        "index" => return Ok(Value::Int(i64::try_from(i).unwrap_or(0))),
                        _ => count += 1,
                    }
                }
            }
            match name {
                "remove" => return Err(value_err("list.remove(x): x not in list")),
                "index" => return Err(value_err(format!("{} is not in list", it.repr(&x)?))),
                _ => Value::Int(count),
            }
        }
        "sort" => {
            let key = args.take_kw("key");
            let reverse = match args.take_kw("reverse") {
                Some(r) => it.truthy(&r)?,
                None => false,
            };
            if !args.pos.is_empty() {
                return Err(type_err("sort() takes no positional arguments"));
            }
            let items = it.heap().list(id).cloned().unwrap_or_default();
            let sorted = crate::builtins::sort_values(it, items, key.as_ref(), reverse)?;
            if let Some(l) = it.heap_mut().list_mut(id) {
                *l = sorted;
            }
            Value::None
        }
        "reverse" => {
            if let Some(l) = it.heap_mut().list_mut(id) {
                l.reverse();
            }
            Value::None
        }
        "copy" => {
            let items = it.heap().list(id).cloned().unwrap_or_default();
            it.make_list(items)?
        }
        "clear" => {
            if let Some(l) = it.heap_mut().list_mut(id) {
                l.clear();
            }
            Value::None
        }
        _ => {
            return Err(Flow::raise(
                "AttributeError",
                format!(
                    "'{}' object has no attribute '{name}'",
                    type_name(obj, it.heap())
                ),
            ));
        }
    })
}

fn dict_of(it: &Interp<'_>, id: crate::value::ObjId) -> Dict {
    match it.heap().get(id).map(|o| &o.kind) {
        Some(ObjKind::Dict(d)) => d.clone(),
        _ => Dict::new(),
    }
}

fn with_dict<R>(
    it: &mut Interp<'_>,
    id: crate::value::ObjId,
    f: impl FnOnce(&mut Dict) -> R,
) -> Option<R> {
    match it.heap_mut().get_mut(id).map(|o| &mut o.kind) {
        Some(ObjKind::Dict(d)) => Some(f(d)),
        _ => None,
    }
}

fn dict_method(
    it: &mut Interp<'_>,
    id: crate::value::ObjId,
    obj: &Value,
    name: &str,
    args: Args,
) -> PyResult<Value> {
    Ok(match name {
        "get" => {
            let k = args
                .pos
                .first()
                .cloned()
                .ok_or_else(|| type_err("get expected at least 1 argument, got 0"))?;
            let key = Key::from_value(&k, it.heap())?;
            let d = args.pos.get(1).cloned().unwrap_or(Value::None);
            match it.heap().get(id).map(|o| &o.kind) {
                Some(ObjKind::Dict(dict)) => dict.get(&key).cloned().unwrap_or(d),
                _ => d,
            }
        }
        "keys" | "values" | "items" => {
            let d = dict_of(it, id);
            let items: Vec<Value> = match name {
                "keys" => d.iter().map(|(k, _)| k.clone()).collect(),
                "values" => d.iter().map(|(_, v)| v.clone()).collect(),
                _ => d
                    .iter()
                    .map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()]))
                    .collect::<PyResult<_>>()?,
            };
            // views are materialised as lists (`list(d.keys())` and iteration behave the same)
            it.make_list(items)?
        }
        "pop" => {
            let k = args
                .pos
                .first()
                .cloned()
                .ok_or_else(|| type_err("pop expected at least 1 argument, got 0"))?;
            let key = Key::from_value(&k, it.heap())?;
            match with_dict(it, id, |d| d.remove(&key)).flatten() {
                Some((_, v)) => v,
                None => match args.pos.get(1) {
                    Some(d) => d.clone(),
                    None => return Err(Flow::raise("KeyError", it.repr(&k)?)),
                },
            }
        }
        "popitem" => match with_dict(it, id, Dict::pop_last).flatten() {
            Some((k, v)) => Value::tuple(vec![k, v])?,
            None => return Err(Flow::raise("KeyError", "'popitem(): dictionary is empty'")),
        },
        "setdefault" => {
            let k = args
                .pos
                .first()
                .cloned()
                .ok_or_else(|| type_err("setdefault expected at least 1 argument"))?;
            let dv = args.pos.get(1).cloned().unwrap_or(Value::None);
            let key = Key::from_value(&k, it.heap())?;
            it.charge_mem(72)?;
            with_dict(it, id, |d| match d.get(&key) {
                Some(v) => v.clone(),
                None => {
                    d.insert(key, k, dv.clone());
                    dv
                }
            })
            .unwrap_or(Value::None)
        }
        "update" => {
            let mut pairs = Vec::new();
            if let Some(src) = args.pos.first() {
                let src = src.clone();
                let is_map = matches!(
                    src.as_ref_id()
                        .and_then(|i| it.heap().get(i))
                        .map(|o| &o.kind),
                    Some(ObjKind::Dict(_))
                );
                if is_map {
                    pairs = it.dict_items(&src)?;
                } else {
                    for item in it.collect(&src)? {
                        let kv = it.collect(&item)?;
                        if kv.len() != 2 {
                            return Err(value_err(
                                "dictionary update sequence element has wrong length; 2 is required",
                            ));
                        }
                        pairs.push((kv[0].clone(), kv[1].clone()));
                    }
                }
            }
            for (k, v) in args.kw {
                pairs.push((Value::Str(k), v));
            }
            for (k, v) in pairs {
                it.set_item(obj, &k, v)?;
            }
            Value::None
        }
        "copy" => {
            let d = dict_of(it, id);
            it.charge_mem(d.len() * 72)?;
            it.heap_mut().new_dict(d)
        }
        "clear" => {
            with_dict(it, id, Dict::clear);
            Value::None
        }
        _ => {
            return Err(Flow::raise(
                "AttributeError",
                format!(
                    "'{}' object has no attribute '{name}'",
                    type_name(obj, it.heap())
                ),
            ));
        }
    })
}

fn set_method(
    it: &mut Interp<'_>,
    id: crate::value::ObjId,
    obj: &Value,
    name: &str,
    args: Args,
) -> PyResult<Value> {
    let set = match it.heap().get(id).map(|o| &o.kind) {
        Some(ObjKind::Set(s)) => s.clone(),
        _ => return Err(type_err("not a set")),
    };
    let mutate = |it: &mut Interp<'_>, f: &mut dyn FnMut(&mut crate::heap::Set)| {
        if let Some(ObjKind::Set(s)) = it.heap_mut().get_mut(id).map(|o| &mut o.kind) {
            f(s);
        }
    };
    let other_keys = |it: &mut Interp<'_>, v: &Value| -> PyResult<Vec<(Key, Value)>> {
        let items = it.collect(v)?;
        items
            .into_iter()
            .map(|x| Ok((Key::from_value(&x, it.heap())?, x)))
            .collect()
    };
    Ok(match name {
        "add" => {
            let v = args
                .pos
                .first()
                .cloned()
                .ok_or_else(|| type_err("add() takes exactly one argument"))?;
            let k = Key::from_value(&v, it.heap())?;
            it.charge_mem(48)?;
            mutate(it, &mut |s| s.insert(k.clone(), v.clone()));
            Value::None
        }
        "discard" | "remove" => {
            let v = args
                .pos
                .first()
                .cloned()
                .ok_or_else(|| type_err("takes exactly one argument"))?;
            let k = Key::from_value(&v, it.heap())?;
            if name == "remove" && !set.contains(&k) {
                return Err(Flow::raise("KeyError", it.repr(&v)?));
            }
            mutate(it, &mut |s| {
                s.remove(&k);
            });
            Value::None
        }
        "pop" => {
            let mut out = None;
            mutate(it, &mut |s| out = s.pop_first());
            out.ok_or_else(|| Flow::raise("KeyError", "'pop from an empty set'"))?
        }
        "union" | "intersection" | "difference" | "symmetric_difference" | "update" => {
            let mut acc = set.clone();
            for a in &args.pos {
                let other = other_keys(it, a)?;
                let mut o = crate::heap::Set::new();
                for (k, v) in other {
                    o.insert(k, v);
                }
                let mut next = crate::heap::Set::new();
                match name {
                    "union" | "update" => {
                        for (k, v) in acc.entries().chain(o.entries()) {
                            next.insert(k.clone(), v.clone());
                        }
                    }
                    "intersection" => {
                        for (k, v) in acc.entries().filter(|(k, _)| o.contains(k)) {
                            next.insert(k.clone(), v.clone());
                        }
                    }
                    "difference" => {
                        for (k, v) in acc.entries().filter(|(k, _)| !o.contains(k)) {
                            next.insert(k.clone(), v.clone());
                        }
                    }
                    _ => {
                        for (k, v) in acc
                            .entries()
                            .filter(|(k, _)| !o.contains(k))
                            .chain(o.entries().filter(|(k, _)| !acc.contains(k)))
                        {
                            next.insert(k.clone(), v.clone());
                        }
                    }
                }
                acc = next;
            }
            if name == "update" {
                it.charge_mem(acc.len() * 48)?;
                let mut acc = Some(acc);
                mutate(it, &mut |s| {
                    if let Some(a) = acc.take() {
                        *s = a;
                    }
                });
                Value::None
            } else {
                let items: Vec<Value> = acc.iter().cloned().collect();
                it.make_set(items)?
            }
        }
        "issubset" | "issuperset" | "isdisjoint" => {
            let a = args
                .pos
                .first()
                .cloned()
                .ok_or_else(|| type_err("takes exactly one argument"))?;
            let other = other_keys(it, &a)?;
            let mut o = crate::heap::Set::new();
            for (k, v) in other {
                o.insert(k, v);
            }
            Value::Bool(match name {
                "issubset" => set.entries().all(|(k, _)| o.contains(k)),
                "issuperset" => o.entries().all(|(k, _)| set.contains(k)),
                _ => !set.entries().any(|(k, _)| o.contains(k)),
            })
        }
        "copy" => {
            let items: Vec<Value> = set.iter().cloned().collect();
            it.make_set(items)?
        }
        "clear" => {
            mutate(it, &mut |s| s.clear());
            Value::None
        }
        _ => {
            return Err(Flow::raise(
                "AttributeError",
                format!(
                    "'{}' object has no attribute '{name}'",
                    type_name(obj, it.heap())
                ),
            ));
        }
    })
}

/// Calls builtin method `name` on a non-instance value.
pub fn call(it: &mut Interp<'_>, obj: &Value, name: &str, args: Args) -> PyResult<Value> {
    it.charge_fuel(1)?;
    match obj {
        Value::Str(s) => str_method(it, s, name, args),
        Value::Ref(id) => match it.heap().get(*id).map(|o| &o.kind) {
            Some(ObjKind::List(_)) => list_method(it, *id, obj, name, args),
            Some(ObjKind::Dict(_)) => dict_method(it, *id, obj, name, args),
            Some(ObjKind::Set(_)) => set_method(it, *id, obj, name, args),
            _ => Err(Flow::raise(
                "AttributeError",
                format!(
                    "'{}' object has no attribute '{name}'",
                    type_name(obj, it.heap())
                ),
            )),
        },
        Value::Float(f) if name == "is_integer" => {
            Ok(Value::Bool(f.is_finite() && f.fract() == 0.0))
        }
        Value::Int(i) if name == "bit_length" => {
            Ok(Value::Int(i64::from(64 - i.unsigned_abs().leading_zeros())))
        }
        Value::Date(_) | Value::DateTime(_) | Value::Delta(_) | Value::Decimal(_) => {
            crate::dates::call_method(it, obj, name, &args)
        }
        _ => {
            let f = it.get_attr(obj, name)?;
            it.call_value(&f, args)
        }
    }
}
