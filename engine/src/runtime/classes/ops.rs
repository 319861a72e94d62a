//! Operators on the classes ([`pyeval::Host::binary_op`] and [`pyeval::Host::compare`]), as
//! docassemble defines them:
//!
//! * `DADateTime` (a `datetime` subclass): compared with DADateTimes and datetimes;
//!   `dt + date_interval(...)`/`timedelta` and `dt - ...` give a DADateTime, `dt - dt` a
//!   `timedelta`, `dt + 'text'` concatenates `str(dt)`.
//! * `DateInterval` (dateutil's `relativedelta`): `+`/`-` with intervals, dates and datetimes,
//!   `* n`, equality of the normalised fields.
//! * `DAObject`: `<`, `<=`, `>`, `>=` compare `str(self)` with `str(other)` (or a string);
//!   `==` is identity.
//! * `DAList`/`DADict`/`DASet`: `==` compares the (gathered) elements; `DAList + DAList` is a
//!   new gathered list, `DAList + list` a list; `DASet` `-`, `&`, `|`, `^` work on the elements.
//! * `DAEmpty`: every arithmetic operator returns the other operand.

use chrono::{NaiveDateTime, NaiveTime};
use pyeval::{BinOp, CmpOp, Interp, Name, ObjId, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{self, type_err};
use super::datetime as dadt;
use super::{Family, family, is_a, list};

fn class_of(cx: &Interp<'_>, v: &Value) -> Option<Name> {
    let id = v.as_ref_id()?;
    cx.heap().instance(id).map(|i| i.class.clone())
}

fn naive(cx: &Interp<'_>, id: ObjId) -> PyResult<NaiveDateTime> {
    match dadt::inner(cx, id)? {
        Value::DateTime(d) => Ok(d),
        _ => Err(type_err("bad DADateTime")),
    }
}

/// A DADateTime or datetime operand as a naive datetime.
fn as_datetime(cx: &Interp<'_>, v: &Value) -> PyResult<Option<NaiveDateTime>> {
    match v {
        Value::DateTime(d) => Ok(Some(*d)),
        Value::Ref(id) if class_of(cx, v).as_deref() == Some("DADateTime") => {
            Ok(Some(naive(cx, *id)?))
        }
        _ => Ok(None),
    }
}

fn is_interval(cx: &Interp<'_>, v: &Value) -> bool {
    class_of(cx, v).as_deref() == Some("DateInterval")
}

/// `Host::binary_op` for the runtime's classes.
pub fn binary_op(
    h: &DaHost,
    cx: &mut Interp<'_>,
    op: BinOp,
    id: ObjId,
    class: &str,
    other: &Value,
    reflected: bool,
) -> PyResult<Option<Value>> {
    match class {
        "DAEmpty" => return Ok(Some(other.clone())),
        super::catchall::CLASS => {
            return super::catchall::binary_op(cx, op, id, other, reflected).map(Some);
        }
        "DADateTime" => return datetime_op(h, cx, op, id, other, reflected),
        "DateInterval" => return interval_op(cx, op, id, other, reflected),
        _ => {}
    }
    match family(class) {
        Family::List if op == BinOp::Add => {
            if class_of(cx, other).as_deref() == Some("DAEmpty") {
                return Ok(Some(Value::Ref(id)));
            }
            list::trigger_gather(h, cx, id, class)?;
            let mine = support::get(cx, id, "elements")?;
            if let Some(oc) = class_of(cx, other)
                && family(&oc) == Family::List
            {
                let oid = other.as_ref_id().unwrap_or(id);
                list::trigger_gather(h, cx, oid, &oc)?;
                let theirs = support::get(cx, oid, "elements")?;
                let (a, b) = if reflected {
                    (theirs, mine)
                } else {
                    (mine, theirs)
                };
                let mut items = cx.collect(&a)?;
                items.extend(cx.collect(&b)?);
                return list::new_gathered_list(h, cx, class, None, items).map(Some);
            }
            let r = if reflected {
                cx.binop(op, other, &mine)?
            } else {
                cx.binop(op, &mine, other)?
            };
            Ok(Some(r))
        }
        Family::Set
            if matches!(
                op,
                BinOp::Add | BinOp::Sub | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor
            ) =>
        {
            if op == BinOp::Add && class_of(cx, other).as_deref() == Some("DAEmpty") {
                return Ok(Some(Value::Ref(id)));
            }
            list::trigger_gather(h, cx, id, class)?;
            let mine = support::get(cx, id, "elements")?;
            let theirs = match class_of(cx, other) {
                Some(oc) if family(&oc) == Family::Set => {
                    let oid = other.as_ref_id().unwrap_or(id);
                    list::trigger_gather(h, cx, oid, &oc)?;
                    support::get(cx, oid, "elements")?
                }
                _ => other.clone(),
            };
            let r = if reflected {
                cx.binop(op, &theirs, &mine)?
            } else {
                cx.binop(op, &mine, &theirs)?
            };
            Ok(Some(r))
        }
        _ => Ok(None),
    }
}

fn datetime_op(
    h: &DaHost,
    cx: &mut Interp<'_>,
    op: BinOp,
    id: ObjId,
    other: &Value,
    reflected: bool,
) -> PyResult<Option<Value>> {
    let d = naive(cx, id)?;
    match (op, other) {
        (BinOp::Add, Value::Str(t)) => {
            let me = dadt::to_str(h, cx, id)?;
            let out = if reflected {
                format!("{t}{me}")
            } else {
                format!("{me}{t}")
            };
            return Ok(Some(Value::str(&out)));
        }
        (BinOp::Add, Value::Delta(_)) | (BinOp::Sub, Value::Delta(_)) if !reflected => {
            let r = cx.binop(op, &Value::DateTime(d), other)?;
            return Ok(Some(wrap(cx, r)));
        }
        (BinOp::Add, Value::Delta(_)) => {
            let r = cx.binop(op, other, &Value::DateTime(d))?;
            return Ok(Some(wrap(cx, r)));
        }
        _ => {}
    }
    if is_interval(cx, other) {
        let sign = match (op, reflected) {
            (BinOp::Add, _) => 1,
            (BinOp::Sub, false) => -1,
            _ => return Ok(None),
        };
        let iv = fields(cx, other)?;
        let nd = apply(d, &iv, sign)?;
        return Ok(Some(dadt::new_datetime(cx, nd)));
    }
    if op == BinOp::Sub
        && let Some(o) = as_datetime(cx, other)?
    {
        let (a, b) = if reflected { (o, d) } else { (d, o) };
        return cx
            .binop(BinOp::Sub, &Value::DateTime(a), &Value::DateTime(b))
            .map(Some);
    }
    Ok(None)
}

/// A datetime result becomes a DADateTime again (docassemble's `dd()`).
fn wrap(cx: &mut Interp<'_>, v: Value) -> Value {
    match v {
        Value::DateTime(x) => dadt::new_datetime(cx, x),
        other => other,
    }
}

/// The fields of a relativedelta, in order.
const FIELDS: [&str; 7] = [
    "years",
    "months",
    "days",
    "hours",
    "minutes",
    "seconds",
    "microseconds",
];

/// The normalised fields of a `DateInterval` value.
pub fn fields(cx: &Interp<'_>, v: &Value) -> PyResult<[f64; 7]> {
    let id = v
        .as_ref_id()
        .ok_or_else(|| type_err("expected a date interval"))?;
    let mut out = [0.0; 7];
    for (i, f) in FIELDS.iter().enumerate() {
        if let Some(x) = support::raw(cx, id, f) {
            out[i] = support::num(&x).unwrap_or(0.0);
        }
    }
    Ok(out)
}

/// relativedelta's `_fix()`: carries microseconds … hours into the next unit (not days into
/// months) and months into years, keeping the signs consistent.
pub fn normalise(mut f: [f64; 7]) -> [f64; 7] {
    let carry = |f: &mut [f64; 7], i: usize, limit: f64| {
        if f[i].abs() >= limit && f[i].fract() == 0.0 {
            let s = f[i].signum();
            let (div, rem) = ((f[i].abs() / limit).floor(), f[i].abs() % limit);
            f[i] = rem * s;
            f[i - 1] += div * s;
        }
    };
    carry(&mut f, 6, 1_000_000.0);
    carry(&mut f, 5, 60.0);
    carry(&mut f, 4, 60.0);
    carry(&mut f, 3, 24.0);
    carry(&mut f, 1, 12.0);
    f
}

/// Stores normalised fields on a new `DateInterval`.
pub fn new_interval(cx: &mut Interp<'_>, f: [f64; 7]) -> Value {
    let f = normalise(f);
    let id = cx.heap_mut().new_instance("DateInterval", None);
    for (name, x) in FIELDS.iter().zip(f) {
        let v = if x.fract() == 0.0 && x.abs() < 9e15 {
            Value::Int(x as i64)
        } else {
            Value::Float(x)
        };
        cx.heap_mut().set_attr(id, name, v);
    }
    Value::Ref(id)
}

/// Applies interval fields with `sign` ±1 to a datetime (months first, clamping the day).
pub fn apply(d: NaiveDateTime, f: &[f64; 7], sign: i64) -> PyResult<NaiveDateTime> {
    let mut args = pyeval::Args::default();
    for (name, x) in FIELDS.iter().zip(f) {
        args.kw.push((Name::from(*name), Value::Float(*x)));
    }
    dadt::apply_interval(d, &args, sign)
}

fn has_time(f: &[f64; 7]) -> bool {
    f[3..].iter().any(|x| *x != 0.0)
}

fn interval_op(
    cx: &mut Interp<'_>,
    op: BinOp,
    id: ObjId,
    other: &Value,
    reflected: bool,
) -> PyResult<Option<Value>> {
    let mine = fields(cx, &Value::Ref(id))?;
    if is_interval(cx, other) {
        let theirs = fields(cx, other)?;
        let sign = match (op, reflected) {
            (BinOp::Add, _) => 1.0,
            (BinOp::Sub, false) => -1.0,
            (BinOp::Sub, true) => {
                let mut out = [0.0; 7];
                for i in 0..7 {
                    out[i] = theirs[i] - mine[i];
                }
                return Ok(Some(new_interval(cx, out)));
            }
            _ => return Ok(None),
        };
        let mut out = [0.0; 7];
        for i in 0..7 {
            out[i] = mine[i] + sign * theirs[i];
        }
        return Ok(Some(new_interval(cx, out)));
    }
    let sign = match (op, reflected) {
        (BinOp::Add, _) => 1,
        (BinOp::Sub, true) => -1,
        (BinOp::Mul, _) => {
            let Some(n) = (match other {
                Value::Int(_) | Value::Bool(_) | Value::Float(_) => support::num(other),
                _ => None,
            }) else {
                return Ok(None);
            };
            // relativedelta.__mul__ truncates every field to an int
            let out = mine.map(|x| (x * n).trunc());
            return Ok(Some(new_interval(cx, out)));
        }
        _ => return Ok(None),
    };
    match other {
        Value::Date(d) => {
            let r = apply(d.and_time(NaiveTime::MIN), &mine, sign)?;
            Ok(Some(if has_time(&mine) {
                Value::DateTime(r)
            } else {
                Value::Date(r.date())
            }))
        }
        Value::DateTime(d) => Ok(Some(Value::DateTime(apply(*d, &mine, sign)?))),
        Value::Delta(dl) if op == BinOp::Add => {
            let mut out = mine;
            out[2] += dl.days() as f64;
            out[5] += dl.seconds() as f64;
            out[6] += dl.micros() as f64;
            Ok(Some(new_interval(cx, out)))
        }
        _ => match as_datetime(cx, other)? {
            Some(d) => {
                let r = apply(d, &mine, sign)?;
                Ok(Some(dadt::new_datetime(cx, r)))
            }
            None => Ok(None),
        },
    }
}

/// `repr()`/`str()` of a `DateInterval`: `relativedelta(months=+1, days=+3)`.
pub fn interval_repr(cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    let f = fields(cx, &Value::Ref(id))?;
    let mut parts = Vec::new();
    for (name, x) in FIELDS.iter().zip(f) {
        if x != 0.0 {
            let v = if x.fract() == 0.0 {
                format!("{:+}", x as i64)
            } else {
                format!("{x:+}")
            };
            parts.push(format!("{name}={v}"));
        }
    }
    Ok(format!("relativedelta({})", parts.join(", ")))
}

/// `Host::compare` for the runtime's classes (`op` is `Eq` or an ordering).
pub fn compare(
    h: &DaHost,
    cx: &mut Interp<'_>,
    op: CmpOp,
    id: ObjId,
    class: &str,
    other: &Value,
) -> PyResult<Option<bool>> {
    match class {
        super::catchall::CLASS => return super::catchall::compare(cx, op, id, other).map(Some),
        super::time_of_day::CLASS => {
            let t = super::time_of_day::inner(cx, id)?;
            return match super::time_of_day::of(cx, other)? {
                Some(o) => Ok(Some(match op {
                    CmpOp::Eq => t == o,
                    CmpOp::NotEq => t != o,
                    CmpOp::Lt => t < o,
                    CmpOp::LtE => t <= o,
                    CmpOp::Gt => t > o,
                    CmpOp::GtE => t >= o,
                    _ => return Ok(None),
                })),
                None if op == CmpOp::Eq => Ok(Some(false)),
                None if op == CmpOp::NotEq => Ok(Some(true)),
                None => Err(type_err(
                    "'<' not supported between instances of 'datetime.time' and another type",
                )),
            };
        }
        "DADateTime" => {
            let d = naive(cx, id)?;
            if let Some(o) = as_datetime(cx, other)? {
                return cx
                    .compare(op, &Value::DateTime(d), &Value::DateTime(o))
                    .map(Some);
            }
            return match (op, other) {
                (CmpOp::Eq, _) => Ok(Some(false)),
                (_, Value::Date(_)) => {
                    Err(type_err("can't compare datetime.datetime to datetime.date"))
                }
                _ => Ok(None),
            };
        }
        "DateInterval" => {
            if op == CmpOp::Eq && is_interval(cx, other) {
                let a = normalise(fields(cx, &Value::Ref(id))?);
                let b = normalise(fields(cx, other)?);
                return Ok(Some(a == b));
            }
            return Ok(None);
        }
        "DAEmpty" | "DateTimeDelta" => return Ok(None),
        _ => {}
    }
    if is_a(class, "Value") {
        return super::legal::compare(cx, op, id, other);
    }
    let fam = family(class);
    if op == CmpOp::Eq {
        if fam == Family::Object {
            return Ok(None);
        }
        list::trigger_gather(h, cx, id, class)?;
        let mine = support::get(cx, id, "elements")?;
        return cx.eq(&mine, other).map(Some);
    }
    if !is_a(class, "DAObject") {
        return Ok(None);
    }
    // DAObject.__lt__ and friends: str(self) against str(other) (or a plain string)
    let theirs = match other {
        Value::Str(s) => s.to_string(),
        Value::Ref(_) if class_of(cx, other).is_some_and(|c| is_a(&c, "DAObject")) => {
            cx.to_str(other)?
        }
        _ => return Ok(None),
    };
    let mine = cx.to_str(&Value::Ref(id))?;
    cx.compare(op, &Value::str(&mine), &Value::str(&theirs))
        .map(Some)
}
