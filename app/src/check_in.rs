//! Check-ins (`POST /checkin`): while a screen with `do_action` is shown, the page sends the
//! fields' values to its event when shown, when a field changes and every `checkin_interval`
//! milliseconds, and does what the reply's commands say: fill `[TARGET name]` areas, set
//! fields, show a message or look for the question again. (`javascript` commands are not
//! run: the app runs no script from the server.)

use std::sync::Arc;

use leptos::prelude::*;

use crate::flow::Flow;
use crate::form::{encode_component, urlencode};
use crate::json::{Json, write_str};
use crate::screen::{Screen, py_str};

/// The form's values as the event's arguments: by variable name, with `_initial` and
/// `_changed` (docassemble's `daFormAsJSON`).
pub fn parameters(
    screen: &Screen,
    values: &crate::form::Values,
    changed: Option<&str>,
    initial: bool,
) -> String {
    let mut out = format!("{{\"_initial\":{initial},\"_changed\":");
    match changed {
        Some(c) => write_str(c, &mut out),
        None => out.push_str("null"),
    }
    for f in &screen.fields {
        let (Some(var), Some(enc)) = (&f.variable_name, &f.variable_name_encoded) else {
            continue;
        };
        if let Some(v) = values.get(enc) {
            out.push(',');
            write_str(var, &mut out);
            out.push(':');
            write_str(v, &mut out);
        }
    }
    out.push('}');
    out
}

/// The screen's form, as the question component holds it.
type Form = (StoredValue<Arc<Screen>>, RwSignal<crate::form::Values>);

/// Starts checking in for a screen just shown: now, then every `checkin_interval` ms while
/// the screen is shown.
#[inline(never)]
pub fn start(flow: Flow, st: StoredValue<Arc<Screen>>, values: RwSignal<crate::form::Values>) {
    let form = (st, values);
    send(flow, form, None, true);
    let every = st
        .with_value(|s| s.check_in.as_ref().map(|c| c.1))
        .unwrap_or(0);
    if every > 0 {
        tick(flow, form, u64::try_from(every).unwrap_or(6000));
    }
}

fn tick(flow: Flow, form: Form, ms: u64) {
    set_timeout(
        move || {
            if form.0.try_get_value().is_some() {
                send(flow, form, None, false);
                tick(flow, form, ms);
            }
        },
        std::time::Duration::from_millis(ms),
    );
}

/// A field changed (its input's `name` is `name`): checks in.
#[inline(never)]
pub fn changed(
    flow: Flow,
    st: StoredValue<Arc<Screen>>,
    values: RwSignal<crate::form::Values>,
    name: Option<String>,
) {
    let var = st.with_value(|s| {
        s.fields
            .iter()
            .find(|f| f.variable_name_encoded.is_some() && f.variable_name_encoded == name)
            .and_then(|f| f.variable_name.clone())
    });
    send(flow, (st, values), var, false);
}

/// Sends one check-in and applies its reply.
fn send(flow: Flow, form: Form, changed: Option<String>, initial: bool) {
    let (st, values) = form;
    let Some(screen) = st.try_get_value() else {
        return;
    };
    let Some((event, _)) = &screen.check_in else {
        return;
    };
    let Some(parameters) =
        values.try_with_untracked(|v| parameters(&screen, v, changed.as_deref(), initial))
    else {
        return;
    };
    let mut url = String::from("/checkin?i=");
    encode_component(&flow.i.get_value(), &mut url);
    let mut entries = vec![
        ("action".to_string(), "checkin".to_string()),
        ("do_action".to_string(), event.clone()),
        ("parameters".to_string(), parameters),
    ];
    if let Some(t) = &screen.csrf_token {
        entries.push(("csrf_token".into(), t.clone()));
    }
    if let Some(s) = flow.session.get_untracked() {
        entries.push(("session".into(), s));
    }
    crate::api::post_form(
        &url,
        urlencode(&entries),
        Box::new(move |reply| {
            if let Ok((200, _, body)) = reply {
                apply(flow, form, &body);
            }
        }),
    );
}

/// Does what a check-in's reply says.
fn apply(flow: Flow, form: Form, body: &str) {
    let Ok(doc) = Json::parse(body) else { return };
    for c in doc.get("commands").and_then(Json::as_array).unwrap_or(&[]) {
        let value = c.get("value").cloned().unwrap_or_default();
        match c.get("extra").and_then(Json::as_str).unwrap_or("") {
            "refresh" => flow.refresh(),
            "flash" => flow.notice.set(Some(value.to_text())),
            "fields" => {
                let Json::Object(m) = value else { continue };
                let new_choices: Vec<(String, Json)> = m
                    .iter()
                    .filter_map(|(var, v)| Some((var.clone(), v.get("choices")?.clone())))
                    .collect();
                if !new_choices.is_empty() {
                    redraw_with_choices(flow, form, &new_choices);
                }
                for (var, v) in m {
                    let v = match v.get("value") {
                        Some(inner) => inner.clone(),
                        None if v.get("choices").is_some() => continue,
                        None => v,
                    };
                    let enc = form.0.try_get_value().and_then(|s| {
                        s.fields
                            .iter()
                            .find(|f| f.variable_name.as_deref() == Some(var.as_str()))
                            .and_then(|f| f.variable_name_encoded.clone())
                    });
                    if let Some(enc) = enc {
                        form.1.try_update(|vals| vals.insert(enc, text_of(&v)));
                    }
                }
            }
            "backgroundresponse" => {
                let items = match value {
                    Json::Array(items) => items,
                    one => vec![one],
                };
                for item in items {
                    let o = item.obj();
                    if let (Some(t), Some(content)) = (o.opt_str("target"), o.opt_str("content")) {
                        crate::dom::fill_class(&format!("datarget{}", target_class(&t)), &content);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Shows the screen again with new choices for some fields (`[[value, label], …]`), each
/// field keeping what the user has put into it.
fn redraw_with_choices(flow: Flow, form: Form, new_choices: &[(String, Json)]) {
    use crate::screen::{Choice, Kind};
    let (Some(screen), Some(values)) = (form.0.try_get_value(), form.1.try_get_untracked()) else {
        return;
    };
    let mut screen = (*screen).clone();
    for f in &mut screen.fields {
        let typed = matches!(
            f.kind(),
            Kind::Input(_) | Kind::Area | Kind::Radio | Kind::Dropdown | Kind::Combobox
        );
        if let Some(v) = f.variable_name_encoded.as_ref().and_then(|e| values.get(e)) {
            if typed {
                f.default = Some(Json::Str(v.clone()));
                for c in &mut f.choices {
                    c.selected = None;
                }
            }
        }
        let Some((_, Json::Array(pairs))) = new_choices
            .iter()
            .find(|(var, _)| f.variable_name.as_deref() == Some(var.as_str()))
        else {
            continue;
        };
        f.choices = pairs
            .iter()
            .filter_map(|p| match p.as_array() {
                Some([v, l, ..]) => Some(Choice {
                    label: escape(&text_of(l)),
                    value: Some(Json::Str(text_of(v))),
                    ..Choice::default()
                }),
                _ => None,
            })
            .collect();
    }
    flow.screen.set(Some(Arc::new(screen)));
}

/// `t` as HTML text (a choice's label is HTML; docassemble sets these as text).
fn escape(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// docassemble's class of a target area: the name's letters, digits and `_`.
fn target_class(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// A field value as the form holds it: Python's spelling ([`py_str`]), but `null` for null.
fn text_of(v: &Json) -> String {
    match v {
        Json::Null => v.to_text(),
        other => py_str(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_the_fields_by_variable_name() {
        let s = crate::screen::parse(
            r#"{"questionType":"fields","do_action":"ev","fields":[
              {"variable_name":"a","variable_name_encoded":"YQ","datatype":"text"},
              {"variable_name":"b","variable_name_encoded":"Yg","datatype":"text"}]}"#,
        )
        .unwrap();
        assert_eq!(s.check_in, Some(("ev".to_string(), 6000)));
        let mut v = crate::form::Values::new();
        v.insert("YQ".into(), "x\"y".into());
        assert_eq!(
            parameters(&s, &v, Some("a"), false),
            r#"{"_initial":false,"_changed":"a","a":"x\"y"}"#
        );
        assert_eq!(text_of(&Json::Float(20.0)), "20.0");
        assert_eq!(target_class("a-b_c"), "ab_c");
        assert_eq!(escape("a<b>&c"), "a&lt;b&gt;&amp;c");
    }
}
