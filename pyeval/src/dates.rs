//! Date, datetime, timedelta and Decimal values: attributes, methods, arithmetic, text.

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::format::{Item, StrftimeItems};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::Decimal;

use crate::error::{Flow, PyResult, overflow, type_err, value_err, zero_div};
use crate::eval::Interp;
use crate::format::Spec;
use crate::host::Args;
use crate::ir::BinOp;
use crate::value::{Delta, Value};

/// Attribute of a date/datetime/timedelta.
pub fn attr(v: &Value, name: &str) -> Option<Value> {
    let i = |x: u32| Some(Value::Int(i64::from(x)));
    match (v, name) {
        (Value::Date(d), "year") => Some(Value::Int(i64::from(d.year()))),
        (Value::Date(d), "month") => i(d.month()),
        (Value::Date(d), "day") => i(d.day()),
        (Value::DateTime(d), "year") => Some(Value::Int(i64::from(d.year()))),
        (Value::DateTime(d), "month") => i(d.month()),
        (Value::DateTime(d), "day") => i(d.day()),
        (Value::DateTime(d), "hour") => i(d.hour()),
        (Value::DateTime(d), "minute") => i(d.minute()),
        (Value::DateTime(d), "second") => i(d.second()),
        (Value::DateTime(d), "microsecond") => i(d.nanosecond() / 1000),
        (Value::Delta(d), "days") => Some(Value::Int(d.days())),
        (Value::Delta(d), "seconds") => Some(Value::Int(d.seconds())),
        (Value::Delta(d), "microseconds") => Some(Value::Int(d.micros())),
        _ => None,
    }
}

const DATE_METHODS: &[&str] = &[
    "isoformat",
    "strftime",
    "weekday",
    "isoweekday",
    "replace",
    "toordinal",
    "date",
    "timetuple",
];

/// Whether `v` has method `name`.
pub fn has_method(v: &Value, name: &str) -> bool {
    match v {
        Value::Date(_) | Value::DateTime(_) => DATE_METHODS.contains(&name),
        Value::Delta(_) => name == "total_seconds",
        Value::Decimal(_) => matches!(
            name,
            "quantize" | "normalize" | "to_integral_value" | "is_nan" | "adjusted"
        ),
        _ => false,
    }
}

fn to_py_fmt(fmt: &str) -> String {
    // Python's %f is microseconds; chrono's is nanoseconds
    fmt.replace("%f", "%6f")
}

/// `strftime` (chrono's specifiers, which match Python's common ones).
pub fn strftime(v: &Value, fmt: &str) -> PyResult<String> {
    let f = to_py_fmt(fmt);
    let items: Vec<Item<'_>> = StrftimeItems::new(&f).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return Err(value_err(format!(
            "invalid format string {}",
            crate::format::repr_str(fmt)
        )));
    }
    let mut out = String::new();
    let r = match v {
        Value::Date(d) => write!(out, "{}", d.format_with_items(items.into_iter())),
        Value::DateTime(d) => write!(out, "{}", d.format_with_items(items.into_iter())),
        _ => return Err(type_err("strftime requires a date")),
    };
    r.map_err(|_| {
        value_err(format!(
            "invalid format string {}",
            crate::format::repr_str(fmt)
        ))
    })?;
    Ok(out)
}

/// Parses `YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]]`.
pub fn parse_iso_datetime(s: &str) -> PyResult<Value> {
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(Value::DateTime(d));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(Value::DateTime(d.and_time(chrono::NaiveTime::MIN)));
    }
    Err(value_err(format!(
        "Invalid isoformat string: {}",
        crate::format::repr_str(s)
    )))
}

fn delta_str(d: Delta) -> String {
    let days = d.days();
    let secs = d.seconds();
    let us = d.micros();
    let hms = format!("{}:{:02}:{:02}", secs / 3600, (secs / 60) % 60, secs % 60);
    let hms = if us != 0 {
        format!("{hms}.{us:06}")
    } else {
        hms
    };
    match days {
        0 => hms,
        1 | -1 => format!("{days} day, {hms}"),
        _ => format!("{days} days, {hms}"),
    }
}

fn datetime_str(d: &NaiveDateTime, sep: char) -> String {
    let us = d.nanosecond() / 1000;
    let base = format!(
        "{}{sep}{:02}:{:02}:{:02}",
        d.date(),
        d.hour(),
        d.minute(),
        d.second()
    );
    if us != 0 {
        format!("{base}.{us:06}")
    } else {
        base
    }
}

/// `str()` of a date-like or decimal value.
pub fn to_str(v: &Value) -> String {
    match v {
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::DateTime(d) => datetime_str(d, ' '),
        Value::Delta(d) => delta_str(*d),
        Value::Decimal(d) => d.to_string(),
        _ => String::new(),
    }
}

/// `repr()` of a date-like or decimal value.
pub fn repr(v: &Value) -> String {
    match v {
        Value::Date(d) => format!("datetime.date({}, {}, {})", d.year(), d.month(), d.day()),
        Value::DateTime(d) => {
            let mut parts = vec![
                d.year().to_string(),
                d.month().to_string(),
                d.day().to_string(),
                d.hour().to_string(),
                d.minute().to_string(),
            ];
            let us = d.nanosecond() / 1000;
            if d.second() != 0 || us != 0 {
                parts.push(d.second().to_string());
            }
            if us != 0 {
                parts.push(us.to_string());
            }
            format!("datetime.datetime({})", parts.join(", "))
        }
        Value::Delta(d) => {
            let mut parts = Vec::new();
            if d.days() != 0 {
                parts.push(format!("days={}", d.days()));
            }
            if d.seconds() != 0 {
                parts.push(format!("seconds={}", d.seconds()));
            }
            if d.micros() != 0 {
                parts.push(format!("microseconds={}", d.micros()));
            }
            if parts.is_empty() {
                "datetime.timedelta(0)".into()
            } else {
                format!("datetime.timedelta({})", parts.join(", "))
            }
        }
        Value::Decimal(d) => format!("Decimal('{d}')"),
        _ => String::new(),
    }
}

/// Sign, coefficient digits and exponent of a decimal (`-12.5` → (true, "125", -1)).
fn dec_parts(d: Decimal) -> (bool, String, i64) {
    let digits = d.mantissa().unsigned_abs().to_string();
    (d.is_sign_negative(), digits, -i64::from(d.scale()))
}

/// Rounds a digit string half-even to exactly `keep` digits, returning the new digits/exponent.
fn round_digits(digits: &str, exp: i64, keep: i64) -> (String, i64) {
    let len = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    if keep >= len {
        let pad = usize::try_from(keep - len).unwrap_or(0).min(10_000);
        return (format!("{digits}{}", "0".repeat(pad)), exp - (keep - len));
    }
    let (digits, keep, len) = if keep <= 0 {
        let z = usize::try_from(1 - keep).unwrap_or(0);
        (format!("{}{digits}", "0".repeat(z)), 1i64, len + (1 - keep))
    } else {
        (digits.to_string(), keep, len)
    };
    let k = usize::try_from(keep).unwrap_or(0);
    let (head, rest) = digits.split_at(k);
    let first = rest.as_bytes().first().copied().unwrap_or(b'0');
    let tail_nonzero = rest.bytes().skip(1).any(|b| b != b'0');
    let last_odd = head.as_bytes().last().is_some_and(|b| (b - b'0') % 2 == 1);
    let up = first > b'5' || (first == b'5' && (tail_nonzero || last_odd));
    let mut h: Vec<u8> = head.bytes().collect();
    let mut new_exp = exp + (len - keep);
    if up {
        let mut i = h.len();
        loop {
            if i == 0 {
                h.insert(0, b'1');
                h.pop();
                new_exp += 1;
                break;
            }
            i -= 1;
            if h[i] == b'9' {
                h[i] = b'0';
            } else {
                h[i] += 1;
                break;
            }
        }
    }
    (String::from_utf8(h).unwrap_or_default(), new_exp)
}

/// Formats a decimal with a spec, following Python's `Decimal.__format__`.
pub fn format_decimal(d: Decimal, spec: &Spec) -> PyResult<String> {
    let ty = spec.ty.unwrap_or('G');
    if !matches!(ty, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' | 'n') {
        return Err(value_err(format!(
            "Invalid format specifier for Decimal: '{ty}'"
        )));
    }
    if spec.grouping == Some('_') {
        return Err(value_err(
            "Invalid format specifier: '_' is not supported for Decimal",
        ));
    }
    let ty = if ty == 'n' { 'g' } else { ty };
    let (neg, mut digits, mut exp) = dec_parts(d);
    if ty == '%' {
        exp += 2;
    }
    if let Some(p) = spec.precision {
        let p = i64::try_from(p).unwrap_or(0);
        let len = i64::try_from(digits.len()).unwrap_or(0);
        (digits, exp) = match ty {
            'e' | 'E' => round_digits(&digits, exp, p + 1),
            'f' | 'F' | '%' => round_digits(&digits, exp, len + exp + p),
            _ if len > p.max(1) => round_digits(&digits, exp, p.max(1)),
            _ => (digits, exp),
        };
    }
    let is_zero = digits.bytes().all(|b| b == b'0');
    let len = i64::try_from(digits.len()).unwrap_or(0);
    let leftdigits = exp + len;
    let dotplace = match ty {
        'e' | 'E' => {
            if is_zero && spec.precision.is_some() {
                1 - i64::try_from(spec.precision.unwrap_or(0)).unwrap_or(0)
            } else {
                1
            }
        }
        'f' | 'F' | '%' => leftdigits,
        _ => {
            if exp <= 0 && leftdigits > -6 {
                leftdigits
            } else {
                1
            }
        }
    };
    let (intpart, fracpart) = if dotplace < 0 {
        (
            "0".to_string(),
            format!(
                "{}{digits}",
                "0".repeat(usize::try_from(-dotplace).unwrap_or(0).min(10_000))
            ),
        )
    } else if dotplace > len {
        (
            format!(
                "{digits}{}",
                "0".repeat(usize::try_from(dotplace - len).unwrap_or(0).min(10_000))
            ),
            String::new(),
        )
    } else {
        let k = usize::try_from(dotplace).unwrap_or(0);
        let ip = if k == 0 {
            "0".to_string()
        } else {
            digits[..k].to_string()
        };
        (ip, digits[k..].to_string())
    };
    let e = leftdigits - dotplace;
    let mut frac = if fracpart.is_empty() && !spec.alt {
        String::new()
    } else {
        format!(".{fracpart}")
    };
    if e != 0 || matches!(ty, 'e' | 'E') {
        let echar = if matches!(ty, 'E' | 'G') { 'E' } else { 'e' };
        frac.push_str(&format!("{echar}{e:+}"));
    }
    if ty == '%' {
        frac.push('%');
    }
    let intpart = match spec.grouping {
        Some(sep) => {
            let mut g = String::new();
            for (i, c) in intpart.chars().enumerate() {
                if i > 0 && (intpart.len() - i) % 3 == 0 {
                    g.push(sep);
                }
                g.push(c);
            }
            g
        }
        None => intpart,
    };
    let sign = if neg {
        "-"
    } else if spec.sign == '+' {
        "+"
    } else if spec.sign == ' ' {
        " "
    } else {
        ""
    };
    Ok(pad_num(spec, sign, &format!("{intpart}{frac}")))
}

fn pad_num(spec: &Spec, sign: &str, body: &str) -> String {
    let len = sign.len() + body.chars().count();
    if len >= spec.width {
        return format!("{sign}{body}");
    }
    let n = spec.width - len;
    let fill = |k: usize| std::iter::repeat_n(spec.fill, k).collect::<String>();
    match spec.align.unwrap_or('>') {
        '<' => format!("{sign}{body}{}", fill(n)),
        '^' => format!("{}{sign}{body}{}", fill(n / 2), fill(n - n / 2)),
        '=' => format!("{sign}{}{body}", fill(n)),
        _ => format!("{}{sign}{body}", fill(n)),
    }
}

fn add_delta_date(d: NaiveDate, delta: Delta, sign: i64) -> PyResult<Value> {
    let days = delta.days().checked_mul(sign).ok_or_else(overflow)?;
    d.checked_add_signed(chrono::TimeDelta::try_days(days).ok_or_else(overflow)?)
        .map(Value::Date)
        .ok_or_else(|| Flow::raise("OverflowError", "date value out of range"))
}

fn add_delta_dt(d: NaiveDateTime, delta: Delta, sign: i64) -> PyResult<Value> {
    let us = delta.0.checked_mul(sign).ok_or_else(overflow)?;
    d.checked_add_signed(chrono::TimeDelta::microseconds(us))
        .map(Value::DateTime)
        .ok_or_else(|| Flow::raise("OverflowError", "date value out of range"))
}

fn dt_diff(a: NaiveDateTime, b: NaiveDateTime) -> PyResult<Value> {
    let us = (a - b).num_microseconds().ok_or_else(overflow)?;
    Ok(Value::Delta(Delta(us)))
}

/// Date/delta arithmetic; `Ok(None)` when the operand types don't apply.
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
pub fn binop(op: BinOp, a: &Value, b: &Value) -> PyResult<Option<Value>> {
    use Value as V;
    Ok(Some(match (op, a, b) {
        (BinOp::Add, V::Date(d), V::Delta(x)) | (BinOp::Add, V::Delta(x), V::Date(d)) => {
            add_delta_date(*d, *x, 1)?
        }
        (BinOp::Sub, V::Date(d), V::Delta(x)) => add_delta_date(*d, *x, -1)?,
        (BinOp::Sub, V::Date(x), V::Date(y)) => V::Delta(Delta(
            (*x - *y)
                .num_days()
                .checked_mul(Delta::DAY)
                .ok_or_else(overflow)?,
        )),
        (BinOp::Add, V::DateTime(d), V::Delta(x)) | (BinOp::Add, V::Delta(x), V::DateTime(d)) => {
            add_delta_dt(*d, *x, 1)?
        }
        (BinOp::Sub, V::DateTime(d), V::Delta(x)) => add_delta_dt(*d, *x, -1)?,
        (BinOp::Sub, V::DateTime(x), V::DateTime(y)) => dt_diff(*x, *y)?,
        (BinOp::Add, V::Delta(x), V::Delta(y)) => {
            V::Delta(Delta(x.0.checked_add(y.0).ok_or_else(overflow)?))
        }
        (BinOp::Sub, V::Delta(x), V::Delta(y)) => {
            V::Delta(Delta(x.0.checked_sub(y.0).ok_or_else(overflow)?))
        }
        (BinOp::Mul, V::Delta(x), n) | (BinOp::Mul, n, V::Delta(x)) => match n {
            V::Int(_) | V::Bool(_) => V::Delta(Delta(
                x.0.checked_mul(n.as_int().unwrap_or(0))
                    .ok_or_else(overflow)?,
            )),
            V::Float(f) => V::Delta(Delta((x.0 as f64 * f).round_ties_even() as i64)),
            _ => return Ok(None),
        },
        (BinOp::Div, V::Delta(x), V::Delta(y)) => {
            if y.0 == 0 {
                return Err(zero_div("division by zero"));
            }
            V::Float(x.0 as f64 / y.0 as f64)
        }
        (BinOp::Div, V::Delta(x), n) => {
            let f = crate::builtins::to_float(n)
                .ok_or_else(|| type_err("unsupported operand type(s) for /"))?;
            if f == 0.0 {
                return Err(zero_div("division by zero"));
            }
            V::Delta(Delta((x.0 as f64 / f).round_ties_even() as i64))
        }
        (BinOp::FloorDiv, V::Delta(x), V::Delta(y)) => V::Int(crate::ops::int_floordiv(x.0, y.0)?),
        (BinOp::FloorDiv, V::Delta(x), V::Int(n)) => {
            V::Delta(Delta(crate::ops::int_floordiv(x.0, *n)?))
        }
        (BinOp::Mod, V::Delta(x), V::Delta(y)) => V::Delta(Delta(crate::ops::int_mod(x.0, y.0)?)),
        _ => return Ok(None),
    }))
}

fn int_kw(args: &Args, name: &str) -> PyResult<Option<i64>> {
    match args.kw(name) {
        None => Ok(None),
        Some(v) => v
            .as_int()
            .map(Some)
            .ok_or_else(|| type_err(format!("{name} must be an integer"))),
    }
}

/// Methods of dates, deltas and decimals.
pub fn call_method(_it: &mut Interp<'_>, v: &Value, name: &str, args: &Args) -> PyResult<Value> {
    let s = |x: String| Value::Str(Arc::from(x));
    match (v, name) {
        (Value::Date(d), "isoformat") => Ok(s(d.format("%Y-%m-%d").to_string())),
        (Value::DateTime(d), "isoformat") => {
            let sep = match args.get(0, "sep") {
                Some(Value::Str(x)) => x.chars().next().unwrap_or('T'),
                _ => 'T',
            };
            Ok(s(datetime_str(d, sep)))
        }
        (Value::Date(_) | Value::DateTime(_), "strftime") => match args.pos.first() {
            Some(Value::Str(f)) => Ok(s(strftime(v, f)?)),
            _ => Err(type_err("strftime() argument 1 must be str")),
        },
        (Value::Date(d), "weekday") => {
            Ok(Value::Int(i64::from(d.weekday().num_days_from_monday())))
        }
        (Value::DateTime(d), "weekday") => {
            Ok(Value::Int(i64::from(d.weekday().num_days_from_monday())))
        }
        (Value::Date(d), "isoweekday") => {
            Ok(Value::Int(i64::from(d.weekday().number_from_monday())))
        }
        (Value::DateTime(d), "isoweekday") => {
            Ok(Value::Int(i64::from(d.weekday().number_from_monday())))
        }
        (Value::Date(d), "toordinal") => Ok(Value::Int(i64::from(d.num_days_from_ce()))),
        (Value::DateTime(d), "date") => Ok(Value::Date(d.date())),
        (Value::Date(d), "replace") => {
            let y = int_kw(args, "year")?.unwrap_or(i64::from(d.year()));
            let m = int_kw(args, "month")?.unwrap_or(i64::from(d.month()));
            let dd = int_kw(args, "day")?.unwrap_or(i64::from(d.day()));
            i32::try_from(y)
                .ok()
                .and_then(|y| {
                    NaiveDate::from_ymd_opt(
                        y,
                        u32::try_from(m).unwrap_or(0),
                        u32::try_from(dd).unwrap_or(0),
                    )
                })
                .map(Value::Date)
                .ok_or_else(|| value_err("day is out of range for month"))
        }
        (Value::DateTime(d), "replace") => {
            let y = int_kw(args, "year")?.unwrap_or(i64::from(d.year()));
            let m = int_kw(args, "month")?.unwrap_or(i64::from(d.month()));
            let dd = int_kw(args, "day")?.unwrap_or(i64::from(d.day()));
            let h = int_kw(args, "hour")?.unwrap_or(i64::from(d.hour()));
            let mi = int_kw(args, "minute")?.unwrap_or(i64::from(d.minute()));
            let se = int_kw(args, "second")?.unwrap_or(i64::from(d.second()));
            let us = int_kw(args, "microsecond")?.unwrap_or(i64::from(d.nanosecond() / 1000));
            let u = |x: i64| u32::try_from(x).unwrap_or(u32::MAX);
            i32::try_from(y)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, u(m), u(dd)))
                .and_then(|date| date.and_hms_micro_opt(u(h), u(mi), u(se), u(us)))
                .map(Value::DateTime)
                .ok_or_else(|| value_err("value out of range"))
        }
        #[allow(clippy::cast_precision_loss)]
        (Value::Delta(d), "total_seconds") => Ok(Value::Float(d.0 as f64 / 1e6)),
        (Value::Decimal(d), "quantize") => match args.pos.first() {
            Some(Value::Decimal(q)) => {
                let mut r = d.round_dp_with_strategy(
                    q.scale(),
                    rust_decimal::RoundingStrategy::MidpointNearestEven,
                );
                r.rescale(q.scale());
                Ok(Value::Decimal(r))
            }
            _ => Err(type_err("quantize() argument must be a Decimal")),
        },
        (Value::Decimal(d), "normalize") => Ok(Value::Decimal(d.normalize())),
        (Value::Decimal(d), "to_integral_value") => Ok(Value::Decimal(
            d.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointNearestEven),
        )),
        (Value::Decimal(_), "is_nan") => Ok(Value::Bool(false)),
        _ => Err(Flow::raise(
            "AttributeError",
            format!("object has no attribute '{name}'"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_text() {
        assert_eq!(delta_str(Delta(3 * Delta::DAY)), "3 days, 0:00:00");
        assert_eq!(delta_str(Delta(-1_000_000)), "-1 day, 23:59:59");
        assert_eq!(repr(&Value::Delta(Delta(0))), "datetime.timedelta(0)");
        assert_eq!(
            repr(&Value::Delta(Delta(Delta::DAY + 5_000_000))),
            "datetime.timedelta(days=1, seconds=5)"
        );
    }
}
