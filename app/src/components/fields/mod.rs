//! One component per field family. They share a [`FormCx`]: the screen, the values, which
//! fields are shown and the errors.

mod checkboxes;
mod choice;
mod file;
mod text;
mod yesno;

use std::sync::Arc;

use leptos::prelude::*;

use crate::form::Values;
use crate::screen::{Field, Kind, Screen};
use crate::validate;

pub use checkboxes::{Checkboxes, Multiselect};
pub use choice::{Combobox, Dropdown, RadioGroup};
pub use file::FileInput;
pub use text::{Area, Hidden, Range, TextInput};
pub use yesno::{YesNoCheckbox, YesNoRadio};

/// The form of one screen.
#[derive(Clone, Copy)]
pub struct FormCx {
    /// The screen.
    pub screen: StoredValue<Arc<Screen>>,
    /// Input name → posted text.
    pub values: RwSignal<Values>,
    /// Which fields are shown (`show if` evaluated in the browser).
    pub visible: Memo<Vec<bool>>,
    /// Which fields another field's `disable others` disables now.
    pub disabled: Memo<Vec<bool>>,
    /// Field index → error message (client or server).
    pub errors: RwSignal<Vec<(usize, String)>>,
    /// How many files are chosen per field index (file inputs).
    pub files: RwSignal<Vec<(usize, usize)>>,
}

impl FormCx {
    /// The field `index`.
    pub fn field(&self, index: usize) -> Field {
        self.screen
            .with_value(|s| s.fields.get(index).cloned())
            .unwrap_or_default()
    }

    /// The current text of input `key` (tracked).
    pub fn value(&self, key: &str) -> String {
        self.values
            .with(|v| v.get(key).cloned())
            .unwrap_or_default()
    }

    /// The initial text of input `key` (untracked).
    pub fn initial(&self, key: &str) -> String {
        self.values
            .with_untracked(|v| v.get(key).cloned())
            .unwrap_or_default()
    }

    /// Sets input `key` of field `index`, re-checking the field if it shows an error.
    pub fn set(&self, index: usize, key: &str, value: String) {
        self.values.update(|v| {
            v.insert(key.to_string(), value);
        });
        self.recheck(index);
    }

    /// Updates a field's error after a change, only when it already shows one (errors appear
    /// on submission, disappear as soon as they are fixed).
    pub fn recheck(&self, index: usize) {
        self.check(index, false);
    }

    /// Field `index` lost the focus: checked when it is filled in (as jQuery Validate does on
    /// blur) or shows an error.
    pub fn blur(&self, index: usize) {
        let field = self.field(index);
        let filled = field.variable_name_encoded.as_ref().is_some_and(|k| {
            self.values
                .with_untracked(|v| v.get(k).is_some_and(|t| !t.trim().is_empty()))
        });
        self.check(index, filled);
    }

    fn check(&self, index: usize, always: bool) {
        if !always
            && !self
                .errors
                .with_untracked(|e| e.iter().any(|(i, _)| *i == index))
        {
            return;
        }
        let field = self.field(index);
        let files = self.file_count(index);
        let msg = self
            .values
            .with_untracked(|v| validate::check(&field, v, files));
        self.errors.update(|e| {
            e.retain(|(i, _)| *i != index);
            if let Some(m) = msg {
                // Kept in field order (an insertion, not a sort: smaller code).
                let at = e.iter().position(|(i, _)| *i > index).unwrap_or(e.len());
                e.insert(at, (index, m));
            }
        });
    }

    /// How many files are chosen in file field `index` (untracked).
    pub fn file_count(&self, index: usize) -> usize {
        self.files.with_untracked(|f| {
            f.iter()
                .find(|(i, _)| *i == index)
                .map(|(_, n)| *n)
                .unwrap_or(0)
        })
    }

    /// The error of field `index` (tracked).
    pub fn error(&self, index: usize) -> Option<String> {
        self.errors
            .with(|e| e.iter().find(|(i, _)| *i == index).map(|(_, m)| m.clone()))
    }

    /// Whether field `index` is shown (tracked).
    pub fn shown(&self, index: usize) -> bool {
        self.visible.with(|v| v.get(index).copied().unwrap_or(true))
    }

    /// Whether field `index` is disabled by another field's `disable others` (tracked).
    pub fn disabled(&self, index: usize) -> bool {
        self.disabled
            .with(|v| v.get(index).copied().unwrap_or(false))
    }
}

/// The id of field `index`'s input.
pub fn input_id(index: usize) -> String {
    format!("field{index}")
}

/// `aria-describedby` of an input: its hint and its error message.
pub fn described_by(index: usize, field: &Field) -> String {
    let mut ids = Vec::new();
    if field.helptext.is_some() {
        ids.push(format!("field{index}-help"));
    }
    if field.under_text.is_some() {
        ids.push(format!("field{index}-under"));
    }
    ids.push(format!("field{index}-error"));
    ids.join(" ")
}

/// The accessible name used when a field has no label (docassemble's "Input box").
pub fn fallback_name(field: &Field) -> Option<String> {
    match field.label.as_deref() {
        Some(l) if !l.trim().is_empty() => None,
        _ => Some(
            field
                .hint
                .clone()
                .unwrap_or_else(|| "Input box".to_string()),
        ),
    }
}

/// One field of a form: the right input for its datatype, its help and its error.
#[component]
pub fn FieldView(cx: FormCx, index: usize) -> impl IntoView {
    let field = cx.field(index);
    let kind = field.kind();
    let has_label = field.label.as_deref().is_some_and(|l| !l.trim().is_empty());
    let required = field.is_required() && !matches!(kind, Kind::YesNoCheckbox { .. } | Kind::Note);
    let help = field.helptext.clone().map(|h| {
        view! {
            <details class="field-help" id=format!("field{index}-help")>
                <summary>"Help"</summary>
                <div inner_html=h></div>
            </details>
        }
    });
    let body = match kind {
        Kind::Note => {
            let label = field.label.clone().filter(|_| has_label).map(|l| {
                view! { <p class="note-label" inner_html=l></p> }
            });
            let html = field
                .note
                .clone()
                .or_else(|| field.html.clone())
                .unwrap_or_default();
            view! { {label} <div class="note" inner_html=html></div> }.into_any()
        }
        Kind::Hidden => view! { <Hidden cx index/> }.into_any(),
        Kind::Radio => view! { <RadioGroup cx index required/> }.into_any(),
        Kind::Checkboxes => view! { <Checkboxes cx index required/> }.into_any(),
        Kind::YesNoRadio { maybe } => view! { <YesNoRadio cx index maybe required/> }.into_any(),
        Kind::YesNoCheckbox { wide } => view! { <YesNoCheckbox cx index wide/> }.into_any(),
        // A single input under its label (one `Labelled` for all of them).
        single => {
            let input = match single {
                Kind::Input(ty) => view! { <TextInput cx index ty/> }.into_any(),
                Kind::Area => view! { <Area cx index/> }.into_any(),
                Kind::Range => view! { <Range cx index/> }.into_any(),
                Kind::Dropdown => view! { <Dropdown cx index/> }.into_any(),
                Kind::Combobox => view! { <Combobox cx index/> }.into_any(),
                Kind::Multiselect => view! { <Multiselect cx index/> }.into_any(),
                Kind::File { multiple } => view! { <FileInput cx index multiple/> }.into_any(),
                _ => ().into_any(),
            };
            view! { <Labelled cx index field=field.clone() required>{input}</Labelled> }.into_any()
        }
    };
    // A field another field's `disable others` names: its inputs sit in a fieldset that is
    // disabled while that field has a value.
    let body = if cx
        .screen
        .with_value(|s| crate::form::may_be_disabled(s, index))
    {
        view! {
            <fieldset class="others-off" prop:disabled=move || cx.disabled(index)>
                {body}
            </fieldset>
        }
        .into_any()
    } else {
        body
    };
    let is_input = kind != Kind::Note;
    let no_choices = field.has_no_choices();
    // A `note` or `html` given with an input: docassemble shows it beside the field.
    let side = is_input
        .then(|| field.note.clone().or_else(|| field.html.clone()))
        .flatten()
        .filter(|h| !h.trim().is_empty())
        .map(|h| view! { <div class="side-note" inner_html=h></div> });
    // `under text`: a line under the input, which describes it.
    let under = field.under_text.clone().map(|h| {
        view! { <div class="under-text" id=format!("field{index}-under") inner_html=h></div> }
    });
    view! {
        <div
            class="field"
            class:field-wide=matches!(kind, Kind::YesNoCheckbox { wide: true })
            class:has-error=move || cx.error(index).is_some()
            prop:hidden=move || no_choices || !cx.shown(index)
            data-field=index
        >
            {body}
            {under}
            {side}
            {help}
            {is_input
                .then(|| {
                    view! {
                        <p class="field-error" id=format!("field{index}-error")>
                            {move || cx.error(index)}
                        </p>
                    }
                })}
        </div>
    }
}

/// A label (exactly the field's label text) above a single input.
#[component]
fn Labelled(
    cx: FormCx,
    index: usize,
    field: Field,
    required: bool,
    children: Children,
) -> impl IntoView {
    let _ = cx;
    let label = field.label.clone().filter(|l| !l.trim().is_empty());
    view! {
        {label.map(|l| {
            view! {
                <div class="label-row">
                    <label for=input_id(index) inner_html=l></label>
                    {required.then(|| view! { <span class="req" aria-hidden="true">"*"</span> })}
                </div>
            }
        })}
        {children()}
    }
}

/// A group's legend (exactly the label text) with the required mark outside the text node.
#[component]
pub fn Legend(field: Field, required: bool) -> impl IntoView {
    let label = field.label.clone().filter(|l| !l.trim().is_empty());
    label.map(|l| {
        view! {
            <legend>
                <span class="legend-text" inner_html=l></span>
                {required.then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}
            </legend>
        }
    })
}
