//! `states_list()`, `state_name()`, `country_name()`, `countries_list()`: ISO 3166 names as
//! pycountry gives them (the US subdivisions and a table of common countries).

use pyeval::{Args, Dict, Flow, Interp, Key, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{arg_str, kw_bool, s};

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

/// Common countries (ISO 3166-1 alpha-2 → pycountry name).
pub const COUNTRIES: &[(&str, &str)] = &[
    ("AR", "Argentina"),
    ("AU", "Australia"),
    ("AT", "Austria"),
    ("BE", "Belgium"),
    ("BR", "Brazil"),
    ("CA", "Canada"),
    ("CL", "Chile"),
    ("CN", "China"),
    ("CO", "Colombia"),
    ("CU", "Cuba"),
    ("CZ", "Czechia"),
    ("DK", "Denmark"),
    ("DO", "Dominican Republic"),
    ("EG", "Egypt"),
    ("SV", "El Salvador"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("GR", "Greece"),
    ("GT", "Guatemala"),
    ("HT", "Haiti"),
    ("HN", "Honduras"),
    ("HU", "Hungary"),
    ("IN", "India"),
    ("ID", "Indonesia"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IT", "Italy"),
    ("JM", "Jamaica"),
    ("JP", "Japan"),
    ("KE", "Kenya"),
    ("KR", "Korea, Republic of"),
    ("MX", "Mexico"),
    ("NL", "Netherlands"),
    ("NZ", "New Zealand"),
    ("NI", "Nicaragua"),
    ("NG", "Nigeria"),
    ("NO", "Norway"),
    ("PK", "Pakistan"),
    ("PA", "Panama"),
    ("PE", "Peru"),
    ("PH", "Philippines"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("PR", "Puerto Rico"),
    ("RO", "Romania"),
    ("RU", "Russian Federation"),
    ("SA", "Saudi Arabia"),
    ("ZA", "South Africa"),
    ("ES", "Spain"),
    ("SE", "Sweden"),
    ("CH", "Switzerland"),
    ("TW", "Taiwan, Province of China"),
    ("TH", "Thailand"),
    ("TR", "Türkiye"),
    ("UA", "Ukraine"),
    ("AE", "United Arab Emirates"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
    ("UY", "Uruguay"),
    ("VE", "Venezuela, Bolivarian Republic of"),
    ("VN", "Viet Nam"),
];

/// The name of a country code, if known.
pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, n)| *n)
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
            let mut sorted: Vec<&(&str, &str)> = COUNTRIES.iter().collect();
            sorted.sort_by(|a, b| a.1.cmp(b.1));
            let items = sorted
                .iter()
                .map(|(c, n)| {
                    let mut d = Dict::new();
                    d.insert(Key::Str((*c).into()), s(c), s(n));
                    cx.heap_mut().new_dict(d)
                })
                .collect();
            cx.heap_mut().new_list(items)
        }
        _ => return Ok(None),
    };
    Ok(Some(r))
}
