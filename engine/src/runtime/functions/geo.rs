//! `states_list()`, `state_name()`, `country_name()`, `countries_list()`: ISO 3166 names as
//! pycountry gives them (the US subdivisions and a table of common countries).

use pyeval::{Args, Dict, Flow, Interp, Key, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{arg_str, kw_bool, s};
use super::countries;

/// ISO 3166-2:US top-level subdivisions (pycountry names).
pub const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AS", "American Samoa"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("GU", "Guam"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("MP", "Northern Mariana Islands"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("PR", "Puerto Rico"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UM", "United States Minor Outlying Islands"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VI", "Virgin Islands, U.S."),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
];

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

fn subdivisions(
    h: &DaHost,
    code: Option<String>,
) -> PyResult<&'static [(&'static str, &'static str)]> {
    let code = code.unwrap_or_else(|| h.config().country.clone());
    if code.eq_ignore_ascii_case("US") {
        Ok(US_STATES)
    } else {
        Err(Flow::raise(
            "NotImplementedError",
            format!("subdivisions of country {code} are not available in this runtime"),
        ))
    }
}

/// The geography functions; `None` if `name` is not one of them.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    let r = match name {
        "states_list" => {
            let subs = subdivisions(h, arg_str(cx, args, 0, "country_code")?)?;
            let abbreviate = kw_bool(cx, args, "abbreviate", false)?;
            let mut sorted: Vec<&(&str, &str)> = subs.iter().collect();
            sorted.sort_by(|a, b| a.1.cmp(b.1));
            let mut d = Dict::new();
            for (c, n) in sorted {
                let label = if abbreviate { *c } else { *n };
                d.insert(Key::Str((*c).into()), s(c), s(label));
            }
            cx.heap_mut().new_dict(d)
        }
        "state_name" => {
            let code = arg_str(cx, args, 0, "state_code")?.unwrap_or_default();
            let subs = subdivisions(h, arg_str(cx, args, 1, "country_code")?)?;
            s(subs
                .iter()
                .find(|(c, _)| *c == code)
                .map_or(code.as_str(), |(_, n)| *n))
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
