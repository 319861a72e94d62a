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

/// The interview's sections, the current one marked.
#[component]
pub fn Sections(sections: Vec<serde_json::Value>, current: Option<String>) -> impl IntoView {
    (!sections.is_empty()).then(|| {
        let items = sections
            .iter()
            .map(|s| {
                let title = section_title(s);
                let is_current = current
                    .as_deref()
                    .is_some_and(|c| c == section_key(s) || c == title);
                view! {
                    <li class:current=is_current aria-current=is_current.then_some("step")>{title}</li>
                }
            })
            .collect_view();
        view! {
            <nav class="sections" aria-label="Sections">
                <ol>{items}</ol>
            </nav>
        }
    })
}
