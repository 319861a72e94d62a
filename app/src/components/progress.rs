//! The progress bar and the sections navigation.

use leptos::prelude::*;

/// The progress bar (0–100).
#[component]
pub fn ProgressBar(value: f64) -> impl IntoView {
    let v = value.clamp(0.0, 100.0);
    view! {
        <div
            class="progress"
            role="progressbar"
            aria-label="Progress"
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=format!("{v:.0}")
        >
            <div class="progress-fill" style=format!("width: {v:.1}%")></div>
        </div>
    }
}

fn section_title(s: &serde_json::Value) -> String {
    match s {
        serde_json::Value::String(t) => t.clone(),
        serde_json::Value::Object(m) => m
            .get("title")
            .and_then(|t| t.as_str().map(String::from))
            .or_else(|| m.values().next().and_then(|v| v.as_str().map(String::from)))
            .unwrap_or_default(),
        other => other.to_string(),
    }
}

fn section_key(s: &serde_json::Value) -> String {
    match s {
        serde_json::Value::Object(m) => m
            .get("key")
            .and_then(|k| k.as_str().map(String::from))
            .or_else(|| m.keys().next().cloned())
            .unwrap_or_default(),
        other => section_title(other),
    }
}

fn subsections(s: &serde_json::Value) -> Vec<serde_json::Value> {
    s.get("subsections")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default()
}

/// Whether `s` or one of its subsections is `current`.
fn contains_current(s: &serde_json::Value, current: &str) -> bool {
    section_key(s) == current
        || section_title(s) == current
        || subsections(s).iter().any(|c| contains_current(c, current))
}

fn section_list(sections: &[serde_json::Value], current: Option<&str>) -> AnyView {
    let items = sections
        .iter()
        .map(|s| {
            let title = section_title(s);
            let is_current = current.is_some_and(|c| c == section_key(s) || c == title);
            let has_current = !is_current && current.is_some_and(|c| contains_current(s, c));
            let subs = subsections(s);
            let nested = (!subs.is_empty()).then(|| section_list(&subs, current));
            view! {
                <li class:current=is_current class:current-parent=has_current
                    aria-current=is_current.then_some("step")>
                    <span inner_html=title></span>
                    {nested}
                </li>
            }
        })
        .collect_view();
    view! { <ol>{items}</ol> }.into_any()
}

/// The interview's sections (with their subsections), the current one marked.
#[component]
pub fn Sections(sections: Vec<serde_json::Value>, current: Option<String>) -> impl IntoView {
    (!sections.is_empty()).then(|| {
        let list = section_list(&sections, current.as_deref());
        view! {
            <nav class="sections" aria-label="Sections">
                {list}
            </nav>
        }
    })
}
