//! The documents a question offers, as docassemble shows them: the notice ("The following
//! document has been created for you."), each document's name and description, and tabs —
//! Download (a link per format: PDF, RTF, DOCX, Markdown), Preview (the document as HTML) and
//! Markdown (its source).

use leptos::prelude::*;

use crate::screen::Attachment;

/// The attachments section (nothing when there are no documents to show).
#[component]
pub fn Attachments(
    attachments: Vec<Attachment>,
    notice: bool,
    /// List the documents (false with `manual attachment list`, where the question links
    /// them itself: only the e-mail and ZIP forms are shown).
    list: bool,
    /// Offer the Markdown tab (docassemble does in debug mode only).
    markdown: bool,
    /// `allow downloading`: where to post for all documents as one ZIP file, and the form's
    /// CSRF token.
    zip: Option<(String, String)>,
    /// `allow emailing`: sends the documents to the address given.
    email: Option<Callback<String>>,
) -> impl IntoView {
    let shown: Vec<Attachment> = attachments
        .into_iter()
        .filter(|a| !a.valid_formats.is_empty())
        .collect();
    if shown.is_empty() {
        return None;
    }
    let show_notice = notice && list;
    let several = shown.len() > 1;
    let notice = if shown.len() > 1 {
        "The following documents have been created for you."
    } else {
        "The following document has been created for you."
    };
    let items = shown
        .into_iter()
        .filter(|_| list)
        .enumerate()
        .map(|(n, a)| view! { <AttachmentItem attachment=a index=n markdown/> })
        .collect_view();
    let email = email.map(|send| {
        let address = RwSignal::new(String::new());
        view! {
            <form
                class="attachment-email"
                on:submit=move |ev| {
                    ev.prevent_default();
                    send.run(address.get_untracked());
                }
            >
                <h2 class="attachment-email-heading">
                    {if several { "E-mail these documents" } else { "E-mail this document" }}
                </h2>
                <label for="attachment-email-address">"E-mail address"</label>
                <input
                    id="attachment-email-address"
                    class="input"
                    type="email"
                    required
                    autocomplete="email"
                    prop:value=move || address.get()
                    on:input=move |ev| address.set(event_target_value(&ev))
                />
                <button type="submit" class="btn-secondary">"Send"</button>
            </form>
        }
    });
    let zip = zip.map(|(action, csrf)| {
        view! {
            <form method="post" action=action class="attachment-zip">
                <input type="hidden" name="csrf_token" value=csrf/>
                <input type="hidden" name="_download_attachments" value="1"/>
                <button type="submit" class="btn-secondary">
                    "Download all documents as a ZIP file"
                </button>
            </form>
        }
    });
    Some(view! {
        <section class="attachments" aria-label="Documents">
            {show_notice.then(|| view! { <div class="attachment-notice" role="status">{notice}</div> })}
            {items}
            {email}
            {zip}
        </section>
    })
}

/// The tabs of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Download,
    Preview,
    Markdown,
}

/// The download links docassemble offers, in its order: (format, label, what it is for).
const DOWNLOADS: &[(&str, &str, &str)] = &[
    (
        "pdf",
        "PDF",
        "for printing; requires Adobe Reader or similar application",
    ),
    (
        "rtf",
        "RTF",
        "for editing; requires Microsoft Word, Wordpad, or similar application",
    ),
    (
        "docx",
        "DOCX",
        "for editing; requires Microsoft Word or compatible application",
    ),
    ("md", "Markdown", ""),
];

fn valid(a: &Attachment, format: &str) -> bool {
    a.valid_formats
        .iter()
        .any(|f| f == format || (f == "*" && format != "md"))
}

/// The Markdown shown in the Markdown tab: that of the first valid format that has some.
fn markdown_of(a: &Attachment) -> Option<String> {
    a.valid_formats
        .iter()
        .filter_map(|f| a.markdown.get(f))
        .chain(a.markdown.values())
        .find(|m| !m.trim().is_empty())
        .cloned()
}

#[component]
fn AttachmentItem(attachment: Attachment, index: usize, markdown: bool) -> impl IntoView {
    let show_markdown = markdown;
    let preview = attachment
        .html
        .clone()
        .filter(|h| !h.is_empty() && (valid(&attachment, "html") || valid(&attachment, "*")));
    let markdown = markdown_of(&attachment).filter(|_| show_markdown);
    let links: Vec<(String, &'static str, &'static str)> = DOWNLOADS
        .iter()
        .filter(|(f, _, _)| valid(&attachment, f))
        .filter_map(|(f, label, note)| attachment.url.get(*f).map(|u| (u.clone(), *label, *note)))
        .collect();
    let multiple = attachment.valid_formats.len() > 1 || valid(&attachment, "*");
    let first = if !links.is_empty() {
        Tab::Download
    } else if preview.is_some() {
        Tab::Preview
    } else {
        Tab::Markdown
    };
    let tab = RwSignal::new(first);
    let tab_button = move |t: Tab, label: &'static str, id: String| {
        // Links, as docassemble's tabs are (its scenarios click "the link Preview").
        view! {
            <a
                href=format!("#{id}")
                class="attachment-tab"
                id=format!("{id}-tab")
                aria-controls=id.clone()
                aria-current=move || if tab.get() == t { "true" } else { "false" }
                on:click=move |ev| {
                    ev.prevent_default();
                    tab.set(t);
                }
            >
                {label}
            </a>
        }
    };
    let base = format!("attachment{index}");
    let has_links = !links.is_empty();
    let has_preview = preview.is_some();
    let has_markdown = markdown.is_some();
    let download_id = format!("{base}-download");
    let preview_id = format!("{base}-preview");
    let markdown_id = format!("{base}-markdown");
    let download_pane = {
        let id = download_id.clone();
        let items = links
            .into_iter()
            .map(|(url, label, note)| {
                view! {
                    <p class="attachment-download">
                        <a href=url target="_blank" rel="noopener">{label}</a>
                        {(!note.is_empty()).then(|| format!(" ({note})"))}
                    </p>
                }
            })
            .collect_view();
        view! {
            <div class="attachment-downloads" id=id aria-labelledby=format!("{download_id}-tab")
                hidden=move || tab.get() != Tab::Download>
                {multiple.then(|| view! {
                    <p class="attachment-download-intro">"The document is available in the following formats:"</p>
                })}
                {items}
            </div>
        }
    };
    view! {
        <div class="attachment" data-filename=attachment.filename.clone()>
            <h2 class="attachment-name" inner_html=attachment.name.clone()></h2>
            <div class="attachment-description" inner_html=attachment.description.clone()></div>
            <nav class="attachment-tabs" aria-label="Document views">
                {has_links.then(|| tab_button(Tab::Download, "Download", download_id.clone()))}
                {has_preview.then(|| tab_button(Tab::Preview, "Preview", preview_id.clone()))}
                {has_markdown.then(|| tab_button(Tab::Markdown, "Markdown", markdown_id.clone()))}
            </nav>
            {has_links.then_some(download_pane)}
            {preview.map(|html| {
                let id = preview_id.clone();
                view! {
                    <div class="attachment-preview" id=id
                        aria-labelledby=format!("{preview_id}-tab")
                        hidden=move || tab.get() != Tab::Preview>
                        <blockquote inner_html=html></blockquote>
                    </div>
                }
            })}
            {markdown.map(|md| {
                let id = markdown_id.clone();
                view! {
                    <div class="attachment-markdown" id=id
                        aria-labelledby=format!("{markdown_id}-tab")
                        hidden=move || tab.get() != Tab::Markdown>
                        <pre>{md}</pre>
                    </div>
                }
            })}
        </div>
    }
}
