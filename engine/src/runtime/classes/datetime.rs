//! `DADateTime` (a host instance wrapping a naive pyeval datetime in `_dt`), the
//! `date_interval()` value (`DateInterval`, a relativedelta) and the `date_difference()` result
//! (`DateTimeDelta`).
//!
//! Methods (`plus`, `minus`, `format_date` …), attributes (`year`, `month`, `day`, `dow` …)
//! and `str()` (the long date) are here; the operators (`<`, `dt + date_interval(days=3)`,
//! `dt - dt`) are in [`super::ops`].

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use pyeval::{Args, Flow, Interp, ObjId, PyResult, Value};

use super::super::functions::datefmt::{self, Zone};
use super::super::functions::text;
use super::super::host::DaHost;
use super::super::support::{self, kw_bool, s, type_err, value_err};

/// A new DADateTime.
pub fn new_datetime(cx: &mut Interp<'_>, dt: NaiveDateTime) -> Value {
    let id = cx.heap_mut().new_instance("DADateTime", None);
    cx.heap_mut().set_attr(id, "_dt", Value::DateTime(dt));
    Value::Ref(id)
}

/// The wrapped `datetime` value.
pub fn inner(cx: &Interp<'_>, id: ObjId) -> PyResult<Value> {
    support::raw(cx, id, "_dt").ok_or_else(|| type_err("DADateTime without a value"))
}

/// Any date-like value (DADateTime, date, datetime, date string) as a naive datetime.
pub fn to_naive(h: &DaHost, cx: &mut Interp<'_>, v: &Value) -> PyResult<NaiveDateTime> {
    match v {
        Value::DateTime(d) => Ok(*d),
        Value::Date(d) => Ok(d.and_time(NaiveTime::MIN)),
        Value::Str(t) => datefmt::parse(t, h.config().today())
            .ok_or_else(|| value_err(format!("String does not contain a date: {t}"))),
        Value::Ref(id) => match cx.class_name(v).as_deref() {
            Some("DADateTime") => match inner(cx, *id)? {
                Value::DateTime(d) => Ok(d),
                _ => Err(type_err("bad DADateTime")),
            },
            _ => {
                let t = cx.to_str(v)?;
                datefmt::parse(&t, h.config().today())
                    .ok_or_else(|| value_err(format!("String does not contain a date: {t}")))
            }
        },
        _ => Err(type_err(format!("expected a date, not {}", cx.repr(v)?))),
    }
}

/// Adds `months` (clamping the day, as relativedelta does) and `days` to a datetime.
pub fn shift(dt: NaiveDateTime, days: i64, months: i64) -> Option<NaiveDateTime> {
    let total = i64::from(dt.year()) * 12 + i64::from(dt.month0()) + months;
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = u32::try_from(total.rem_euclid(12) + 1).ok()?;
    let mut day = dt.day();
    let date = loop {
        if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
            break d;
        }
        if day <= 28 {
            return None;
        }
        day -= 1;
    };
    date.and_time(dt.time())
        .checked_add_signed(Duration::days(days))
}

fn kw_num(args: &Args, name: &str) -> PyResult<f64> {
    match args.kw(name) {
        None | Some(Value::None) => Ok(0.0),
        Some(v) => support::num(v).ok_or_else(|| type_err(format!("{name} must be a number"))),
    }
}

/// Applies relativedelta-style keyword arguments (`years`, `months`, `weeks`, `days`, `hours`,
/// `minutes`, `seconds`) with `sign` ±1.
pub fn apply_interval(dt: NaiveDateTime, args: &Args, sign: i64) -> PyResult<NaiveDateTime> {
    for (k, _) in &args.kw {
        if !matches!(
            &**k,
            "years"
                | "months"
                | "weeks"
                | "days"
                | "hours"
                | "minutes"
                | "seconds"
                | "microseconds"
        ) {
            return Err(type_err(format!("unexpected keyword argument '{k}'")));
        }
    }
    let months = (kw_num(args, "years")? * 12.0 + kw_num(args, "months")?) as i64 * sign;
    let micros = (kw_num(args, "weeks")? * 7.0 * 86_400e6
        + kw_num(args, "days")? * 86_400e6
        + kw_num(args, "hours")? * 3_600e6
        + kw_num(args, "minutes")? * 60e6
        + kw_num(args, "seconds")? * 1e6
        + kw_num(args, "microseconds")?) as i64
        * sign;
    shift(dt, 0, months)
        .and_then(|d| d.checked_add_signed(Duration::microseconds(micros)))
        .ok_or_else(|| Flow::raise("OverflowError", "date value out of range"))
}

/// `DADateTime(year, month, day, hour=0, minute=0, second=0, microsecond=0)`.
pub fn construct(cx: &mut Interp<'_>, args: &Args) -> PyResult<Value> {
    let names = [
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "microsecond",
    ];
    let mut parts = [0i64, 1, 1, 0, 0, 0, 0];
    for (i, n) in names.iter().enumerate() {
        if let Some(v) = args.get(i, n) {
            parts[i] = v
                .as_int()
                .ok_or_else(|| type_err(format!("{n} must be an integer")))?;
        } else if i < 3 {
            return Err(type_err(format!(
                "DADateTime() missing required argument: '{n}'"
            )));
        }
    }
    let u = |x: i64| u32::try_from(x).map_err(|_| value_err("date value out of range"));
    let d = NaiveDate::from_ymd_opt(
        i32::try_from(parts[0]).map_err(|_| value_err("year out of range"))?,
        u(parts[1])?,
        u(parts[2])?,
    )
    .and_then(|d| {
        d.and_hms_micro_opt(
            u(parts[3]).ok()?,
            u(parts[4]).ok()?,
            u(parts[5]).ok()?,
            u(parts[6]).ok()?,
        )
    })
    .ok_or_else(|| value_err("date value out of range"))?;
    Ok(new_datetime(cx, d))
}

/// `date_interval(**kw)`: a `DateInterval` (relativedelta) with the normalised fields
/// `years`, `months`, `days` (weeks included), `hours`, `minutes`, `seconds`, `microseconds`.
pub fn interval(cx: &mut Interp<'_>, args: &Args) -> PyResult<Value> {
    apply_interval(
        NaiveDate::from_ymd_opt(2000, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default(),
        args,
        1,
    )?;
    let f = [
        kw_num(args, "years")?,
        kw_num(args, "months")?,
        kw_num(args, "days")? + 7.0 * kw_num(args, "weeks")?,
        kw_num(args, "hours")?,
        kw_num(args, "minutes")?,
        kw_num(args, "seconds")?,
        kw_num(args, "microseconds")?,
    ];
    Ok(super::ops::new_interval(cx, f))
}

/// DADateTime attributes.
pub fn attr(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<Option<Value>> {
    let Value::DateTime(d) = inner(cx, id)? else {
        return Ok(None);
    };
    Ok(Some(match name {
        "year" => Value::Int(i64::from(d.year())),
        "month" => Value::Int(i64::from(d.month())),
        "day" => Value::Int(i64::from(d.day())),
        "hour" => Value::Int(i64::from(d.hour())),
        "minute" => Value::Int(i64::from(d.minute())),
        "second" => Value::Int(i64::from(d.second())),
        "microsecond" => Value::Int(i64::from(d.nanosecond() / 1000)),
        "nanosecond" => Value::Int(0),
        "dow" => Value::Int(i64::from(d.weekday().number_from_monday())),
        "week" => Value::Int(i64::from(d.iso_week().week())),
        "tzinfo" => Value::None,
        _ => return Ok(None),
    }))
}

fn fmt_arg(cx: &mut Interp<'_>, args: &Args) -> PyResult<Option<String>> {
    support::arg_str(cx, args, 0, "format")
}

/// `format_date(dt, format='long')`.
pub fn format_date(dt: &NaiveDateTime, format: Option<&str>) -> String {
    datefmt::format(dt, datefmt::date_pattern(format.unwrap_or("long")))
}

/// `format_time(dt, format='short')`; `zone` names the timezone in the `long` and `full`
/// formats.
pub fn format_time(dt: &NaiveDateTime, format: Option<&str>, zone: Option<&Zone>) -> String {
    datefmt::format_zoned(dt, datefmt::time_pattern(format.unwrap_or("short")), zone)
}

/// `format_datetime(dt, format='long')`.
pub fn format_datetime(dt: &NaiveDateTime, format: Option<&str>, zone: Option<&Zone>) -> String {
    datefmt::format_datetime(dt, format.unwrap_or("long"), zone)
}

/// The zone Babel prints for a datetime: a `DADateTime` is in the interview's timezone (as
/// docassemble's aware datetimes are), a plain one in UTC (Babel's reading of a naive one).
pub fn zone_of(h: &DaHost, dt: &NaiveDateTime, is_dadatetime: bool) -> Option<Zone> {
    if is_dadatetime {
        datefmt::zone_at(&h.config().timezone, dt)
    } else {
        datefmt::zone_at("UTC", dt)
    }
}

/// `str(DADateTime)`: the long date.
pub fn to_str(_h: &DaHost, cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    match inner(cx, id)? {
        Value::DateTime(d) => Ok(format_date(&d, None)),
        other => cx.to_str(&other),
    }
}

/// DADateTime methods; unknown ones are delegated to the wrapped datetime (results that are
/// datetimes are wrapped again).
pub fn method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    let Value::DateTime(d) = inner(cx, id)? else {
        return Ok(None);
    };
    let r = match name {
        "format" | "format_date" => {
            let f = fmt_arg(cx, args)?;
            s(format_date(&d, f.as_deref()))
        }
        "format_time" => {
            let f = fmt_arg(cx, args)?;
            s(format_time(&d, f.as_deref(), zone_of(h, &d, true).as_ref()))
        }
        "format_datetime" => {
            let f = fmt_arg(cx, args)?;
            s(format_datetime(
                &d,
                f.as_deref(),
                zone_of(h, &d, true).as_ref(),
            ))
        }
        "plus" => {
            let nd = apply_interval(d, args, 1)?;
            new_datetime(cx, nd)
        }
        "minus" => {
            let nd = apply_interval(d, args, -1)?;
            new_datetime(cx, nd)
        }
        "replace_time" => {
            let t = support::req(args, 0, "the_time", name)?.clone();
            let t = match t {
                Value::DateTime(x) => x.time(),
                other => to_naive(h, cx, &other)?.time(),
            };
            new_datetime(cx, d.date().and_time(t))
        }
        _ => {
            let r = cx.call_method(&Value::DateTime(d), name, args.clone())?;
            match r {
                Value::DateTime(x) => new_datetime(cx, x),
                other => other,
            }
        }
    };
    Ok(Some(r))
}

/// `dateutil.relativedelta(end, start)` as (years, months, days, hours, minutes, seconds).
pub fn relativedelta(end: NaiveDateTime, start: NaiveDateTime) -> (i64, i64, i64, i64, i64, i64) {
    let mut months = (i64::from(end.year()) - i64::from(start.year())) * 12
        + i64::from(end.month())
        - i64::from(start.month());
    let at = |m: i64| shift(start, 0, m).unwrap_or(start);
    if end >= start {
        while months > 0 && at(months) > end {
            months -= 1;
        }
    } else {
        while months < 0 && at(months) < end {
            months += 1;
        }
    }
    let rem = end - at(months);
    let secs = rem.num_seconds();
    let days = secs / 86_400;
    let hours = (secs % 86_400) / 3_600;
    let minutes = (secs % 3_600) / 60;
    let seconds = secs % 60;
    (months / 12, months % 12, days, hours, minutes, seconds)
}

/// `date_difference(starting=…, ending=…)`: a `DateTimeDelta` with `start`, `end`, `delta` and
/// float `weeks`, `days`, `hours`, `minutes`, `seconds`, `years`.
pub fn difference(cx: &mut Interp<'_>, start: NaiveDateTime, end: NaiveDateTime) -> Value {
    let delta = end - start;
    let micros = delta.num_microseconds().unwrap_or(0);
    let pd = pyeval::Delta(micros);
    let days = pd.days() as f64;
    let secs = pd.seconds() as f64;
    let id = cx.heap_mut().new_instance("DateTimeDelta", None);
    let st = new_datetime(cx, start);
    let en = new_datetime(cx, end);
    let heap = cx.heap_mut();
    heap.set_attr(id, "start", st);
    heap.set_attr(id, "end", en);
    heap.set_attr(id, "weeks", Value::Float(days / 7.0 + secs / 604_800.0));
    heap.set_attr(id, "days", Value::Float(days + secs / 86_400.0));
    heap.set_attr(id, "hours", Value::Float(days * 24.0 + secs / 3_600.0));
    heap.set_attr(id, "minutes", Value::Float(days * 1_440.0 + secs / 60.0));
    heap.set_attr(id, "seconds", Value::Int(pd.days() * 86_400 + pd.seconds()));
    heap.set_attr(
        id,
        "years",
        Value::Float((days + secs / 86_400.0) / 365.2425),
    );
    heap.set_attr(id, "delta", Value::Delta(pd));
    Value::Ref(id)
}

/// `DateTimeDelta.describe(specificity=None, nice=True, capitalize=False)`.
pub fn describe(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, args: &Args) -> PyResult<String> {
    let st = support::raw(cx, id, "start").unwrap_or(Value::None);
    let en = support::raw(cx, id, "end").unwrap_or(Value::None);
    let (start, end) = (to_naive(h, cx, &st)?, to_naive(h, cx, &en)?);
    let spec = support::kw_str(cx, args, "specificity")?;
    let spec = spec.as_deref();
    let (y, m, d, hh, mi, se) = relativedelta(end, start);
    let mut out: Vec<(i64, &str)> = Vec::new();
    let not = |xs: &[&str]| spec.is_none_or(|s| !xs.contains(&s));
    if y != 0 {
        out.push((y.abs(), "year"));
    }
    if m != 0 && spec != Some("year") {
        out.push((m.abs(), "month"));
    }
    if d != 0 && not(&["year", "month"]) {
        out.push((d.abs(), "day"));
    }
    if out.is_empty() || matches!(spec, Some("hour" | "minute" | "second")) {
        if hh != 0 && not(&["year", "month", "day"]) {
            out.push((hh.abs(), "hour"));
        }
        if (hh.abs() < 2 || matches!(spec, Some("minute" | "second")))
            && mi != 0
            && not(&["year", "month", "day", "hour"])
        {
            out.push((mi.abs(), "minute"));
        }
    }
    if (out.is_empty() || spec == Some("second"))
        && se != 0
        && not(&["year", "month", "day", "hour", "minute"])
    {
        out.push((se.abs(), "second"));
    }
    let fallback = spec.unwrap_or("second").to_string();
    let mut parts: Vec<String> = out
        .iter()
        .map(|(n, w)| (*n, text::noun_plural_str(w, Some(*n as f64), true)))
        .map(|(n, w)| {
            if kw_bool_default(args, "nice") {
                format!("{} {w}", text::nice_number_str(n as f64, None))
            } else {
                format!("{n} {w}")
            }
        })
        .collect();
    if parts.is_empty() {
        let w = text::noun_plural_str(&fallback, Some(0.0), true);
        parts.push(if kw_bool_default(args, "nice") {
            format!("{} {w}", text::nice_number_str(0.0, None))
        } else {
            format!("0 {w}")
        });
    }
    let out = text::comma_and_list_str(&parts, &text::AndOptions::default());
    Ok(if kw_bool(cx, args, "capitalize", false)? {
        super::super::functions::words::capitalize(&out)
    } else {
        out
    })
}

fn kw_bool_default(args: &Args, name: &str) -> bool {
    !matches!(
        args.kw(name),
        Some(Value::Bool(false)) | Some(Value::None) | Some(Value::Int(0))
    )
}

/// DateTimeDelta methods.
pub fn delta_method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    Ok(match name {
        "describe" => Some(s(describe(h, cx, id, args)?)),
        _ => None,
    })
}
