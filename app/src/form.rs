//! The answers on a screen and how they are posted (protocol: `POST /interview`).
//!
//! [`Values`] maps an input name (a `variable_name_encoded`) to the exact text that will be
//! posted: `True`/`False` for booleans, `None` for a threestate's maybe, the choice value's
//! Python `str()` for choices, numbers and dates as typed.

use std::collections::BTreeMap;

use crate::json::{Json, write_str};
use crate::screen::{Field, Kind, Screen, encode_name, py_str};

/// Input name → posted text.
pub type Values = BTreeMap<String, String>;

/// The `_multiple_choice` input (buttons without a variable).
pub const MULTIPLE_CHOICE: &str = "X211bHRpcGxlX2Nob2ljZQ";

/// The values key of a checkbox group's `none of the above` box (never posted).
pub fn none_key(field: &Field) -> String {
    format!(
        "__none__{}",
        field.variable_name_encoded.as_deref().unwrap_or("")
    )
}

/// The key of a checkbox choice: its own encoded variable, or one derived from the field.
pub fn choice_key(field: &Field, index: usize) -> String {
    match field.choices.get(index) {
        Some(c) => match &c.variable_name_encoded {
            Some(enc) => enc.clone(),
            None => {
                let var = field.variable_name.as_deref().unwrap_or("");
                let value = c.value.as_ref().map(py_str).unwrap_or_default();
                encode_name(&format!("{var}[{}]", py_repr(&value)))
            }
        },
        None => String::new(),
    }
}

fn py_repr(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Whether a checkbox choice is checked by the field's default (a dict `{key: true}`, a list of
/// keys, or the choice's own `selected`).
fn default_checked(field: &Field, index: usize) -> bool {
    let Some(choice) = field.choices.get(index) else {
        return false;
    };
    if choice.selected == Some(true) {
        return true;
    }
    let key = checkbox_value(field, index);
    match &field.default {
        Some(Json::Object(m)) => m.get(&key).is_some_and(truthy_json),
        Some(Json::Array(a)) => a.iter().any(|v| py_str(v) == key),
        Some(Json::Str(s)) => *s == key,
        _ => false,
    }
}

/// Where docassemble's slider starts without a default: `int((min + max) / 2)`.
fn range_midpoint(min: Option<&Json>, max: Option<&Json>) -> Option<String> {
    let mid = (min?.as_f64()? + max?.as_f64()?) / 2.0;
    Some(format!("{}", mid.trunc() as i64))
}

fn truthy_json(v: &Json) -> bool {
    match v {
        Json::Bool(b) => *b,
        Json::Null => false,
        Json::Int(i) => *i != 0,
        Json::Float(f) => *f != 0.0,
        Json::Str(s) => !s.is_empty() && s != "False",
        _ => true,
    }
}

/// The dictionary key a checkbox choice stands for: `apple` in `fruit['apple']`.
pub fn checkbox_value(field: &Field, index: usize) -> String {
    let Some(choice) = field.choices.get(index) else {
        return String::new();
    };
    if let (Some(var), Some(sub)) = (&field.variable_name, &choice.variable_name) {
        if let Some(rest) = sub.strip_prefix(var.as_str()) {
            let inner = rest.trim_start_matches('[').trim_end_matches(']');
            let unq = inner
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')));
            return unq
                .unwrap_or(inner)
                .replace("\\'", "'")
                .replace("\\\\", "\\");
        }
    }
    match &choice.value {
        Some(Json::Bool(true)) | None => strip_tags(&choice.label),
        Some(v) => py_str(v),
    }
}

/// Text of an inline-HTML label (tags removed, common entities decoded).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", "\u{a0}")
}

/// The values a screen starts with.
pub fn initial_values(screen: &Screen) -> Values {
    let mut v = Values::new();
    if !matches!(screen.question_type.as_str(), "fields" | "multiple_choice") {
        return v;
    }
    for field in &screen.fields {
        let Some(enc) = field.variable_name_encoded.clone() else {
            continue;
        };
        let default = field.default.as_ref();
        match field.kind() {
            Kind::Note | Kind::File { .. } => {}
            Kind::YesNoCheckbox { .. } => {
                let sign = field.sign.unwrap_or(1);
                let checked = match default {
                    Some(d) => truthy_json(d) == (sign > 0),
                    None => false,
                };
                v.insert(enc, checkbox_post(checked, sign).to_string());
            }
            Kind::YesNoRadio { .. } => {
                let text = match default {
                    Some(Json::Bool(b)) => if *b { "True" } else { "False" }.into(),
                    Some(Json::Str(s)) if matches!(s.as_str(), "True" | "False" | "None") => {
                        s.clone()
                    }
                    _ => String::new(),
                };
                v.insert(enc, text);
            }
            Kind::Checkboxes | Kind::Multiselect => {
                for i in 0..field.choices.len() {
                    let on = default_checked(field, i);
                    v.insert(choice_key(field, i), py_bool(on).into());
                }
                v.insert(none_key(field), "False".into());
            }
            Kind::Radio | Kind::Dropdown | Kind::Combobox => {
                let selected = field
                    .choices
                    .iter()
                    .find(|c| c.selected == Some(true))
                    .and_then(|c| c.value.as_ref())
                    .map(py_str);
                let text = selected
                    .or_else(|| default.filter(|d| !d.is_null()).map(py_str))
                    .unwrap_or_default();
                v.insert(enc, text);
            }
            Kind::Range => {
                // docassemble's slider starts at the default, else halfway (`int((min + max) / 2)`).
                let text = default
                    .filter(|d| !d.is_null())
                    .map(py_str)
                    .or_else(|| range_midpoint(field.min.as_ref(), field.max.as_ref()))
                    .or_else(|| field.min.as_ref().map(py_str))
                    .unwrap_or_else(|| "0".into());
                v.insert(enc, text);
            }
            Kind::Input(ty) => {
                let text = default
                    .filter(|d| !d.is_null())
                    .map(py_str)
                    .unwrap_or_default();
                v.insert(enc, normalise_default(ty, text));
            }
            Kind::Area | Kind::Hidden => {
                let text = default
                    .filter(|d| !d.is_null())
                    .map(py_str)
                    .unwrap_or_default();
                v.insert(enc, text);
            }
        }
    }
    v
}

/// Dates and times from the server may carry more than the input accepts.
fn normalise_default(ty: &str, text: String) -> String {
    match ty {
        "date" => text.get(..10).map(String::from).unwrap_or(text),
        "time" => text.get(..5).map(String::from).unwrap_or(text),
        "datetime-local" => text
            .replace(' ', "T")
            .get(..16)
            .map(String::from)
            .unwrap_or(text),
        _ => text,
    }
}

/// Python's name for a bool.
pub fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// What a yes/no checkbox posts: checked means True when `sign` is positive.
pub fn checkbox_post(checked: bool, sign: i8) -> &'static str {
    py_bool(checked == (sign > 0))
}

/// What checking (`checked`) or unchecking the yes/no box posted under `key` does to the boxes
/// linked to it, as docassemble's page script: checked, the boxes its `uncheck others` names,
/// and any box whose `uncheck others` names it, are unchecked, and the boxes its `check
/// others` names are checked; unchecked, any box whose `check others` names it is unchecked.
/// The `(key, posted text)` pairs to set.
pub fn linked_boxes(screen: &Screen, key: &str, checked: bool) -> Vec<(String, String)> {
    let mut set: Vec<(String, bool)> = Vec::new();
    let keys = |names: &[String]| names.iter().map(|n| encode_name(n)).collect::<Vec<_>>();
    for g in &screen.fields {
        let Some(gk) = g.variable_name_encoded.as_deref() else {
            continue;
        };
        let mine = gk == key;
        let unchecks = keys(&g.uncheck_others);
        let checks = keys(&g.check_others);
        if checked && mine {
            set.extend(unchecks.into_iter().map(|k| (k, false)));
            set.extend(checks.into_iter().map(|k| (k, true)));
        } else if (checked && unchecks.iter().any(|k| k == key))
            || (!checked && checks.iter().any(|k| k == key))
        {
            set.push((gk.to_string(), false));
        }
    }
    set.into_iter()
        .map(|(k, on)| {
            let sign = screen
                .fields
                .iter()
                .find(|f| f.variable_name_encoded.as_deref() == Some(k.as_str()))
                .and_then(|f| f.sign)
                .unwrap_or(1);
            (k, checkbox_post(on, sign).to_string())
        })
        .collect()
}

/// `disable others`: which fields are disabled now. A shown field with a value disables the
/// fields its `disable others` names, as docassemble's page script does; a disabled field is
/// neither checked nor posted.
pub fn disabled_by_others(screen: &Screen, values: &Values, visible: &[bool]) -> Vec<bool> {
    // A `disabled` field is always off.
    let mut off: Vec<bool> = screen.fields.iter().map(|f| f.disabled).collect();
    for (i, g) in screen.fields.iter().enumerate() {
        if g.disable_others.is_empty() || !visible.get(i).copied().unwrap_or(true) {
            continue;
        }
        let Some(key) = g.variable_name_encoded.as_deref() else {
            continue;
        };
        if values.get(key).is_none_or(|v| v.trim().is_empty()) {
            continue;
        }
        let keys: Vec<String> = g.disable_others.iter().map(|n| encode_name(n)).collect();
        for (j, f) in screen.fields.iter().enumerate() {
            if j != i
                && f.variable_name_encoded
                    .as_ref()
                    .is_some_and(|k| keys.contains(k))
            {
                off[j] = true;
            }
        }
    }
    off
}

/// Whether a field's `disable others` names field `index` (it may be disabled).
pub fn may_be_disabled(screen: &Screen, index: usize) -> bool {
    let Some(field) = screen.fields.get(index) else {
        return false;
    };
    if field.disabled {
        return true;
    }
    let Some(key) = field.variable_name_encoded.as_deref() else {
        return false;
    };
    screen
        .fields
        .iter()
        .any(|g| g.disable_others.iter().any(|n| encode_name(n) == key))
}

/// The entries of an answer: the protocol's special inputs, then every visible field.
/// `extra` carries what a pressed button adds (`encode(var)=True`, `_multiple_choice=<i>`).
pub fn answer_entries(
    screen: &Screen,
    values: &Values,
    visible: &[bool],
    extra: &[(String, String)],
) -> Vec<(String, String)> {
    let mut out = base_entries(screen);
    let posts_fields = matches!(screen.question_type.as_str(), "fields" | "multiple_choice");
    if posts_fields {
        for (i, field) in screen.fields.iter().enumerate() {
            if !visible.get(i).copied().unwrap_or(true) {
                continue;
            }
            let Some(enc) = &field.variable_name_encoded else {
                continue;
            };
            if field.has_no_choices() {
                continue;
            }
            match field.kind() {
                Kind::Note | Kind::File { .. } => {}
                Kind::Checkboxes | Kind::Multiselect => {
                    for c in 0..field.choices.len() {
                        let key = choice_key(field, c);
                        let on = values.get(&key).map(String::as_str) == Some("True");
                        out.push((key, py_bool(on).into()));
                    }
                }
                _ => {
                    if screen.question_type == "multiple_choice"
                        && extra.iter().any(|(k, _)| k == enc)
                    {
                        continue;
                    }
                    out.push((enc.clone(), values.get(enc).cloned().unwrap_or_default()));
                }
            }
        }
    }
    if let Some(var) = &screen.question_variable_name {
        if matches!(
            screen.question_type.as_str(),
            "fields" | "settrue" | "review"
        ) {
            out.push((encode_name(var), "True".into()));
        }
    }
    out.extend(extra.iter().cloned());
    out
}

/// The inputs docassemble expects beside uploaded files (spec §3.8): `_files`, the file
/// inputs, and `_visible`, every visible input (both base64 JSON lists).
pub fn upload_entries(screen: &Screen, visible: &[bool]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut shown = Vec::new();
    for (i, f) in screen.fields.iter().enumerate() {
        let Some(enc) = &f.variable_name_encoded else {
            continue;
        };
        if !visible.get(i).copied().unwrap_or(true) {
            continue;
        }
        if matches!(f.kind(), Kind::File { .. }) {
            files.push(enc.clone());
        }
        shown.push(enc.clone());
    }
    let list = |v: &[String]| {
        let mut text = String::from("[");
        for (i, name) in v.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            write_str(name, &mut text);
        }
        text.push(']');
        encode_name(&text)
    };
    vec![
        ("_files".to_string(), list(&files)),
        ("_visible".to_string(), list(&shown)),
    ]
}

/// `json=1`, `csrf_token`, `_question_name`, `_datatypes`, `_tracker`, `_varnames`.
pub fn base_entries(screen: &Screen) -> Vec<(String, String)> {
    let mut out = vec![("json".to_string(), "1".to_string())];
    if let Some(t) = &screen.csrf_token {
        out.push(("csrf_token".into(), t.clone()));
    }
    out.push(("_question_name".into(), screen.question_name.clone()));
    if let Some(d) = &screen.datatypes {
        out.push(("_datatypes".into(), d.clone()));
    }
    if let Some(t) = &screen.tracker {
        if !t.is_null() {
            out.push(("_tracker".into(), py_str(t)));
        }
    }
    if let Some(v) = &screen.varnames {
        out.push(("_varnames".into(), v.clone()));
    }
    out
}

/// The entries of a signature answer (docassemble's `_save_as`, `_the_image`, `_success`):
/// `image` is the canvas as a PNG data URL, `None` when the pad was left blank.
pub fn signature_entries(screen: &Screen, image: Option<&str>) -> Vec<(String, String)> {
    let mut out = base_entries(screen);
    if let Some(enc) = screen
        .fields
        .first()
        .and_then(|f| f.variable_name_encoded.clone())
    {
        out.push(("_save_as".into(), enc));
    }
    out.push(("_the_image".into(), image.unwrap_or("").to_string()));
    out.push((
        "_success".into(),
        if image.is_some() { "1" } else { "0" }.into(),
    ));
    out
}

/// The entries of the Back request.
pub fn back_entries(screen: &Screen) -> Vec<(String, String)> {
    let mut out = vec![("json".to_string(), "1".to_string())];
    if let Some(t) = &screen.csrf_token {
        out.push(("csrf_token".into(), t.clone()));
    }
    out.push(("_back_one".into(), "1".into()));
    out
}

/// `application/x-www-form-urlencoded` (`+` and `/` in encoded names are percent-encoded).
pub fn urlencode(entries: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_component(k, &mut out);
        out.push('=');
        encode_component(v, &mut out);
    }
    out
}

/// Percent-encodes for a query string or form body (space as `+`).
pub fn encode_component(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
}

/// A query string `k=v&…` with each part percent-encoded.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let owned: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    urlencode(&owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::parse;

    fn screen(json: &str) -> Screen {
        parse(json).unwrap()
    }

    #[test]
    fn a_disabled_field_is_off_and_not_posted() {
        let s = screen(
            r#"{"_question_name":"Q","questionType":"fields","questionText":"Q","fields":[
            {"number":0,"variable_name":"a","variable_name_encoded":"YQ","datatype":"text"},
            {"number":1,"variable_name":"b","variable_name_encoded":"Yg","datatype":"text","disabled":true,"default":"x"}]}"#,
        );
        let v = initial_values(&s);
        assert_eq!(disabled_by_others(&s, &v, &[true, true]), vec![false, true]);
        assert!(may_be_disabled(&s, 1) && !may_be_disabled(&s, 0));
    }

    #[test]
    fn a_slider_without_a_default_starts_halfway() {
        let s = screen(
            r#"{"_question_name":"Q","questionType":"fields","questionText":"Q","fields":[
            {"number":0,"variable_name":"a","variable_name_encoded":"YQ","datatype":"range","min":1,"max":10},
            {"number":1,"variable_name":"b","variable_name_encoded":"Yg","datatype":"range","min":1,"max":10,"default":8}]}"#,
        );
        let v = initial_values(&s);
        assert_eq!(v.get("YQ").map(String::as_str), Some("5"));
        assert_eq!(v.get("Yg").map(String::as_str), Some("8"));
    }

    #[test]
    fn a_field_with_a_value_disables_the_others_it_names() {
        // docassemble's someone-already-mentioned: choosing someone disables the name fields.
        let enc = |n: &str| encode_name(n);
        let s = screen(
            r#"{"_question_name":"Q","questionType":"fields","questionText":"Q","fields":[
            {"number":0,"variable_name":"conservator","variable_name_encoded":"X2ZpZWxkXzA","datatype":"object","inputtype":"dropdown","choices":[{"label":"Jo","value":"a"}],"disable_others":["conservator.name.first","conservator.name.last"]},
            {"number":1,"variable_name":"conservator.name.first","variable_name_encoded":"Y29uc2VydmF0b3IubmFtZS5maXJzdA","datatype":"text"},
            {"number":2,"variable_name":"conservator.name.last","variable_name_encoded":"Y29uc2VydmF0b3IubmFtZS5sYXN0","datatype":"text"},
            {"number":3,"variable_name":"other","variable_name_encoded":"b3RoZXI","datatype":"text"}]}"#,
        );
        assert_eq!(
            enc("conservator.name.first"),
            "Y29uc2VydmF0b3IubmFtZS5maXJzdA"
        );
        let mut v = initial_values(&s);
        let all = vec![true; 4];
        assert_eq!(disabled_by_others(&s, &v, &all), vec![false; 4]);
        v.insert("X2ZpZWxkXzA".into(), "a".into());
        assert_eq!(
            disabled_by_others(&s, &v, &all),
            vec![false, true, true, false]
        );
        // A hidden field disables nothing.
        assert_eq!(
            disabled_by_others(&s, &v, &[false, true, true, true]),
            vec![false; 4]
        );
        assert!(may_be_disabled(&s, 1) && may_be_disabled(&s, 2));
        assert!(!may_be_disabled(&s, 0) && !may_be_disabled(&s, 3));
    }

    #[test]
    fn check_others_and_uncheck_others_boxes_follow_the_box_changed() {
        let enc = |n: &str| encode_name(n);
        let s = screen(
            r#"{"_question_name":"Q","questionType":"fields","questionText":"Q","fields":[
            {"number":0,"variable_name":"a","variable_name_encoded":"YQ","datatype":"boolean","inputtype":"yesno","sign":1},
            {"number":1,"variable_name":"b","variable_name_encoded":"Yg","datatype":"boolean","inputtype":"noyes","sign":-1},
            {"number":2,"variable_name":"both","variable_name_encoded":"Ym90aA","datatype":"boolean","inputtype":"yesno","sign":1,"check_others":["a","b"]},
            {"number":3,"variable_name":"none","variable_name_encoded":"bm9uZQ","datatype":"boolean","inputtype":"yesno","sign":1,"uncheck_others":["a","b"]}]}"#,
        );
        // Checking "both" checks a and b (b is noyes: checked posts False).
        assert_eq!(
            linked_boxes(&s, &enc("both"), true),
            [
                (enc("a"), "True".to_string()),
                (enc("b"), "False".to_string())
            ]
        );
        // Unchecking a unchecks "both"; checking a unchecks "none".
        assert_eq!(
            linked_boxes(&s, &enc("a"), false),
            [(enc("both"), "False".to_string())]
        );
        assert_eq!(
            linked_boxes(&s, &enc("a"), true),
            [(enc("none"), "False".to_string())]
        );
        // Checking "none" unchecks a and b.
        assert_eq!(
            linked_boxes(&s, &enc("none"), true),
            [
                (enc("a"), "False".to_string()),
                (enc("b"), "True".to_string())
            ]
        );
    }

    const FRUIT: &str = r#"{"_question_name":"Question_1","questionType":"fields","questionText":"Fruit",
      "csrf_token":"tok","_datatypes":"e30","_tracker":3,"language":"*",
      "fields":[
        {"number":0,"variable_name":"first_name","variable_name_encoded":"Zmlyc3RfbmFtZQ","datatype":"text","label":"First name","default":"Ann"},
        {"number":1,"variable_name":"likes","variable_name_encoded":"bGlrZXM","datatype":"boolean","inputtype":"yesno","sign":1,"required":false},
        {"number":2,"variable_name":"hates","variable_name_encoded":"aGF0ZXM","datatype":"boolean","inputtype":"noyes","sign":-1,"required":false},
        {"number":3,"variable_name":"fruit","variable_name_encoded":"ZnJ1aXQ","datatype":"checkboxes","fieldtype":"multiple_choice",
         "choices":[{"label":"Apple","value":true,"variable_name":"fruit['apple']","variable_name_encoded":"ZnJ1aXRbJ2FwcGxlJ10"},
                    {"label":"Pear","value":true,"variable_name":"fruit['pear']","variable_name_encoded":"ZnJ1aXRbJ3BlYXInXQ","selected":true}]},
        {"number":4,"variable_name":"color","variable_name_encoded":"Y29sb3I","datatype":"text","fieldtype":"multiple_choice",
         "choices":[{"label":"Red","value":"red"},{"label":"Blue","value":"blue"}],"default":"blue"},
        {"number":5,"note":"<p>Hi</p>"},
        {"number":6,"variable_name":"when","variable_name_encoded":"d2hlbg","datatype":"date","default":"2024-02-03T00:00:00"}
      ]}"#;

    #[test]
    fn initial_values_follow_defaults_and_signs() {
        let s = screen(FRUIT);
        let v = initial_values(&s);
        assert_eq!(v["Zmlyc3RfbmFtZQ"], "Ann");
        assert_eq!(v["bGlrZXM"], "False");
        assert_eq!(v["aGF0ZXM"], "True"); // unchecked noyes stores True
        assert_eq!(v["ZnJ1aXRbJ2FwcGxlJ10"], "False");
        assert_eq!(v["ZnJ1aXRbJ3BlYXInXQ"], "True");
        assert_eq!(v["Y29sb3I"], "blue");
        assert_eq!(v["d2hlbg"], "2024-02-03");
        assert_eq!(checkbox_value(&s.fields[3], 0), "apple");
    }

    #[test]
    fn answers_post_visible_fields_with_the_special_inputs() {
        let s = screen(FRUIT);
        let v = initial_values(&s);
        let visible = vec![true, false, true, true, true, true, true];
        let e = answer_entries(&s, &v, &visible, &[]);
        let keys: Vec<&str> = e.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "json",
                "csrf_token",
                "_question_name",
                "_datatypes",
                "_tracker",
                "Zmlyc3RfbmFtZQ",
                "aGF0ZXM",
                "ZnJ1aXRbJ2FwcGxlJ10",
                "ZnJ1aXRbJ3BlYXInXQ",
                "Y29sb3I",
                "d2hlbg"
            ]
        );
        assert_eq!(e[4].1, "3");
    }

    #[test]
    fn urlencoding_escapes_plus_and_slash() {
        let body = urlencode(&[
            ("ZnJ1aXRzWyc+J10".into(), "a b&c".into()),
            ("x/y".into(), "é".into()),
        ]);
        assert_eq!(body, "ZnJ1aXRzWyc%2BJ10=a+b%26c&x%2Fy=%C3%A9");
    }

    #[test]
    fn settrue_and_buttons() {
        let s = screen(
            r#"{"_question_name":"Q","questionType":"settrue","questionText":"Go","question_variable_name":"seen_intro",
            "fields":[{"number":0,"variable_name":"seen_intro","variable_name_encoded":"c2Vlbl9pbnRybw","datatype":"boolean"}]}"#,
        );
        let e = answer_entries(&s, &Values::new(), &[true], &[]);
        assert_eq!(
            e.last().unwrap(),
            &("c2Vlbl9pbnRybw".to_string(), "True".to_string())
        );
        let mc = screen(
            r#"{"_question_name":"Q","questionType":"multiple_choice","questionVariety":"buttons","questionText":"Pick",
            "fields":[{"number":0,"fieldtype":"multiple_choice","choices":[{"label":"A","value":0,"variable_name":"_multiple_choice","variable_name_encoded":"X211bHRpcGxlX2Nob2ljZQ"}]}]}"#,
        );
        let e = answer_entries(
            &mc,
            &Values::new(),
            &[true],
            &[(MULTIPLE_CHOICE.into(), "0".into())],
        );
        assert_eq!(e.last().unwrap().1, "0");
        assert_eq!(e.iter().filter(|(k, _)| k == MULTIPLE_CHOICE).count(), 1);
    }

    #[test]
    fn signatures_post_the_image_under_save_as() {
        let s = screen(
            r#"{"_question_name":"Q","questionType":"signature","questionText":"Sign","csrf_token":"t",
            "fields":[{"number":0,"variable_name":"sig","variable_name_encoded":"c2ln","datatype":"signature"}]}"#,
        );
        let e = signature_entries(&s, Some("data:image/png;base64,iVBO"));
        let get = |k: &str| e.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("_save_as"), Some("c2ln"));
        assert_eq!(get("_the_image"), Some("data:image/png;base64,iVBO"));
        assert_eq!(get("_success"), Some("1"));
        assert_eq!(get("_question_name"), Some("Q"));
        let blank = signature_entries(&s, None);
        assert!(blank.contains(&("_success".to_string(), "0".to_string())));
        assert!(blank.contains(&("_the_image".to_string(), String::new())));
    }

    #[test]
    fn strip_tags_decodes() {
        assert_eq!(strip_tags("<em>Tom</em> &amp; Jerry"), "Tom & Jerry");
    }
}
