//! `/interviews`: the user's sessions, to resume.

use leptos::prelude::*;

use crate::api;
use crate::components::errors::ErrorPanel;
use crate::components::fetched::fetch;
use crate::form::encode_component;

fn resume_url(i: &str, session: &str) -> String {
    let mut url = String::from("/interview?i=");
    encode_component(i, &mut url);
    url.push_str("&session=");
    encode_component(session, &mut url);
    url
}

/// The sessions page.
#[component]
pub fn SessionsPage() -> impl IntoView {
    crate::dom::set_title("Your interviews");
    let list = fetch("/interviews?json=1", api::sessions_of);
    view! {
        <main id="main" class="page">
            <h1>"Your interviews"</h1>
            {move || {
                    match list.state.get() {
                            None => view! { <p class="status" aria-busy="true">"Loading…"</p> }.into_any(),
                            Some(r) => match r {
                            Ok(items) if items.is_empty() => view! {
                                <p>"You have no interviews in progress. "<a href="/list">"Start one"</a>"."</p>
                            }
                            .into_any(),
                            Ok(items) => view! {
                                <ul class="interview-list">
                                    {items
                                        .into_iter()
                                        .map(|s| {
                                            let title = if s.title.is_empty() { s.i.clone() } else { s.title.clone() };
                                            let when = s.modified.clone().map(|m| m.replace('T', " ").chars().take(16).collect::<String>());
                                            view! {
                                                <li>
                                                    <a href=resume_url(&s.i, &s.session)>{title}</a>
                                                    <span class="subtitle">
                                                        {when.map(|w| format!("Last changed {w}"))}
                                                        {s.steps.map(|n| format!(" · step {n}"))}
                                                    </span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                            .into_any(),
                            Err(e) => view! { <ErrorPanel message=e on_retry=list.retry/> }.into_any(),
                        },
                    }
            }}
        </main>
    }
}
