//! Yes/no fields: a checkbox (`yesno`, `noyes`, wide variants) or Yes/No(/Maybe) radio buttons.

use leptos::prelude::*;

use super::{FormCx, Legend, described_by, input_id};
use crate::form::{checkbox_post, linked_boxes};

/// A single checkbox; checked stores True (`noyes`: False).
#[component]
pub fn YesNoCheckbox(cx: FormCx, index: usize, wide: bool) -> impl IntoView {
    let field = cx.field(index);
    let key = field.variable_name_encoded.clone().unwrap_or_default();
    let sign = field.sign.unwrap_or(1);
    let checked_text = checkbox_post(true, sign);
    let k = key.clone();
    let k2 = key.clone();
    let label = field
        .label
        .clone()
        .filter(|l| !l.trim().is_empty())
        .or_else(|| field.true_label.clone())
        .unwrap_or_else(|| "Yes".into());
    view! {
        <div class="check" class:check-wide=wide>
            <input
                type="checkbox"
                id=input_id(index)
                name=key
                prop:checked=move || cx.value(&k2) == checked_text
                aria-describedby=described_by(index, &field)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    cx.set(index, &k, checkbox_post(on, sign).to_string());
                    // `uncheck others` / `check others` boxes follow.
                    let linked = cx.screen.with_value(|s| linked_boxes(s, &k, on));
                    if !linked.is_empty() {
                        cx.values.update(|v| v.extend(linked));
                    }
                }
            />
            <label for=input_id(index) inner_html=label></label>
        </div>
    }
}

/// Yes / No (/ Maybe) radio buttons in a fieldset.
#[component]
pub fn YesNoRadio(cx: FormCx, index: usize, maybe: bool, required: bool) -> impl IntoView {
    let field = cx.field(index);
    let key = field.variable_name_encoded.clone().unwrap_or_default();
    let sign = field.sign.unwrap_or(1);
    let yes = field.true_label.clone().unwrap_or_else(|| "Yes".into());
    let no = field.false_label.clone().unwrap_or_else(|| "No".into());
    let mut options = vec![
        (yes, if sign > 0 { "True" } else { "False" }),
        (no, if sign > 0 { "False" } else { "True" }),
    ];
    if maybe {
        options.push((
            field
                .maybe_label
                .clone()
                .unwrap_or_else(|| "I don\u{2019}t know".into()),
            "None",
        ));
    }
    let described = described_by(index, &field);
    let items = options
        .into_iter()
        .enumerate()
        .map(|(n, (label, value))| {
            let id = format!("{}-{n}", input_id(index));
            let k = key.clone();
            let k2 = key.clone();
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        id=id.clone()
                        name=key.clone()
                        value=value
                        prop:checked=move || cx.value(&k2) == value
                        on:change=move |_| cx.set(index, &k, value.to_string())
                    />
                    <label for=id inner_html=label></label>
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
            aria-describedby=described
            aria-required=required.then_some("true")
            aria-invalid=move || cx.error(index).map(|_| "true")
        >
            <Legend field=field.clone() required/>
            {items}
        </fieldset>
    }
}
