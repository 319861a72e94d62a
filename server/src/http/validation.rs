//! docassemble's `validation_messages`: the texts a front end shows when its own checks of a
//! field fail (`InterviewStatus.as_data` in parse.py). The screen gets a top-level
//! `validation_messages` object (the interview's defaults: none here) and every field that
//! stores a variable gets its own, chosen by the field's kind as docassemble chooses them:
//! `required` always, plus `minlength`/`maxlength`, `checkatleast`/`checkatmost`/
//! `checkexactly` (checkboxes) or `minlength`/`maxlength`/`selectexactly` (multiselect),
//! `uncheckothers`, `date`/`min`/`max`/`minmax`, `time`, `datetime`, `email`,
//! `number`/`step`/`min`/`max`, and for uploads `accept` and `max` (the field also gets `max`,
//! the largest upload the server takes, as docassemble gives `maximum content length`).
//! Every field also gets `active` (`true` unless the engine said otherwise).

use serde_json::{Map, Value, json};

/// Datatypes whose answer is a set of choices.
const MULTI: [&str; 4] = [
    "multiselect",
    "object_multiselect",
    "checkboxes",
    "object_checkboxes",
];
/// Upload datatypes.
const FILES: [&str; 7] = [
    "files",
    "file",
    "camera",
    "user",
    "environment",
    "camcorder",
    "microphone",
];

/// Adds the validation messages to a screen's JSON; `max_upload` is the body limit.
pub fn annotate(doc: &mut Map<String, Value>, max_upload: u64) {
    doc.entry("validation_messages")
        .or_insert_with(|| json!({}));
    let question_type = doc
        .get("questionType")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let variety = doc
        .get("questionVariety")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let Some(Value::Array(fields)) = doc.get_mut("fields") else {
        return;
    };
    for field in fields.iter_mut() {
        let Value::Object(f) = field else { continue };
        // docassemble gives every field `active` (false only when a server-side `show if`
        // hid it).
        f.entry("active").or_insert(Value::Bool(true));
        if f.get("variable_name").is_none() || f.contains_key("validation_messages") {
            continue;
        }
        let messages = messages_for(f, &question_type, &variety);
        if FILES.contains(&text(f, "datatype")) {
            f.insert("max".into(), json!(max_upload));
        }
        f.insert("validation_messages".into(), Value::Object(messages));
    }
}

fn text<'a>(f: &'a Map<String, Value>, key: &str) -> &'a str {
    f.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A number as docassemble's `%s` shows the authored value (`3`, not `3.0`).
fn shown(v: &Value) -> String {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A date (`YYYY-MM-DD…`) in babel's English `medium` format (`Jan 2, 2020`).
fn medium_date(v: &Value) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let s = shown(v);
    let parts: Vec<&str> = s.get(..10).unwrap_or(&s).split('-').collect();
    if let [y, m, d] = parts.as_slice() {
        if let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<usize>(), d.parse::<u32>()) {
            if (1..=12).contains(&m) {
                return format!("{} {d}, {y}", MONTHS[m - 1]);
            }
        }
    }
    s
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

fn messages_for(f: &Map<String, Value>, question_type: &str, variety: &str) -> Map<String, Value> {
    let mut m = Map::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.to_string(), Value::String(v));
    };
    let datatype = text(f, "datatype");
    let inputtype = text(f, "inputtype");
    let one = "You need to select one.".to_string();
    let one_or_new = "You need to select one or type in a new value.".to_string();
    if question_type == "multiple_choice" && ["radio", "dropdown", "combobox"].contains(&variety) {
        put(
            "required",
            if variety == "combobox" {
                one_or_new
            } else {
                one
            },
        );
    } else if !MULTI.contains(&datatype) {
        let required = if inputtype == "combobox" {
            one_or_new
        } else if inputtype == "ajax"
            || datatype == "object_radio"
            || ["yesnoradio", "noyesradio", "radio", "dropdown"].contains(&inputtype)
        {
            one
        } else {
            "This field is required.".to_string()
        };
        put("required", required);
    }
    if ["yesno", "noyes", "yesnowide", "noyeswide"].contains(&inputtype)
        && f.get("uncheck_others").is_some_and(|v| v != &json!(false))
    {
        if let Some(label) = f.get("label").and_then(Value::as_str) {
            put(
                "uncheckothers",
                format!(
                    "Check at least one option, or check “{}”",
                    strip_tags(label)
                ),
            );
        }
    }
    let (min_len, max_len) = (f.get("minlength"), f.get("maxlength"));
    if !MULTI.contains(&datatype) {
        if let Some(n) = min_len {
            put(
                "minlength",
                format!("You must type at least {} characters.", shown(n)),
            );
        }
        if let Some(n) = max_len {
            put(
                "maxlength",
                format!("You cannot type more than {} characters.", shown(n)),
            );
        }
    } else {
        let checkbox = datatype.ends_with("checkboxes");
        let mut nota = f
            .get("none_of_the_above")
            .and_then(Value::as_str)
            .map(strip_tags);
        match (min_len, max_len) {
            (Some(a), Some(b)) if a == b && a.as_f64().is_some_and(|n| n > 0.0) => {
                nota = None;
                let key = if checkbox {
                    "checkexactly"
                } else {
                    "selectexactly"
                };
                put(key, format!("Please select exactly {}.", shown(b)));
            }
            _ => {
                if let Some(n) = min_len {
                    let msg = if n.as_f64() == Some(1.0) {
                        "Please select one.".to_string()
                    } else {
                        format!("Please select at least {}.", shown(n))
                    };
                    if checkbox {
                        put("checkatleast", msg);
                        if n.as_f64().is_some_and(|x| x >= 1.0) {
                            nota = None;
                        }
                    } else {
                        put("minlength", msg);
                    }
                }
                if let Some(n) = max_len {
                    let key = if checkbox { "checkatmost" } else { "maxlength" };
                    put(key, format!("Please select no more than {}.", shown(n)));
                }
            }
        }
        if let (true, Some(nota)) = (checkbox, nota) {
            put(
                "checkatleast",
                format!("Check at least one option, or check “{nota}”"),
            );
        }
    }
    let (min, max) = (f.get("min"), f.get("max"));
    match datatype {
        "date" => {
            put("date", "You need to enter a valid date.".into());
            match (min, max) {
                (Some(a), Some(b)) => put(
                    "minmax",
                    format!(
                        "You need to enter a date between {} and {}.",
                        medium_date(a),
                        medium_date(b)
                    ),
                ),
                (Some(a), None) => put(
                    "min",
                    format!("You need to enter a date on or after {}.", medium_date(a)),
                ),
                (None, Some(b)) => put(
                    "max",
                    format!("You need to enter a date on or before {}.", medium_date(b)),
                ),
                (None, None) => {}
            }
        }
        "time" => put("time", "You need to enter a valid time.".into()),
        "datetime" | "datetime-local" => put(
            "datetime",
            "You need to enter a valid date and time.".into(),
        ),
        "email" => put(
            "email",
            "You need to enter a complete e-mail address.".into(),
        ),
        "number" | "currency" | "float" | "integer" => {
            put("number", "You need to enter a number.".into());
            if f.get("step").is_some() {
                put("step", "Please enter a multiple of {0}.".into());
            } else if datatype == "integer" {
                put("step", "Please enter a whole number.".into());
            }
            if let Some(n) = min {
                put(
                    "min",
                    format!("You need to enter a number that is at least {}.", shown(n)),
                );
            }
            if let Some(n) = max {
                put(
                    "max",
                    format!("You need to enter a number that is at most {}.", shown(n)),
                );
            }
        }
        d if FILES.contains(&d) => {
            put("required", "You must provide a file.".into());
            if f.get("accept").is_some() {
                put(
                    "accept",
                    "Please upload a file with a valid file format.".into(),
                );
            }
            put(
                "max",
                "Your file upload is larger than the server can accept. Please reduce the size of your file upload."
                    .into(),
            );
        }
        _ => {}
    }
    m
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn annotated(doc: Value) -> Value {
        let Value::Object(mut m) = doc else {
            unreachable!()
        };
        annotate(&mut m, 100);
        Value::Object(m)
    }

    #[test]
    fn the_spec_example_yesno() {
        let doc = annotated(json!({"questionType": "yesno", "fields": [
            {"number": 0, "variable_name": "likes_turnips", "datatype": "boolean", "sign": 1}
        ]}));
        assert_eq!(doc["validation_messages"], json!({}));
        assert_eq!(
            doc["fields"][0]["validation_messages"],
            json!({"required": "This field is required."})
        );
    }

    #[test]
    fn by_kind_of_field() {
        let doc = annotated(json!({"questionType": "fields", "fields": [
            {"number": 0, "variable_name": "n", "datatype": "integer", "min": 0.0, "max": 10},
            {"number": 1, "variable_name": "d", "datatype": "date", "min": "2020-01-02"},
            {"number": 2, "variable_name": "f", "datatype": "checkboxes",
             "none_of_the_above": "<p>None of these</p>"},
            {"number": 3, "variable_name": "p", "datatype": "file", "accept": "image/*"},
            {"number": 4, "variable_name": "c", "datatype": "text", "inputtype": "combobox"},
            {"number": 5, "note": "<p>hi</p>"},
        ]}));
        let f = &doc["fields"];
        assert_eq!(
            f[0]["validation_messages"],
            json!({
                "required": "This field is required.",
                "number": "You need to enter a number.",
                "step": "Please enter a whole number.",
                "min": "You need to enter a number that is at least 0.",
                "max": "You need to enter a number that is at most 10.",
            })
        );
        assert_eq!(
            f[1]["validation_messages"]["min"],
            "You need to enter a date on or after Jan 2, 2020."
        );
        assert_eq!(
            f[2]["validation_messages"],
            json!({"checkatleast": "Check at least one option, or check “None of these”"})
        );
        assert_eq!(f[3]["max"], json!(100));
        assert_eq!(
            f[3]["validation_messages"]["required"],
            "You must provide a file."
        );
        assert!(f[3]["validation_messages"]["accept"].is_string());
        assert_eq!(
            f[4]["validation_messages"]["required"],
            "You need to select one or type in a new value."
        );
        assert!(f[5].get("validation_messages").is_none());
        assert_eq!(f[5]["active"], json!(true));
    }

    #[test]
    fn multiple_choice_questions() {
        let doc = annotated(
            json!({"questionType": "multiple_choice", "questionVariety": "radio",
            "fields": [{"number": 0, "variable_name": "colour"}]}),
        );
        assert_eq!(
            doc["fields"][0]["validation_messages"],
            json!({"required": "You need to select one."})
        );
    }
}
