//! The question's help panels (`help:`), behind a disclosure.

use leptos::prelude::*;

use crate::screen::HelpText;

/// Help panels behind a "Help" toggle (keyboard and screen-reader friendly `<details>`).
#[component]
pub fn Help(panels: Vec<HelpText>, label: Option<String>) -> impl IntoView {
    (!panels.is_empty()).then(|| {
        let label = label.unwrap_or_else(|| "Help".into());
        let items = panels
            .into_iter()
            .map(|p| {
                view! {
                    <section class="help-panel">
                        {p.heading.map(|h| view! { <h2 inner_html=h></h2> })}
                        <div inner_html=p.content></div>
                    </section>
                }
            })
            .collect_view();
        view! {
            <details class="help">
                <summary inner_html=label></summary>
                {items}
            </details>
        }
    })
}
