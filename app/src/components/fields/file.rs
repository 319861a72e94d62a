//! File uploads (`file`, `files`, camera/microphone variants). The chosen files are read from
//! the input on submission and sent as multipart with progress.

use leptos::prelude::*;

use super::{FormCx, described_by, fallback_name, input_id};

/// `<input type=file>`.
#[component]
pub fn FileInput(cx: FormCx, index: usize, multiple: bool) -> impl IntoView {
    let field = cx.field(index);
    let key = field.variable_name_encoded.clone().unwrap_or_default();
    let capture = match field.datatype() {
        "camera" | "environment" => Some("environment"),
        "user" => Some("user"),
        _ => None,
    };
    let accept = field.accept.clone().or_else(|| match field.datatype() {
        "camera" | "user" | "environment" => Some("image/*".into()),
        "camcorder" => Some("video/*".into()),
        "microphone" => Some("audio/*".into()),
        _ => None,
    });
    view! {
        <input
            type="file"
            id=input_id(index)
            name=key
            class="input-file"
            multiple=multiple
            accept=accept
            capture=capture
            aria-label=fallback_name(&field)
            aria-required=field.is_required().then_some("true")
            aria-invalid=move || cx.error(index).map(|_| "true")
            aria-describedby=described_by(index, &field)
            on:change=move |_| {
                let n = crate::dom::files_of(&input_id(index)).len();
                cx.files.update(|f| {
                    f.retain(|(i, _)| *i != index);
                    f.push((index, n));
                });
                cx.recheck(index);
            }
        />
    }
}
