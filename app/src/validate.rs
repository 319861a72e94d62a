//! Client-side validation, mirroring the server's checks (required, min/max, lengths,
//! datatypes) so that most mistakes are caught before a round trip. Messages come from the
//! field's `validation_messages` when the server sends them.

use crate::form::{Values, choice_key, none_key, strip_tags};
use crate::screen::{Field, Kind, Screen, py_str};

/// What is wrong with one field's current value, if anything. `files` is how many files are
/// chosen in a file input.
pub fn check(field: &Field, values: &Values, files: usize) -> Option<String> {
    let enc = field.variable_name_encoded.as_deref()?;
    if field.has_no_choices() {
        return None;
    }
    let msg = |key: &str, fallback: &str, arg: Option<String>| -> String {
        let m = field
            .validation_messages
            .get(key)
            .cloned()
            .unwrap_or_else(|| fallback.to_string());
        match arg {
            Some(a) => m.replace("{0}", &a).replace("%s", &a),
            None => m,
        }
    };
    let required_msg = || msg("required", "This field is required.", None);
    let text = values.get(enc).map(String::as_str).unwrap_or("");
    match field.kind() {
        Kind::Note | Kind::Hidden | Kind::YesNoCheckbox { .. } => None,
        Kind::File { .. } => (field.is_required() && files == 0).then(required_msg),
        Kind::Checkboxes | Kind::Multiselect => {
            let checked = (0..field.choices.len())
                .filter(|i| values.get(&choice_key(field, *i)).map(String::as_str) == Some("True"))
                .count();
            let none = values.get(&none_key(field)).map(String::as_str) == Some("True");
            // Without a "None of the above" choice, plain checkboxes may all stay unchecked
            // (as the server, and docassemble, accept); object checkboxes may not.
            let must = field.none_label().is_some()
                || field
                    .datatype
                    .as_deref()
                    .is_some_and(|d| d.starts_with("object"));
            if field.is_required() && must && checked == 0 && !none {
                // docassemble: "Check at least one option, or check “%s”" with the label of
                // the `none of the above` choice.
                let fallback = match field.none_label() {
                    Some(label) => format!(
                        "Check at least one option, or check \u{201c}{}\u{201d}",
                        strip_tags(&label).trim()
                    ),
                    None => "Check at least one option.".to_string(),
                };
                return Some(msg("checkatleast", &fallback, None));
            }
            None
        }
        Kind::YesNoRadio { .. } | Kind::Radio | Kind::Dropdown | Kind::Combobox => {
            (field.is_required() && text.is_empty()).then(required_msg)
        }
        Kind::Input(_) | Kind::Area | Kind::Range => {
            let t = text.trim();
            if t.is_empty() {
                return field.is_required().then(required_msg);
            }
            let len = t.chars().count() as i64;
            if let Some(min) = field.minlength {
                if len < min {
                    return Some(msg(
                        "minlength",
                        "You must type at least {0} characters.",
                        Some(min.to_string()),
                    ));
                }
            }
            if let Some(max) = field.maxlength {
                if len > max {
                    return Some(msg(
                        "maxlength",
                        "You cannot type more than {0} characters.",
                        Some(max.to_string()),
                    ));
                }
            }
            match field.datatype() {
                "integer" | "number" | "float" | "currency" | "range" => {
                    let Some(n) = crate::num::parse_f64(&t.replace(',', "")) else {
                        return Some(msg("number", "You need to enter a number.", None));
                    };
                    if field.datatype() == "integer" && n.fract() != 0.0 {
                        return Some(msg("integer", "Please enter a whole number.", None));
                    }
                    if let Some(min) = field.min.as_ref().and_then(num) {
                        if n < min {
                            return Some(msg(
                                "min",
                                "You need to enter a number that is at least {0}.",
                                Some(show(min)),
                            ));
                        }
                    }
                    if let Some(max) = field.max.as_ref().and_then(num) {
                        if n > max {
                            return Some(msg(
                                "max",
                                "You need to enter a number that is at most {0}.",
                                Some(show(max)),
                            ));
                        }
                    }
                    None
                }
                "email" => (!is_email(t)).then(|| {
                    msg(
                        "email",
                        "You need to enter a complete e-mail address.",
                        None,
                    )
                }),
                "date" => {
                    if !is_date(t) {
                        return Some(msg("date", "You need to enter a valid date.", None));
                    }
                    if let Some((min, bound)) = field.min.as_ref().map(py_str).and_then(date_bound)
                    {
                        if t < bound.as_str() {
                            return Some(msg(
                                "min",
                                "You need to enter a date on or after {0}.",
                                Some(min),
                            ));
                        }
                    }
                    if let Some((max, bound)) = field.max.as_ref().map(py_str).and_then(date_bound)
                    {
                        if t > bound.as_str() {
                            return Some(msg(
                                "max",
                                "You need to enter a date on or before {0}.",
                                Some(max),
                            ));
                        }
                    }
                    None
                }
                "time" => {
                    (!is_time(t)).then(|| msg("time", "You need to enter a valid time.", None))
                }
                "datetime" => {
                    let ok = t.len() >= 16
                        && is_date(&t[..10])
                        && matches!(&t[10..11], "T" | " ")
                        && is_time(&t[11..16]);
                    (!ok).then(|| msg("datetime", "You need to enter a valid date and time.", None))
                }
                _ => None,
            }
        }
    }
}

/// Errors for every visible field: `(field index, message)`.
pub fn check_screen(
    screen: &Screen,
    values: &Values,
    visible: &[bool],
    files: &dyn Fn(usize) -> usize,
) -> Vec<(usize, String)> {
    screen
        .fields
        .iter()
        .enumerate()
        .filter(|(i, _)| visible.get(*i).copied().unwrap_or(true))
        .filter_map(|(i, f)| check(f, values, files(i)).map(|m| (i, m)))
        .collect()
}

/// The field a server error names (by plain or encoded variable name).
pub fn field_of_error(screen: &Screen, variable: &str) -> Option<usize> {
    if variable.is_empty() {
        return None;
    }
    screen.fields.iter().position(|f| {
        f.variable_name.as_deref() == Some(variable)
            || f.variable_name_encoded.as_deref() == Some(variable)
            || f.choices.iter().any(|c| {
                c.variable_name.as_deref() == Some(variable)
                    || c.variable_name_encoded.as_deref() == Some(variable)
            })
    })
}

fn num(v: &crate::json::Json) -> Option<f64> {
    match v {
        crate::json::Json::Int(_) | crate::json::Json::Float(_) => v.as_f64(),
        crate::json::Json::Str(s) => crate::num::parse_f64(s.trim()),
        _ => None,
    }
}

fn show(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        (n as i64).to_string()
    } else {
        crate::num::f64_text(n)
    }
}

fn is_email(t: &str) -> bool {
    match t.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && !t.contains(char::is_whitespace)
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !host.contains('@')
        }
        None => false,
    }
}

/// A date limit and its `YYYY-MM-DD` form: ISO as it is; other texts (`December 3, 2026`, as
/// `today()` prints) as the browser's `Date` reads them, as docassemble's page does.
fn date_bound(t: String) -> Option<(String, String)> {
    let iso = if is_date(&t) {
        t.clone()
    } else {
        browser_date(&t)?
    };
    Some((t, iso))
}

#[cfg(target_arch = "wasm32")]
fn browser_date(t: &str) -> Option<String> {
    let d = web_sys::js_sys::Date::new(&leptos::wasm_bindgen::JsValue::from_str(t));
    if d.get_time().is_nan() {
        return None;
    }
    Some(format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    ))
}

#[cfg(not(target_arch = "wasm32"))]
fn browser_date(_: &str) -> Option<String> {
    None
}

fn is_date(t: &str) -> bool {
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        t[..4].parse::<u32>(),
        t[5..7].parse::<u32>(),
        t[8..].parse::<u32>(),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn is_time(t: &str) -> bool {
    let t = t.get(..5).unwrap_or(t);
    match t.split_once(':') {
        Some((h, m)) if h.len() == 2 && m.len() == 2 => {
            matches!((h.parse::<u32>(), m.parse::<u32>()), (Ok(h), Ok(m)) if h < 24 && m < 60)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::Field;

    fn field(dt: &str, extra: &str) -> Field {
        Field::from_json(
            &crate::json::Json::parse(&format!(
                r#"{{"number":0,"variable_name":"x","variable_name_encoded":"eA","datatype":"{dt}"{extra}}}"#
            ))
            .unwrap(),
        )
    }

    fn with(v: &str) -> Values {
        let mut m = Values::new();
        m.insert("eA".into(), v.into());
        m
    }

    #[test]
    fn required_uses_the_servers_message() {
        let f = field(
            "text",
            r#","validation_messages":{"required":"Fill this in."}"#,
        );
        assert_eq!(check(&f, &with(""), 0).as_deref(), Some("Fill this in."));
        assert_eq!(check(&f, &with("a"), 0), None);
        let f = field("text", r#","required":false"#);
        assert_eq!(check(&f, &with(""), 0), None);
    }

    #[test]
    fn checkboxes_need_a_check_only_with_none_of_the_above() {
        let choices = r#","required":true,"choices":[{"label":"A","variable_name":"x['a']","variable_name_encoded":"eFsnYSdd"}]"#;
        let plain = field("checkboxes", choices);
        assert_eq!(check(&plain, &Values::new(), 0), None);
        let nota = field(
            "checkboxes",
            &format!(r#"{choices},"none_of_the_above":"None of the above""#),
        );
        assert_eq!(
            check(&nota, &Values::new(), 0).as_deref(),
            Some("Check at least one option, or check \u{201c}None of the above\u{201d}")
        );
    }

    #[test]
    fn choice_fields_without_choices_are_not_checked() {
        let nota = r#","required":true,"fieldtype":"multiple_choice","choices":[],"none_of_the_above":"None of the above""#;
        for dt in [
            "checkboxes",
            "object_checkboxes",
            "radio",
            "object_radio",
            "text",
        ] {
            let f = field(dt, nota);
            assert!(f.has_no_choices(), "{dt}");
            assert_eq!(check(&f, &Values::new(), 0), None, "{dt}");
        }
        // a combobox takes typed text
        let combo = field(
            "text",
            r#","required":true,"fieldtype":"multiple_choice","inputtype":"combobox","choices":[]"#,
        );
        assert!(!combo.has_no_choices());
        assert!(check(&combo, &Values::new(), 0).is_some());
    }

    #[test]
    fn numbers_and_bounds() {
        let f = field("integer", r#","min":1,"max":10"#);
        assert_eq!(
            check(&f, &with("x"), 0).as_deref(),
            Some("You need to enter a number.")
        );
        assert_eq!(
            check(&f, &with("2.5"), 0).as_deref(),
            Some("Please enter a whole number.")
        );
        assert_eq!(
            check(&f, &with("0"), 0).as_deref(),
            Some("You need to enter a number that is at least 1.")
        );
        assert_eq!(
            check(&f, &with("11"), 0).as_deref(),
            Some("You need to enter a number that is at most 10.")
        );
        assert_eq!(check(&f, &with("5"), 0), None);
    }

    #[test]
    fn datatypes() {
        assert!(check(&field("email", ""), &with("ann@example"), 0).is_some());
        assert!(check(&field("email", ""), &with("ann@example.com"), 0).is_none());
        assert!(check(&field("date", ""), &with("2023-02-29"), 0).is_some());
        assert!(check(&field("date", ""), &with("2024-02-29"), 0).is_none());
        assert!(
            check(
                &field("date", r#","min":"2024-03-01""#),
                &with("2024-02-29"),
                0
            )
            .is_some()
        );
        assert!(check(&field("time", ""), &with("24:00"), 0).is_some());
        assert!(check(&field("datetime", ""), &with("2024-01-01T10:30"), 0).is_none());
        assert!(check(&field("text", r#","minlength":3"#), &with("ab"), 0).is_some());
        assert!(check(&field("file", ""), &Values::new(), 0).is_some());
        assert!(check(&field("file", ""), &Values::new(), 1).is_none());
    }
}
