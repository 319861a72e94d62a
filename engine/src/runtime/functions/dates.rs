//! Date functions: `today`, `current_datetime`, `as_datetime`, `format_date`, `format_time`,
//! `format_datetime`, `date_difference`, `date_interval`, `month_of`, `day_of`, `year_of`,
//! `dow_of`. The clock is the caller's ([`crate::runtime::RuntimeConfig::now`]).

use chrono::{Datelike, NaiveTime};
use pyeval::{Args, Interp, PyResult, Value};

use super::super::classes::datetime as dadt;
use super::super::host::DaHost;
use super::super::support::{arg_str, kw_bool, req, s};
use super::datefmt;

fn date_arg(
    h: &DaHost,
    cx: &mut Interp<'_>,
    args: &Args,
    name: &str,
    func: &str,
) -> PyResult<Option<chrono::NaiveDateTime>> {
    let v = req(args, 0, name, func)?.clone();
    if cx.class_name(&v).as_deref() == Some("DAEmpty") {
        return Ok(None);
    }
    match dadt::to_naive(h, cx, &v) {
        Ok(d) => Ok(Some(d)),
        Err(pyeval::Flow::Raise(e)) if e.kind == "ValueError" || e.kind == "TypeError" => {
            Err(pyeval::Flow::Raise(e))
        }
        Err(e) => Err(e),
    }
}

/// The date functions; `None` if `name` is not one of them.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    let r = match name {
        "today" => {
            let d = h.config().now.date().and_time(NaiveTime::MIN);
            match arg_str(cx, args, 1, "format")? {
                Some(f) => s(dadt::format_date(&d, Some(&f))),
                None => dadt::new_datetime(cx, d),
            }
        }
        "current_datetime" => dadt::new_datetime(cx, h.config().now),
        "as_datetime" => {
            let v = req(args, 0, "the_date", name)?.clone();
            let d = dadt::to_naive(h, cx, &v)?;
            dadt::new_datetime(cx, d)
        }
        "format_date" | "format_datetime" | "format_time" => {
            let Some(d) = date_arg(h, cx, args, "the_date", name).or_else(|e| match e {
                pyeval::Flow::Raise(_) => Ok(None),
                other => Err(other),
            })?
            else {
                let v = req(args, 0, "the_date", name)?.clone();
                return Ok(Some(s(
                    if cx.class_name(&v).as_deref() == Some("DAEmpty") {
                        ""
                    } else {
                        "Bad date"
                    },
                )));
            };
            let f = arg_str(cx, args, 1, "format")?;
            let v = req(args, 0, "the_date", name)?.clone();
            let aware = cx.class_name(&v).as_deref() == Some("DADateTime");
            let zone = dadt::zone_of(h, &d, aware);
            s(match name {
                "format_date" => dadt::format_date(&d, f.as_deref()),
                "format_time" => dadt::format_time(&d, f.as_deref(), zone.as_ref()),
                _ => dadt::format_datetime(&d, f.as_deref(), zone.as_ref()),
            })
        }
        "date_difference" => {
            let start = match args.get(0, "starting").filter(|v| !v.is_none()) {
                Some(v) => {
                    let v = v.clone();
                    dadt::to_naive(h, cx, &v)?
                }
                None => h.config().now,
            };
            let end = match args.get(1, "ending").filter(|v| !v.is_none()) {
                Some(v) => {
                    let v = v.clone();
                    dadt::to_naive(h, cx, &v)?
                }
                None => h.config().now,
            };
            dadt::difference(cx, start, end)
        }
        "date_interval" => dadt::interval(cx, args)?,
        "month_of" | "day_of" | "year_of" | "dow_of" => {
            let v = req(args, 0, "the_date", name)?.clone();
            let Ok(d) = dadt::to_naive(h, cx, &v) else {
                return Ok(Some(s("Bad date")));
            };
            let as_word = kw_bool(cx, args, "as_word", false)?
                || matches!(args.pos.get(1), Some(Value::Bool(true)));
            match name {
                "month_of" if as_word => s(datefmt::format(&d, "MMMM")),
                "month_of" => Value::Int(i64::from(d.month())),
                "day_of" => Value::Int(i64::from(d.day())),
                "year_of" => Value::Int(i64::from(d.year())),
                _ if as_word => s(datefmt::format(&d, "EEEE")),
                _ => Value::Int(i64::from(d.weekday().number_from_monday())),
            }
        }
        "get_default_timezone" => s(&h.config().timezone),
        _ => return Ok(None),
    };
    Ok(Some(r))
}
