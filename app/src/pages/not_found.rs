//! Any other address.

use leptos::prelude::*;

/// The not-found page.
#[component]
pub fn NotFound() -> impl IntoView {
    crate::dom::set_title("Page not found");
    view! {
        <main id="main" class="page">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. "<a href="/list">"See the available interviews"</a>"."</p>
        </main>
    }
}
