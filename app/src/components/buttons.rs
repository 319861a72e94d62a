//! Buttons: Continue, Yes/No/Maybe, one per choice, and Back. Every button is a `<button>`
//! whose text is exactly its label.

use leptos::prelude::*;

use crate::form::MULTIPLE_CHOICE;
use crate::screen::{Choice, Screen, py_str};

/// What a pressed button does.
#[derive(Debug, Clone, PartialEq)]
pub enum Press {
    /// Submit the form (with validation) plus these entries.
    Submit(Vec<(String, String)>),
    /// Post these entries without validating the form.
    Answer(Vec<(String, String)>),
    /// Go back to the previous question (the question's own Back button).
    Back,
}

/// `buttons` led by the question's own Back button (`questionBackButton`) when going back is
/// possible, as docassemble puts it before the others.
pub fn with_back(
    screen: &Screen,
    mut buttons: Vec<(String, Press, &'static str)>,
) -> Vec<(String, Press, &'static str)> {
    if let Some(label) = screen
        .question_back_button
        .clone()
        .filter(|_| screen.allow_going_back)
    {
        buttons.insert(0, (label, Press::Back, "secondary question-back"));
    }
    buttons
}

/// The buttons of a yes/no(/maybe) question, in docassemble's order.
pub fn yes_no_buttons(screen: &Screen) -> Vec<(String, Press, &'static str)> {
    let Some(field) = screen.fields.first() else {
        return Vec::new();
    };
    let key = field.variable_name_encoded.clone().unwrap_or_default();
    let press = |v: &str| Press::Answer(vec![(key.clone(), v.to_string())]);
    let yes = screen.yes_label.clone().unwrap_or_else(|| "Yes".into());
    let no = screen.no_label.clone().unwrap_or_else(|| "No".into());
    let inverted = matches!(screen.question_type.as_str(), "noyes" | "noyesmaybe");
    // yesLabel labels the button storing True, noLabel the one storing False; the button that
    // reads "Yes" comes first.
    let mut out = if inverted {
        vec![
            (no, press("False"), "primary"),
            (yes, press("True"), "secondary"),
        ]
    } else {
        vec![
            (yes, press("True"), "primary"),
            (no, press("False"), "secondary"),
        ]
    };
    if screen.question_type.ends_with("maybe") {
        let maybe = screen
            .maybe_label
            .clone()
            .unwrap_or_else(|| "I don\u{2019}t know".into());
        out.push((maybe, press("None"), "secondary"));
    }
    out
}

/// What one choice button of a multiple-choice question posts.
pub fn choice_press(screen: &Screen, choice: &Choice) -> Press {
    let value = choice.value.as_ref().map(py_str).unwrap_or_default();
    match screen
        .fields
        .first()
        .and_then(|f| f.variable_name_encoded.clone())
    {
        Some(key) if key != MULTIPLE_CHOICE => Press::Answer(vec![(key, value)]),
        _ => Press::Answer(vec![(
            choice
                .variable_name_encoded
                .clone()
                .unwrap_or_else(|| MULTIPLE_CHOICE.to_string()),
            value,
        )]),
    }
}

/// A row of buttons.
#[component]
pub fn ButtonRow(
    buttons: Vec<(String, Press, &'static str)>,
    on_press: Callback<Press>,
    busy: Signal<bool>,
) -> impl IntoView {
    let items = buttons
        .into_iter()
        .map(|(label, press, class)| {
            let is_submit = matches!(press, Press::Submit(_));
            let kind = if is_submit { "submit" } else { "button" };
            view! {
                <button
                    type=kind
                    class=format!("btn btn-{class}")
                    aria-disabled=move || busy.get().then_some("true")
                    inner_html=label
                    on:click=move |ev| {
                        if is_submit {
                            // The form's submit handler takes it from here.
                            return;
                        }
                        ev.prevent_default();
                        on_press.run(press.clone());
                    }
                ></button>
            }
        })
        .collect_view();
    view! { <div class="buttons">{items}</div> }
}

/// The Back control (accessible name "Back").
#[component]
pub fn BackButton(on_back: Callback<()>) -> impl IntoView {
    view! {
        <button type="button" class="back-button" on:click=move |_| on_back.run(())>
            <span aria-hidden="true">"‹ "</span>
            "Back"
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::parse;

    #[test]
    fn the_question_back_button_leads_the_row_only_when_going_back_is_allowed() {
        let json = |allow: bool| {
            format!(
                r#"{{"_question_name":"Q","questionType":"yesno","questionText":"Q","allow_going_back":{allow},
                "questionBackButton":"Wait, go back",
                "fields":[{{"number":0,"variable_name":"x","variable_name_encoded":"eA","datatype":"boolean"}}]}}"#
            )
        };
        let s = parse(&json(true)).unwrap();
        let b = with_back(&s, yes_no_buttons(&s));
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].0, "Wait, go back");
        assert_eq!(b[0].1, Press::Back);
        assert_eq!(b[1].0, "Yes");
        let s = parse(&json(false)).unwrap();
        assert_eq!(with_back(&s, yes_no_buttons(&s)).len(), 2);
    }

    #[test]
    fn noyes_puts_the_button_reading_yes_first_and_it_stores_false() {
        let s = parse(
            r#"{"_question_name":"Q","questionType":"noyes","questionText":"Q","yesLabel":"No","noLabel":"Yes",
            "fields":[{"number":0,"variable_name":"x","variable_name_encoded":"eA","datatype":"boolean","sign":-1}]}"#,
        )
        .unwrap();
        let b = yes_no_buttons(&s);
        assert_eq!(b[0].0, "Yes");
        assert_eq!(b[0].1, Press::Answer(vec![("eA".into(), "False".into())]));
        assert_eq!(b[1].0, "No");
    }

    #[test]
    fn choice_buttons_post_the_variable_or_the_index() {
        let s = parse(
            r#"{"_question_name":"Q","questionType":"multiple_choice","questionText":"Q",
            "fields":[{"number":0,"variable_name":"fruit","variable_name_encoded":"ZnJ1aXQ","choices":[{"label":"Apple","value":"apple"}]}]}"#,
        )
        .unwrap();
        let c = &s.fields[0].choices[0];
        assert_eq!(
            choice_press(&s, c),
            Press::Answer(vec![("ZnJ1aXQ".into(), "apple".into())])
        );
        let s = parse(
            r#"{"_question_name":"Q","questionType":"multiple_choice","questionText":"Q",
            "fields":[{"number":0,"choices":[{"label":"Go","value":1,"variable_name_encoded":"X211bHRpcGxlX2Nob2ljZQ"},{"label":"Restart","value":2,"command":"restart"}]}]}"#,
        )
        .unwrap();
        assert_eq!(
            choice_press(&s, &s.fields[0].choices[0]),
            Press::Answer(vec![(MULTIPLE_CHOICE.into(), "1".into())])
        );
        assert_eq!(
            choice_press(&s, &s.fields[0].choices[1]),
            Press::Answer(vec![(MULTIPLE_CHOICE.into(), "2".into())])
        );
    }
}
