//! One screen: heading, body, progress, sections, help, the form or buttons, errors.

use std::sync::Arc;

use leptos::prelude::*;

use super::buttons::{BackButton, ButtonRow, Press, choice_press, with_back, yes_no_buttons};
use super::collect::{Collect, CollectControls};
use super::errors::ErrorSummary;
use super::fields::{FieldView, FormCx, input_id};
use super::help::{HelpButton, HelpPane, HelpScreen, HelpToggle, QuestionHelp};
use super::progress::{ProgressBar, Sections};
use super::review::ReviewItems;
use super::signature::SignaturePad;
use crate::dom;
use crate::flow::Flow;
use crate::form::{answer_entries, initial_values, signature_entries, upload_entries};
use crate::links::action_of_href;
use crate::screen::{Kind, Screen, normalise};
use crate::validate::{check_screen, field_of_error};

/// The screen.
#[component]
pub fn Question(flow: Flow, screen: Arc<Screen>) -> impl IntoView {
    let screen = Arc::new(normalise((*screen).clone()));
    let values = RwSignal::new(initial_values(&screen));
    let st = StoredValue::new(screen.clone());
    let collect = RwSignal::new(Collect::default());
    let visible = Memo::new(move |_| {
        let s = st.get_value();
        let mut vis = values.with(|v| crate::evaluator::visibility(&s, v));
        collect.with(|c| c.apply(&s, &mut vis));
        vis
    });
    let disabled = Memo::new(move |_| {
        let s = st.get_value();
        let vis = visible.get();
        values.with(|v| crate::form::disabled_by_others(&s, v, &vis))
    });
    // Server errors: next to their field when one matches, otherwise for the whole screen.
    let mut field_errors = Vec::new();
    let mut general = Vec::new();
    for e in &screen.errors {
        match field_of_error(&screen, &e.variable_name) {
            Some(i) => field_errors.push((i, e.message.clone())),
            None => general.push(e.message.clone()),
        }
    }
    let errors = RwSignal::new(field_errors);
    let cx = FormCx {
        screen: st,
        values,
        visible,
        disabled,
        errors,
        files: RwSignal::new(Vec::new()),
    };
    let busy = flow.busy;
    // `check in`: the screen's event hears of the form when it is shown, when a field
    // changes and every `checkin_interval` ms.
    if screen.check_in.is_some() {
        crate::check_in::start(flow, st, values);
    }
    let on_blur = move |ev: leptos::ev::FocusEvent| {
        // (a focused input removed with its screen loses the focus too: then nothing is left
        // to check)
        let name = dom::target_name(&ev);
        let i = st.try_with_value(|s| {
            s.fields
                .iter()
                .position(|f| f.variable_name_encoded.is_some() && f.variable_name_encoded == name)
        });
        if let Some(Some(i)) = i {
            cx.blur(i);
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        if st.try_with_value(|s| s.check_in.is_some()) == Some(true) {
            crate::check_in::changed(flow, st, values, dom::target_name(&ev));
        }
    };

    let submit = move |extra: Vec<(String, String)>, validate: bool| {
        if busy.get_untracked() {
            return;
        }
        let s = st.get_value();
        let vals = values.get_untracked();
        // A field disabled by `disable others` is neither checked nor posted, like a hidden one.
        let off = disabled.get_untracked();
        let mut vis: Vec<bool> = visible
            .get_untracked()
            .iter()
            .enumerate()
            .map(|(i, v)| *v && !off.get(i).copied().unwrap_or(false))
            .collect();
        collect.with_untracked(|c| c.drop_blank(&s, &vals, &mut vis));
        if validate {
            let problems = check_screen(&s, &vals, &vis, &|i| cx.file_count(i));
            if !problems.is_empty() {
                errors.set(problems);
                dom::focus_later("error-summary");
                return;
            }
        }
        errors.set(Vec::new());
        let mut entries = answer_entries(&s, &vals, &vis, &extra);
        entries.extend(collect.with_untracked(Collect::entry));
        if let Some(moves) = dom::table_order_changes() {
            entries.push(("_order_changes".into(), moves));
        }
        let mut files = Vec::new();
        for (i, f) in s.fields.iter().enumerate() {
            if matches!(f.kind(), Kind::File { .. }) && vis.get(i).copied().unwrap_or(true) {
                if let Some(enc) = &f.variable_name_encoded {
                    for file in dom::files_of(&input_id(i)) {
                        files.push((enc.clone(), file));
                    }
                }
            }
        }
        if files.is_empty() {
            flow.post(&entries);
        } else {
            let mut entries = entries;
            entries.extend(upload_entries(&s, &vis));
            flow.upload_files(entries, files);
        }
    };
    let on_press = Callback::new(move |p: Press| match p {
        Press::Submit(extra) => submit(extra, true),
        Press::Answer(extra) => submit(extra, false),
        Press::Back => flow.back(),
    });

    let qt = screen.question_type.clone();
    let continue_label = screen.continue_label.clone().unwrap_or_else(|| {
        if qt == "review" {
            "Resume".into()
        } else {
            "Continue".into()
        }
    });
    let fields_view = move |cx: FormCx, n: usize| {
        (0..n)
            .map(|i| view! { <FieldView cx index=i/><CollectControls cx index=i collect/> })
            .collect_view()
    };
    let n = screen.fields.len();
    let variety = screen
        .question_variety
        .clone()
        .unwrap_or_else(|| "buttons".into());
    // A form (fields, or a choice list drawn as a field) posts its fields with Continue; the
    // other kinds are a row of buttons (after the items of a review). One of each view keeps
    // the WASM small.
    let form_fields = match qt.as_str() {
        "fields" => Some(n),
        "multiple_choice" if variety != "buttons" => Some(n.min(1)),
        _ => None,
    };
    let button_list = match qt.as_str() {
        "review" | "settrue" => Some(vec![(
            continue_label.clone(),
            Press::Answer(Vec::new()),
            "primary",
        )]),
        "yesno" | "noyes" | "yesnomaybe" | "noyesmaybe" => Some(yes_no_buttons(&screen)),
        "multiple_choice" => Some(
            screen
                .fields
                .first()
                .map(|f| {
                    f.choices
                        .iter()
                        .map(|c| {
                            let class = if c.command.is_some() {
                                "secondary"
                            } else {
                                "choice"
                            };
                            (c.label.clone(), choice_press(&screen, c), class)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
        ),
        _ => None,
    };
    // The `submit` screen part sits just above the buttons, as docassemble puts it.
    let submit_html = screen.submit_text.clone().filter(|s| !s.trim().is_empty());
    let submit_part = move || {
        submit_html
            .clone()
            .map(|s| view! { <div class="screen-part submit" inner_html=s></div> })
    };
    // html items that open and close sections around the rows between them (an accordion)
    crate::html_items::weave_later(screen.spanning_html());
    let body = match (form_fields, button_list) {
        (Some(count), _) => {
            let buttons = with_back(
                &screen,
                vec![(continue_label.clone(), Press::Submit(Vec::new()), "primary")],
            );
            view! {
                <form novalidate class="form" on:change=on_change on:focusout=on_blur on:submit=move |ev| { ev.prevent_default(); submit(Vec::new(), true); }>
                    {fields_view(cx, count)}
                    {submit_part()}
                    <ButtonRow buttons on_press busy=busy.into()/>
                </form>
            }
            .into_any()
        }
        (None, Some(buttons)) => {
            let buttons = with_back(&screen, buttons);
            let items =
                (qt == "review").then(|| view! { <ReviewItems flow screen=screen.clone()/> });
            view! {
                {items}
                {submit_part()}
                <ButtonRow buttons on_press busy=busy.into()/>
            }
            .into_any()
        }
        (None, None) => match qt.as_str() {
            "signature" => {
                let required = screen.fields.first().is_none_or(|f| f.is_required());
                let sig_error = RwSignal::new(None::<String>);
                let on_sign = Callback::new(move |image: Option<String>| {
                    if image.is_none() && required {
                        sig_error.set(Some("You must sign your name to continue.".into()));
                        return;
                    }
                    sig_error.set(None);
                    let s = st.get_value();
                    flow.post(&signature_entries(&s, image.as_deref()));
                });
                view! {
                <SignaturePad on_sign busy=busy.into() continue_label=continue_label.clone() error=sig_error.into()/>
            }
            .into_any()
            }
            _ => {
                // deadend: an end screen. A `continue button label` makes it re-ask the server.
                let notes = fields_view(cx, n);
                let buttons = with_back(
                    &screen,
                    screen
                        .continue_label
                        .clone()
                        .map(|label| (label, Press::Answer(Vec::new()), "primary"))
                        .into_iter()
                        .collect(),
                );
                // docassemble's end screen shows the `submit` part only above buttons.
                let has_buttons = !buttons.is_empty() || !screen.action_buttons.is_empty();
                let submit = has_buttons.then(submit_part);
                let button = (!buttons.is_empty())
                    .then(|| view! { <ButtonRow buttons on_press busy=busy.into()/> });
                view! { {notes} {submit} {button} }.into_any()
            }
        },
    };

    let back = screen
        .allow_going_back
        .then(|| view! { <BackButton on_back=Callback::new(move |_| flow.back())/> });
    // docassemble draws no bar for a progress of 0 or less.
    let percentage = screen.progress_percentage;
    let progress = screen
        .progress
        .filter(|p| *p > 0.0)
        .map(|p| view! { <ProgressBar value=p percentage/> });
    let sections =
        view! { <Sections sections=screen.sections.clone() current=screen.section.clone()/> };
    let sub = screen
        .subquestion_text
        .clone()
        .filter(|s| !s.is_empty())
        .map(|s| view! { <div class="subquestion" inner_html=s></div> });
    let under = screen
        .under_text
        .clone()
        .filter(|s| !s.is_empty())
        .map(|s| view! { <div class="under" inner_html=s></div> });
    let right = screen
        .right_text
        .clone()
        .filter(|s| !s.is_empty())
        .map(|s| view! { <aside class="right" inner_html=s></aside> });
    // Screen parts: one view for the four, each in its own element.
    let part = |text: &Option<String>, class: &'static str| {
        text.clone()
            .filter(|s| !s.trim().is_empty())
            .map(|s| view! { <div class=class inner_html=s></div> })
    };
    let pre = part(&screen.pre_text, "screen-part pre");
    let post = part(&screen.post_text, "screen-part post");
    let footer = part(&screen.footer_text, "screen-part footer");
    // `allow downloading`: a plain form POST, answered with the ZIP file (no navigation)
    let zip_form = screen
        .allow_downloading
        .then(|| {
            let i = screen.i.clone()?;
            let mut url = String::from("/interview?i=");
            crate::form::encode_component(&i, &mut url);
            Some((url, screen.csrf_token.clone().unwrap_or_default()))
        })
        .flatten();
    // `allow emailing`: the documents sent to the address given (the same screen comes back,
    // with the server's message)
    let email_documents = screen.allow_emailing.then(|| {
        let csrf = screen.csrf_token.clone().unwrap_or_default();
        Callback::new(move |address: String| {
            flow.post_in_place(&[
                ("json".into(), "1".into()),
                ("csrf_token".into(), csrf.clone()),
                ("_email_attachments".into(), "1".into()),
                ("_attachment_email_address".into(), address),
            ]);
        })
    });
    let attachments = view! {
        <super::attachments::Attachments
            attachments=screen.attachments.clone()
            notice=screen.attachment_notice != Some(false)
            list=!screen.manual_attachment_list
            markdown=screen.debug != Some(false)
            zip=zip_form
            email=email_documents
        />
    };
    let help_open = RwSignal::new(false);
    let help = HelpScreen::of(&screen);
    let help_toggle = help
        .as_ref()
        .map(|h| view! { <HelpToggle label=h.label.clone() open=help_open/> });
    let help_pane = help.map(|h| view! { <HelpPane help=h open=help_open/> });
    let question_help = HelpButton::of(&screen).map(|h| view! { <QuestionHelp help=h/> });
    let summary = view! { <ErrorSummary field_errors=errors.into() general/> };
    // `action buttons`: links that run their action through the protocol (the click handler
    // below), or open their address.
    let page_url = flow.page_url();
    let action_links = |before: bool| {
        let links = screen
            .action_buttons
            .iter()
            .filter(|b| (b.placement.as_deref() == Some("before")) == before)
            .map(|b| {
                let href = if b.is_address() {
                    b.action.clone()
                } else {
                    crate::links::action_href(&page_url, &b.encoded_action())
                };
                let class = format!(
                    "btn btn-action btn-{} {}",
                    b.color.as_deref().unwrap_or("primary"),
                    b.css_class.as_deref().unwrap_or("")
                );
                view! { <a class=class href=href inner_html=b.label.clone()></a> }
            })
            .collect::<Vec<_>>();
        (!links.is_empty()).then(|| view! { <div class="buttons action-buttons">{links}</div> })
    };
    let term = RwSignal::new(None::<String>);
    let actions_before = action_links(true);
    let actions_after = action_links(false);
    view! {
        <div
            class="question"
            data-question=screen.question_name.clone()
            data-type=qt.clone()
            on:focusout=move |_| term.set(None)
            on:click=move |ev| {
                // `url_action()` links in texts run through the JSON protocol.
                if ev.default_prevented() || dom::move_table_row(&ev) {
                    return;
                }
                // A vocabulary term shows its definition until it loses the focus.
                if let Some(definition) = dom::term_of(&ev) {
                    ev.prevent_default();
                    term.set(Some(definition));
                    return;
                }
                if let Some(action) = dom::link_href(&ev).and_then(|h| action_of_href(&h)) {
                    ev.prevent_default();
                    flow.action(&action);
                }
            }
        >
            {sections}
            {progress}
            <div class="question-top">{back}{help_toggle}</div>
            {help_pane}
            <div class="question-body" hidden=move || help_open.get()>
                {pre}
                {screen.decoration.clone().map(|src| view! { <img class="question-decoration" src=src alt=""/> })}
                <h1 id="question-heading" tabindex="-1" inner_html=screen.question_text.clone()></h1>
                {summary}
                {sub}
                {actions_before}
                {body}
                {actions_after}
                {(!screen.attributions.is_empty()).then(|| {
                    let list = screen.attributions.iter().map(|a| view! { <p><small inner_html=a.clone()></small></p> }).collect_view();
                    view! { <div class="attributions">{list}</div> }
                })}
                {move || term.get().map(|d| view! { <div class="term-definition" role="dialog" inner_html=d></div> })}
                {question_help}
                {attachments}
                {under}
                {right}
            </div>
            // (docassemble shows the `post` part under the help screen too)
            {post}
            {footer}
        </div>
    }
}
