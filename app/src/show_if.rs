//! `show if` / `hide if` in the browser: on another field's value (`show_if_var`/`show_if_val`)
//! or on a Python expression (`show_if_code`, pyeval IR evaluated against the values on the
//! screen). When the browser cannot decide (the code reads a variable that is not on the
//! screen, or the evaluator is not loaded yet), the server's `active` stands. The server checks
//! again on submission.
//!
//! The evaluator (feature `eval`) is not part of the app's first download: the browser build
//! loads it on demand as its own WASM module (see [`crate::evaluator`]), which runs this same
//! code.

#[cfg(feature = "eval")]
use pyeval::{Dict, Key, Limits, NoHost, ObjKind, Path, Seg, State, Value};

use crate::form::{Values, checkbox_value, choice_key, none_key};
use crate::json::Json;
use crate::screen::{Field, Kind, Screen, ShowIfCode, py_str};

/// Which fields are shown, given the current values, with `code` deciding `show if: code`
/// (the expression's truth, before `hide if` negates it; `None`: cannot decide).
pub fn visibility_with(
    screen: &Screen,
    values: &Values,
    code: &mut dyn FnMut(&ShowIfCode) -> Option<bool>,
) -> Vec<bool> {
    let mut shown: Vec<bool> = Vec::with_capacity(screen.fields.len());
    for field in &screen.fields {
        let server = field.active.unwrap_or(true);
        let v = if let Some(var) = &field.show_if_var {
            // On another field, or on one checkbox of a checkboxes field (`show if:
            // fruit['apple']`); hidden with what it depends on.
            let target = screen
                .fields
                .iter()
                .position(|f| f.variable_name.as_deref() == Some(var.as_str()));
            let matched = match target {
                Some(t) => Some((
                    t,
                    matches(&screen.fields[t], values, field.show_if_val.as_ref()),
                )),
                None => checkbox_of(screen, var).map(|(t, i)| {
                    let on = values
                        .get(&choice_key(&screen.fields[t], i))
                        .map(String::as_str)
                        == Some("True");
                    let want = match field.show_if_val.as_ref() {
                        None | Some(Json::Bool(true)) => true,
                        Some(Json::Bool(false)) => false,
                        Some(w) => py_str(w) == "True",
                    };
                    (t, on == want)
                }),
            };
            match matched {
                Some((t, m)) => {
                    let matched = shown.get(t).copied().unwrap_or(true) && m;
                    if field.show_if_sign.unwrap_or(1) == 0 {
                        !matched
                    } else {
                        matched
                    }
                }
                None => server,
            }
        } else if let Some(c) = &field.show_if_code {
            match code(c) {
                Some(b) => {
                    if c.sign == 0 {
                        !b
                    } else {
                        b
                    }
                }
                None => server,
            }
        } else {
            server
        };
        shown.push(v);
    }
    shown
}

/// The checkboxes field and the choice whose variable is `var` (`fruit['apple']`).
fn checkbox_of(screen: &Screen, var: &str) -> Option<(usize, usize)> {
    screen.fields.iter().enumerate().find_map(|(t, f)| {
        if !matches!(f.kind(), Kind::Checkboxes) {
            return None;
        }
        f.choices
            .iter()
            .position(|c| c.variable_name.as_deref() == Some(var))
            .map(|i| (t, i))
    })
}

/// Whether any field's visibility depends on `show if: code`.
pub fn has_code(screen: &Screen) -> bool {
    screen.fields.iter().any(|f| f.show_if_code.is_some())
}

/// Which fields are shown, given the current values, evaluating `show if: code` with pyeval.
#[cfg(feature = "eval")]
pub fn visibility(screen: &Screen, values: &Values) -> Vec<bool> {
    let mut state: Option<State> = None;
    let mut js_state: Option<State> = None;
    visibility_with(screen, values, &mut |c| {
        // a `js show if`: docassemble's val() of "I don't know" is the text "None"
        let st = if c.js {
            js_state.get_or_insert_with(|| with_js_values(state_of(screen, values), screen, values))
        } else {
            state.get_or_insert_with(|| state_of(screen, values))
        };
        eval_code(&c.expression, st)
    })
}

/// Whether `target`'s current value matches `want` (`None`: is truthy).
fn matches(target: &Field, values: &Values, want: Option<&Json>) -> bool {
    let enc = target.variable_name_encoded.as_deref().unwrap_or("");
    match target.kind() {
        Kind::Checkboxes | Kind::Multiselect => {
            let checked: Vec<String> = (0..target.choices.len())
                .filter(|i| values.get(&choice_key(target, *i)).map(String::as_str) == Some("True"))
                .map(|i| checkbox_value(target, i))
                .collect();
            match want {
                None | Some(Json::Bool(true)) => !checked.is_empty(),
                Some(Json::Bool(false)) => {
                    checked.is_empty()
                        || values.get(&none_key(target)).map(String::as_str) == Some("True")
                }
                Some(w) => checked.contains(&py_str(w)),
            }
        }
        _ => {
            let text = values.get(enc).map(String::as_str).unwrap_or("");
            match want {
                None => !text.is_empty() && text != "False" && text != "None",
                Some(Json::Bool(b)) => text == if *b { "True" } else { "False" },
                Some(Json::Null) => text == "None" || text.is_empty(),
                Some(n @ (Json::Int(_) | Json::Float(_))) => {
                    match (crate::num::parse_f64(text.trim()), n.as_f64()) {
                        (Some(a), Some(b)) => a == b,
                        _ => false,
                    }
                }
                Some(w) => text == py_str(w),
            }
        }
    }
}

#[cfg(feature = "eval")]
/// Evaluates lowered code; `None` when it cannot be decided in the browser.
fn eval_code(expr: &Json, state: &mut State) -> Option<bool> {
    let expr: pyeval::Expr = serde_json::from_str(&expr.to_text()).ok()?;
    let limits = Limits {
        fuel: 100_000,
        ..Limits::default()
    };
    let mut interp = pyeval::Interp::new(state, &NoHost, &limits);
    let v = interp.eval(&expr).ok()?;
    interp.truthy(&v).ok()
}

#[cfg(feature = "eval")]
/// The Python value a field's current input stands for.
pub fn python_value(field: &Field, values: &Values, heap: &mut pyeval::Heap) -> Option<Value> {
    let enc = field.variable_name_encoded.as_deref()?;
    let text = values.get(enc).map(String::as_str).unwrap_or("");
    Some(match field.kind() {
        Kind::Note | Kind::File { .. } => return None,
        Kind::Checkboxes | Kind::Multiselect => {
            let mut d = Dict::new();
            for i in 0..field.choices.len() {
                let k = checkbox_value(field, i);
                let on = values.get(&choice_key(field, i)).map(String::as_str) == Some("True");
                d.insert(Key::Str(k.as_str().into()), Value::str(&k), Value::Bool(on));
            }
            heap.new_dict(d)
        }
        _ => match (field.datatype(), text) {
            (_, "True") if matches!(field.datatype(), "boolean" | "threestate") => {
                Value::Bool(true)
            }
            (_, "False") if matches!(field.datatype(), "boolean" | "threestate") => {
                Value::Bool(false)
            }
            ("threestate", _) => Value::None,
            ("integer", t) => match t.trim().parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => Value::None,
            },
            ("number" | "float" | "currency" | "range", t) => match crate::num::parse_f64(t.trim())
            {
                Some(f) => Value::Float(f),
                None => Value::None,
            },
            (_, t) => Value::str(t),
        },
    })
}

#[cfg(feature = "eval")]
/// A pyeval state holding the screen's values at their variable paths.
pub fn state_of(screen: &Screen, values: &Values) -> State {
    let mut st = State::new();
    // Off-screen values the server sent with `show if: code` first; the screen's inputs win.
    for field in &screen.fields {
        if let Some(code) = &field.show_if_code {
            for (name, v) in &code.values {
                if let (Ok(path), Some(v)) = (Path::parse(name), json_value(v)) {
                    set_path(&mut st, &path, v);
                }
            }
        }
    }
    for field in &screen.fields {
        let Some(var) = &field.variable_name else {
            continue;
        };
        let Ok(path) = Path::parse(var) else {
            continue;
        };
        if let Some(v) = python_value(field, values, &mut st.heap) {
            set_path(&mut st, &path, v);
        }
    }
    st
}

#[cfg(feature = "eval")]
/// `state` with the yes/no/maybe fields answered "I don't know" holding the text `"None"`, as
/// docassemble's JavaScript `val()` reads them.
fn with_js_values(mut state: State, screen: &Screen, values: &Values) -> State {
    for field in &screen.fields {
        let (Some(var), Some(enc)) = (&field.variable_name, &field.variable_name_encoded) else {
            continue;
        };
        if field.datatype() == "threestate" && values.get(enc).map(String::as_str) == Some("None") {
            if let Ok(path) = Path::parse(var) {
                set_path(&mut state, &path, Value::str("None"));
            }
        }
    }
    state
}

#[cfg(feature = "eval")]
/// A JSON scalar as a Python value.
fn json_value(v: &Json) -> Option<Value> {
    Some(match v {
        Json::Null => Value::None,
        Json::Bool(b) => Value::Bool(*b),
        Json::Int(i) => Value::Int(*i),
        Json::Float(f) => Value::Float(*f),
        Json::Str(s) => Value::str(s),
        _ => return None,
    })
}

#[cfg(feature = "eval")]
/// Stores `v` at `path`, creating objects on the way: a `DAObject` where the next step is an
/// attribute, a dict where it is an index or key.
fn set_path(st: &mut State, path: &Path, v: Value) {
    let Some((last, _)) = path.segs.split_last() else {
        st.set(&path.root, v);
        return;
    };
    let mut here = Path::name(&path.root);
    let mut cur = match st.get(&path.root) {
        Some(Value::Ref(id)) => *id,
        _ => {
            let id = new_container(st, &path.segs[0], &here);
            st.set(&path.root, Value::Ref(id));
            id
        }
    };
    for (i, seg) in path.segs.iter().enumerate().take(path.segs.len() - 1) {
        here = here.child(seg.clone());
        cur = match child(st, cur, seg) {
            Some(Value::Ref(id)) => id,
            _ => {
                let id = new_container(st, &path.segs[i + 1], &here);
                put(st, cur, seg, Value::Ref(id));
                id
            }
        };
    }
    put(st, cur, last, v);
}

#[cfg(feature = "eval")]
fn new_container(st: &mut State, next: &Seg, here: &Path) -> pyeval::ObjId {
    match next {
        Seg::Attr(_) => st.heap.new_instance("DAObject", Some(here.clone())),
        _ => match st.heap.new_dict(Dict::new()) {
            Value::Ref(id) => id,
            _ => st.heap.new_instance("DAObject", Some(here.clone())),
        },
    }
}

#[cfg(feature = "eval")]
fn seg_key(seg: &Seg) -> Option<(Key, Value)> {
    match seg {
        Seg::Attr(_) => None,
        Seg::Index(i) => Some((Key::Int(*i), Value::Int(*i))),
        Seg::Key(k) => Some((Key::Str(k.clone()), Value::Str(k.clone()))),
    }
}

#[cfg(feature = "eval")]
fn child(st: &State, id: pyeval::ObjId, seg: &Seg) -> Option<Value> {
    match (seg, &st.heap.get(id)?.kind) {
        (Seg::Attr(a), ObjKind::Instance(_)) => st.heap.attr(id, a).cloned(),
        (_, ObjKind::Dict(d)) => d.get(&seg_key(seg)?.0).cloned(),
        _ => None,
    }
}

#[cfg(feature = "eval")]
fn put(st: &mut State, id: pyeval::ObjId, seg: &Seg, v: Value) {
    match seg {
        Seg::Attr(a) => st.heap.set_attr(id, a, v),
        _ => {
            let Some((key, kv)) = seg_key(seg) else {
                return;
            };
            if let Some(obj) = st.heap.get_mut(id) {
                if let ObjKind::Dict(d) = &mut obj.kind {
                    d.insert(key, kv, v);
                }
            }
        }
    }
}

#[cfg(test)]
#[cfg(feature = "eval")]
mod tests {
    use super::*;
    use crate::form::initial_values;
    use crate::screen::parse;

    fn screen_with(extra_field: &str) -> Screen {
        parse(&format!(
            r#"{{"_question_name":"Q","questionType":"fields","questionText":"Q","fields":[
            {{"number":0,"variable_name":"likes_fruit","variable_name_encoded":"bGlrZXNfZnJ1aXQ","datatype":"boolean","inputtype":"yesnoradio"}},
            {{"number":1,"variable_name":"fruit","variable_name_encoded":"ZnJ1aXQ","datatype":"text","fieldtype":"multiple_choice","inputtype":"radio",
              "choices":[{{"label":"Apple","value":"apple"}},{{"label":"Pear","value":"pear"}}]}},
            {extra_field}]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn show_if_on_a_yesno_field_reacts() {
        let s = screen_with(
            r#"{"number":2,"variable_name":"why","variable_name_encoded":"d2h5","label":"Why?","show_if_var":"likes_fruit","show_if_val":true,"show_if_sign":1}"#,
        );
        let mut v = initial_values(&s);
        assert_eq!(visibility(&s, &v), [true, true, false]);
        v.insert("bGlrZXNfZnJ1aXQ".into(), "True".into());
        assert_eq!(visibility(&s, &v), [true, true, true]);
    }

    #[test]
    fn show_if_on_one_checkbox_of_a_checkboxes_field() {
        // docassemble's showif-nested-checkbox.yml: `show if: varieties_liked['Fuji']`
        let s = screen_with(
            r#"{"number":2,"variable_name":"varieties","variable_name_encoded":"dmFyaWV0aWVz","datatype":"checkboxes","show_if_var":"likes_fruit","show_if_val":true,"show_if_sign":1,
                "choices":[{"label":"Fuji","value":"Fuji","variable_name":"varieties['Fuji']","variable_name_encoded":"dmFyaWV0aWVzWydGdWppJ10"},
                           {"label":"Gala","value":"Gala","variable_name":"varieties['Gala']","variable_name_encoded":"dmFyaWV0aWVzWydHYWxhJ10"}]},
            {"number":3,"variable_name":"why","variable_name_encoded":"d2h5","show_if_var":"varieties['Fuji']","show_if_val":true,"show_if_sign":1}"#,
        );
        let mut v = initial_values(&s);
        assert_eq!(visibility(&s, &v)[2..], [false, false]);
        v.insert("bGlrZXNfZnJ1aXQ".into(), "True".into());
        assert_eq!(visibility(&s, &v)[2..], [true, false]);
        v.insert("dmFyaWV0aWVzWydHYWxhJ10".into(), "True".into());
        assert_eq!(visibility(&s, &v)[2..], [true, false]);
        v.insert("dmFyaWV0aWVzWydGdWppJ10".into(), "True".into());
        assert_eq!(visibility(&s, &v)[2..], [true, true]);
        // the checkboxes hidden: so is what depends on them
        v.insert("bGlrZXNfZnJ1aXQ".into(), "False".into());
        assert_eq!(visibility(&s, &v)[2..], [false, false]);
    }

    #[test]
    fn hide_if_on_a_choice() {
        let s = screen_with(
            r#"{"number":2,"variable_name":"why","variable_name_encoded":"d2h5","show_if_var":"fruit","show_if_val":"pear","show_if_sign":0}"#,
        );
        let mut v = initial_values(&s);
        assert!(visibility(&s, &v)[2]);
        v.insert("ZnJ1aXQ".into(), "pear".into());
        assert!(!visibility(&s, &v)[2]);
    }

    #[test]
    fn show_if_null_means_a_blank_or_none_answer() {
        let s = crate::screen::parse(
            r#"{"questionType":"fields","_question_name":"q","fields":[
            {"number":0,"variable_name":"villain","variable_name_encoded":"dmlsbGFpbg","datatype":"object_radio","choices":[{"label":"A","value":"a"}],"none_of_the_above":"Someone else"},
            {"number":1,"variable_name":"villain.name.first","variable_name_encoded":"X2ZpZWxkXzE","show_if_var":"villain","show_if_val":null,"show_if_sign":1}]}"#,
        )
        .unwrap();
        let with = |v: &str| {
            let mut m = Values::new();
            m.insert("dmlsbGFpbg".into(), v.into());
            visibility_with(&s, &m, &mut |_| None)
        };
        assert_eq!(with("a"), [true, false]);
        assert_eq!(with("None"), [true, true]);
        assert_eq!(with(""), [true, true]);
    }

    #[test]
    fn show_if_code_is_evaluated_against_the_screen() {
        let expr = pyeval::compile_expr("likes_fruit and fruit == 'apple'").unwrap();
        let code = serde_json::json!({"expression": expr, "source": "x", "sign": 1});
        let f = format!(
            r#"{{"number":2,"variable_name":"why","variable_name_encoded":"d2h5","active":false,"show_if_code":{code}}}"#
        );
        let s = screen_with(&f);
        let mut v = initial_values(&s);
        assert!(!visibility(&s, &v)[2]);
        v.insert("bGlrZXNfZnJ1aXQ".into(), "True".into());
        v.insert("ZnJ1aXQ".into(), "apple".into());
        assert!(visibility(&s, &v)[2]);
        // Code reading a variable that is not on the screen keeps the server's answer.
        let expr = pyeval::compile_expr("user_age > 3").unwrap();
        let code = serde_json::json!({"expression": expr, "source": "x", "sign": 1});
        let f = format!(
            r#"{{"number":2,"variable_name":"why","variable_name_encoded":"d2h5","active":true,"show_if_code":{code}}}"#
        );
        let s = screen_with(&f);
        assert!(visibility(&s, &initial_values(&s))[2]);
        // … unless the server sent that variable's value.
        let code = serde_json::json!({"expression": expr, "source": "x", "sign": 1, "values": {"user_age": 2}});
        let f = format!(
            r#"{{"number":2,"variable_name":"why","variable_name_encoded":"d2h5","active":true,"show_if_code":{code}}}"#
        );
        let s = screen_with(&f);
        assert!(!visibility(&s, &initial_values(&s))[2]);
    }

    #[test]
    fn state_holds_paths() {
        let s = parse(
            r#"{"_question_name":"Q","questionType":"fields","questionText":"Q","fields":[
            {"number":0,"variable_name":"user.name.first","variable_name_encoded":"a","datatype":"text"},
            {"number":1,"variable_name":"people[0].age","variable_name_encoded":"b","datatype":"integer"},
            {"number":2,"variable_name":"fruit['apple']","variable_name_encoded":"c","datatype":"boolean"}]}"#,
        )
        .unwrap();
        let mut v = Values::new();
        v.insert("a".into(), "Ann".into());
        v.insert("b".into(), "40".into());
        v.insert("c".into(), "True".into());
        let mut st = state_of(&s, &v);
        let lim = Limits::default();
        let mut i = pyeval::Interp::new(&mut st, &NoHost, &lim);
        let p = |s: &str| Path::parse(s).unwrap();
        assert_eq!(
            i.eval_path(&p("user.name.first")).unwrap(),
            Value::str("Ann")
        );
        assert_eq!(i.eval_path(&p("people[0].age")).unwrap(), Value::Int(40));
        assert_eq!(
            i.eval_path(&p("fruit['apple']")).unwrap(),
            Value::Bool(true)
        );
    }
}
