//! The Colloquy interview UI: a Leptos client-side app that talks to the server only through
//! its public JSON protocol and API (`GET/POST /interview?json=1`, `/list?json=1`,
//! `/interviews?json=1`), so anything it does, another front end can do too.
//!
//! Logic lives in small pure modules with host unit tests ([`form`], [`show_if`],
//! [`validate`], [`screen`], [`api`]); components are in [`components`] and [`pages`].

pub mod api;
pub mod check_in;
pub mod components;
pub mod dom;
pub mod evaluator;
pub mod flow;
pub mod form;
pub mod html_items;
pub mod json;
pub mod links;
pub mod num;
pub mod pages;
pub mod screen;
pub mod show_if;
pub mod validate;

pub mod route;

use leptos::prelude::*;

use components::menu::{Shell, SiteMenu};
use pages::interview::InterviewPage;
use pages::list::{HomePage, ListPage};
use pages::not_found::NotFound;
use pages::sessions::SessionsPage;
use route::Page;

/// The root component: the header, then the page the address names (every link is a full
/// page load: the server answers the app's paths with the app shell).
#[component]
pub fn App() -> impl IntoView {
    let shell = Shell::new();
    provide_context(shell);
    shell.load_account();
    let page = match route::page_of(&dom::pathname(), &dom::search()) {
        Page::Home => view! { <HomePage/> }.into_any(),
        Page::Interview => view! { <InterviewPage/> }.into_any(),
        Page::List => view! { <ListPage/> }.into_any(),
        Page::Sessions => view! { <SessionsPage/> }.into_any(),
        Page::NotFound => view! { <NotFound/> }.into_any(),
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="/">"Colloquy"</a>
            <nav class="site-nav" aria-label="Site">
                <a href="/list">"Interviews"</a>
                <a href="/interviews">"Resume"</a>
            </nav>
            <SiteMenu/>
        </header>
        {page}
    }
}
