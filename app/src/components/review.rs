//! A review screen: each item's label is a link that re-asks its answers (the server brings
//! the review back afterwards); button items show their text with an edit button; notes and
//! HTML items are shown as they are.

use std::sync::Arc;

use leptos::prelude::*;

use crate::flow::Flow;
use crate::links::action_href;
use crate::screen::{Field, Screen};

/// The link (or button) of an item that has an action.
fn edit_link(flow: Flow, label: String, action: String, button: bool) -> impl IntoView {
    let href = action_href(&flow.page_url(), &action);
    let class = if button {
        "btn btn-secondary review-edit review-button-link"
    } else {
        "review-edit"
    };
    view! {
        <a
            class=class
            href=href
            on:click=move |ev| {
                ev.prevent_default();
                flow.action(&action);
            }
            inner_html=label
        ></a>
    }
}

fn item(flow: Flow, index: usize, f: &Field) -> impl IntoView + use<> {
    let help = f
        .helptext
        .clone()
        .filter(|h| !h.trim().is_empty())
        .map(|h| view! { <div class="review-help" inner_html=h></div> });
    let note = f
        .note
        .clone()
        .or_else(|| f.html.clone())
        .filter(|n| !n.trim().is_empty())
        .map(|n| view! { <div class="review-note" inner_html=n></div> });
    let link = match (f.label.clone(), f.action.clone()) {
        (Some(label), Some(action)) => Some(edit_link(
            flow,
            label,
            action,
            f.datatype.as_deref() == Some("button"),
        )),
        _ => None,
    };
    let label_only = match (&f.label, &f.action) {
        (Some(l), None) => Some(view! { <span class="review-label" inner_html=l.clone()></span> }),
        _ => None,
    };
    let class = match f.datatype.as_deref() {
        Some("button") => "review-item review-button",
        Some("note" | "html" | "raw html") => "review-item review-note-item",
        _ => "review-item",
    };
    if f.datatype.as_deref() == Some("button") {
        view! { <div class=class data-field=index>{help}{link}{label_only}{note}</div> }.into_any()
    } else {
        view! { <div class=class data-field=index>{link}{label_only}{help}{note}</div> }.into_any()
    }
}

/// The items of a review screen (inactive ones are left out).
#[component]
pub fn ReviewItems(flow: Flow, screen: Arc<Screen>) -> impl IntoView {
    let items = screen
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.active != Some(false))
        .map(|(i, f)| item(flow, i, f))
        .collect_view();
    view! { <div class="review">{items}</div> }
}
