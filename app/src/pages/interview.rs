//! `/interview?i=…` (and `/?i=…`): runs an interview.

use leptos::prelude::*;

use crate::components::errors::ErrorPanel;
use crate::components::menu::Shell;
use crate::components::question::Question;
use crate::dom;
use crate::flow::Flow;

/// The page's query string.
struct Query<'a>(&'a str);

impl Query<'_> {
    fn get(&self, key: &str) -> Option<String> {
        crate::links::query_value(self.0, key)
    }
}

/// The interview page.
#[component]
pub fn InterviewPage() -> impl IntoView {
    let search = dom::search();
    let query = Query(&search);
    let Some(i) = query.get("i").filter(|i| !i.is_empty()) else {
        return view! {
            <main id="main" class="page">
                <h1>"No interview chosen"</h1>
                <p>"The address does not name an interview. "<a href="/list">"See the available interviews"</a>"."</p>
            </main>
        }
        .into_any();
    };
    let session = query.get("session").filter(|s| !s.is_empty());
    let flow = Flow::new(i, session.clone());
    provide_context(flow);
    // The header's menu runs this interview's actions while the page is shown.
    if let Some(shell) = use_context::<Shell>() {
        shell.flow.set(Some(flow));
        on_cleanup(move || {
            shell.flow.set(None);
            shell.menu_items.set(Vec::new());
            shell.navbar.set(None);
        });
    }
    // The first request carries what the address asks for: resume a session, start over,
    // run an action, and the interview's own URL arguments (`url_args`); the address then
    // becomes the page's own (so a reload does not run them again).
    let extra: Vec<(String, String)> = crate::links::query_pairs(&search)
        .into_iter()
        .filter(|(k, v)| {
            !(matches!(k.as_str(), "i" | "json" | "") || k == "session" && v.is_empty())
        })
        .collect();
    let pairs: Vec<(&str, &str)> = extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    flow.load(&pairs);

    let handle = window_event_listener(leptos::ev::popstate, move |ev| {
        if let Some(to) = dom::popped_steps(&ev) {
            flow.popped(to);
        }
    });
    on_cleanup(move || handle.remove());

    let retry = Callback::new(move |_| flow.retry());
    view! {
        <main id="main" class="page" aria-busy=move || flow.busy.get().then_some("true")>
            <div class="loading-bar" class:active=move || flow.busy.get() aria-hidden="true"></div>
            <p class="sr-only" role="status" aria-live="polite">
                {move || if flow.busy.get() { "Loading…" } else { "" }}
            </p>
            {move || {
                flow.upload.get().map(|p| {
                    let percent = ((p * 100.0).round() as i64).clamp(0, 100);
                    view! {
                        <div class="upload">
                            <label for="upload-progress">"Uploading"</label>
                            <progress id="upload-progress" max="100" value=percent.to_string()>
                                {format!("{percent}%")}
                            </progress>
                        </div>
                    }
                })
            }}
            {move || flow.notice.get().map(|n| view! { <div class="notice" role="status">{n}</div> })}
            {move || {
                flow.error.get().map(|m| {
                    let help = flow.error_help.get_untracked();
                    view! { <ErrorPanel message=m on_retry=retry help=help.unwrap_or_default()/> }
                })
            }}
            {move || match flow.screen.get() {
                Some(s) => view! { <Question flow screen=s/> }.into_any(),
                None if flow.error.with(Option::is_none) => view! {
                    <div class="skeleton" aria-hidden="true">
                        <div class="skeleton-line wide"></div>
                        <div class="skeleton-line"></div>
                        <div class="skeleton-line"></div>
                    </div>
                }
                .into_any(),
                None => ().into_any(),
            }}
        </main>
    }
    .into_any()
}
