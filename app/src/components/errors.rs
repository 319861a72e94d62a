//! Error displays: the summary of a form's problems and the panel for failed requests.

use leptos::prelude::*;

use crate::dom;

/// The list of problems on a submitted form, announced (role=alert) and focused; each links to
/// its field.
#[component]
pub fn ErrorSummary(
    /// `(field index, message)` pairs.
    field_errors: Signal<Vec<(usize, String)>>,
    /// Errors about the whole screen.
    general: Vec<String>,
) -> impl IntoView {
    let general = StoredValue::new(general);
    let any = move || !field_errors.with(Vec::is_empty) || !general.with_value(Vec::is_empty);
    view! {
        <div id="error-summary" class="error-summary" role="alert" tabindex="-1" prop:hidden=move || !any()>
            <Show when=any>
                <h2>"There is a problem"</h2>
                <ul>
                    {move || general.get_value().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                    {move || {
                        field_errors
                            .get()
                            .into_iter()
                            .map(|(i, m)| {
                                view! {
                                    <li>
                                        <button type="button" class="link" on:click=move |_| dom::focus(&format!("field{i}"))>
                                            {m}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </div>
    }
}

/// A failed request: what happened and a way to try again. Never a blank page. `help` is the
/// interview's own `error help` (HTML), shown first as docassemble's error page does.
#[component]
pub fn ErrorPanel(
    message: String,
    on_retry: Callback<()>,
    #[prop(optional)] help: Option<String>,
) -> impl IntoView {
    let help = help
        .filter(|h| !h.trim().is_empty())
        .map(|h| view! { <div class="error-help" inner_html=h></div> });
    view! {
        <div class="error" role="alert" id="load-error" tabindex="-1">
            {help}
            <p>{message}</p>
            <button type="button" on:click=move |_| on_retry.run(())>"Try again"</button>
        </div>
    }
}
