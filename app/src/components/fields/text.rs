//! Text-like inputs: text, email, password, numbers, currency, dates, times, textareas, ranges
//! and hidden fields.

use leptos::prelude::*;

use super::{FormCx, described_by, fallback_name, input_id};
use crate::screen::py_str;

fn attr_num(v: &Option<crate::json::Json>) -> Option<String> {
    v.as_ref().filter(|v| !v.is_null()).map(py_str)
}

/// `<input type=…>` for text, email, password, numbers and dates.
#[component]
pub fn TextInput(cx: FormCx, index: usize, ty: &'static str) -> impl IntoView {
    let field = cx.field(index);
    let key = field.variable_name_encoded.clone().unwrap_or_default();
    let initial = cx.initial(&key);
    let numeric = ty == "number";
    let step = if numeric {
        Some(attr_num(&field.step).unwrap_or_else(|| {
            if field.datatype() == "integer" {
                "1".into()
            } else {
                "any".into()
            }
        }))
    } else {
        None
    };
    let inputmode = match field.datatype() {
        "integer" => Some("numeric"),
        "number" | "float" | "currency" => Some("decimal"),
        _ => None,
    };
    let autocomplete = (ty == "password").then_some("current-password");
    let (min, max) = if numeric || ty.starts_with("date") || ty == "time" {
        (attr_num(&field.min), attr_num(&field.max))
    } else {
        (None, None)
    };
    let currency = (field.datatype() == "currency").then(|| {
        let symbol = field.currency_symbol.clone().unwrap_or_else(|| "$".into());
        view! { <span class="currency" aria-hidden="true">{symbol}</span> }
    });
    let k = key.clone();
    view! {
        <div class="input-row">
            {currency}
            <input
                type=ty
                id=input_id(index)
                name=key.clone()
                class="input"
                prop:value=initial
                placeholder=field.hint.clone()
                aria-label=fallback_name(&field)
                aria-required=field.is_required().then_some("true")
                aria-invalid=move || cx.error(index).map(|_| "true")
                aria-describedby=described_by(index, &field)
                step=step
                min=min
                max=max
                inputmode=inputmode
                autocomplete=autocomplete
                maxlength=field.maxlength.map(|m| m.to_string())
                on:input=move |ev| cx.set(index, &k, event_target_value(&ev))
            />
        </div>
    }
}

/// `<textarea>`.
#[component]
pub fn Area(cx: FormCx, index: usize) -> impl IntoView {
    let field = cx.field(index);
    let key = field.variable_name_encoded.clone().unwrap_or_default();
    let initial = cx.initial(&key);
    let rows = field
        .rows
        .as_ref()
        .map(py_str)
        .unwrap_or_else(|| "4".into());
    let k = key.clone();
    view! {
        <textarea
            id=input_id(index)
            name=key
            class="input"
            rows=rows
            prop:value=initial
            placeholder=field.hint.clone()
            aria-label=fallback_name(&field)
            aria-required=field.is_required().then_some("true")
            aria-invalid=move || cx.error(index).map(|_| "true")
            aria-describedby=described_by(index, &field)
            on:input=move |ev| cx.set(index, &k, event_target_value(&ev))
        ></textarea>
    }
}

/// A range slider with its value shown.
#[component]
pub fn Range(cx: FormCx, index: usize) -> impl IntoView {
    let field = cx.field(index);
    let key = field.variable_name_encoded.clone().unwrap_or_default();
    let initial = cx.initial(&key);
    let k = key.clone();
    let k2 = key.clone();
    view! {
        <div class="range-row">
            <input
                type="range"
                id=input_id(index)
                name=key
                prop:value=initial
                min=attr_num(&field.min).unwrap_or_else(|| "0".into())
                max=attr_num(&field.max).unwrap_or_else(|| "100".into())
                step=attr_num(&field.step).unwrap_or_else(|| "1".into())
                aria-label=fallback_name(&field)
                aria-describedby=described_by(index, &field)
                on:input=move |ev| cx.set(index, &k, event_target_value(&ev))
            />
            <output for=input_id(index) aria-hidden="true">{move || cx.value(&k2)}</output>
        </div>
    }
}

/// A hidden input: nothing to show, its value is posted.
#[component]
pub fn Hidden(cx: FormCx, index: usize) -> impl IntoView {
    let field = cx.field(index);
    let key = field.variable_name_encoded.clone().unwrap_or_default();
    view! { <input type="hidden" id=input_id(index) name=key.clone() prop:value=cx.initial(&key)/> }
}
