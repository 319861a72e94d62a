//! `states_list()`, `state_name()`, `country_name()`, `countries_list()`: ISO 3166 names as
//! pycountry gives them (the US subdivisions and a table of common countries).

use pyeval::{Args, Dict, Flow, Interp, Key, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{arg_str, kw_bool, s};
use super::{countries, subdivisions};

/// The name of a country code, if known.
pub fn country_name(code: &str) -> Option<&'static str> {
    countries::ALL
        .iter()
        .find(|c| c.0.eq_ignore_ascii_case(code))
        .map(|c| c.3)
}

/// pycountry's `countries.search_fuzzy(text)` as docassemble's `iso_country()` uses it: a
/// code or a name (official or common) matched whole, ignoring case, else the first country
/// whose name contains the text.
pub fn search_country(text: &str) -> Option<&'static countries::Country> {
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return None;
    }
    let whole = |c: &&countries::Country| {
        [c.0, c.1, c.2, c.3, c.4, c.5]
            .iter()
            .any(|v| !v.is_empty() && v.to_lowercase() == t)
    };
    let within = |c: &&countries::Country| {
        [c.3, c.4, c.5]
            .iter()
            .any(|v| !v.is_empty() && v.to_lowercase().contains(&t))
    };
    countries::ALL
        .iter()
        .find(whole)
        .or_else(|| countries::ALL.iter().find(within))
}

/// The subdivisions of country `code` (the interview's country when `None`), all levels.
fn subdivisions(h: &DaHost, code: Option<String>) -> &'static [subdivisions::Subdivision] {
    let code = code
        .unwrap_or_else(|| h.config().country.clone())
        .to_ascii_uppercase();
    let all = subdivisions::ALL;
    let start = all.partition_point(|sd| sd.0 < code.as_str());
    let end = all.partition_point(|sd| sd.0 <= code.as_str());
    &all[start..end]
}

/// The geography functions; `None` if `name` is not one of them.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    let r = match name {
        "states_list" => {
            // docassemble: the first-level subdivisions, code → name, sorted by name.
            let subs = subdivisions(h, arg_str(cx, args, 0, "country_code")?);
            let abbreviate = kw_bool(cx, args, "abbreviate", false)?;
            let mut sorted: Vec<&subdivisions::Subdivision> =
                subs.iter().filter(|sd| sd.4).collect();
            sorted.sort_by(|a, b| a.2.cmp(b.2));
            let mut d = Dict::new();
            for sd in sorted {
                let label = if abbreviate { sd.1 } else { sd.2 };
                d.insert(Key::Str(sd.1.into()), s(sd.1), s(label));
            }
            cx.heap_mut().new_dict(d)
        }
        "state_name" => {
            let code = arg_str(cx, args, 0, "state_code")?.unwrap_or_default();
            let subs = subdivisions(h, arg_str(cx, args, 1, "country_code")?);
            s(subs
                .iter()
                .find(|sd| sd.1 == code)
                .map_or(code.as_str(), |sd| sd.2))
        }
        "subdivision_type" => {
            // The commonest type of first-level subdivision ("A/B" when the second is more
            // than half as common), None without any.
            let code = arg_str(cx, args, 0, "country_code")?;
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for sd in subdivisions(h, code).iter().filter(|sd| sd.4) {
                match counts.iter_mut().find(|(t, _)| *t == sd.3) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((sd.3, 1)),
                }
            }
            counts.sort_by_key(|c| std::cmp::Reverse(c.1));
            match counts.as_slice() {
                [(a, n), (b, m), ..] if *m * 2 > *n => s(format!("{a}/{b}")),
                [(a, _), ..] => s(a),
                [] => Value::None,
            }
        }
        "country_name" => {
            let code = arg_str(cx, args, 0, "country_code")?.unwrap_or_default();
            s(country_name(&code).unwrap_or(&code))
        }
        "countries_list" => {
            let mut sorted: Vec<&countries::Country> = countries::ALL.iter().collect();
            sorted.sort_by(|a, b| a.3.cmp(b.3));
            let items = sorted
                .iter()
                .map(|c| {
                    let mut d = Dict::new();
                    d.insert(Key::Str(c.0.into()), s(c.0), s(c.3));
                    cx.heap_mut().new_dict(d)
                })
                .collect();
            cx.heap_mut().new_list(items)
        }
        "iso_country" => {
            let text = arg_str(cx, args, 0, "country")?.unwrap_or_default();
            let part = arg_str(cx, args, 1, "part")?.unwrap_or_else(|| "alpha_2".into());
            let Some(c) = search_country(&text) else {
                return Err(Flow::raise("DAError", format!("Invalid country: {text}")));
            };
            s(match part.as_str() {
                "alpha_2" => c.0,
                "alpha_3" => c.1,
                "numeric" => c.2,
                "name" => c.3,
                "official_name" if !c.4.is_empty() => c.4,
                "official_name" => {
                    return Err(Flow::raise(
                        "AttributeError",
                        format!("{} has no official name", c.3),
                    ));
                }
                _ => return Err(Flow::raise("DAError", "iso_country: unknown part")),
            })
        }
        _ => return Ok(None),
    };
    Ok(Some(r))
}
