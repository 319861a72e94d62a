//! docassemble's help tab: a "Help" control (the question's `help: label`, or "Help") beside
//! Back when the question has `help:` or the interview has `interview help`. Activating it
//! shows the help screen in place of the question (the question's help first, then the
//! interview's) with a "Back to question" control; the question's answers stay as typed.

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
    /// The help of a screen; `None` when it has none.
    pub fn of(screen: &Screen) -> Option<HelpScreen> {
        let panels: Vec<HelpText> = screen
            .help_text
            .iter()
            .chain(&screen.interview_help_text)
            .filter(|p| !p.content.trim().is_empty() || p.heading.is_some())
            .cloned()
            .collect();
        if panels.is_empty() {
            return None;
        }
        let label = screen
            .help_label
            .clone()
            .filter(|l| !l.trim().is_empty() && !screen.help_text.is_empty())
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

/// The control that opens the help screen.
#[component]
pub fn HelpToggle(label: String, open: RwSignal<bool>) -> impl IntoView {
    view! {
        <button
            type="button"
            id="help-toggle"
            class="help-toggle"
            aria-controls="help-screen"
            aria-expanded=move || if open.get() { "true" } else { "false" }
            on:click=move |_| {
                open.set(true);
                dom::focus_later("back-to-question");
            }
            inner_html=label
        ></button>
    }
}

/// The help screen (hidden while the question is shown).
#[component]
pub fn HelpPane(help: HelpScreen, open: RwSignal<bool>) -> impl IntoView {
    let panels = help
        .panels
        .into_iter()
        .map(|p| {
            view! {
                <section class="help-panel">
                    {p.heading.map(|h| view! { <h2 inner_html=h></h2> })}
                    <div inner_html=p.content></div>
                </section>
            }
        })
        .collect_view();
    view! {
        <div id="help-screen" class="help-screen" role="region" aria-label="Help" hidden=move || !open.get()>
            <button
                type="button"
                id="back-to-question"
                class="btn-secondary back-to-question"
                on:click=move |_| {
                    open.set(false);
                    dom::focus_later("help-toggle");
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
