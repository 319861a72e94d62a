//! docassemble's help tab: a "Help" control beside Back when the question has `help:` or the
//! interview has `interview help`, labelled as docassemble's navbar labels it (the first help
//! with a `label`, else "Help"). Activating it shows the help screen in place of the question
//! (the question's help first, then the interview's) with a "Back to question" control; the
//! question's answers stay as typed.
//!
//! With `question help button` (features) the question's own help is instead a button under the
//! question (its label, else "Help") that shows and hides that help in place, and the tab shows
//! only the interview's help.

use leptos::prelude::*;

use crate::dom;
use crate::screen::{HelpText, Screen};

/// What the help screen shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HelpScreen {
    /// The control's label (inline HTML).
    pub label: String,
    /// The "Back to question" control's label.
    pub back_label: String,
    /// The question's panels, then the interview's.
    pub panels: Vec<HelpText>,
}

impl HelpScreen {
    /// The help tab of a screen; `None` when it has none.
    pub fn of(screen: &Screen) -> Option<HelpScreen> {
        let question: &[HelpText] = if screen.question_help_button {
            &[]
        } else {
            &screen.help_text
        };
        let panels: Vec<HelpText> = question
            .iter()
            .chain(&screen.interview_help_text)
            .filter(|p| shows(p))
            .cloned()
            .collect();
        if panels.is_empty() {
            return None;
        }
        // A server that does not label the panels still sends the question's `helpLabel`.
        let question_label = (!question.is_empty())
            .then(|| screen.help_label.clone())
            .flatten();
        let label = question
            .iter()
            .chain(&screen.interview_help_text)
            .find_map(|p| p.label.clone())
            .or(question_label)
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| "Help".into());
        let back_label = screen
            .help_back_label
            .clone()
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| "Back to question".into());
        Some(HelpScreen {
            label,
            back_label,
            panels,
        })
    }
}

fn shows(p: &HelpText) -> bool {
    !p.content.trim().is_empty() || p.heading.is_some()
}

/// The question's help shown by a button under the question (`question help button`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HelpButton {
    /// The button's label (inline HTML).
    pub label: String,
    /// The question's help panels.
    pub panels: Vec<HelpText>,
}

impl HelpButton {
    /// The help button of a screen; `None` without `question help button` or question help.
    pub fn of(screen: &Screen) -> Option<HelpButton> {
        if !screen.question_help_button {
            return None;
        }
        let panels: Vec<HelpText> = screen
            .help_text
            .iter()
            .filter(|p| shows(p))
            .cloned()
            .collect();
        let first = panels.first()?;
        // docassemble: the question's own help label, else "Help" (never the interview help's
        // label, which `helpLabel` may carry for the tab).
        let label = first
            .label
            .clone()
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| "Help".into());
        Some(HelpButton { label, panels })
    }
}

fn panel_views(panels: Vec<HelpText>) -> impl IntoView {
    panels
        .into_iter()
        .map(|p| {
            view! {
                <section class="help-panel">
                    {p.heading.map(|h| view! { <h2 inner_html=h></h2> })}
                    <div inner_html=p.content></div>
                </section>
            }
        })
        .collect_view()
}

/// The question help button and the help it shows and hides.
#[component]
pub fn QuestionHelp(help: HelpButton) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <div class="question-help">
            <button
                type="button"
                class="btn btn-secondary question-help-button"
                aria-controls="question-help"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                on:click=move |_| open.update(|o| *o = !*o)
                inner_html=help.label
            ></button>
            <div id="question-help" class="question-help-panels" hidden=move || !open.get()>
                {panel_views(help.panels)}
            </div>
        </div>
    }
}

/// The control that opens the help screen.
#[component]
pub fn HelpToggle(label: String, open: RwSignal<bool>) -> impl IntoView {
    view! {
        <button
            type="button"
            id="dahelptoggle"
            class="help-toggle"
            aria-controls="help-screen"
            aria-expanded=move || if open.get() { "true" } else { "false" }
            on:click=move |_| {
                open.set(true);
                dom::focus_later("dabackToQuestion");
            }
            inner_html=label
        ></button>
    }
}

/// The help screen (hidden while the question is shown).
#[component]
pub fn HelpPane(help: HelpScreen, open: RwSignal<bool>) -> impl IntoView {
    let panels = panel_views(help.panels);
    view! {
        <div id="help-screen" class="help-screen" role="region" aria-label="Help" hidden=move || !open.get()>
            <button
                type="button"
                id="dabackToQuestion"
                class="btn-secondary back-to-question"
                on:click=move |_| {
                    open.set(false);
                    dom::focus_later("dahelptoggle");
                }
            >
                {help.back_label}
            </button>
            {panels}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::parse;

    #[test]
    fn the_question_help_comes_first_and_labels_the_control() {
        let s = parse(
            r#"{"_question_name":"Q","questionType":"fields","questionText":"Q",
            "helpText":[{"content":"<p>Ask for a million.</p>"}],"helpLabel":"More info",
            "interviewHelpText":[{"heading":"About","content":"<p>Panic.</p>"}]}"#,
        )
        .unwrap();
        let h = HelpScreen::of(&s).unwrap();
        assert_eq!(h.label, "More info");
        assert_eq!(h.back_label, "Back to question");
        assert_eq!(h.panels.len(), 2);
        assert_eq!(h.panels[1].heading.as_deref(), Some("About"));
    }

    #[test]
    fn the_tab_is_named_after_the_first_labelled_help() {
        // docassemble's question-help-button-off.yml, second screen: the question's help has no
        // label, the interview's is "More info".
        let s = parse(
            r#"{"_question_name":"Q","questionType":"fields","questionText":"Color?",
            "helpText":[{"heading":"What is a color?","content":"<p>Photons.</p>"}],
            "interviewHelpText":[{"label":"More info","content":"<p>Fruit.</p>"}]}"#,
        )
        .unwrap();
        assert_eq!(HelpScreen::of(&s).unwrap().label, "More info");
        assert_eq!(HelpButton::of(&s), None);
    }

    #[test]
    fn question_help_button_moves_the_question_help_under_the_question() {
        let s = parse(
            r#"{"_question_name":"Q","questionType":"fields","questionText":"Fruit?","questionHelpButton":true,
            "helpText":[{"label":"Huh?","heading":"What is a fruit?","content":"<p>Seeds.</p>"}],"helpLabel":"Huh?",
            "interviewHelpText":[{"label":"More info","content":"<p>Fruit.</p>"}]}"#,
        )
        .unwrap();
        let tab = HelpScreen::of(&s).unwrap();
        assert_eq!(tab.label, "More info");
        assert_eq!(tab.panels.len(), 1);
        let button = HelpButton::of(&s).unwrap();
        assert_eq!(button.label, "Huh?");
        assert_eq!(button.panels[0].content, "<p>Seeds.</p>");
        // Without interview help there is no tab, only the button.
        let s = parse(
            r#"{"_question_name":"Q","questionType":"fields","questionText":"Fruit?","questionHelpButton":true,
            "helpText":[{"content":"<p>Seeds.</p>"}]}"#,
        )
        .unwrap();
        assert_eq!(HelpScreen::of(&s), None);
        assert_eq!(HelpButton::of(&s).unwrap().label, "Help");
        // A question help without a label: "Help", even when helpLabel names the interview help.
        let s = parse(
            r#"{"_question_name":"Q","questionType":"fields","questionText":"Color?","questionHelpButton":true,
            "helpText":[{"content":"<p>Photons.</p>"}],"helpLabel":"More info",
            "interviewHelpText":[{"label":"More info","content":"<p>Fruit.</p>"}]}"#,
        )
        .unwrap();
        assert_eq!(HelpButton::of(&s).unwrap().label, "Help");
        assert_eq!(HelpScreen::of(&s).unwrap().label, "More info");
    }

    #[test]
    fn interview_help_alone_is_labelled_help_and_no_help_has_no_control() {
        let s = parse(
            r#"{"_question_name":"Q","questionType":"deadend","questionText":"Q",
            "helpLabel":"Unused","interviewHelpText":[{"content":"<p>Panic.</p>"}]}"#,
        )
        .unwrap();
        assert_eq!(HelpScreen::of(&s).unwrap().label, "Help");
        let s =
            parse(r#"{"_question_name":"Q","questionType":"deadend","questionText":"Q"}"#).unwrap();
        assert_eq!(HelpScreen::of(&s), None);
    }
}
