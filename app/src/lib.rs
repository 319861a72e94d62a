//! The Colloquy interview UI: a Leptos client-side app that talks to the server only through
//! its public JSON protocol and API (`GET/POST /interview?json=1`, `/list?json=1`,
//! `/interviews?json=1`), so anything it does, another front end can do too.
//!
//! Logic lives in small pure modules with host unit tests ([`form`], [`show_if`],
//! [`validate`], [`screen`], [`api`]); components are in [`components`] and [`pages`].

pub mod api;
pub mod components;
pub mod dom;
pub mod evaluator;
pub mod flow;
pub mod form;
pub mod links;
pub mod pages;
pub mod screen;
pub mod show_if;
pub mod validate;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_query_map;
use leptos_router::path;

use components::menu::{Shell, SiteMenu};
use pages::interview::InterviewPage;
use pages::list::{HomePage, ListPage};
use pages::not_found::NotFound;
use pages::sessions::SessionsPage;

/// `/`: an interview when the address has `?i=`, the home page otherwise.
#[component]
fn Root() -> impl IntoView {
    let has_i = use_query_map().with_untracked(|q| q.get("i").is_some_and(|i| !i.is_empty()));
    if has_i {
        view! { <InterviewPage/> }.into_any()
    } else {
        view! { <HomePage/> }.into_any()
    }
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let shell = Shell::new();
    provide_context(shell);
    shell.load_account();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="site-header">
                <a class="brand" href="/">"Colloquy"</a>
                <nav class="site-nav" aria-label="Site">
                    <a href="/list">"Interviews"</a>
                    <a href="/interviews">"Resume"</a>
                </nav>
                <SiteMenu/>
            </header>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=Root/>
                <Route path=path!("/interview") view=InterviewPage/>
                <Route path=path!("/list") view=ListPage/>
                <Route path=path!("/interviews") view=SessionsPage/>
            </Routes>
        </Router>
    }
}
