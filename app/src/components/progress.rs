//! The progress bar and the sections navigation.

use leptos::prelude::*;

use crate::json::Json;

/// The text a progress bar shows inside itself with `show progress bar percentage`: the whole
/// percent, truncated as docassemble's `int(progress)`.
pub fn percentage_text(value: f64) -> String {
    format!("{}%", value.clamp(0.0, 100.0) as i64)
}

/// The progress bar (0–100); with `percentage`, the value is written inside it.
#[component]
pub fn ProgressBar(value: f64, percentage: bool) -> impl IntoView {
    let v = value.clamp(0.0, 100.0);
    // Whole percent, and tenths for the width (integer formatting keeps the float printer
    // out of the download).
    let tenths = (v * 10.0).round() as i64;
    let width = format!("width: {}.{}%", tenths / 10, tenths % 10);
    let text = percentage.then(|| percentage_text(v));
    view! {
        <div
            class="progress"
            class:with-percentage=percentage
            role="progressbar"
            aria-label="Progress"
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=(v.round() as i64).to_string()
        >
            <div class="progress-fill" style=width>{text}</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_percentage_is_the_whole_percent_truncated_and_kept_in_range() {
        assert_eq!(percentage_text(20.0), "20%");
        assert_eq!(percentage_text(33.9), "33%");
        assert_eq!(percentage_text(140.0), "100%");
    }
}

fn section_title(s: &Json) -> String {
    match s {
        Json::Str(t) => t.clone(),
        Json::Object(m) => m
            .get("title")
            .and_then(|t| t.as_str().map(String::from))
            .or_else(|| m.values().next().and_then(|v| v.as_str().map(String::from)))
            .unwrap_or_default(),
        other => other.to_text(),
    }
}

fn section_key(s: &Json) -> String {
    match s {
        Json::Object(m) => m
            .get("key")
            .and_then(|k| k.as_str().map(String::from))
            .or_else(|| m.keys().next().cloned())
            .unwrap_or_default(),
        other => section_title(other),
    }
}

fn subsections(s: &Json) -> Vec<Json> {
    s.get("subsections")
        .and_then(|v| v.as_array())
        .map(<[Json]>::to_vec)
        .unwrap_or_default()
}

/// Whether `s` or one of its subsections is `current`.
fn contains_current(s: &Json, current: &str) -> bool {
    section_key(s) == current
        || section_title(s) == current
        || subsections(s).iter().any(|c| contains_current(c, current))
}

fn section_list(sections: &[Json], current: Option<&str>) -> AnyView {
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
pub fn Sections(sections: Vec<Json>, current: Option<String>) -> impl IntoView {
    (!sections.is_empty()).then(|| {
        let list = section_list(&sections, current.as_deref());
        view! {
            <nav class="sections" aria-label="Sections">
                {list}
            </nav>
        }
    })
}
