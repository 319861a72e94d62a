//! Question blocks: a screen with text and, optionally, one input directive.

use super::attachment::Attachments;
use super::choice::{ChoiceAction, ChoiceList};
use super::config::{Help, Term};
use super::field::FieldItem;
use super::review::ReviewItem;
use super::{Cond, Python, Raw, Text, Var};

/// `yesno`, `noyes`, `yesnomaybe`, `noyesmaybe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YesNoKind {
    /// Yes sets true.
    YesNo,
    /// Yes sets false.
    NoYes,
    /// Yes/No/Maybe (maybe sets None).
    YesNoMaybe,
    /// Inverted Yes/No/Maybe.
    NoYesMaybe,
}

/// How a multiple-choice question is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MultipleChoiceStyle {
    /// `choices`: radio buttons.
    Radio,
    /// `buttons`.
    Buttons,
    /// `dropdown`.
    Dropdown,
    /// `combobox`.
    Combobox,
}

/// What a question asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionInput {
    /// No input: an end screen, an event screen, or a screen with only attachments.
    None,
    /// `yesno: var` and friends.
    YesNo {
        /// Which kind.
        kind: YesNoKind,
        /// The variable set.
        variable: Var,
    },
    /// `continue button field: var` (or a lone `field: var`): Continue sets `var = True`.
    Continue(Var),
    /// `fields`.
    Fields {
        /// The items.
        items: Vec<FieldItem>,
        /// `continue button field`, when given with fields.
        continue_field: Option<Var>,
    },
    /// `choices`/`buttons`/`dropdown`/`combobox`.
    MultipleChoice {
        /// The style.
        style: MultipleChoiceStyle,
        /// `field:` (without it, the choice made is recorded under the question's name).
        field: Option<Var>,
        /// `continue button field` given with the choices.
        continue_field: Option<Var>,
        /// The choices.
        choices: ChoiceList,
        /// `shuffle`.
        shuffle: bool,
        /// `default`.
        default: Option<Text>,
        /// `datatype` given on the question.
        datatype: Option<String>,
        /// `validation messages`.
        validation_messages: Vec<(String, Text)>,
    },
    /// `signature: var`.
    Signature {
        /// The variable set.
        variable: Var,
        /// `required`.
        required: Option<Cond>,
        /// `pen color`.
        pen_color: Option<Text>,
    },
    /// `review`.
    Review {
        /// The rows.
        items: Vec<ReviewItem>,
        /// `continue button field`.
        continue_field: Option<Var>,
        /// `tabular`.
        tabular: Option<Raw>,
        /// `skip undefined` (default true).
        skip_undefined: bool,
    },
}

/// `list collect`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListCollect {
    /// `enable` (or the value itself when not a dictionary).
    pub enable: Python,
    /// `label`.
    pub label: Option<Text>,
    /// `is final`.
    pub is_final: Option<Python>,
    /// `allow append`.
    pub allow_append: Option<Python>,
    /// `allow delete`.
    pub allow_delete: Option<Python>,
    /// `add another label`.
    pub add_another_label: Option<Text>,
}

/// An `action buttons` entry.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionButtons {
    /// A literal list of buttons.
    List(Vec<ActionButton>),
    /// `{code: …}`.
    Code(Python),
}

/// One action button.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionButton {
    /// `label`.
    pub label: Text,
    /// `action` (an event name or a URL).
    pub action: Text,
    /// `arguments`.
    pub arguments: Option<Raw>,
    /// `color`, `icon`, `placement`, `css class`, `forget prior`, `show if`, `js action`:
    /// kept by name.
    pub options: Vec<(String, Raw)>,
    /// The file line.
    pub line: u32,
}

/// A question block.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// `question`: the heading (Mako).
    pub question: Text,
    /// `subquestion`.
    pub subquestion: Option<Text>,
    /// `under`.
    pub under: Option<Text>,
    /// `right`.
    pub right: Option<Text>,
    /// `pre`.
    pub pre: Option<Text>,
    /// `post`.
    pub post: Option<Text>,
    /// `submit`.
    pub submit: Option<Text>,
    /// `help`.
    pub help: Option<Help>,
    /// `audio`.
    pub audio: Vec<Text>,
    /// `video`.
    pub video: Vec<Text>,
    /// `decoration`: image names (or `{image: …, …}` items kept as text by key).
    pub decoration: Vec<Vec<(String, Text)>>,
    /// `script` (HTML/JS added to the page).
    pub script: Option<Text>,
    /// `css`.
    pub css: Option<Text>,
    /// `css class`.
    pub css_class: Option<Text>,
    /// `table css class`.
    pub table_css_class: Option<Text>,
    /// `breadcrumb`.
    pub breadcrumb: Option<Text>,
    /// `section`.
    pub section: Option<Text>,
    /// `progress` (`None` = not given; `Some(None)` = `progress:` null, hiding the bar).
    pub progress: Option<Option<i64>>,
    /// `terms` given on the question.
    pub terms: Vec<Term>,
    /// `auto terms` given on the question.
    pub auto_terms: Vec<Term>,
    /// `continue button label`.
    pub continue_button_label: Option<Text>,
    /// `continue button color`.
    pub continue_button_color: Option<Text>,
    /// `resume button label` (review only).
    pub resume_button_label: Option<Text>,
    /// `resume button color`.
    pub resume_button_color: Option<Text>,
    /// `back button label`.
    pub back_button_label: Option<Text>,
    /// `corner back button label`.
    pub corner_back_button_label: Option<Text>,
    /// `hide continue button`.
    pub hide_continue_button: Option<Cond>,
    /// `disable continue button`.
    pub disable_continue_button: Option<Cond>,
    /// `reload`: seconds between automatic reloads (Mako text).
    pub reload: Option<Text>,
    /// `check in`: an event run by the browser periodically.
    pub check_in: Option<Text>,
    /// `target`.
    pub target: Option<Text>,
    /// `action buttons`.
    pub action_buttons: Option<ActionButtons>,
    /// `list collect`.
    pub list_collect: Option<ListCollect>,
    /// The input directive.
    pub input: QuestionInput,
    /// Attached documents.
    pub attachments: Option<Attachments>,
    /// `allow emailing`, `allow downloading`, `zip filename`, `email subject`, `email body`,
    /// `email template`, `email address default`, `always include editable files`,
    /// `include attachment notice`, `include download tab`, `describe file types`,
    /// `manual attachment list`, `question metadata`, `ga id`, `segment id`, `segment`,
    /// `url`, `indent`, `extras`: kept by name.
    pub options: Vec<(String, Raw)>,
}

impl Question {
    /// The variables the question can define (spec §3.2).
    pub fn defines(&self, out: &mut Vec<String>) {
        match &self.input {
            QuestionInput::None => {}
            QuestionInput::YesNo { variable, .. }
            | QuestionInput::Continue(variable)
            | QuestionInput::Signature { variable, .. } => out.push(variable.name.clone()),
            QuestionInput::Fields {
                items,
                continue_field,
            } => {
                for item in items {
                    if let FieldItem::Field(f) = item {
                        f.defines(out);
                    }
                }
                out.extend(continue_field.iter().map(|v| v.name.clone()));
            }
            QuestionInput::MultipleChoice {
                field,
                continue_field,
                choices,
                ..
            } => {
                out.extend(field.iter().map(|v| v.name.clone()));
                out.extend(continue_field.iter().map(|v| v.name.clone()));
                for c in &choices.items {
                    if let ChoiceAction::Block(b) = &c.action {
                        out.extend(b.defines());
                    }
                }
            }
            QuestionInput::Review { continue_field, .. } => {
                out.extend(continue_field.iter().map(|v| v.name.clone()));
            }
        }
        if let Some(a) = &self.attachments {
            a.defines(out);
        }
    }
}
