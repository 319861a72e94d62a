//! `/` and `/list`: the interviews one can start.

use leptos::prelude::*;

use crate::api;
use crate::components::errors::ErrorPanel;
use crate::components::fetched::fetch;
use crate::form::encode_component;

fn start_url(i: &str) -> String {
    let mut url = String::from("/interview?i=");
    encode_component(i, &mut url);
    url
}

/// The list of available interviews.
#[component]
pub fn AvailableList() -> impl IntoView {
    let list = fetch("/list?json=1", api::available_of);
    move || {
        match list.state.get() {
        None => view! { <p class="status" aria-busy="true">"Loading the interviews…"</p> }.into_any(),
        Some(r) => match r {
                        Ok(items) if items.is_empty() => view! { <p>"No interviews are available."</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="interview-list">
                                {items
                                    .into_iter()
                                    .map(|a| {
                                        view! {
                                            <li>
                                                <a href=start_url(&a.i)>{a.title.clone()}</a>
                                                {a.subtitle.clone().map(|s| view! { <span class="subtitle">{s}</span> })}
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
    }
}

/// `/list`.
#[component]
pub fn ListPage() -> impl IntoView {
    crate::dom::set_title("Interviews");
    view! {
        <main id="main" class="page">
            <h1>"Available interviews"</h1>
            <AvailableList/>
            <p><a href="/interviews">"Your interviews in progress"</a></p>
        </main>
    }
}

/// `/` without `?i=`: the app's home.
#[component]
pub fn HomePage() -> impl IntoView {
    crate::dom::set_title("Colloquy");
    view! {
        <main id="main" class="page">
            <h1>"Colloquy"</h1>
            <p class="lead">"Guided interviews, one question at a time."</p>
            <ServerInfo/>
            <h2>"Interviews"</h2>
            <AvailableList/>
            <p><a href="/interviews">"Your interviews in progress"</a></p>
        </main>
    }
}

/// Shows which server the app is talking to, fetched from `GET /api/info`.
#[component]
fn ServerInfo() -> impl IntoView {
    let info = fetch("/api/info", api::info_of);
    move || {
        match info.state.get() {
        None => view! { <p class="status" aria-busy="true">"Connecting to the server…"</p> }.into_any(),
        Some(result) => match result {
                        Ok(info) => view! {
                            <p id="server-info" class="status">{format!("Connected to {} {}", info.name, info.version)}</p>
                        }
                        .into_any(),
                        Err(err) => view! {
                            <ErrorPanel
                                message=format!("The server could not be reached: {err}")
                                on_retry=info.retry
                            />
                        }
                        .into_any(),
        },
    }
    }
}
