//! `Name`, `IndividualName`, `Person`, `Individual`, `Thing`: names and their `str()`, and the
//! gendered pronouns of an individual.

use chrono::Datelike;
use pyeval::{Args, Interp, Name, ObjId, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{self, kw_bool, s};
use super::datetime;
use super::list::take;
use super::object::{cap, point_of_view};

/// The name class of a person-like class.
fn name_class(class: &str) -> &'static str {
    if super::is_a(class, "Individual") {
        "IndividualName"
    } else {
        "Name"
    }
}

/// `Person(name='Acme')` / `Thing(name='chair')`: a string name becomes `name.text`.
pub fn init_name_kw(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
    kw: &mut Vec<(Name, Value)>,
) -> PyResult<()> {
    if !matches!(
        kw.iter().find(|(k, _)| &**k == "name"),
        Some((_, Value::Str(_)))
    ) {
        return Ok(());
    }
    let Some(text) = take(kw, "name") else {
        return Ok(());
    };
    let n = super::initialize_attribute(h, cx, id, "name", name_class(class), Vec::new())?;
    if let Some(nid) = n.as_ref_id() {
        support::set(cx, nid, "text", text);
    }
    Ok(())
}

fn str_attr(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<String> {
    let v = support::get(cx, id, name)?;
    cx.to_str(&v)
}

fn opt_str(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<Option<String>> {
    match support::raw(cx, id, name) {
        Some(v) => Ok(Some(cx.to_str(&v)?)),
        None => Ok(None),
    }
}

fn uses_parts(cx: &mut Interp<'_>, id: ObjId) -> PyResult<bool> {
    match support::raw(cx, id, "uses_parts") {
        Some(v) => cx.truthy(&v),
        None => Ok(true),
    }
}

/// `Name.full()`: the `text` attribute.
pub fn plain_full(cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    str_attr(cx, id, "text")
}

fn middle_initial(cx: &mut Interp<'_>, id: ObjId, with_period: bool) -> PyResult<String> {
    let m = str_attr(cx, id, "middle")?;
    let m = m.trim();
    match m.chars().next() {
        None => Ok(String::new()),
        Some(c) if with_period => Ok(format!("{c}.")),
        Some(c) => Ok(c.to_string()),
    }
}

/// `IndividualName.full(middle='initial', use_suffix=True)`.
pub fn full_name(cx: &mut Interp<'_>, id: ObjId, args: &Args) -> PyResult<String> {
    if !uses_parts(cx, id)? {
        return plain_full(cx, id);
    }
    // The parts, trimmed, joined by single spaces (blank optional parts left out).
    let mut out = str_attr(cx, id, "first")?.trim().to_string();
    let mut add = |part: &str| {
        let part = part.trim();
        if !part.is_empty() {
            out.push(' ');
            out.push_str(part);
        }
    };
    if support::has_raw(cx, id, "middle") {
        match args.get(0, "middle") {
            Some(Value::Bool(false)) | Some(Value::None) => {}
            Some(Value::Str(m)) if &**m != "initial" => add(&str_attr(cx, id, "middle")?),
            Some(Value::Bool(true)) => add(&str_attr(cx, id, "middle")?),
            _ => add(&middle_initial(cx, id, true)?),
        }
    }
    match opt_str(cx, id, "last")? {
        Some(l) if !l.trim().is_empty() => add(&l),
        _ => {
            for part in ["paternal_surname", "maternal_surname"] {
                if let Some(p) = opt_str(cx, id, part)? {
                    add(&p);
                }
            }
        }
    }
    let use_suffix = match args.get(1, "use_suffix") {
        Some(v) => {
            let v = v.clone();
            cx.truthy(&v)?
        }
        None => true,
    };
    if use_suffix && let Some(sfx) = opt_str(cx, id, "suffix")? {
        add(&sfx);
    }
    Ok(out)
}

/// `Name` methods.
pub fn name_method(
    _h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    _args: &Args,
) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        "full" | "familiar" | "firstlast" | "lastfirst" => s(plain_full(cx, id)?),
        "middle_initial" => s(""),
        "defined" => Value::Bool(support::has_raw(cx, id, "text")),
        _ => return Ok(None),
    }))
}

/// `IndividualName` methods.
pub fn individual_name_method(
    _h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    if !uses_parts(cx, id)? && name != "defined" {
        return Ok(None);
    }
    Ok(Some(match name {
        "full" => s(full_name(cx, id, args)?),
        "familiar" => s(str_attr(cx, id, "first")?),
        "firstlast" => s(format!(
            "{} {}",
            str_attr(cx, id, "first")?,
            str_attr(cx, id, "last")?
        )),
        "lastfirst" => {
            let mut out = str_attr(cx, id, "last")?;
            if let Some(sfx) = opt_str(cx, id, "suffix")? {
                if !sfx.trim().is_empty() {
                    out.push(' ');
                    out.push_str(&sfx);
                }
            }
            out.push_str(", ");
            out.push_str(&str_attr(cx, id, "first")?);
            if support::has_raw(cx, id, "middle") {
                let i = middle_initial(cx, id, true)?;
                if !i.is_empty() {
                    out.push(' ');
                    out.push_str(&i);
                }
            }
            s(out)
        }
        "middle_initial" => {
            let wp = match args.get(0, "with_period") {
                Some(v) => {
                    let v = v.clone();
                    cx.truthy(&v)?
                }
                None => true,
            };
            s(middle_initial(cx, id, wp)?)
        }
        "defined" => Value::Bool(if uses_parts(cx, id)? {
            support::has_raw(cx, id, "first")
        } else {
            support::has_raw(cx, id, "text")
        }),
        _ => return Ok(None),
    }))
}

fn name_obj(cx: &mut Interp<'_>, id: ObjId) -> PyResult<Value> {
    support::get(cx, id, "name")
}

/// `str(person)` / `str(thing)`: `str(self.name.full())`.
pub fn person_str(cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    let n = name_obj(cx, id)?;
    let full = cx.call_method(&n, "full", Args::default())?;
    cx.to_str(&full)
}

/// `Person` methods.
pub fn person_method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        "identified" => {
            let n = name_obj(cx, id)?;
            Value::Bool(
                n.as_ref_id()
                    .is_some_and(|nid| support::has_raw(cx, nid, "text")),
            )
        }
        "address_block" => {
            let n = name_obj(cx, id)?;
            let full = cx.call_method(&n, "full", Args::default())?;
            let full = cx.to_str(&full)?;
            let addr = support::get(cx, id, "address")?;
            let mut a = Args {
                pos: Vec::new(),
                kw: args.kw.clone(),
            };
            if a.kw("show_country").is_none() {
                a.kw.push((Name::from("show_country"), Value::Bool(false)));
            }
            let block = cx.call_method(&addr, "block", a)?;
            let block = cx.to_str(&block)?;
            s(format!("[FLUSHLEFT] {full} [NEWLINE] {block}"))
        }
        "email_address" => {
            let email = str_attr(cx, id, "email")?;
            let include = args.get(0, "include_name").cloned();
            let n = name_obj(cx, id)?;
            let defined = cx.call_method(&n, "defined", Args::default())?;
            let with_name = match include {
                Some(Value::Bool(b)) => b,
                _ => cx.truthy(&defined)?,
            };
            if with_name {
                let nm = cx.to_str(&n)?.replace('"', "");
                s(format!("\"{nm}\" <{email}>"))
            } else {
                s(email)
            }
        }
        "sms_number" => return sms_number(h, cx, id, args).map(Some),
        "subject" | "subjective_pronoun_or_name" => {
            let person = point_of_view(cx, id, args)?;
            let out = match person.as_str() {
                "2" | "2p" => "you".to_string(),
                "1" => "I".to_string(),
                "1p" => "we".to_string(),
                _ => cx.to_str(&Value::Ref(id))?,
            };
            s(cap(cx, args, out)?)
        }
        "is_are_you" => {
            let person = point_of_view(cx, id, args)?;
            let out = match person.as_str() {
                "2" | "2p" => "are you".to_string(),
                "1" => "am I".to_string(),
                "1p" => "are we".to_string(),
                _ => format!("is {}", cx.to_str(&Value::Ref(id))?),
            };
            s(cap(cx, args, out)?)
        }
        _ => {
            let _ = h;
            return Ok(None);
        }
    }))
}

/// `person.sms_number(country=None)`: `mobile_number` if set (with `whatsapp:` before it when
/// `uses_whatsapp` is set), else `phone_number` (asked for if need be), in E.164 for
/// `country`, else the person's `country`, their address's, or the interview's.
fn sms_number(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, args: &Args) -> PyResult<Value> {
    let number = if support::has_raw(cx, id, "mobile_number") {
        let mobile = support::get(cx, id, "mobile_number")?;
        if support::has_raw(cx, id, "uses_whatsapp") {
            s(format!("whatsapp:{}", cx.to_str(&mobile)?))
        } else {
            mobile
        }
    } else {
        support::get(cx, id, "phone_number")?
    };
    let country = match args.get(0, "country") {
        Some(c) if !matches!(c, Value::None) => Some(c.clone()),
        _ if support::has_raw(cx, id, "country") => Some(support::get(cx, id, "country")?),
        _ => match support::raw(cx, id, "address").and_then(|a| a.as_ref_id()) {
            Some(address) if support::has_raw(cx, address, "country") => {
                Some(support::get(cx, address, "country")?)
            }
            _ => None,
        },
    };
    let mut call = Args {
        pos: vec![number],
        kw: Vec::new(),
    };
    if let Some(country) = country {
        call.kw.push((Name::from("country"), country));
    }
    Ok(
        super::super::functions::phone::call(h, cx, "phone_number_in_e164", &call)?
            .unwrap_or(Value::None),
    )
}

fn gender(cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    str_attr(cx, id, "gender")
}

fn years_between(from: chrono::NaiveDate, to: chrono::NaiveDate) -> (i64, i64, i64) {
    // dateutil.relativedelta(to, from): whole years, months, days
    let mut months =
        i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month());
    if to.day() < from.day() {
        months -= 1;
    }
    let anchor = add_months(from, months);
    let days = (to - anchor).num_days();
    (months.div_euclid(12), months.rem_euclid(12), days)
}

fn add_months(d: chrono::NaiveDate, months: i64) -> chrono::NaiveDate {
    datetime::shift(d.and_hms_opt(0, 0, 0).unwrap_or_default(), 0, months).map_or(d, |x| x.date())
}

/// `Individual` methods.
pub fn individual_method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    let third = kw_bool(cx, args, "thirdperson", false)?;
    let person = || -> PyResult<String> { Ok(String::new()) };
    let pov = |cx: &mut Interp<'_>| -> PyResult<String> {
        if third {
            person()
        } else {
            point_of_view(cx, id, args)
        }
    };
    Ok(Some(match name {
        "familiar" => {
            let n = name_obj(cx, id)?;
            cx.call_method(&n, "familiar", Args::default())?
        }
        "identified" => {
            let n = name_obj(cx, id)?;
            Value::Bool(
                n.as_ref_id()
                    .is_some_and(|nid| support::has_raw(cx, nid, "first")),
            )
        }
        "pronoun_possessive" => {
            let target = cx.to_str(support::req(args, 0, "target", name)?)?;
            let p = pov(cx)?;
            let out = match p.as_str() {
                "2" | "2p" => format!("your {target}"),
                "1" => format!("my {target}"),
                "1p" => format!("our {target}"),
                _ => match gender(cx, id)?.as_str() {
                    "female" => format!("her {target}"),
                    "other" => format!("their {target}"),
                    _ => format!("his {target}"),
                },
            };
            s(cap(cx, args, out)?)
        }
        "pronoun" | "pronoun_objective" => {
            let p = point_of_view(cx, id, args)?;
            let out = match p.as_str() {
                "2" | "2p" => "you",
                "1" => "me",
                "1p" => "us",
                _ => match gender(cx, id)?.as_str() {
                    "female" => "her",
                    "other" => "them",
                    _ => "him",
                },
            };
            s(cap(cx, args, out.to_string())?)
        }
        "pronoun_subjective" => {
            let p = pov(cx)?;
            let out = match p.as_str() {
                "2" | "2p" => "you",
                "1" => "I",
                "1p" => "we",
                _ => match gender(cx, id)?.as_str() {
                    "female" => "she",
                    "other" => "they",
                    _ => "he",
                },
            };
            s(cap(cx, args, out.to_string())?)
        }
        "itself" => {
            let p = point_of_view(cx, id, args)?;
            let out = match p.as_str() {
                "2" => "yourself",
                "2p" => "yourselves",
                "1" => "myself",
                "1p" => "ourselves",
                _ => match gender(cx, id)?.as_str() {
                    "female" => "herself",
                    "other" => "themself",
                    _ => "himself",
                },
            };
            s(cap(cx, args, out.to_string())?)
        }
        "salutation" => {
            // docassemble's salutation_default: salutation_to_use, is_doctor, is_judge, an MD
            // or PhD suffix (Dr.), a J suffix (Judge), then the gender (Ms. or Mr.).
            let flag = |cx: &mut Interp<'_>, attr: &str| -> PyResult<bool> {
                support::raw(cx, id, attr)
                    .map(|v| cx.truthy(&v))
                    .transpose()
                    .map(|b| b.unwrap_or(false))
            };
            let suffix = match name_obj(cx, id)?.as_ref_id() {
                Some(nid) => opt_str(cx, nid, "suffix")?,
                None => None,
            };
            let mut used_gender = false;
            let salut = if let Some(v) =
                support::raw(cx, id, "salutation_to_use").filter(|v| !v.is_none())
            {
                cx.to_str(&v)?
            } else if flag(cx, "is_doctor")? {
                "Dr.".into()
            } else if flag(cx, "is_judge")? {
                "Judge".into()
            } else if matches!(suffix.as_deref(), Some("MD" | "PhD")) {
                "Dr.".into()
            } else if suffix.as_deref() == Some("J") {
                "Judge".into()
            } else {
                used_gender = true;
                if gender(cx, id)? == "female" {
                    "Ms.".into()
                } else {
                    "Mr.".into()
                }
            };
            let punctuation = kw_bool(cx, args, "with_name_and_punctuation", false)?;
            if kw_bool(cx, args, "with_name", false)? || punctuation {
                let n = name_obj(cx, id)?;
                // Someone whose gender is neither gets their full name, without a title.
                let mut out =
                    if used_gender && !matches!(gender(cx, id)?.as_str(), "male" | "female") {
                        let full = cx.call_method(&n, "full", Args::default())?;
                        cx.to_str(&full)?
                    } else {
                        let last = match n.as_ref_id() {
                            Some(nid) => str_attr(cx, nid, "last")?,
                            None => String::new(),
                        };
                        format!("{salut} {last}")
                    };
                if punctuation {
                    out.push(if flag(cx, "is_friendly")? { ',' } else { ':' });
                }
                s(out)
            } else {
                s(salut)
            }
        }
        "age_in_years" | "age_in_months" => {
            if name == "age_in_years" && support::has_raw(cx, id, "age") {
                let a = support::get(cx, id, "age")?;
                let f = support::num(&a).unwrap_or(0.0);
                return Ok(Some(if kw_bool(cx, args, "decimals", false)? {
                    Value::Float(f)
                } else {
                    Value::Int(f.trunc() as i64)
                }));
            }
            let bd = support::get(cx, id, "birthdate")?;
            let bd = datetime::to_naive(h, cx, &bd)?;
            let as_of = match args.get(1, "as_of").filter(|v| !v.is_none()) {
                Some(v) => {
                    let v = v.clone();
                    datetime::to_naive(h, cx, &v)?
                }
                None => h.config().now,
            };
            let (y, m, d) = years_between(bd.date(), as_of.date());
            let decimals = kw_bool(cx, args, "decimals", false)?;
            if name == "age_in_years" {
                if decimals {
                    Value::Float(y as f64 + m as f64 / 12.0 + d as f64 / 365.0)
                } else {
                    Value::Int(y)
                }
            } else if decimals {
                Value::Float((y * 12 + m) as f64 + 12.0 * (d as f64 / 365.0))
            } else {
                Value::Int(y * 12 + m)
            }
        }
        "first_name_hint" | "last_name_hint" => s(""),
        _ => return Ok(None),
    }))
}
