//! Several choices: checkboxes (with none/all of the above) and `<select multiple>`.

use leptos::prelude::*;

use super::{FormCx, Legend, described_by, fallback_name, input_id};
use crate::dom;
use crate::form::{choice_key, none_key, py_bool, strip_tags};

/// Checkboxes in a fieldset. "None of the above" unchecks the others (and is unchecked by
/// them); "All of the above" checks them all.
#[component]
pub fn Checkboxes(cx: FormCx, index: usize, required: bool) -> impl IntoView {
    let field = cx.field(index);
    let keys: Vec<String> = (0..field.choices.len())
        .map(|c| choice_key(&field, c))
        .collect();
    let none = none_key(&field);
    let all_id = format!("{}-all", input_id(index));
    let none_id = format!("{}-none", input_id(index));
    let set_all = {
        let keys = keys.clone();
        let none = none.clone();
        move |on: bool| {
            cx.values.update(|v| {
                for k in &keys {
                    v.insert(k.clone(), py_bool(on).into());
                }
                if on {
                    v.insert(none.clone(), "False".into());
                }
            });
            cx.recheck(index);
        }
    };
    let items = field
        .choices
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let id = format!("{}-{n}", input_id(index));
            let k = keys[n].clone();
            let k2 = k.clone();
            let none = none.clone();
            let help = c
                .help
                .clone()
                .map(|h| view! { <span class="choice-help" inner_html=h></span> });
            view! {
                <div class="choice">
                    <input
                        type="checkbox"
                        id=id.clone()
                        name=k.clone()
                        prop:checked=move || cx.value(&k2) == "True"
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            cx.values.update(|v| {
                                v.insert(k.clone(), py_bool(on).into());
                                if on {
                                    v.insert(none.clone(), "False".into());
                                }
                            });
                            cx.recheck(index);
                        }
                    />
                    <label for=id inner_html=c.label.clone()></label>
                    {help}
                </div>
            }
        })
        .collect_view();
    let all = field.all_label().map(|label| {
        let keys = keys.clone();
        let set_all = set_all.clone();
        view! {
            <div class="choice choice-all">
                <input
                    type="checkbox"
                    id=all_id.clone()
                    prop:checked=move || cx.values.with(|v| !keys.is_empty() && keys.iter().all(|k| v.get(k).map(String::as_str) == Some("True")))
                    on:change=move |ev| set_all(event_target_checked(&ev))
                />
                <label for=all_id.clone() inner_html=label></label>
            </div>
        }
    });
    let none_box = field.none_label().map(|label| {
        let keys = keys.clone();
        let n = none.clone();
        let n2 = none.clone();
        view! {
            <div class="choice choice-none">
                <input
                    type="checkbox"
                    id=none_id.clone()
                    prop:checked=move || cx.value(&n2) == "True"
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        cx.values.update(|v| {
                            v.insert(n.clone(), py_bool(on).into());
                            if on {
                                for k in &keys {
                                    v.insert(k.clone(), "False".into());
                                }
                            }
                        });
                        cx.recheck(index);
                    }
                />
                <label for=none_id.clone() inner_html=label></label>
            </div>
        }
    });
    view! {
        <fieldset
            class="group"
            id=input_id(index)
            tabindex="-1"
            aria-label=fallback_name(&field)
            aria-describedby=described_by(index, &field)
            aria-invalid=move || cx.error(index).map(|_| "true")
        >
            <Legend field=field.clone() required/>
            {items}
            {all}
            {none_box}
        </fieldset>
    }
}

/// `<select multiple>`: each option stands for one checkbox variable.
#[component]
pub fn Multiselect(cx: FormCx, index: usize) -> impl IntoView {
    let field = cx.field(index);
    let keys: Vec<String> = (0..field.choices.len())
        .map(|c| choice_key(&field, c))
        .collect();
    let options = field
        .choices
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let selected = cx.initial(&keys[n]) == "True";
            view! { <option value=keys[n].clone() selected=selected>{strip_tags(&c.label)}</option> }
        })
        .collect_view();
    let id = input_id(index);
    view! {
        <select
            id=id.clone()
            class="input"
            multiple
            size=field.choices.len().clamp(2, 8).to_string()
            aria-label=fallback_name(&field)
            aria-describedby=described_by(index, &field)
            aria-invalid=move || cx.error(index).map(|_| "true")
            on:change=move |_| {
                let chosen = dom::selected_values(&id);
                cx.values.update(|v| {
                    for k in &keys {
                        v.insert(k.clone(), py_bool(chosen.contains(k)).into());
                    }
                });
                cx.recheck(index);
            }
        >
            {options}
        </select>
    }
}
