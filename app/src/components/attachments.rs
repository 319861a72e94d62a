//! The documents a question offers: docassemble's notice ("The following document has been
//! created for you."), each document's name and description, and a preview of its content.

use leptos::prelude::*;

use crate::screen::Attachment;

/// The attachments section (nothing when there are no documents to show).
#[component]
pub fn Attachments(attachments: Vec<Attachment>, notice: bool) -> impl IntoView {
    let shown: Vec<Attachment> = attachments
        .into_iter()
        .filter(|a| !a.valid_formats.is_empty())
        .collect();
    if shown.is_empty() {
        return None;
    }
    let show_notice = notice;
    let notice = if shown.len() > 1 {
        "The following documents have been created for you."
    } else {
        "The following document has been created for you."
    };
    let items = shown
        .into_iter()
        .map(|a| view! { <AttachmentItem attachment=a/> })
        .collect_view();
    Some(view! {
        <section class="attachments" aria-label="Documents">
            {show_notice.then(|| view! { <div class="attachment-notice" role="status">{notice}</div> })}
            {items}
        </section>
    })
}

#[component]
fn AttachmentItem(attachment: Attachment) -> impl IntoView {
    let open = RwSignal::new(false);
    let preview = attachment.html.clone().filter(|h| !h.is_empty());
    let has_preview = preview.is_some();
    view! {
        <div class="attachment" data-filename=attachment.filename.clone()>
            <h2 class="attachment-name" inner_html=attachment.name.clone()></h2>
            <div class="attachment-description" inner_html=attachment.description.clone()></div>
            {has_preview
                .then(|| {
                    view! {
                        <a
                            href="#"
                            class="attachment-preview-toggle"
                            aria-expanded=move || if open.get() { "true" } else { "false" }
                            on:click=move |ev| {
                                ev.prevent_default();
                                open.update(|o| *o = !*o);
                            }
                        >
                            "Preview"
                        </a>
                    }
                })}
            {move || {
                open.get()
                    .then(|| {
                        view! {
                            <div
                                class="attachment-preview"
                                inner_html=preview.clone().unwrap_or_default()
                            ></div>
                        }
                    })
            }}
        </div>
    }
}
