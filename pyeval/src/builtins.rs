//! Builtin functions and types (`len`, `sorted`, `int`, `isinstance`, `defined` …).

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use crate::error::{Flow, PyErr, PyResult, is_builtin_exception, overflow, type_err, value_err};
use crate::eval::{Interp, type_name};
use crate::heap::{Dict, ObjKind};
use crate::host::Args;
use crate::path::Name;
use crate::value::{Delta, Key, Value};

/// Sorted (binary-searched).
const FUNCS: &[&str] = &[
    "Decimal",
    "NoneType",
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "callable",
    "chr",
    "date",
    "datetime",
    "define",
    "defined",
    "dict",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "format",
    "frozenset",
    "hasattr",
    "hex",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "map",
    "max",
    "min",
    "next",
    "oct",
    "ord",
    "pow",
    "print",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "showifdef",
    "sorted",
    "str",
    "sum",
    "timedelta",
    "tuple",
    "type",
    "undefine",
    "value",
    "zip",
];

const TYPES: &[&str] = &[
    "bool",
    "int",
    "float",
    "str",
    "list",
    "dict",
    "set",
    "frozenset",
    "tuple",
    "range",
    "Decimal",
    "date",
    "datetime",
    "timedelta",
    "NoneType",
    "type",
    "function",
];

/// Whether `name` is a builtin type (for `isinstance` and `repr`).
pub fn is_type(name: &str) -> bool {
    TYPES.contains(&name)
}

/// Whether `name` is a builtin function, type or exception class.
#[inline]
pub fn is_builtin(name: &str) -> bool {
    FUNCS.binary_search(&name).is_ok() || is_builtin_exception(name)
}

/// The builtin named `name`, if any.
pub fn lookup(name: &str) -> Option<Value> {
    if is_builtin(name) {
        Some(Value::Builtin(Arc::from(name)))
    } else {
        None
    }
}

/// `datetime.date` and friends, so `datetime.date(2020, 1, 1)` works without an import.
pub fn static_attr(b: &str, name: &str) -> Option<Value> {
    match (b, name) {
        ("datetime", "date" | "datetime" | "timedelta") => Some(Value::Builtin(Arc::from(name))),
        // unbound methods such as `str.lower` (for `key=str.lower`, `map(str.strip, xs)`)
        ("str" | "list" | "dict" | "set", _) if crate::methods::type_has_method(b, name) => {
            Some(Value::Builtin(Arc::from(format!("{b}.{name}"))))
        }
        _ => None,
    }
}

/// Class-level calls such as `date.today()`, `datetime.strptime(...)`, `dict.fromkeys(...)`.
pub fn call_static(
    it: &mut Interp<'_>,
    b: &str,
    name: &str,
    args: &Args,
) -> Option<PyResult<Value>> {
    Some(match (b, name) {
        ("date", "today") => match it.host().today() {
            Some(d) => Ok(Value::Date(d)),
            None => Err(Flow::raise(
                "RuntimeError",
                "pyeval has no clock; the host provides today()",
            )),
        },
        ("datetime", "now" | "today" | "utcnow") => Err(Flow::raise(
            "RuntimeError",
            "pyeval has no clock; the host provides the current time",
        )),
        ("date", "fromisoformat") => match args.pos.first() {
            Some(Value::Str(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Value::Date)
                .map_err(|_| {
                    value_err(format!(
                        "Invalid isoformat string: {}",
                        crate::format::repr_str(s)
                    ))
                }),
            _ => Err(type_err("fromisoformat: argument must be str")),
        },
        ("datetime", "fromisoformat") => match args.pos.first() {
            Some(Value::Str(s)) => crate::dates::parse_iso_datetime(s),
            _ => Err(type_err("fromisoformat: argument must be str")),
        },
        ("datetime", "strptime") => match (args.pos.first(), args.pos.get(1)) {
            (Some(Value::Str(s)), Some(Value::Str(f))) => NaiveDateTime::parse_from_str(s, f)
                .or_else(|_| NaiveDate::parse_from_str(s, f).map(|d| d.and_time(NaiveTime::MIN)))
                .map(Value::DateTime)
                .map_err(|_| {
                    value_err(format!(
                        "time data {} does not match format {}",
                        crate::format::repr_str(s),
                        crate::format::repr_str(f)
                    ))
                }),
            _ => Err(type_err("strptime() argument must be str")),
        },
        ("dict", "fromkeys") => {
            let Some(src) = args.pos.first() else {
                return Some(Err(type_err("fromkeys expected at least 1 argument")));
            };
            let v = args.pos.get(1).cloned().unwrap_or(Value::None);
            let keys = match it.collect(src) {
                Ok(k) => k,
                Err(e) => return Some(Err(e)),
            };
            let mut d = Dict::new();
            for k in keys {
                match Key::from_value(&k, it.heap()) {
                    Ok(key) => d.insert(key, k, v.clone()),
                    Err(e) => return Some(Err(e)),
                }
            }
            Ok(it.heap_mut().new_dict(d))
        }
        _ => return None,
    })
}

/// A float's value as an int (truncating), as `int(f)` does.
pub fn float_to_int(f: f64) -> PyResult<i64> {
    if f.is_nan() {
        return Err(value_err("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(Flow::raise(
            "OverflowError",
            "cannot convert float infinity to integer",
        ));
    }
    let t = f.trunc();
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&t) {
        return Err(overflow());
    }
    #[allow(clippy::cast_possible_truncation)]
    Ok(t as i64)
}

/// A decimal truncated to an int.
pub fn decimal_to_int(d: Decimal) -> PyResult<i64> {
    d.trunc().to_i64().ok_or_else(overflow)
}

/// A number as a float.
#[allow(clippy::cast_precision_loss)]
pub fn to_float(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Float(f) => Some(*f),
        Value::Decimal(d) => d.to_f64(),
        _ => None,
    }
}

/// `ascii()`: escapes non-ASCII characters of a repr.
pub fn ascii_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n < 0x100 {
            out.push_str(&format!("\\x{n:02x}"));
        } else if n < 0x10000 {
            out.push_str(&format!("\\u{n:04x}"));
        } else {
            out.push_str(&format!("\\U{n:08x}"));
        }
    }
    out
}

fn want_int(v: &Value, what: &str, heap: &crate::Heap) -> PyResult<i64> {
    v.as_int().ok_or_else(|| {
        type_err(format!(
            "'{}' object cannot be interpreted as an integer{what}",
            type_name(v, heap)
        ))
    })
}

fn arg<'a>(args: &'a Args, i: usize, fname: &str) -> PyResult<&'a Value> {
    args.pos.get(i).ok_or_else(|| {
        type_err(format!(
            "{fname}() missing required argument (pos {})",
            i + 1
        ))
    })
}

fn no_kw(args: &Args, fname: &str) -> PyResult<()> {
    match args.kw.first() {
        Some((k, _)) => Err(type_err(format!(
            "{fname}() got an unexpected keyword argument '{k}'"
        ))),
        None => Ok(()),
    }
}

/// Parses an int literal as `int(s, base)` does.
pub fn parse_int(s: &str, base: u32) -> Option<i64> {
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = body.to_ascii_lowercase();
    let (base, digits) = {
        let pref = |p: &str| lower.strip_prefix(p).map(|d| d.to_string());
        match base {
            0 => {
                if let Some(d) = pref("0x") {
                    (16, d)
                } else if let Some(d) = pref("0o") {
                    (8, d)
                } else if let Some(d) = pref("0b") {
                    (2, d)
                } else {
                    if lower.len() > 1
                        && lower.starts_with('0')
                        && lower.chars().any(|c| c != '0' && c != '_')
                    {
                        return None;
                    }
                    (10, lower.clone())
                }
            }
            16 => (16, pref("0x").unwrap_or_else(|| lower.clone())),
            8 => (8, pref("0o").unwrap_or_else(|| lower.clone())),
            2 => (2, pref("0b").unwrap_or_else(|| lower.clone())),
            b => (b, lower.clone()),
        }
    };
    let digits = digits
        .strip_prefix('_')
        .filter(|_| body.len() > 2 && base != 10)
        .map(str::to_string)
        .unwrap_or(digits);
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    let mag = u64::from_str_radix(&clean, base).ok()?;
    if neg {
        if mag == 1u64 << 63 {
            return Some(i64::MIN);
        }
        i64::try_from(mag).ok().map(|m| -m)
    } else {
        i64::try_from(mag).ok()
    }
}

/// Stable merge sort with a fallible `<` (Python only uses `<` to sort).
fn merge_sort(
    it: &mut Interp<'_>,
    mut v: Vec<(Value, Value)>,
    reverse: bool,
) -> PyResult<Vec<(Value, Value)>> {
    if v.len() <= 1 {
        return Ok(v);
    }
    let right = v.split_off(v.len() / 2);
    let l = merge_sort(it, v, reverse)?;
    let r = merge_sort(it, right, reverse)?;
    let mut out = Vec::with_capacity(l.len() + r.len());
    let mut li = l.into_iter().peekable();
    let mut ri = r.into_iter().peekable();
    loop {
        match (li.peek(), ri.peek()) {
            (Some(a), Some(b)) => {
                it.charge_fuel(1)?;
                let take_right = if reverse {
                    crate::ops::lt(it, &a.0, &b.0)?
                } else {
                    crate::ops::lt(it, &b.0, &a.0)?
                };
                let x = if take_right { ri.next() } else { li.next() };
                out.extend(x);
            }
            (Some(_), None) => out.extend(li.by_ref()),
            (None, Some(_)) => out.extend(ri.by_ref()),
            (None, None) => break,
        }
    }
    Ok(out)
}

/// Sorts values (with an optional key function), stably, as `sorted()`/`list.sort()`.
pub fn sort_values(
    it: &mut Interp<'_>,
    items: Vec<Value>,
    key: Option<&Value>,
    reverse: bool,
) -> PyResult<Vec<Value>> {
    let mut dec = Vec::with_capacity(items.len());
    for x in items {
        let k = match key {
            Some(f) if !f.is_none() => it.call_value(f, Args::new(vec![x.clone()]))?,
            _ => x.clone(),
        };
        dec.push((k, x));
    }
    Ok(merge_sort(it, dec, reverse)?
        .into_iter()
        .map(|(_, x)| x)
        .collect())
}

fn min_max(it: &mut Interp<'_>, mut args: Args, is_max: bool) -> PyResult<Value> {
    let fname = if is_max { "max" } else { "min" };
    let key = args.take_kw("key");
    let default = args.take_kw("default");
    no_kw(&args, fname)?;
    let items = match args.pos.len() {
        0 => {
            return Err(type_err(format!(
                "{fname} expected at least 1 argument, got 0"
            )));
        }
        1 => it.collect(&args.pos[0])?,
        _ => {
            if default.is_some() {
                return Err(type_err(format!(
                    "Cannot specify a default for {fname}() with multiple positional arguments"
                )));
            }
            args.pos
        }
    };
    let mut best: Option<(Value, Value)> = None;
    for x in items {
        let k = match &key {
            Some(f) if !f.is_none() => it.call_value(f, Args::new(vec![x.clone()]))?,
            _ => x.clone(),
        };
        best = Some(match best {
            None => (k, x),
            Some((bk, bx)) => {
                let better = if is_max {
                    crate::ops::lt(it, &bk, &k)?
                } else {
                    crate::ops::lt(it, &k, &bk)?
                };
                if better { (k, x) } else { (bk, bx) }
            }
        });
    }
    match (best, default) {
        (Some((_, x)), _) => Ok(x),
        (None, Some(d)) => Ok(d),
        (None, None) => Err(value_err(format!("{fname}() arg is an empty sequence"))),
    }
}

fn round(it: &mut Interp<'_>, args: &Args) -> PyResult<Value> {
    let x = arg(args, 0, "round")?;
    let nd = match args.get(1, "ndigits") {
        None | Some(Value::None) => None,
        Some(v) => Some(want_int(v, "", it.heap())?),
    };
    match (x, nd) {
        (Value::Int(_) | Value::Bool(_), None) => Ok(Value::Int(x.as_int().unwrap_or(0))),
        (Value::Int(_) | Value::Bool(_), Some(n)) => {
            let i = x.as_int().unwrap_or(0);
            if n >= 0 {
                return Ok(Value::Int(i));
            }
            if n < -18 {
                return Ok(Value::Int(0));
            }
            let p = 10i64.pow(u32::try_from(-n).unwrap_or(0));
            let (i, p) = (i128::from(i), i128::from(p));
            let q = i.div_euclid(p);
            let r = i - q * p;
            let half = p / 2;
            let q = if r > half || (r == half && q % 2 != 0) {
                q + 1
            } else {
                q
            };
            Ok(Value::Int(i64::try_from(q * p).map_err(|_| overflow())?))
        }
        (Value::Float(f), None) => Ok(Value::Int(float_to_int(f.round_ties_even())?)),
        (Value::Float(f), Some(n)) => {
            if !f.is_finite() || n > 323 {
                return Ok(Value::Float(*f));
            }
            if n >= 0 {
                let s = format!("{:.*}", usize::try_from(n).unwrap_or(0), f);
                Ok(Value::Float(s.parse::<f64>().unwrap_or(*f)))
            } else {
                let p = 10f64.powi(i32::try_from(-n).unwrap_or(400));
                if !p.is_finite() {
                    return Ok(Value::Float(0.0f64.copysign(*f)));
                }
                Ok(Value::Float((f / p).round_ties_even() * p))
            }
        }
        (Value::Decimal(d), None) => Ok(Value::Int(decimal_to_int(
            d.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointNearestEven),
        )?)),
        (Value::Decimal(d), Some(n)) => {
            let n = u32::try_from(n.max(0)).unwrap_or(0);
            let mut r =
                d.round_dp_with_strategy(n, rust_decimal::RoundingStrategy::MidpointNearestEven);
            r.rescale(n);
            Ok(Value::Decimal(r))
        }
        _ => Err(type_err(format!(
            "type {} doesn't define __round__ method",
            type_name(x, it.heap())
        ))),
    }
}

fn to_int(it: &mut Interp<'_>, args: &Args) -> PyResult<Value> {
    let Some(x) = args.get(0, "x") else {
        return Ok(Value::Int(0));
    };
    let base = match args.get(1, "base") {
        Some(b) => Some(want_int(b, "", it.heap())?),
        None => None,
    };
    match (x, base) {
        (Value::Str(s), b) => {
            let b = b.unwrap_or(10);
            if b != 0 && !(2..=36).contains(&b) {
                return Err(value_err("int() base must be >= 2 and <= 36, or 0"));
            }
            parse_int(s, u32::try_from(b).unwrap_or(10))
                .map(Value::Int)
                .ok_or_else(|| {
                    value_err(format!(
                        "invalid literal for int() with base {b}: {}",
                        crate::format::repr_str(s)
                    ))
                })
        }
        (_, Some(_)) => Err(type_err(
            "int() can't convert non-string with explicit base",
        )),
        (Value::Int(i), None) => Ok(Value::Int(*i)),
        (Value::Bool(b), None) => Ok(Value::Int(i64::from(*b))),
        (Value::Float(f), None) => Ok(Value::Int(float_to_int(*f)?)),
        (Value::Decimal(d), None) => Ok(Value::Int(decimal_to_int(*d)?)),
        _ => Err(type_err(format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            type_name(x, it.heap())
        ))),
    }
}

fn to_float_b(it: &mut Interp<'_>, args: &Args) -> PyResult<Value> {
    let Some(x) = args.pos.first() else {
        return Ok(Value::Float(0.0));
    };
    match x {
        Value::Str(s) => crate::format::parse_float(s)
            .map(Value::Float)
            .ok_or_else(|| {
                value_err(format!(
                    "could not convert string to float: {}",
                    crate::format::repr_str(s)
                ))
            }),
        v => to_float(v).map(Value::Float).ok_or_else(|| {
            type_err(format!(
                "float() argument must be a string or a real number, not '{}'",
                type_name(v, it.heap())
            ))
        }),
    }
}

fn to_decimal(it: &mut Interp<'_>, args: &Args) -> PyResult<Value> {
    let Some(x) = args.pos.first() else {
        return Ok(Value::Decimal(Decimal::ZERO));
    };
    match x {
        Value::Str(s) => {
            let t = s.trim().replace('_', "");
            Decimal::from_str_exact(&t)
                .or_else(|_| Decimal::from_scientific(&t))
                .map(Value::Decimal)
                .map_err(|_| {
                    Flow::raise(
                        "InvalidOperation",
                        format!(
                            "[<class 'decimal.ConversionSyntax'>] {}",
                            crate::format::repr_str(s)
                        ),
                    )
                })
        }
        Value::Int(i) => Ok(Value::Decimal(Decimal::from(*i))),
        Value::Bool(b) => Ok(Value::Decimal(Decimal::from(i64::from(*b)))),
        Value::Float(f) => Decimal::from_f64(*f)
            .map(Value::Decimal)
            .ok_or_else(|| value_err("cannot convert float to Decimal")),
        Value::Decimal(d) => Ok(Value::Decimal(*d)),
        v => Err(type_err(format!(
            "conversion from {} to Decimal is not supported",
            type_name(v, it.heap())
        ))),
    }
}

fn make_date(it: &Interp<'_>, args: &Args, with_time: bool) -> PyResult<Value> {
    let names = [
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "microsecond",
    ];
    let mut vals = [0i64, 0, 0, 0, 0, 0, 0];
    for (i, n) in names.iter().enumerate() {
        if !with_time && i > 2 {
            break;
        }
        match args.get(i, n) {
            Some(v) => vals[i] = want_int(v, "", it.heap())?,
            None if i < 3 => {
                return Err(type_err(format!(
                    "function missing required argument '{n}' (pos {})",
                    i + 1
                )));
            }
            None => {}
        }
    }
    let u = |x: i64| u32::try_from(x).unwrap_or(u32::MAX);
    let d = i32::try_from(vals[0])
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, u(vals[1]), u(vals[2])))
        .ok_or_else(|| value_err("day is out of range for month"))?;
    if !with_time {
        return Ok(Value::Date(d));
    }
    let t = NaiveTime::from_hms_micro_opt(u(vals[3]), u(vals[4]), u(vals[5]), u(vals[6]))
        .ok_or_else(|| value_err("time out of range"))?;
    Ok(Value::DateTime(d.and_time(t)))
}

fn make_delta(args: &Args) -> PyResult<Value> {
    // positional order: days, seconds, microseconds, milliseconds, minutes, hours, weeks
    let names = [
        ("days", 86_400e6),
        ("seconds", 1e6),
        ("microseconds", 1.0),
        ("milliseconds", 1e3),
        ("minutes", 60e6),
        ("hours", 3_600e6),
        ("weeks", 604_800e6),
    ];
    let mut total: f64 = 0.0;
    let mut exact: i128 = 0;
    for (i, (n, mult)) in names.iter().enumerate() {
        if let Some(v) = args.get(i, n) {
            match v {
                Value::Int(_) | Value::Bool(_) => {
                    exact += i128::from(v.as_int().unwrap_or(0)) * (*mult as i128)
                }
                Value::Float(f) => total += f * mult,
                _ => {
                    return Err(type_err(format!(
                        "unsupported type for timedelta {n} component"
                    )));
                }
            }
        }
    }
    for (k, _) in &args.kw {
        if !names.iter().any(|(n, _)| **n == **k) {
            return Err(type_err(format!(
                "'{k}' is an invalid keyword argument for timedelta()"
            )));
        }
    }
    let micros = exact + total.round_ties_even() as i128;
    let m =
        i64::try_from(micros).map_err(|_| Flow::raise("OverflowError", "timedelta too large"))?;
    Ok(Value::Delta(Delta(m)))
}

fn isinstance(it: &Interp<'_>, v: &Value, cls: &Value) -> PyResult<bool> {
    match cls {
        Value::Tuple(t) => {
            for c in t.iter() {
                if isinstance(it, v, c)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Builtin(n) if is_type(n) || is_builtin_exception(n) => Ok(match &**n {
            "int" => matches!(v, Value::Int(_) | Value::Bool(_)),
            "bool" => matches!(v, Value::Bool(_)),
            "float" => matches!(v, Value::Float(_)),
            "str" => matches!(v, Value::Str(_)),
            "tuple" => matches!(v, Value::Tuple(_)),
            "range" => matches!(v, Value::Range(..)),
            "Decimal" => matches!(v, Value::Decimal(_)),
            "date" => matches!(v, Value::Date(_) | Value::DateTime(_)),
            "datetime" => matches!(v, Value::DateTime(_)),
            "timedelta" => matches!(v, Value::Delta(_)),
            "NoneType" => v.is_none(),
            "function" => matches!(v, Value::Func(_)),
            "list" | "dict" | "set" | "frozenset" => {
                let k = v
                    .as_ref_id()
                    .and_then(|id| it.heap().get(id))
                    .map(|o| &o.kind);
                matches!(
                    (&**n, k),
                    ("list", Some(ObjKind::List(_)))
                        | ("dict", Some(ObjKind::Dict(_)))
                        | ("set" | "frozenset", Some(ObjKind::Set(_)))
                )
            }
            "type" => matches!(v, Value::Class(_)) || matches!(v, Value::Builtin(b) if is_type(b)),
            exc => matches!(v, Value::Exc(e) if crate::error::exc_matches(&e.kind, exc)),
        }),
        Value::Class(base) => Ok(match type_of(it, v) {
            Value::Class(c) => it.is_subclass(&c, base),
            _ => false,
        }),
        _ => Err(type_err(
            "isinstance() arg 2 must be a type, a tuple of types, or a union",
        )),
    }
}

/// `type(v)` as a value.
pub fn type_of(it: &Interp<'_>, v: &Value) -> Value {
    if let Some(id) = v.as_ref_id()
        && let Some(u) = it.heap().instance(id).and_then(|i| i.user_class.clone())
    {
        return Value::Class(u);
    }
    if let Some(c) = it.class_name(v) {
        return Value::Class(c);
    }
    let n = match v {
        Value::Ref(id) => match it.heap().get(*id).map(|o| &o.kind) {
            Some(ObjKind::List(_)) => "list",
            Some(ObjKind::Dict(_)) => "dict",
            Some(ObjKind::Set(_)) => "set",
            _ => "iterator",
        },
        Value::Exc(e) => return Value::Builtin(Arc::from(e.kind.as_str())),
        Value::Builtin(b) if is_type(b) || is_builtin_exception(b) => "type",
        Value::Class(_) => "type",
        v => return Value::Builtin(Arc::from(type_name(v, it.heap()).as_str())),
    };
    Value::Builtin(Arc::from(n))
}

fn path_arg(args: &Args, fname: &str) -> PyResult<String> {
    match args.pos.first() {
        Some(Value::Str(s)) => Ok(s.to_string()),
        _ => Err(type_err(format!(
            "{fname}() takes a variable name as a string"
        ))),
    }
}

fn radix(it: &Interp<'_>, v: &Value, ty: char) -> PyResult<Value> {
    let i = want_int(v, "", it.heap())?;
    let s = crate::format::format_int(i, &crate::format::Spec::parse(&format!("#{ty}"))?)?;
    Ok(Value::Str(Arc::from(s)))
}

/// Calls builtin `name`.
/// `print(v, end=end)` of one value: `str(v)` and `end` appended to the output.
pub(crate) fn write_output(it: &mut Interp<'_>, v: &Value, end: &str) -> PyResult<()> {
    let text: std::borrow::Cow<'_, str> = match v {
        Value::Str(s) => std::borrow::Cow::Borrowed(s),
        v => std::borrow::Cow::Owned(it.to_str(v)?),
    };
    it.charge_mem(text.len() + end.len())?;
    it.output.push_str(&text);
    it.output.push_str(end);
    Ok(())
}

pub fn call(it: &mut Interp<'_>, name: &Name, mut args: Args) -> PyResult<Value> {
    let n: &str = name;
    if let Some((ty, method)) = n.split_once('.') {
        if args.pos.is_empty() {
            return Err(type_err(format!("unbound method {n}() needs an argument")));
        }
        let this = args.pos.remove(0);
        let ok = match ty {
            "str" => matches!(this, Value::Str(_)),
            _ => type_name(&this, it.heap()) == ty,
        };
        if !ok {
            return Err(type_err(format!(
                "descriptor '{method}' for '{ty}' objects doesn't apply to a '{}' object",
                type_name(&this, it.heap())
            )));
        }
        return it.call_method(&this, method, args);
    }
    if is_builtin_exception(n) {
        let message = match args.pos.len() {
            0 => String::new(),
            1 if n == "KeyError" => it.repr(&args.pos[0])?,
            1 => it.to_str(&args.pos[0])?,
            _ => it.repr(&Value::tuple(args.pos.clone())?)?,
        };
        return Ok(Value::Exc(Arc::new(PyErr {
            kind: n.to_string(),
            message,
            line: None,
        })));
    }
    match n {
        "len" => {
            no_kw(&args, n)?;
            let v = arg(&args, 0, n)?;
            let v = v.clone();
            Ok(Value::Int(it.len(&v)?))
        }
        "str" => match args.pos.first() {
            None => Ok(Value::str("")),
            Some(v) => {
                let v = v.clone();
                Ok(Value::Str(Arc::from(it.to_str(&v)?)))
            }
        },
        "repr" => {
            let v = arg(&args, 0, n)?.clone();
            Ok(Value::Str(Arc::from(it.repr(&v)?)))
        }
        "ascii" => {
            let v = arg(&args, 0, n)?.clone();
            Ok(Value::Str(Arc::from(ascii_escape(&it.repr(&v)?))))
        }
        "bool" => match args.pos.first() {
            None => Ok(Value::Bool(false)),
            Some(v) => {
                let v = v.clone();
                Ok(Value::Bool(it.truthy(&v)?))
            }
        },
        "int" => to_int(it, &args),
        "float" => to_float_b(it, &args),
        "Decimal" => to_decimal(it, &args),
        "list" => {
            let items = match args.pos.first() {
                None => Vec::new(),
                Some(v) => {
                    let v = v.clone();
                    it.collect(&v)?
                }
            };
            it.make_list(items)
        }
        "tuple" => {
            let items = match args.pos.first() {
                None => Vec::new(),
                Some(Value::Tuple(t)) => return Ok(Value::Tuple(t.clone())),
                Some(v) => {
                    let v = v.clone();
                    it.collect(&v)?
                }
            };
            Value::tuple(items)
        }
        "set" | "frozenset" => {
            let items = match args.pos.first() {
                None => Vec::new(),
                Some(v) => {
                    let v = v.clone();
                    it.collect(&v)?
                }
            };
            it.make_set(items)
        }
        "dict" => {
            let mut d = Dict::new();
            if let Some(src) = args.pos.first().cloned() {
                let is_map = matches!(
                    src.as_ref_id()
                        .and_then(|id| it.heap().get(id))
                        .map(|o| &o.kind),
                    Some(ObjKind::Dict(_))
                );
                let pairs = if is_map {
                    it.dict_items(&src)?
                } else {
                    let mut pairs = Vec::new();
                    for (idx, item) in it.collect(&src)?.into_iter().enumerate() {
                        let kv = it.collect(&item)?;
                        if kv.len() != 2 {
                            return Err(value_err(format!(
                                "dictionary update sequence element #{idx} has length {}; 2 is required",
                                kv.len()
                            )));
                        }
                        let mut kv = kv.into_iter();
                        if let (Some(k), Some(v)) = (kv.next(), kv.next()) {
                            pairs.push((k, v));
                        }
                    }
                    pairs
                };
                for (k, v) in pairs {
                    let key = Key::from_value(&k, it.heap())?;
                    d.insert(key, k, v);
                }
            }
            for (k, v) in std::mem::take(&mut args.kw) {
                d.insert(Key::Str(k.clone()), Value::Str(k), v);
            }
            it.charge_mem(d.len().saturating_add(1) * 72)?;
            Ok(it.heap_mut().new_dict(d))
        }
        "range" => {
            no_kw(&args, n)?;
            let ints: Vec<i64> = args
                .pos
                .iter()
                .map(|v| want_int(v, "", it.heap()))
                .collect::<PyResult<_>>()?;
            match ints.as_slice() {
                [b] => Ok(Value::Range(0, *b, 1)),
                [a, b] => Ok(Value::Range(*a, *b, 1)),
                [a, b, s] => {
                    if *s == 0 {
                        return Err(value_err("range() arg 3 must not be zero"));
                    }
                    Ok(Value::Range(*a, *b, *s))
                }
                _ => Err(type_err(format!(
                    "range expected 1 to 3 arguments, got {}",
                    ints.len()
                ))),
            }
        }
        "enumerate" => {
            let src = arg(&args, 0, n)?.clone();
            let start = match args.get(1, "start") {
                Some(v) => want_int(v, "", it.heap())?,
                None => 0,
            };
            let items = it.collect(&src)?;
            let mut out = Vec::with_capacity(items.len());
            for (i, x) in items.into_iter().enumerate() {
                let idx = start
                    .checked_add(i64::try_from(i).unwrap_or(i64::MAX))
                    .ok_or_else(overflow)?;
                out.push(Value::tuple(vec![Value::Int(idx), x])?);
            }
            it.make_iter_obj(out)
        }
        "zip" => {
            args.take_kw("strict");
            let mut cols = Vec::new();
            for a in args.pos.clone() {
                cols.push(it.collect(&a)?);
            }
            let len = cols.iter().map(Vec::len).min().unwrap_or(0);
            let mut out = Vec::with_capacity(len);
            for i in 0..len {
                out.push(Value::tuple(cols.iter().map(|c| c[i].clone()).collect())?);
            }
            it.make_iter_obj(out)
        }
        "map" => {
            let f = arg(&args, 0, n)?.clone();
            let mut cols = Vec::new();
            for a in args.pos.iter().skip(1).cloned().collect::<Vec<_>>() {
                cols.push(it.collect(&a)?);
            }
            if cols.is_empty() {
                return Err(type_err("map() must have at least two arguments."));
            }
            let len = cols.iter().map(Vec::len).min().unwrap_or(0);
            let mut out = Vec::with_capacity(len);
            for i in 0..len {
                let a = Args::new(cols.iter().map(|c| c[i].clone()).collect());
                out.push(it.call_value(&f, a)?);
            }
            it.make_iter_obj(out)
        }
        "filter" => {
            let f = arg(&args, 0, n)?.clone();
            let src = arg(&args, 1, n)?.clone();
            let mut out = Vec::new();
            for x in it.collect(&src)? {
                let keep = if f.is_none() {
                    x.clone()
                } else {
                    it.call_value(&f, Args::new(vec![x.clone()]))?
                };
                if it.truthy(&keep)? {
                    out.push(x);
                }
            }
            it.make_iter_obj(out)
        }
        "reversed" => {
            let src = arg(&args, 0, n)?.clone();
            let mut items = match &src {
                Value::Range(..) | Value::Tuple(_) | Value::Str(_) => it.collect(&src)?,
                Value::Ref(id) => match it.heap().get(*id).map(|o| &o.kind) {
                    Some(ObjKind::List(_) | ObjKind::Dict(_)) => it.collect(&src)?,
                    Some(ObjKind::Instance(_)) => it.collect(&src)?,
                    _ => {
                        return Err(type_err(format!(
                            "'{}' object is not reversible",
                            type_name(&src, it.heap())
                        )));
                    }
                },
                _ => {
                    return Err(type_err(format!(
                        "'{}' object is not reversible",
                        type_name(&src, it.heap())
                    )));
                }
            };
            items.reverse();
            it.make_iter_obj(items)
        }
        "iter" => {
            let src = arg(&args, 0, n)?.clone();
            if let Some(ObjKind::Iter(_)) = src
                .as_ref_id()
                .and_then(|id| it.heap().get(id))
                .map(|o| &o.kind)
            {
                return Ok(src);
            }
            let items = it.collect(&src)?;
            it.make_iter_obj(items)
        }
        "next" => {
            let src = arg(&args, 0, n)?.clone();
            let Some(id) = src
                .as_ref_id()
                .filter(|id| matches!(it.heap().get(*id).map(|o| &o.kind), Some(ObjKind::Iter(_))))
            else {
                return Err(type_err(format!(
                    "'{}' object is not an iterator",
                    type_name(&src, it.heap())
                )));
            };
            let mut li = crate::eval::LoopIter::IterObj(id);
            match it.iter_next(&mut li) {
                Some(v) => Ok(v),
                None => match args.pos.get(1) {
                    Some(d) => Ok(d.clone()),
                    None => Err(Flow::raise("StopIteration", "")),
                },
            }
        }
        "sorted" => {
            let key = args.take_kw("key");
            let reverse = match args.take_kw("reverse") {
                Some(r) => it.truthy(&r)?,
                None => false,
            };
            no_kw(&args, n)?;
            let src = arg(&args, 0, n)?.clone();
            let items = it.collect(&src)?;
            let sorted = sort_values(it, items, key.as_ref(), reverse)?;
            it.make_list(sorted)
        }
        "min" => min_max(it, args, false),
        "max" => min_max(it, args, true),
        "sum" => {
            let src = arg(&args, 0, n)?.clone();
            let mut acc = args.get(1, "start").cloned().unwrap_or(Value::Int(0));
            if matches!(acc, Value::Str(_)) {
                return Err(type_err(
                    "sum() can't sum strings [use ''.join(seq) instead]",
                ));
            }
            for x in it.collect(&src)? {
                it.charge_fuel(1)?;
                acc = crate::ops::binop(it, crate::ir::BinOp::Add, &acc, &x)?;
            }
            Ok(acc)
        }
        "any" | "all" => {
            let src = arg(&args, 0, n)?.clone();
            let want = n == "any";
            let mut li = it.make_iter(&src)?;
            while let Some(x) = it.iter_next(&mut li) {
                it.charge_fuel(1)?;
                if it.truthy(&x)? == want {
                    return Ok(Value::Bool(want));
                }
            }
            Ok(Value::Bool(!want))
        }
        "abs" => match arg(&args, 0, n)? {
            Value::Int(i) => Ok(Value::Int(i.checked_abs().ok_or_else(overflow)?)),
            Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
            Value::Float(f) => Ok(Value::Float(f.abs())),
            Value::Decimal(d) => Ok(Value::Decimal(d.abs())),
            Value::Delta(d) => Ok(Value::Delta(Delta(d.0.checked_abs().ok_or_else(overflow)?))),
            v => Err(type_err(format!(
                "bad operand type for abs(): '{}'",
                type_name(v, it.heap())
            ))),
        },
        "round" => round(it, &args),
        "divmod" => {
            let a = arg(&args, 0, n)?.clone();
            let b = arg(&args, 1, n)?.clone();
            match (&a, &b) {
                (Value::Float(_), _) | (_, Value::Float(_)) => {
                    let (x, y) = (
                        to_float(&a)
                            .ok_or_else(|| type_err("unsupported operand type(s) for divmod()"))?,
                        to_float(&b)
                            .ok_or_else(|| type_err("unsupported operand type(s) for divmod()"))?,
                    );
                    let (q, r) = crate::ops::float_divmod(x, y)?;
                    Value::tuple(vec![Value::Float(q), Value::Float(r)])
                }
                _ => {
                    let q = crate::ops::binop(it, crate::ir::BinOp::FloorDiv, &a, &b)?;
                    let r = crate::ops::binop(it, crate::ir::BinOp::Mod, &a, &b)?;
                    Value::tuple(vec![q, r])
                }
            }
        }
        "pow" => {
            let a = arg(&args, 0, n)?.clone();
            let b = arg(&args, 1, n)?.clone();
            match args.get(2, "mod") {
                None | Some(Value::None) => crate::ops::binop(it, crate::ir::BinOp::Pow, &a, &b),
                Some(m) => {
                    let (x, e, m) = (
                        want_int(&a, "", it.heap())?,
                        want_int(&b, "", it.heap())?,
                        want_int(m, "", it.heap())?,
                    );
                    if m == 0 {
                        return Err(value_err("pow() 3rd argument cannot be 0"));
                    }
                    if e < 0 {
                        return Err(value_err(
                            "pow() negative exponent with modulus is not supported",
                        ));
                    }
                    let mm = i128::from(m);
                    let mut base = i128::from(x).rem_euclid(mm);
                    let mut r: i128 = 1 % mm;
                    let mut e = e;
                    while e > 0 {
                        if e & 1 == 1 {
                            r = (r * base).rem_euclid(mm);
                        }
                        base = (base * base).rem_euclid(mm);
                        e >>= 1;
                    }
                    // Python's result has the sign of the modulus
                    let r = if m < 0 && r > 0 { r + mm } else { r };
                    Ok(Value::Int(i64::try_from(r).map_err(|_| overflow())?))
                }
            }
        }
        "chr" => {
            let i = want_int(arg(&args, 0, n)?, "", it.heap())?;
            u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .map(|c| Value::Str(Arc::from(c.to_string())))
                .ok_or_else(|| value_err("chr() arg not in range(0x110000)"))
        }
        "ord" => match arg(&args, 0, n)? {
            Value::Str(s) => {
                let mut cs = s.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => Ok(Value::Int(i64::from(c as u32))),
                    _ => Err(type_err(format!(
                        "ord() expected a character, but string of length {} found",
                        s.chars().count()
                    ))),
                }
            }
            v => Err(type_err(format!(
                "ord() expected string of length 1, but {} found",
                type_name(v, it.heap())
            ))),
        },
        "hex" => radix(it, arg(&args, 0, n)?, 'x'),
        "oct" => radix(it, arg(&args, 0, n)?, 'o'),
        "bin" => radix(it, arg(&args, 0, n)?, 'b'),
        "format" => {
            let v = arg(&args, 0, n)?.clone();
            let spec = match args.pos.get(1) {
                Some(Value::Str(s)) => s.to_string(),
                None => String::new(),
                Some(_) => return Err(type_err("format() argument 2 must be str")),
            };
            Ok(Value::Str(Arc::from(it.format_value(&v, &spec)?)))
        }
        "isinstance" => {
            let v = arg(&args, 0, n)?;
            let c = arg(&args, 1, n)?;
            Ok(Value::Bool(isinstance(it, v, c)?))
        }
        "issubclass" => {
            let (Some(Value::Class(a)), Some(Value::Class(b))) =
                (args.pos.first(), args.pos.get(1))
            else {
                return Err(type_err("issubclass() arguments must be classes"));
            };
            Ok(Value::Bool(it.is_subclass(a, b)))
        }
        "type" => Ok(type_of(it, arg(&args, 0, n)?)),
        "callable" => Ok(Value::Bool(matches!(
            arg(&args, 0, n)?,
            Value::Builtin(_) | Value::HostFn(_) | Value::Class(_) | Value::Func(_)
        ))),
        "hasattr" => {
            let v = arg(&args, 0, n)?.clone();
            let Some(Value::Str(a)) = args.pos.get(1) else {
                return Err(type_err("hasattr(): attribute name must be string"));
            };
            if a.starts_with("__") {
                return Ok(Value::Bool(false));
            }
            let a = a.clone();
            Ok(Value::Bool(it.has_attr(&v, &a)?))
        }
        "print" => {
            let sep = args.take_kw("sep");
            let sep = match &sep {
                Some(Value::Str(s)) => s,
                _ => " ",
            };
            let end = args.take_kw("end");
            let end = match &end {
                Some(Value::Str(s)) => s,
                _ => "\n",
            };
            if let [single] = args.pos.as_slice() {
                // One value: written straight to the output, without building the line first.
                write_output(it, single, end)?;
                return Ok(Value::None);
            }
            let mut line = String::new();
            for (i, v) in args.pos.iter().enumerate() {
                if i > 0 {
                    line.push_str(sep);
                }
                match v {
                    Value::Str(s) => line.push_str(s),
                    _ => line.push_str(&it.to_str(v)?),
                }
            }
            line.push_str(end);
            it.charge_mem(line.len())?;
            it.output.push_str(&line);
            Ok(Value::None)
        }
        "defined" => {
            let p = path_arg(&args, n)?;
            Ok(Value::Bool(it.defined(&p)?))
        }
        "define" => {
            let p = path_arg(&args, n)?;
            let v = args
                .get(1, "value")
                .cloned()
                .ok_or_else(|| type_err("define() takes a name and a value"))?;
            let pat = crate::path::PathPattern::parse(&p).map_err(|e| value_err(e.0))?;
            it.assign_pattern(&pat, v)?;
            Ok(Value::None)
        }
        "undefine" => {
            for a in args.pos.clone() {
                let Value::Str(p) = a else {
                    return Err(type_err("undefine() takes variable names as strings"));
                };
                let pat = crate::path::PathPattern::parse(&p).map_err(|e| value_err(e.0))?;
                // undefining something that is not defined is not an error
                match it.delete_pattern(&pat) {
                    Ok(()) | Err(Flow::Needs(_)) => {}
                    Err(Flow::Raise(e))
                        if matches!(
                            e.kind.as_str(),
                            "NameError" | "AttributeError" | "KeyError" | "IndexError"
                        ) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(Value::None)
        }
        "value" => {
            let p = path_arg(&args, n)?;
            let pat = crate::path::PathPattern::parse(&p).map_err(|e| value_err(e.0))?;
            it.eval_pattern(&pat)
        }
        "showifdef" => {
            let p = path_arg(&args, n)?;
            if it.defined(&p)? {
                let pat = crate::path::PathPattern::parse(&p).map_err(|e| value_err(e.0))?;
                it.eval_pattern(&pat)
            } else {
                // `showifdef(var, alternative='')`
                Ok(args
                    .get(1, "alternative")
                    .cloned()
                    .unwrap_or_else(|| Value::str("")))
            }
        }
        "date" => make_date(it, &args, false),
        "datetime" => make_date(it, &args, true),
        "timedelta" => make_delta(&args),
        "NoneType" => Ok(Value::None),
        _ => Err(type_err(format!("'{n}' is not callable"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funcs_sorted() {
        assert!(FUNCS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn ints() {
        assert_eq!(parse_int(" 42 ", 10), Some(42));
        assert_eq!(parse_int("-0x1f", 0), Some(-31));
        assert_eq!(parse_int("1_000", 10), Some(1000));
        assert_eq!(parse_int("ff", 16), Some(255));
        assert_eq!(parse_int("1__0", 10), None);
        assert_eq!(parse_int("012", 0), None);
        assert_eq!(parse_int("", 10), None);
        assert_eq!(parse_int("-9223372036854775808", 10), Some(i64::MIN));
    }
}
