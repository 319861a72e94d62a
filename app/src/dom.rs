//! Small browser helpers (history, focus, titles, files, uploads with progress).

use leptos::wasm_bindgen::{JsCast, JsValue, closure::Closure};
use leptos::web_sys;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// The page's current `location.search` (`?i=…`).
pub fn search() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The page's current path.
pub fn pathname() -> String {
    window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// The `href` of the link an event happened in (the clicked `<a>` or one of its children).
pub fn link_href(ev: &web_sys::Event) -> Option<String> {
    let target = ev.target()?;
    let el = target.dyn_into::<web_sys::Element>().ok()?;
    let a = el.closest("a").ok()??;
    a.get_attribute("href")
}

/// The definition (sanitised HTML) of the vocabulary term link an event happened in.
pub fn term_of(ev: &web_sys::Event) -> Option<String> {
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    el.closest("a.daterm")
        .ok()??
        .get_attribute("data-bs-content")
}

/// A table's up or down button (`allow reordering`) clicked: moves its row past the row
/// above or below it. Whether the event was such a click.
pub fn move_table_row(ev: &web_sys::Event) -> bool {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let Ok(Some(button)) = el.closest("a.datableup, a.databledown") else {
        return false;
    };
    ev.prevent_default();
    let Ok(Some(row)) = button.closest("tr") else {
        return true;
    };
    let Some(body) = row.parent_node() else {
        return true;
    };
    let (moved, before) = if button.class_list().contains("datableup") {
        (Some(row.clone()), row.previous_element_sibling())
    } else {
        (row.next_element_sibling(), Some(row))
    };
    if let (Some(moved), Some(before)) = (moved, before) {
        let _ = body.insert_before(&moved, Some(&before));
    }
    true
}

/// docassemble's `_order_changes` for the tables on the page whose rows were moved:
/// `{"<table>": [[row's first index, its place now], …]}`, or `None` when none moved.
pub fn table_order_changes() -> Option<String> {
    let buttons = document()?.query_selector_all("a.datableup").ok()?;
    let mut tables: Vec<(String, Vec<i64>)> = Vec::new();
    for i in 0..buttons.length() {
        let Some(el) = buttons
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let (Some(name), Some(item)) = (
            el.get_attribute("data-tablename"),
            el.get_attribute("data-tableitem")
                .and_then(|v| v.parse().ok()),
        ) else {
            continue;
        };
        match tables.iter_mut().find(|(n, _)| *n == name) {
            Some((_, rows)) => rows.push(item),
            None => tables.push((name, vec![item])),
        }
    }
    let mut out = Vec::new();
    for (name, rows) in tables {
        let moves: Vec<String> = (0..)
            .zip(rows)
            .filter(|(place, first)| place != first)
            .map(|(place, first)| format!("[{first},{place}]"))
            .collect();
        if !moves.is_empty() {
            // (the name is base64: nothing in it needs escaping)
            out.push(format!("\"{name}\":[{}]", moves.join(",")));
        }
    }
    (!out.is_empty()).then(|| format!("{{{}}}", out.join(",")))
}

/// Leaves the app's current page for `url` (a full navigation).
pub fn go(url: &str) {
    if let Some(w) = window() {
        let _ = w.location().assign(url);
    }
}

/// Pushes a history entry remembering the step number.
pub fn push_history(steps: i64, url: &str) {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let _ = h.push_state_with_url(&JsValue::from_f64(steps as f64), "", Some(url));
    }
}

/// Replaces the current history entry.
pub fn replace_history(steps: i64, url: &str) {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&JsValue::from_f64(steps as f64), "", Some(url));
    }
}

/// `history.back()`.
pub fn history_back() {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let _ = h.back();
    }
}

/// The step number stored in a history entry.
pub fn popped_steps(ev: &web_sys::PopStateEvent) -> Option<i64> {
    ev.state().as_f64().map(|f| f as i64)
}

/// Sets the document title.
pub fn set_title(title: &str) {
    if let Some(d) = document() {
        d.set_title(title);
    }
}

/// Sets `<html lang>`.
pub fn set_lang(lang: &str) {
    if let Some(el) = document().and_then(|d| d.document_element()) {
        let _ = el.set_attribute("lang", lang);
    }
}

/// Focuses the element with `id` once the browser has drawn it.
pub fn focus_later(id: &'static str) {
    leptos::prelude::request_animation_frame(move || focus(id));
}

/// Focuses the element with `id`.
pub fn focus(id: &str) {
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Puts `html` (sanitised by the server) into every element of class `class`.
pub fn fill_class(class: &str, html: &str) {
    let Some(found) = document().map(|d| d.get_elements_by_class_name(class)) else {
        return;
    };
    for i in 0..found.length() {
        if let Some(el) = found.item(i) {
            el.set_inner_html(html);
        }
    }
}

/// The `name` of the element an event happened on.
pub fn target_name(ev: &web_sys::Event) -> Option<String> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.get_attribute("name"))
}

/// Scrolls to the top of the page.
pub fn scroll_top() {
    if let Some(w) = window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Records when the first screen was drawn (`<body data-first-screen-ms>`), for the e2e run.
pub fn mark_first_screen() {
    let Some(w) = window() else { return };
    let Some(body) = w.document().and_then(|d| d.body()) else {
        return;
    };
    if body.has_attribute("data-first-screen-ms") {
        return;
    }
    let now = w.performance().map(|p| p.now()).unwrap_or(0.0);
    let _ = body.set_attribute("data-first-screen-ms", &(now.round() as i64).to_string());
}

/// The files chosen in the file input `id`.
pub fn files_of(id: &str) -> Vec<web_sys::File> {
    let Some(input) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let Some(list) = input.files() else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The values of the selected options of the `<select multiple>` `id`.
pub fn selected_values(id: &str) -> Vec<String> {
    let Some(sel) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
    else {
        return Vec::new();
    };
    let opts = sel.selected_options();
    (0..opts.length())
        .filter_map(|i| opts.item(i))
        .filter_map(|e| e.dyn_into::<web_sys::HtmlOptionElement>().ok())
        .map(|o| o.value())
        .collect()
}

/// What a request gave: `(status, content type, body)`, or why it could not be made.
pub type Reply = Result<(u16, String, String), String>;

/// What to do with a request's reply.
pub type Done = Box<dyn FnOnce(Reply)>;

/// The body of a request.
pub enum Body<'a> {
    /// None (a GET).
    Empty,
    /// A form, `application/x-www-form-urlencoded`.
    Form(String),
    /// `multipart/form-data`: fields and files.
    Multipart(&'a [(String, String)], Vec<(String, web_sys::File)>),
}

/// Why a request failed without a reply.
const UNREACHABLE: &str = "The server could not be reached. Check your connection.";

/// Sends a request (asking for JSON) and calls `done` with the reply. `progress` hears how
/// much of the body was sent (0–1), for uploads. Plain `XMLHttpRequest` with callbacks: no
/// futures, so the app's WASM stays small.
pub fn request(
    method: &str,
    url: &str,
    body: Body<'_>,
    progress: Option<Box<dyn Fn(f64)>>,
    done: Done,
) {
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let finish = {
        let done = done.clone();
        move |r: Reply| {
            let f = done.borrow_mut().take();
            if let Some(f) = f {
                f(r);
            }
        }
    };
    let started = (|| -> Result<(), JsValue> {
        let xhr = web_sys::XmlHttpRequest::new()?;
        xhr.open(method, url)?;
        xhr.set_request_header("Accept", "application/json")?;
        if let Some(progress) = progress {
            let on_progress =
                Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                    if e.length_computable() && e.total() > 0.0 {
                        progress(e.loaded() / e.total());
                    }
                });
            xhr.upload()?
                .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
            on_progress.forget();
        }
        let x = xhr.clone();
        let finish = finish.clone();
        let on_end = Closure::once_into_js(move || {
            let status = x.status().unwrap_or(0);
            if status == 0 {
                finish(Err(UNREACHABLE.into()));
            } else {
                let ct = x
                    .get_response_header("content-type")
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                let body = x.response_text().ok().flatten().unwrap_or_default();
                finish(Ok((status, ct, body)));
            }
        });
        xhr.set_onloadend(Some(on_end.unchecked_ref()));
        match body {
            Body::Empty => xhr.send()?,
            Body::Form(text) => {
                xhr.set_request_header("Content-Type", "application/x-www-form-urlencoded")?;
                xhr.send_with_opt_str(Some(&text))?;
            }
            Body::Multipart(entries, files) => {
                let form = web_sys::FormData::new()?;
                for (k, v) in entries {
                    form.append_with_str(k, v)?;
                }
                for (k, f) in &files {
                    form.append_with_blob_and_filename(k, f, &f.name())?;
                }
                xhr.send_with_opt_form_data(Some(&form))?;
            }
        }
        Ok(())
    })();
    if started.is_err() {
        finish(Err(UNREACHABLE.into()));
    }
}
