//! Single-choice fields: radio buttons, a dropdown, a combobox (text with suggestions).
//! Object choices (`object`, `object_radio`) are the same with instance names as values.

use leptos::prelude::*;

use super::{FormCx, Legend, described_by, fallback_name, input_id};
use crate::form::strip_tags;
use crate::screen::py_str;

fn choice_values(cx: &FormCx, index: usize) -> Vec<(String, String, Option<String>)> {
    cx.field(index)
        .choices
        .iter()
        .map(|c| {
            (
                c.label.clone(),
                c.value.as_ref().map(py_str).unwrap_or_default(),
                c.help.clone(),
            )
        })
        .collect()
}

/// Radio buttons in a fieldset whose legend is the label.
#[component]
pub fn RadioGroup(cx: FormCx, index: usize, required: bool) -> impl IntoView {
    let field = cx.field(index);
    let key = field.variable_name_encoded.clone().unwrap_or_default();
    let mut choices = choice_values(&cx, index);
    // An object radio's "None of the above" (docassemble posts `None`: the fields shown for
    // it describe the object instead).
    if field.datatype.as_deref() == Some("object_radio") {
        if let Some(label) = field.none_label() {
            choices.push((label, "None".into(), None));
        }
    }
    let items = choices
        .into_iter()
        .enumerate()
        .map(|(n, (label, value, help))| {
            let id = format!("{}-{n}", input_id(index));
            let k = key.clone();
            let k2 = key.clone();
            let v = value.clone();
            let v2 = value.clone();
            let help = help.map(|h| view! { <span class="choice-help" inner_html=h></span> });
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        id=id.clone()
                        name=key.clone()
                        value=value
                        prop:checked=move || cx.value(&k2) == v2
                        on:change=move |_| cx.set(index, &k, v.clone())
                    />
                    <label for=id inner_html=label></label>
                    {help}
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="group"
            role="radiogroup"
            id=input_id(index)
            tabindex="-1"
            aria-label=fallback_name(&field)
            aria-describedby=described_by(index, &field)
            aria-required=required.then_some("true")
            aria-invalid=move || cx.error(index).map(|_| "true")
        >
            <Legend field=field.clone() required/>
            {items}
        </fieldset>
    }
}

/// `<select>` with a "Select…" placeholder.
#[component]
pub fn Dropdown(cx: FormCx, index: usize) -> impl IntoView {
    let field = cx.field(index);
    let key = field.variable_name_encoded.clone().unwrap_or_default();
    let initial = cx.initial(&key);
    let options = choice_values(&cx, index)
        .into_iter()
        .map(|(label, value, _)| {
            let selected = value == initial;
            view! { <option value=value selected=selected>{strip_tags(&label)}</option> }
        })
        .collect_view();
    let k = key.clone();
    view! {
        <select
            id=input_id(index)
            name=key
            class="input"
            aria-label=fallback_name(&field)
            aria-required=field.is_required().then_some("true")
            aria-invalid=move || cx.error(index).map(|_| "true")
            aria-describedby=described_by(index, &field)
            on:change=move |ev| cx.set(index, &k, event_target_value(&ev))
        >
            <option value="" selected=initial.is_empty()>{field.hint.clone().unwrap_or_else(|| "Select…".into())}</option>
            {options}
        </select>
    }
}

/// A text input with the choices as suggestions; a typed label posts its choice's value.
#[component]
pub fn Combobox(cx: FormCx, index: usize) -> impl IntoView {
    let field = cx.field(index);
    let key = field.variable_name_encoded.clone().unwrap_or_default();
    let choices = choice_values(&cx, index);
    let initial = cx.initial(&key);
    let shown = choices
        .iter()
        .find(|(_, v, _)| *v == initial)
        .map(|(l, _, _)| strip_tags(l))
        .unwrap_or(initial);
    let list_id = format!("{}-list", input_id(index));
    let options = choices
        .iter()
        .map(|(label, _, _)| view! { <option value=strip_tags(label)></option> })
        .collect_view();
    let k = key.clone();
    view! {
        <input
            type="text"
            id=input_id(index)
            name=key
            class="input"
            list=list_id.clone()
            autocomplete="off"
            prop:value=shown
            placeholder=field.hint.clone()
            aria-label=fallback_name(&field)
            aria-required=field.is_required().then_some("true")
            aria-invalid=move || cx.error(index).map(|_| "true")
            aria-describedby=described_by(index, &field)
            on:input=move |ev| {
                let typed = event_target_value(&ev);
                let value = choices
                    .iter()
                    .find(|(l, _, _)| strip_tags(l) == typed)
                    .map(|(_, v, _)| v.clone())
                    .unwrap_or(typed);
                cx.set(index, &k, value);
            }
        />
        <datalist id=list_id>{options}</datalist>
    }
}
