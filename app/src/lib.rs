//! The Colloquy interview UI: a Leptos client-side app that talks to the server only through
//! its public JSON protocol and API.

pub mod api;
pub mod form;
pub mod screen;
pub mod show_if;
pub mod validate;

use leptos::prelude::*;

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Colloquy"</a>
        </header>
        <main id="main" class="page">
            <h1>"Colloquy"</h1>
            <p class="lead">"Guided interviews, one question at a time."</p>
            <ServerInfo/>
        </main>
    }
}

/// Shows which server the app is talking to, fetched from `GET /api/info`.
#[component]
fn ServerInfo() -> impl IntoView {
    let info = LocalResource::new(api::fetch_info);
    view! {
        <Suspense fallback=|| view! { <p class="status" aria-busy="true">"Connecting to the server…"</p> }>
            {move || {
                info.get()
                    .map(|result| match result {
                        Ok(info) => {
                            view! {
                                <p id="server-info" class="status">
                                    {format!("Connected to {} {}", info.name, info.version)}
                                </p>
                            }
                                .into_any()
                        }
                        Err(err) => {
                            view! {
                                <div class="error" role="alert">
                                    <p>{format!("The server could not be reached: {err}")}</p>
                                    <button type="button" on:click=move |_| info.refetch()>
                                        "Try again"
                                    </button>
                                </div>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}
