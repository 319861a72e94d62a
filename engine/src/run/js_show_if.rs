//! `js show if` / `js hide if`: docassemble's JavaScript conditions on the screen's own fields
//! (`val("fruit") == "apple"`, `val('tv') == true && !val("radio")`). The page's policy runs no
//! interview JavaScript, so the usual forms are read as the Python expression they stand for
//! (`fruit == "apple"`) and handed to the browser like a `show if: code`; the screen's first
//! state comes from the fields' defaults.

use pyeval::{Dict, Key, Limits, Name, NoHost, State, Value};

use super::screen::ScreenField;

/// The Python for a JavaScript condition made of `val("variable")`, literals, comparisons,
/// `&&`, `||`, `!` and parentheses; `None` for anything else.
pub fn to_python(js: &str) -> Option<String> {
    let chars: Vec<char> = js.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let quoted = |i: usize| -> Option<(String, usize)> {
        let q = *chars.get(i)?;
        if q != '"' && q != '\'' {
            return None;
        }
        let mut s = String::new();
        let mut j = i + 1;
        while let Some(&c) = chars.get(j) {
            match c {
                '\\' => {
                    s.push(*chars.get(j + 1)?);
                    j += 2;
                }
                c if c == q => return Some((s, j + 1)),
                c => {
                    s.push(c);
                    j += 1;
                }
            }
        }
        None
    };
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
        if c.is_whitespace() {
            out.push(' ');
            i += 1;
        } else if rest.starts_with("===") || rest.starts_with("!==") {
            out.push_str(if c == '=' { " == " } else { " != " });
            i += 3;
        } else if rest.starts_with("==")
            || rest.starts_with("!=")
            || rest.starts_with("<=")
            || rest.starts_with(">=")
        {
            out.push_str(&format!(" {} ", &rest[..2]));
            i += 2;
        } else if rest.starts_with("&&") || rest.starts_with("||") {
            out.push_str(if c == '&' { " and " } else { " or " });
            i += 2;
        } else if c == '!' {
            out.push_str(" not ");
            i += 1;
        } else if matches!(c, '<' | '>' | '(' | ')') {
            out.push(c);
            i += 1;
        } else if c == '"' || c == '\'' {
            let (s, next) = quoted(i)?;
            out.push_str(&super::ask::py_repr(&s));
            i = next;
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            i += 1;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_digit() || *c == '.')
            {
                i += 1;
            }
            out.extend(&chars[start..i]);
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match word.as_str() {
                "true" => out.push_str("True"),
                "false" => out.push_str("False"),
                "null" | "undefined" => out.push_str("None"),
                "val" => {
                    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                        i += 1;
                    }
                    if chars.get(i) != Some(&'(') {
                        return None;
                    }
                    let mut j = i + 1;
                    while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                        j += 1;
                    }
                    let (var, next) = quoted(j)?;
                    let mut j = next;
                    while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                        j += 1;
                    }
                    if chars.get(j) != Some(&')') || pyeval::Path::parse(var.trim()).is_err() {
                        return None;
                    }
                    out.push_str(&format!("({})", var.trim()));
                    i = j + 1;
                }
                _ => return None,
            }
        } else {
            return None;
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    (!out.is_empty()).then_some(out)
}

/// Whether a field with a translated `js show if` is shown when the screen is first drawn:
/// its condition on the other fields' defaults (text empty, yes/no false, checkboxes
/// unchecked). `None` when the condition reads anything else.
pub fn initially_shown(f: &ScreenField, fields: &[ScreenField]) -> Option<bool> {
    shown_with(f, fields, &|_| None)
}

/// The same with the values typed so far: `posted(name)` is what the input posted under
/// `name` has (a field's input name, or one checkbox's variable), `None` for its default.
pub fn shown_with(
    f: &ScreenField,
    fields: &[ScreenField],
    posted: &dyn Fn(&str) -> Option<String>,
) -> Option<bool> {
    let code = f.show_if_code.as_ref()?;
    let mut state = State::default();
    let limits = Limits {
        fuel: 10_000,
        ..Limits::default()
    };
    let mut cx = pyeval::Interp::new(&mut state, &NoHost, &limits);
    for g in fields {
        let Some(var) = g.variable_name.as_deref() else {
            continue;
        };
        if !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let typed = g
            .input_name()
            .and_then(|n| posted(&n))
            .or_else(|| posted(var));
        let default = g.default.as_ref().filter(|d| !d.is_null());
        let v = match g.datatype.as_deref() {
            Some("checkboxes") => {
                let mut d = Dict::new();
                for c in &g.choices {
                    let key = checkbox_key(var, c);
                    let on = c
                        .variable_name
                        .as_deref()
                        .and_then(posted)
                        .is_some_and(|v| v == "True");
                    d.insert(
                        Key::Str(key.as_str().into()),
                        Value::str(&key),
                        Value::Bool(on),
                    );
                }
                cx.heap_mut().new_dict(d)
            }
            // yes / no / "I don't know" (docassemble's val() gives "None" for the last)
            Some("threestate") => match typed.as_deref() {
                Some("True") => Value::Bool(true),
                Some("False") => Value::Bool(false),
                Some(t) => Value::str(t),
                None => Value::None,
            },
            Some("boolean" | "yesno" | "noyes" | "yesnowide" | "noyeswide") => {
                match (typed.as_deref(), default) {
                    (Some(t), _) => Value::Bool(t == "True"),
                    (None, Some(serde_json::Value::Bool(b))) => Value::Bool(*b),
                    _ => Value::Bool(false),
                }
            }
            _ => match (typed, default) {
                (Some(t), _) => Value::str(&t),
                (None, Some(d)) => super::values::from_json(&mut cx, d).ok()?,
                (None, None) => Value::str(""),
            },
        };
        cx.state_mut().globals.insert(Name::from(var), v);
    }
    let v = cx.eval(&code.expression).ok()?;
    let truth = cx.truthy(&v).ok()?;
    Some(if code.sign == 0 { !truth } else { truth })
}

/// The key of one checkbox in its field's dict: from the choice's variable
/// (`fruit['Apple']` → `Apple`, read as the answer reads it), else its value.
fn checkbox_key(var: &str, c: &super::screen::ScreenChoice) -> String {
    c.variable_name
        .as_deref()
        .filter(|v| v.starts_with(var))
        .and_then(super::answer::checkbox_key)
        .or_else(|| c.value.clone())
        .as_ref()
        .map(super::values::json_str)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docassembles_js_conditions_read_as_python() {
        for (js, py) in [
            (r#"val("fruit") == "apple""#, "(fruit) == 'apple'"),
            (
                "val('cuisine') === \"Chinese food\"",
                "(cuisine) == 'Chinese food'",
            ),
            ("val('watches_tv') == true", "(watches_tv) == True"),
            (
                r#"val("liked_fruits['Apple']") && !val("liked_fruits['Plum']")"#,
                "(liked_fruits['Apple']) and not (liked_fruits['Plum'])",
            ),
            (
                "val('n') >= 3 || val('n') != null",
                "(n) >= 3 or (n) != None",
            ),
            ("val('country')", "(country)"),
        ] {
            assert_eq!(to_python(js).as_deref(), Some(py), "{js}");
        }
    }

    #[test]
    fn other_javascript_is_not_translated() {
        for js in [
            "document.title == 'x'",
            "val(x) == 1",
            "val('a') == 'b'; alert(1)",
            "val('__import__(\"os\")')",
            "",
            "'unterminated",
        ] {
            assert_eq!(to_python(js), None, "{js}");
        }
    }
}
