//! The screen a front end shows: everything it needs, in the shape of docassemble's `json=1`
//! representation (protocol spec §2) so that docassemble front ends can read it unchanged.
//! Texts are sanitised HTML.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// docassemble's `questionType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// A form with fields.
    Fields,
    /// Yes/No buttons.
    Yesno,
    /// No/Yes buttons (Yes stores False).
    Noyes,
    /// Yes/No/Maybe.
    Yesnomaybe,
    /// No/Yes/Maybe.
    Noyesmaybe,
    /// Buttons or a list of choices.
    MultipleChoice,
    /// A Continue button that sets a variable to True.
    Settrue,
    /// A signature pad.
    Signature,
    /// A review screen.
    Review,
    /// An end screen: nothing to answer.
    Deadend,
}

/// One screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Screen {
    /// The block's name (`ID <id>` or `Question_<n>`); echoed back with answers.
    #[serde(rename = "_question_name")]
    pub question_name: String,
    /// The kind of question.
    #[serde(rename = "questionType")]
    pub question_type: QuestionType,
    /// For `multiple_choice`: `buttons`, `radio`, `dropdown` or `combobox`.
    #[serde(
        rename = "questionVariety",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub question_variety: Option<String>,
    /// The heading (inline HTML).
    #[serde(rename = "questionText")]
    pub question_text: String,
    /// The body (HTML).
    #[serde(
        rename = "subquestionText",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub subquestion_text: Option<String>,
    /// Text under the buttons (HTML).
    #[serde(rename = "underText", skip_serializing_if = "Option::is_none", default)]
    pub under_text: Option<String>,
    /// Text beside the question (HTML).
    #[serde(rename = "rightText", skip_serializing_if = "Option::is_none", default)]
    pub right_text: Option<String>,
    /// The question's `script` and `css`, rendered (raw HTML for the page's head or end).
    #[serde(flatten, default)]
    pub extras: ScreenExtras,
    /// The `pre`, `submit`, `post` and `footer` screen parts.
    #[serde(flatten, default)]
    pub parts: ScreenParts,
    /// Help panels.
    #[serde(rename = "helpText", skip_serializing_if = "Vec::is_empty", default)]
    pub help_text: Vec<HelpText>,
    /// The label of the help tab.
    #[serde(rename = "helpLabel", skip_serializing_if = "Option::is_none", default)]
    pub help_label: Option<String>,
    /// The interview's `interview help` panels (docassemble's `interviewHelpText`), shown
    /// after the question's own help on every screen.
    #[serde(
        rename = "interviewHelpText",
        skip_serializing_if = "Vec::is_empty",
        default
    )]
    pub interview_help_text: Vec<HelpText>,
    /// The interview's own menu entries (docassemble's `menu_items`: the `menu_items`
    /// variable, a list of `{url, label}`, e.g. from `action_menu_item()`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub menu_items: Vec<MenuItem>,
    /// The Continue button's label.
    #[serde(
        rename = "continueLabel",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub continue_label: Option<String>,
    /// Yes/No/Maybe labels (yes/no questions).
    #[serde(rename = "yesLabel", skip_serializing_if = "Option::is_none", default)]
    pub yes_label: Option<String>,
    /// The label of the button that stores False.
    #[serde(rename = "noLabel", skip_serializing_if = "Option::is_none", default)]
    pub no_label: Option<String>,
    /// The label of the button that stores None.
    #[serde(
        rename = "maybeLabel",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub maybe_label: Option<String>,
    /// The fields (inputs, notes, buttons as choices).
    #[serde(default)]
    pub fields: Vec<ScreenField>,
    /// The `continue button field` (or review `field`) variable.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub question_variable_name: Option<String>,
    /// The variable or event whose seeking produced this screen; echoed back as `_event`.
    #[serde(default)]
    pub event_list: Vec<String>,
    /// The question is mandatory.
    #[serde(default)]
    pub mandatory: bool,
    /// The progress bar value (0–100) when the interview sets one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub progress: Option<f64>,
    /// The section shown as current (its key).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub section: Option<String>,
    /// The interview's sections (`sections` block), when it has them and they are not hidden.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub sections: Vec<NavSection>,
    /// The question language (`*` = any).
    pub language: String,
    /// Errors of a rejected submission, by variable name (docassemble omits these from JSON).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<FieldError>,
    /// A `list collect` screen: the list and the labels of its buttons.
    #[serde(
        rename = "listCollect",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub list_collect: Option<super::list_collect::ListCollectInfo>,
    /// The documents attached to the question (`attachment`/`attachments`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub attachments: Vec<super::attachments::ScreenAttachment>,
    /// `decoration`: the question's image.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub decoration: Option<Decoration>,
    /// The attributions (inline HTML) of the images of `image sets` the screen shows.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub attributions: Vec<String>,
    /// False when the question says `include attachment notice: False` (no "The following
    /// document has been created for you." above the documents).
    #[serde(
        rename = "attachmentNotice",
        skip_serializing_if = "is_true",
        default = "yes"
    )]
    pub attachment_notice: bool,
    /// `manual attachment list: True`: the question shows its documents itself (links in its
    /// text), so the page lists none; the e-mail and ZIP forms stay.
    #[serde(
        rename = "manualAttachmentList",
        skip_serializing_if = "std::ops::Not::not",
        default
    )]
    pub manual_attachment_list: bool,
    /// `allow emailing` (true unless the question says otherwise): the page offers to e-mail
    /// the documents.
    #[serde(
        rename = "allowEmailing",
        skip_serializing_if = "is_true",
        default = "yes"
    )]
    pub allow_emailing: bool,
    /// `allow downloading`: the page offers the documents as one zip file.
    #[serde(rename = "allowDownloading", skip_serializing_if = "is_false", default)]
    pub allow_downloading: bool,
    /// `reload`: the screen reloads itself after this many milliseconds.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reload: Option<u64>,
    /// `check in`: the event the page runs in the background while it is shown, with the
    /// fields' current values as its arguments (`POST /checkin`; docassemble's `do_action`).
    #[serde(rename = "do_action", skip_serializing_if = "Option::is_none", default)]
    pub check_in: Option<String>,
    /// How often the page checks in, in milliseconds (`checkin interval` in `features`,
    /// 6000 by default; 0: only when a field changes), when `check in` is set.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub checkin_interval: Option<u64>,
    /// The vocabulary `terms` linked in the texts: phrase → definition (HTML).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub terms: BTreeMap<String, String>,
    /// The `auto terms` linked in the texts: phrase → definition (HTML).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub autoterms: BTreeMap<String, String>,
    /// The question's `action buttons`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub additional_buttons: Vec<ActionButton>,
    /// Messages for the user (`log(message, priority)` with a priority other than `log`):
    /// docassemble's `message_log`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub message_log: Vec<LogMessage>,
    /// The sections block's `auto open`: every section's subsections are shown open (else
    /// only the current section's).
    #[serde(rename = "autoOpen", skip_serializing_if = "is_false", default)]
    pub auto_open: bool,
}

/// A question's `script` and `css` (docassemble renders both with the question, so a name
/// they use that is not defined yet is asked for first).
/// A question's `decoration` image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decoration {
    /// The image's name (`images` / `image sets`).
    pub name: String,
    /// Its URL.
    pub url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenExtras {
    /// `script`: HTML for the end of the page.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub script: Option<String>,
    /// `css`: HTML for the page's head.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub css: Option<String>,
}

/// Screen parts around the question that docassemble's `json=1` leaves out (its HTML page
/// shows them): HTML texts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenParts {
    /// `pre`: above the question.
    #[serde(rename = "preText", skip_serializing_if = "Option::is_none", default)]
    pub pre: Option<String>,
    /// `submit`: above the buttons.
    #[serde(
        rename = "submitText",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub submit: Option<String>,
    /// `post`: below the buttons (after `under`).
    #[serde(rename = "postText", skip_serializing_if = "Option::is_none", default)]
    pub post: Option<String>,
    /// `footer`: the page's footer.
    #[serde(
        rename = "footerText",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub footer: Option<String>,
    /// The label of the Back button inside the question (docassemble's
    /// `questionBackButton`), when the question (`back button: True`) or the interview
    /// (`question back button` feature) has one; shown only when going back is possible.
    #[serde(
        rename = "questionBackButton",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub back_button: Option<String>,
    /// The `show progress bar percentage` feature: the progress bar shows its value as a
    /// percentage.
    #[serde(
        rename = "showProgressBarPercentage",
        skip_serializing_if = "std::ops::Not::not",
        default
    )]
    pub progress_percentage: bool,
    /// Going back from this screen is not possible: it, or the screen before it, prevented it
    /// (`prevent going back`, `prevent_going_back()`). The server folds this into
    /// `allow_going_back`.
    #[serde(
        rename = "_back_prevented",
        skip_serializing_if = "std::ops::Not::not",
        default
    )]
    pub back_prevented: bool,
}

/// A message shown to the user over the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogMessage {
    /// `info`, `success`, `warning`, `danger` …
    pub priority: String,
    /// The text.
    pub message: String,
}

/// One of a question's `action buttons`: a link that runs an action (or opens a URL).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionButton {
    /// The label (inline HTML).
    pub label: String,
    /// The event or variable to run, or a URL.
    pub action: String,
    /// The action's arguments.
    #[serde(default)]
    pub arguments: serde_json::Map<String, serde_json::Value>,
    /// `color` (a Bootstrap color name).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub color: Option<String>,
    /// `icon` (a Font Awesome name).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub icon: Option<String>,
    /// `placement` (`before`: above the other buttons).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub placement: Option<String>,
    /// `css class`.
    #[serde(rename = "css class", skip_serializing_if = "Option::is_none", default)]
    pub css_class: Option<String>,
    /// `forget prior`: the actions waiting are dropped first.
    #[serde(rename = "forget prior", skip_serializing_if = "is_false", default)]
    pub forget_prior: bool,
    /// `js action`: JavaScript to run instead.
    #[serde(rename = "js action", skip_serializing_if = "Option::is_none", default)]
    pub js_action: Option<String>,
}

impl ActionButton {
    /// The action pressing the button runs: the action with its arguments, or with `forget
    /// prior` the `_da_priority_action` wrapping them; `None` for a URL or a script.
    pub fn to_action(&self) -> Option<super::state::Action> {
        let a = self.action.trim();
        if self.js_action.is_some() || a.contains("://") || a.starts_with('/') || a.is_empty() {
            return None;
        }
        let inner = super::state::Action {
            action: a.to_string(),
            arguments: self.arguments.clone(),
        };
        if !self.forget_prior {
            return Some(inner);
        }
        let mut args = serde_json::Map::new();
        args.insert("_action".into(), serde_json::Value::String(inner.action));
        args.insert(
            "_arguments".into(),
            serde_json::Value::Object(inner.arguments),
        );
        Some(super::state::Action {
            action: "_da_priority_action".into(),
            arguments: args,
        })
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One navigation section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NavSection {
    /// The key `section:` and `nav.set_section()` use (the title when none is given).
    pub key: String,
    /// The title (inline HTML).
    pub title: String,
    /// Subsections.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub subsections: Vec<NavSection>,
}

/// An entry of the interview's menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItem {
    /// Where it leads (an `url_action()` URL runs an action).
    pub url: String,
    /// The text (HTML).
    pub label: String,
}

/// A help panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpText {
    /// The panel heading.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub heading: Option<String>,
    /// The help's `label` (inline HTML): docassemble's navbar names its help tab after the
    /// first panel that has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub label: Option<String>,
    /// The panel body (HTML).
    pub content: String,
}

/// A validation error for one field (or for the whole screen when `variable_name` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The variable the error is about (`""` for the whole screen).
    pub variable_name: String,
    /// What is wrong, for a person.
    pub message: String,
}

/// One item of `fields`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ScreenField {
    /// The position on the screen.
    pub number: usize,
    /// The variable the field sets, as a concrete expression (`people[0].name.first`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub variable_name: Option<String>,
    /// The same, base64-encoded as docassemble names its inputs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub variable_name_encoded: Option<String>,
    /// The datatype (`text`, `integer`, `boolean`, `checkboxes` …).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub datatype: Option<String>,
    /// `multiple_choice` when the field has choices.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub fieldtype: Option<String>,
    /// How it is drawn (`yesno`, `yesnowide`, `radio`, `dropdown`, `combobox`, `area`, …).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub inputtype: Option<String>,
    /// The label (inline HTML).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub label: Option<String>,
    /// Placeholder text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hint: Option<String>,
    /// Help text for the field (HTML).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub helptext: Option<String>,
    /// `under text`: a line shown under the input (inline HTML).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub under_text: Option<String>,
    /// `disabled`: shown but not editable, and nothing is posted or stored for it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disabled: Option<bool>,
    /// A note or HTML item (no input), HTML.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<String>,
    /// Raw HTML item (sanitised with the screen's other html items, see `html_items`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub html: Option<String>,
    /// This html item and the screen's others open and close elements around the fields
    /// between them: a front end must parse them together, with the fields in their places.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub html_spans: bool,
    /// The field must be answered.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub required: Option<bool>,
    /// Shown (false when a server-side `show if` hid it).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub active: Option<bool>,
    /// The initial value.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub default: Option<serde_json::Value>,
    /// The choices.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub choices: Vec<ScreenChoice>,
    /// `min` (number/date).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub min: Option<serde_json::Value>,
    /// `max`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub max: Option<serde_json::Value>,
    /// `step`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub step: Option<serde_json::Value>,
    /// `minlength`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub minlength: Option<i64>,
    /// `maxlength`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub maxlength: Option<i64>,
    /// +1 when Yes stores True, -1 when it stores False (yes/no fields).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sign: Option<i8>,
    /// Label of the true choice (yes/no fields).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub true_label: Option<String>,
    /// Label of the false choice.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub false_label: Option<String>,
    /// Label of the maybe choice.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub maybe_label: Option<String>,
    /// Client-side `show if`: show when the field for `show_if_var` has value `show_if_val`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub show_if_var: Option<String>,
    /// The value compared with (`null` for `is: null` is a value: it survives being stored).
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "present_value"
    )]
    pub show_if_val: Option<serde_json::Value>,
    /// 1 for `show if`, 0 for `hide if`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub show_if_sign: Option<i8>,
    /// Client-side `show if: code`: the expression lowered to pyeval's IR, with the variables it
    /// reads, for the browser to evaluate as the user types.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub show_if_code: Option<ShowIfCode>,
    /// Messages for client-side validation (`required`, `min`, `max` …).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty", default)]
    pub validation_messages: std::collections::BTreeMap<String, String>,
    /// `none of the above` label for checkboxes (empty when not offered).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub none_of_the_above: Option<String>,
    /// `all of the above` label.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub all_of_the_above: Option<String>,
    /// On a `list collect` screen: the list item this field belongs to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub collect_number: Option<usize>,
    /// On a `list collect` screen: `mid` for an item of the list, `extra` for a blank item the
    /// user may add (inactive until added).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub collect_type: Option<String>,
    /// A review item's edit action: what docassemble puts in the item's `data-action` (the
    /// encoded JSON `{"action", "arguments"}`); a front end posts it back as `_action`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub action: Option<String>,
    /// `css class` of a review item.
    #[serde(rename = "css class", skip_serializing_if = "Option::is_none", default)]
    pub css_class: Option<String>,
    /// The field's `currency symbol` (currency fields; the browser shows `$` without one).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub currency_symbol: Option<String>,
    /// The field's `validate:` function (Python), called with the converted answer: a false
    /// result or a `validation_error()` refuses it. Kept for the server's own check; not part
    /// of the screen a client is sent.
    #[serde(skip_serializing_if = "Option::is_none", default, rename = "_validate")]
    pub validate: Option<String>,
    /// `disable others`: while this field has a value, the fields posted under these names
    /// are disabled (not posted, not required).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disable_others: Option<Vec<String>>,
    /// `uncheck others` (yes/no checkboxes): checking this box unchecks the boxes posted under
    /// these names (and checking one of them unchecks this one); one of them must be checked.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub uncheck_others: Option<Vec<String>>,
    /// `check others` (yes/no checkboxes): checking this box checks the boxes posted under
    /// these names, and unchecking one of them unchecks this one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub check_others: Option<Vec<String>>,
}

impl ScreenField {
    /// The name the field's input is posted under: `variable_name_encoded` decoded (docassemble
    /// names a `disable others` field `_field_N`, an alias of its variable), else the variable.
    pub fn input_name(&self) -> Option<Cow<'_, str>> {
        match (self.variable_name_encoded.as_deref(), &self.variable_name) {
            // The usual case, the variable's own name encoded: no decoding needed.
            (Some(encoded), Some(var)) if is_encoding_of(encoded, var) => Some(Cow::Borrowed(var)),
            (Some(encoded), var) => decode_name(encoded)
                .map(Cow::Owned)
                .or_else(|| var.as_deref().map(Cow::Borrowed)),
            (None, var) => var.as_deref().map(Cow::Borrowed),
        }
    }
}

/// The alias docassemble posts field `number` under when the field needs one.
pub fn field_alias(number: usize) -> String {
    format!("_field_{number}")
}

/// A browser-evaluable `show if` expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShowIfCode {
    /// The expression, lowered.
    pub expression: pyeval::Expr,
    /// The source, for debugging.
    pub source: String,
    /// 1 for `show if`, 0 for `hide if`.
    pub sign: i8,
    /// A `js show if` read as Python: only the browser decides (the field is posted when it is
    /// shown), the server's `active` is only the first state.
    #[serde(skip_serializing_if = "is_false", default)]
    pub js: bool,
}

/// One choice of a field or a multiple-choice question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ScreenChoice {
    /// The label (inline HTML).
    pub label: String,
    /// The value posted (`null` for a `Null` choice is a value: it survives being stored).
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "present_value"
    )]
    pub value: Option<serde_json::Value>,
    /// For checkboxes and buttons without a variable: the variable this choice sets.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub variable_name: Option<String>,
    /// The same, base64-encoded.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub variable_name_encoded: Option<String>,
    /// Help for the choice (HTML).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub help: Option<String>,
    /// Selected by default.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub selected: Option<bool>,
    /// A button colour.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub color: Option<String>,
    /// A special button command (`restart`, `exit`, …), for front ends.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub command: Option<String>,
}

/// docassemble's variable-name encoding: standard base64 with `=` and newlines removed.
pub fn encode_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len().div_ceil(3) * 4);
    for chunk in name.as_bytes().chunks(3) {
        let (chars, n) = encode_chunk(chunk);
        out.extend(chars[..n].iter().map(|&c| char::from(c)));
    }
    out
}

/// The base64 characters (no padding) of up to three bytes, and how many there are.
fn encode_chunk(chunk: &[u8]) -> ([u8; 4], usize) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
    let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
    let c = |i: u32| ALPHABET[((n >> (18 - 6 * i)) & 63) as usize];
    ([c(0), c(1), c(2), c(3)], chunk.len().min(3) + 1)
}

/// Is `encoded` exactly what [`encode_name`] makes of `name`? (No allocation.)
fn is_encoding_of(encoded: &str, name: &str) -> bool {
    let encoded = encoded.as_bytes();
    if encoded.len() != name.len().div_ceil(3) + name.len() {
        return false;
    }
    name.as_bytes()
        .chunks(3)
        .zip(encoded.chunks(4))
        .all(|(chunk, enc)| {
            let (chars, n) = encode_chunk(chunk);
            chars[..n] == *enc
        })
}

/// Decodes a docassemble-encoded name the way docassemble does: characters outside the
/// alphabet are skipped, padding is optional. `None` for lengths that cannot be base64 or
/// bytes that are not UTF-8.
pub fn decode_name(encoded: &str) -> Option<String> {
    let mut buf: u32 = 0;
    let mut bits = 0u32;
    let mut out: Vec<u8> = Vec::with_capacity(encoded.len() * 3 / 4);
    let mut count = 0usize;
    // Bytes, not characters: every alphabet character is ASCII, and the bytes of any other
    // character are skipped just as the character would be.
    for &b in encoded.as_bytes() {
        let v = match b {
            b'A'..=b'Z' => u32::from(b - b'A'),
            b'a'..=b'z' => u32::from(b - b'a') + 26,
            b'0'..=b'9' => u32::from(b - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => continue,
        };
        count += 1;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buf >> bits) & 0xff) as u8);
        }
    }
    if count % 4 == 1 {
        return None;
    }
    String::from_utf8(out).ok()
}

fn is_true(b: &bool) -> bool {
    *b
}

fn yes() -> bool {
    true
}

/// A member that is present is `Some`, even when it is `null` (serde reads a `null` into an
/// `Option` as `None`).
fn present_value<'de, D>(d: D) -> Result<Option<serde_json::Value>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    <serde_json::Value as serde::Deserialize>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_encode_like_docassemble() {
        for (plain, enc) in [
            ("favorite_fruit", "ZmF2b3JpdGVfZnJ1aXQ"),
            ("likes_turnips", "bGlrZXNfdHVybmlwcw"),
            ("_multiple_choice", "X211bHRpcGxlX2Nob2ljZQ"),
            ("_field_0", "X2ZpZWxkXzA"),
            ("fruit['apple']", "ZnJ1aXRbJ2FwcGxlJ10"),
            ("x[i]", "eFtpXQ"),
            ("fruits['>']", "ZnJ1aXRzWyc+J10"),
        ] {
            assert_eq!(encode_name(plain), enc);
            assert_eq!(decode_name(enc).as_deref(), Some(plain));
            assert!(is_encoding_of(enc, plain));
            assert!(!is_encoding_of(&format!("{enc}="), plain));
            assert!(!is_encoding_of(enc, "_field_1"));
        }
        // A field posted under an alias keeps the alias as its input name.
        let f = ScreenField {
            variable_name: Some("fruit".into()),
            variable_name_encoded: Some(encode_name("_field_3")),
            ..ScreenField::default()
        };
        assert_eq!(f.input_name().as_deref(), Some("_field_3"));
        let f = ScreenField {
            variable_name: Some("fruit".into()),
            variable_name_encoded: Some(encode_name("fruit")),
            ..ScreenField::default()
        };
        assert_eq!(f.input_name().as_deref(), Some("fruit"));
    }

    #[test]
    fn decoding_is_lenient_like_docassemble() {
        assert_eq!(
            decode_name("ZmF2b3JpdGVfZnJ1aXQ=").as_deref(),
            Some("favorite_fruit")
        );
        assert_eq!(
            decode_name("ZmF2b3J*pdGVfZnJ1aXQ").as_deref(),
            Some("favorite_fruit")
        );
        assert_eq!(decode_name("Z"), None);
        assert_eq!(decode_name("/w"), None); // 0xff is not UTF-8
    }

    #[test]
    fn screens_serialise_with_docassemble_keys() {
        let s = Screen {
            question_name: "Question_0".into(),
            question_type: QuestionType::MultipleChoice,
            question_variety: Some("buttons".into()),
            question_text: "Hi".into(),
            subquestion_text: None,
            under_text: None,
            extras: ScreenExtras::default(),
            right_text: None,
            parts: ScreenParts::default(),
            help_text: vec![],
            help_label: None,
            interview_help_text: vec![],
            menu_items: vec![],
            continue_label: None,
            yes_label: None,
            no_label: None,
            maybe_label: None,
            fields: vec![],
            question_variable_name: None,
            event_list: vec!["x".into()],
            mandatory: true,
            progress: None,
            section: None,
            sections: vec![],
            language: "*".into(),
            errors: vec![],
            list_collect: None,
            attachments: vec![],
            decoration: None,
            attributions: Vec::new(),
            attachment_notice: true,
            manual_attachment_list: false,
            allow_emailing: true,
            allow_downloading: false,
            reload: None,
            check_in: None,
            checkin_interval: None,
            terms: BTreeMap::new(),
            autoterms: BTreeMap::new(),
            additional_buttons: Vec::new(),
            auto_open: false,
            message_log: Vec::new(),
        };
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["questionType"], "multiple_choice");
        assert_eq!(json["_question_name"], "Question_0");
        assert_eq!(json["questionText"], "Hi");
        assert!(json.get("subquestionText").is_none());
    }
}
