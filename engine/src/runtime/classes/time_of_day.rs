//! `datetime.time`, the value of a `datetime: time` field: a host instance (`DATime`) wrapping
//! a pyeval datetime on 1900-01-01 in `_dt`. `str()` is `HH:MM:SS`, as Python's; `hour`,
//! `minute`, `second`, `microsecond`, `strftime()`, `isoformat()`, `replace()` and comparisons
//! with other times work as they do there.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use pyeval::{Args, Interp, ObjId, PyResult, Value};

use super::super::support::{self, s, type_err, value_err};

/// The class name.
pub const CLASS: &str = "DATime";

fn day() -> NaiveDate {
    NaiveDate::MIN
}

/// A new `datetime.time`.
pub fn new_time(cx: &mut Interp<'_>, t: NaiveTime) -> Value {
    let id = cx.heap_mut().new_instance(CLASS, None);
    cx.heap_mut()
        .set_attr(id, "_dt", Value::DateTime(NaiveDateTime::new(day(), t)));
    Value::Ref(id)
}

/// The wrapped time.
pub fn inner(cx: &Interp<'_>, id: ObjId) -> PyResult<NaiveTime> {
    match support::raw(cx, id, "_dt") {
        Some(Value::DateTime(d)) => Ok(d.time()),
        _ => Err(type_err("time without a value")),
    }
}

/// `str(t)`: `14:30:00`, with microseconds when there are any.
pub fn to_str(cx: &Interp<'_>, id: ObjId) -> PyResult<String> {
    let t = inner(cx, id)?;
    Ok(if t.nanosecond() / 1000 == 0 {
        t.format("%H:%M:%S").to_string()
    } else {
        t.format("%H:%M:%S%.6f").to_string()
    })
}

/// `t.hour` and the other fields.
pub fn attr(cx: &Interp<'_>, id: ObjId, name: &str) -> PyResult<Option<Value>> {
    let t = inner(cx, id)?;
    let i = |n: u32| Some(Value::Int(i64::from(n)));
    Ok(match name {
        "hour" => i(t.hour()),
        "minute" => i(t.minute()),
        "second" => i(t.second()),
        "microsecond" => i(t.nanosecond() / 1000),
        _ => None,
    })
}

/// `strftime`, `isoformat`, `replace`.
pub fn method(cx: &mut Interp<'_>, id: ObjId, name: &str, args: &Args) -> PyResult<Option<Value>> {
    let t = inner(cx, id)?;
    Ok(Some(match name {
        "strftime" => {
            let dt = Value::DateTime(NaiveDateTime::new(day(), t));
            cx.call_method(&dt, "strftime", args.clone())?
        }
        "isoformat" => s(to_str(cx, id)?),
        "replace" => {
            let field = |n: &str, i: usize, cur: u32| -> PyResult<u32> {
                match args.get(i, n) {
                    None | Some(Value::None) => Ok(cur),
                    Some(Value::Int(x)) => {
                        u32::try_from(*x).map_err(|_| value_err(format!("{n} out of range")))
                    }
                    Some(_) => Err(type_err(format!("{n} must be an integer"))),
                }
            };
            let h = field("hour", 0, t.hour())?;
            let m = field("minute", 1, t.minute())?;
            let sec = field("second", 2, t.second())?;
            let us = field("microsecond", 3, t.nanosecond() / 1000)?;
            let nt = NaiveTime::from_hms_micro_opt(h, m, sec, us)
                .ok_or_else(|| value_err("time out of range"))?;
            new_time(cx, nt)
        }
        _ => return Ok(None),
    }))
}

/// The time of a `datetime.time` operand, if it is one.
pub fn of(cx: &Interp<'_>, v: &Value) -> PyResult<Option<NaiveTime>> {
    match v {
        Value::Ref(id) if cx.class_name(v).as_deref() == Some(CLASS) => inner(cx, *id).map(Some),
        _ => Ok(None),
    }
}
