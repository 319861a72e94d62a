//! The screen document the server sends (`GET/POST /interview?json=1`): docassemble's `json=1`
//! shape (protocol spec §2) plus the keys Colloquy's server adds. Deserialisation is lenient:
//! unknown keys are ignored and most keys are optional, so a newer server does not break the app.

use std::collections::BTreeMap;
use std::sync::Arc;

pub use crate::json::Json;

/// One screen.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Screen {
    /// The block's name; echoed back with answers.
    pub question_name: String,
    /// `fields`, `yesno`, `noyes`, `yesnomaybe`, `noyesmaybe`, `multiple_choice`, `settrue`,
    /// `signature`, `review`, `deadend`.
    pub question_type: String,
    /// For `multiple_choice`: `buttons`, `radio`, `dropdown` or `combobox`.
    pub question_variety: Option<String>,
    /// The heading (inline HTML).
    pub question_text: String,
    /// The body (HTML).
    pub subquestion_text: Option<String>,
    /// Text under the buttons (HTML).
    pub under_text: Option<String>,
    /// Text beside the question (HTML).
    pub right_text: Option<String>,
    /// Screen parts (`pre`, `submit`, `post`, `footer`): HTML above the question, above the
    /// buttons, after the rest, and at the foot of the page.
    pub pre_text: Option<String>,
    pub submit_text: Option<String>,
    pub post_text: Option<String>,
    pub footer_text: Option<String>,
    /// Help panels.
    pub help_text: Vec<HelpText>,
    /// The label of the help control.
    pub help_label: Option<String>,
    /// The label of the control that leaves the help screen (docassemble: "Back to question").
    pub help_back_label: Option<String>,
    /// The interview's `interview help` panels, shown after the question's own.
    pub interview_help_text: Vec<HelpText>,
    /// The interview's menu entries (`menu_items`).
    pub menu_items: Vec<MenuItem>,
    /// `list collect`: the items of a list on one screen, with Delete and Add another.
    pub list_collect: Option<ListCollect>,
    /// The Continue button's label.
    pub continue_label: Option<String>,
    /// The label of the button that stores True.
    pub yes_label: Option<String>,
    /// The label of the button that stores False.
    pub no_label: Option<String>,
    /// The label of the button that stores None.
    pub maybe_label: Option<String>,
    /// Fields, notes and choice lists.
    pub fields: Vec<Field>,
    /// The `continue button field` (or review `field`) variable.
    pub question_variable_name: Option<String>,
    /// What caused this question.
    pub event_list: Vec<String>,
    /// Mandatory question.
    pub mandatory: bool,
    /// Progress bar value (0–100).
    pub progress: Option<f64>,
    /// The current section.
    pub section: Option<String>,
    /// All sections, when the interview defines them (strings or `{title}` objects).
    pub sections: Vec<Json>,
    /// The documents the question offers.
    pub attachments: Vec<Attachment>,
    /// `decoration`: the URL of the question's image.
    pub decoration: Option<String>,
    /// The attributions of the images shown (inline HTML).
    pub attributions: Vec<String>,
    /// `false` when the question turns docassemble's document notice off.
    pub attachment_notice: Option<bool>,
    /// `manual attachment list`: the question links its documents itself.
    pub manual_attachment_list: bool,
    /// The question language.
    pub language: String,
    /// Errors of a rejected submission (`variable_name` `""` = the whole screen).
    pub errors: Vec<FieldError>,
    /// CSRF token to echo.
    pub csrf_token: Option<String>,
    /// `allow downloading`: the documents may be downloaded as one ZIP file.
    pub allow_downloading: bool,
    /// `allow emailing` (docassemble's default: yes): the documents may be e-mailed.
    pub allow_emailing: bool,
    /// The step number.
    pub steps: Option<i64>,
    /// Whether Back is offered.
    pub allow_going_back: bool,
    /// The label of the Back button among the question's buttons (`questionBackButton`).
    pub question_back_button: Option<String>,
    /// The progress bar shows its value as a percentage (`showProgressBarPercentage`).
    pub progress_percentage: bool,
    /// The browser tab title.
    pub browser_title: Option<String>,
    /// The page language (`en`).
    pub lang: Option<String>,
    /// Echoed back.
    pub tracker: Option<Json>,
    /// Echoed back (base64 JSON).
    pub datatypes: Option<String>,
    /// Echoed back when present (base64 JSON).
    pub varnames: Option<String>,
    /// The session id, for the URL.
    pub session: Option<String>,
    /// The interview reference.
    pub i: Option<String>,
    /// `show login` (metadata): `false` hides the sign-in link (docassemble then offers Exit).
    pub show_login: Option<bool>,
    /// `exit label` (metadata): the Exit entry's text.
    pub exit_label: Option<String>,
    /// `hide standard menu` (features): no Exit entry beside the interview's menu items.
    pub hide_standard_menu: bool,
    /// `question help button` (features): the question's help is a button under the question.
    pub question_help_button: bool,
    /// `reload`: ask for the current question again after this many milliseconds.
    pub reload: Option<i64>,
    /// `check in`: the event `POST /checkin` runs while the screen is shown (`do_action`),
    /// and how often, in milliseconds (`checkin_interval`; 0: only when a field changes).
    pub check_in: Option<(String, i64)>,
    /// The question's `action buttons`.
    pub action_buttons: Vec<ActionButton>,
    /// `debug` (features): `false` hides what docassemble shows only in debug mode (a
    /// document's Markdown tab). Absent means on.
    pub debug: Option<bool>,
    /// What finished background tasks tell the page: `(action, value)` with action `refresh`,
    /// `flash`, `fields` or `javascript` (docassemble's check-in commands).
    pub notifications: Vec<(String, Json)>,
    /// docassemble's `message_log`: what `log(message, priority)` told the user.
    pub message_log: Vec<String>,
    /// The JSON text the screen was parsed from (handed to the on-demand evaluator).
    pub raw: Arc<str>,
}

/// A document attached to a question.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attachment {
    /// The name (HTML).
    pub name: String,
    /// The file name, without extension.
    pub filename: String,
    /// The description (HTML).
    pub description: String,
    /// The formats it is valid in (docassemble shows documents with at least one).
    pub valid_formats: Vec<String>,
    /// The document as HTML, for the preview.
    pub html: Option<String>,
    /// Download URLs by format (`pdf`, `rtf`, `docx`, `md`).
    pub url: std::collections::BTreeMap<String, String>,
    /// The Markdown source by format.
    pub markdown: std::collections::BTreeMap<String, String>,
}

/// One of a question's `action buttons`: a link that runs an action (or opens an address).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionButton {
    /// The label (inline HTML).
    pub label: String,
    /// The event or variable to run, or an address.
    pub action: String,
    /// The action's arguments (an object).
    pub arguments: Json,
    /// `color` (a Bootstrap colour name).
    pub color: Option<String>,
    /// `placement`: `before` puts it above the question's body.
    pub placement: Option<String>,
    /// `css class`.
    pub css_class: Option<String>,
}

impl ActionButton {
    /// Reads one from its JSON object.
    pub fn from_json(v: &Json) -> Self {
        let o = v.obj();
        ActionButton {
            label: o.str("label"),
            action: o.str("action"),
            arguments: o
                .value("arguments")
                .unwrap_or(Json::Object(BTreeMap::new())),
            color: o.opt_str("color"),
            placement: o.opt_str("placement"),
            css_class: o.opt_str("css class"),
        }
    }

    /// Whether the action is an address to open rather than an action to run.
    pub fn is_address(&self) -> bool {
        let a = self.action.trim();
        a.contains("://") || a.starts_with('/') || a.starts_with('?') || a.starts_with('#')
    }

    /// The encoded action (docassemble's `url_action`): base64 of `{"action", "arguments"}`.
    pub fn encoded_action(&self) -> String {
        let mut text = String::from("{\"action\":");
        crate::json::write_str(&self.action, &mut text);
        text.push_str(",\"arguments\":");
        match &self.arguments {
            Json::Object(_) => text.push_str(&self.arguments.to_text()),
            _ => text.push_str("{}"),
        }
        text.push('}');
        encode_name(&text)
    }
}

/// An entry of the interview's menu (`menu_items`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MenuItem {
    /// Where it leads (an `url_action()` link runs its action).
    pub url: String,
    /// The text (HTML).
    pub label: String,
}

/// A `list collect` screen's `listCollect`: what the user may do with its items.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListCollect {
    /// Items may be deleted.
    pub allow_delete: bool,
    /// Blank items may be added.
    pub allow_append: bool,
    /// The labels of the Delete, Add another, (Deleted) and Undelete controls.
    pub delete_label: String,
    pub add_another_label: String,
    pub deleted_label: String,
    pub undelete_label: String,
}

impl ListCollect {
    /// Reads one from its JSON object (lenient: missing labels are docassemble's).
    pub fn from_json(v: &Json) -> Self {
        let o = v.obj();
        let label = |k: &str, d: &str| o.opt_str(k).unwrap_or_else(|| d.to_string());
        ListCollect {
            allow_delete: o.opt_bool("allowDelete").unwrap_or(true),
            allow_append: o.opt_bool("allowAppend").unwrap_or(true),
            delete_label: label("deleteLabel", "Delete"),
            add_another_label: label("addAnotherLabel", "Add another"),
            deleted_label: label("deletedLabel", "(Deleted)"),
            undelete_label: label("undeleteLabel", "Undelete"),
        }
    }
}

/// A help panel.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HelpText {
    /// The panel heading.
    pub heading: Option<String>,
    /// The help's label (inline HTML).
    pub label: Option<String>,
    /// The body (HTML).
    pub content: String,
}

/// A validation error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldError {
    /// The variable (plain or encoded name; `""` = whole screen).
    pub variable_name: String,
    /// What is wrong.
    pub message: String,
}

/// One item of `fields`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Field {
    /// Position (an int, or `"<row>_<n>"` in list collect).
    pub number: Json,
    /// The variable set.
    pub variable_name: Option<String>,
    /// The input name.
    pub variable_name_encoded: Option<String>,
    /// `text`, `integer`, `boolean`, `checkboxes` …
    pub datatype: Option<String>,
    /// `multiple_choice` when the field has choices.
    pub fieldtype: Option<String>,
    /// `yesno`, `yesnowide`, `yesnoradio`, `radio`, `dropdown`, `combobox`, `area`, …
    pub inputtype: Option<String>,
    /// The label (inline HTML).
    pub label: Option<String>,
    /// Placeholder.
    pub hint: Option<String>,
    /// Help (HTML).
    pub helptext: Option<String>,
    /// `under text` (inline HTML).
    pub under_text: Option<String>,
    /// `disabled`: shown, not editable, not posted.
    pub disabled: bool,
    /// A note (HTML).
    pub note: Option<String>,
    /// An HTML item.
    pub html: Option<String>,
    /// This html item opens or closes elements around the rows between it and the screen's
    /// other such items (see `dom::weave_html_items`).
    pub html_spans: bool,
    /// Required.
    pub required: Option<bool>,
    /// Shown (false when a server-side `show if` hid it).
    pub active: Option<bool>,
    /// The initial value.
    pub default: Option<Json>,
    /// Choices.
    pub choices: Vec<Choice>,
    /// `min`.
    pub min: Option<Json>,
    /// `max`.
    pub max: Option<Json>,
    /// `step`.
    pub step: Option<Json>,
    /// `minlength`.
    pub minlength: Option<i64>,
    /// `maxlength`.
    pub maxlength: Option<i64>,
    /// +1: checked/Yes stores True; -1: it stores False.
    pub sign: Option<i8>,
    /// Label of the true choice.
    pub true_label: Option<String>,
    /// Label of the false choice.
    pub false_label: Option<String>,
    /// Label of the maybe choice.
    pub maybe_label: Option<String>,
    /// `show if` on another field: its variable.
    pub show_if_var: Option<String>,
    /// The value compared with.
    pub show_if_val: Option<Json>,
    /// 1 `show if`, 0 `hide if`.
    pub show_if_sign: Option<i8>,
    /// `show if: code` lowered to pyeval IR.
    pub show_if_code: Option<ShowIfCode>,
    /// Messages for client-side validation.
    pub validation_messages: BTreeMap<String, String>,
    /// `none of the above` label (checkboxes).
    pub none_of_the_above: Option<Json>,
    /// `all of the above` label.
    pub all_of_the_above: Option<Json>,
    /// Accepted file types.
    pub accept: Option<String>,
    /// Textarea rows.
    pub rows: Option<Json>,
    /// A review item's edit action (encoded JSON), posted back as `_action`.
    pub action: Option<String>,
    /// `list collect`: the item this field belongs to, and whether it is a blank one.
    pub collect_number: Option<usize>,
    pub collect_extra: bool,
    /// The currency symbol of a currency field (`$` when absent).
    pub currency_symbol: Option<String>,
    /// `uncheck others` (a yes/no box): the input names of the boxes checking it unchecks.
    pub uncheck_others: Vec<String>,
    /// `check others` (a yes/no box): the input names of the boxes checking it checks.
    pub check_others: Vec<String>,
    /// `disable others`: the input names of the fields disabled while this one has a value.
    pub disable_others: Vec<String>,
}

/// `show if: code` for the browser.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShowIfCode {
    /// pyeval IR (`pyeval::Expr` as JSON), parsed lazily so an IR mismatch only disables
    /// client-side evaluation.
    pub expression: Json,
    /// The source.
    pub source: String,
    /// 1 `show if`, 0 `hide if`.
    pub sign: i8,
    /// Server-side values of variables the code reads that are not on the screen (optional:
    /// without them such code keeps the server's `active`).
    pub values: BTreeMap<String, Json>,
    /// A `js show if` read as Python.
    pub js: bool,
}

/// One choice.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choice {
    /// The label (inline HTML).
    pub label: String,
    /// The value.
    pub value: Option<Json>,
    /// The variable this choice sets (checkboxes, buttons without a variable).
    pub variable_name: Option<String>,
    /// The same, encoded.
    pub variable_name_encoded: Option<String>,
    /// Help (HTML).
    pub help: Option<String>,
    /// Selected by default.
    pub selected: Option<bool>,
    /// Button colour.
    pub color: Option<String>,
    /// Special command (`restart`, `exit`, `leave`, `refresh`, `new_session`).
    pub command: Option<String>,
}

impl Screen {
    /// The HTML of the html items that span one another (`html_spans`), by field number.
    pub fn spanning_html(&self) -> Vec<(usize, String)> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.html_spans)
            .filter_map(|(i, f)| Some((i, f.html.clone()?)))
            .collect()
    }

    /// Reads one from its JSON object (lenient: missing or mistyped members are absent).
    pub fn from_json(v: &Json) -> Self {
        let o = v.obj();
        Screen {
            question_name: o.str("_question_name"),
            question_type: o.str("questionType"),
            question_variety: o.opt_str("questionVariety"),
            question_text: o.str("questionText"),
            subquestion_text: o.opt_str("subquestionText"),
            under_text: o.opt_str("underText"),
            right_text: o.opt_str("rightText"),
            pre_text: o.opt_str("preText"),
            submit_text: o.opt_str("submitText"),
            post_text: o.opt_str("postText"),
            footer_text: o.opt_str("footerText"),
            help_text: o.list("helpText", HelpText::from_json),
            help_label: o.opt_str("helpLabel"),
            help_back_label: o.opt_str("helpBackLabel"),
            interview_help_text: o.list("interviewHelpText", HelpText::from_json),
            menu_items: o.list("menu_items", MenuItem::from_json),
            list_collect: o.get("listCollect").map(ListCollect::from_json),
            continue_label: o.opt_str("continueLabel"),
            yes_label: o.opt_str("yesLabel"),
            no_label: o.opt_str("noLabel"),
            maybe_label: o.opt_str("maybeLabel"),
            fields: o.list("fields", Field::from_json),
            question_variable_name: o.opt_str("question_variable_name"),
            event_list: o.strings("event_list"),
            mandatory: o.bool("mandatory"),
            progress: o.opt_f64("progress"),
            section: o.opt_str("section"),
            sections: o.list("sections", Json::clone),
            attachments: o.list("attachments", Attachment::from_json),
            decoration: o.get("decoration").and_then(|d| d.obj().opt_str("url")),
            attributions: o.strings("attributions"),
            attachment_notice: o.opt_bool("attachmentNotice"),
            manual_attachment_list: o.bool("manualAttachmentList"),
            language: o.str("language"),
            errors: o.list("errors", FieldError::from_json),
            csrf_token: o.opt_str("csrf_token"),
            allow_downloading: o.opt_bool("allowDownloading").unwrap_or(false),
            allow_emailing: o.opt_bool("allowEmailing").unwrap_or(true),
            steps: o.opt_i64("steps"),
            allow_going_back: o.bool("allow_going_back"),
            question_back_button: o.opt_str("questionBackButton"),
            progress_percentage: o.bool("showProgressBarPercentage"),
            browser_title: o.opt_str("browser_title"),
            lang: o.opt_str("lang"),
            tracker: o.value("_tracker"),
            datatypes: o.opt_str("_datatypes"),
            varnames: o.opt_str("_varnames"),
            session: o.opt_str("session"),
            i: o.opt_str("i"),
            show_login: o.opt_bool("show_login"),
            exit_label: o.opt_str("exit_label"),
            hide_standard_menu: o.bool("hide_standard_menu"),
            question_help_button: o.bool("questionHelpButton"),
            reload: o.opt_i64("reload").filter(|ms| *ms > 0),
            check_in: o
                .opt_str("do_action")
                .map(|e| (e, o.opt_i64("checkin_interval").unwrap_or(6000))),
            action_buttons: o.list("additional_buttons", ActionButton::from_json),
            debug: o.opt_bool("debug"),
            notifications: o.list("notifications", |n| {
                let n = n.obj();
                (n.str("action"), n.value("value").unwrap_or_default())
            }),
            message_log: o.list("message_log", |m| m.obj().str("message")),
            raw: Default::default(),
        }
    }
}

impl Attachment {
    /// Reads one from its JSON object (lenient: missing or mistyped members are absent).
    pub fn from_json(v: &Json) -> Self {
        let o = v.obj();
        Attachment {
            name: o.str("name"),
            filename: o.str("filename"),
            description: o.str("description"),
            valid_formats: o.strings("valid_formats"),
            html: o.opt_str("html"),
            url: o.string_map("url"),
            markdown: o.string_map("markdown"),
        }
    }
}

impl MenuItem {
    /// Reads one from its JSON object (lenient: missing or mistyped members are absent).
    pub fn from_json(v: &Json) -> Self {
        let o = v.obj();
        MenuItem {
            url: o.str("url"),
            label: o.str("label"),
        }
    }
}

impl HelpText {
    /// Reads one from its JSON object (lenient: missing or mistyped members are absent).
    pub fn from_json(v: &Json) -> Self {
        let o = v.obj();
        HelpText {
            heading: o.opt_str("heading"),
            label: o.opt_str("label"),
            content: o.str("content"),
        }
    }
}

impl FieldError {
    /// Reads one from its JSON object (lenient: missing or mistyped members are absent).
    pub fn from_json(v: &Json) -> Self {
        let o = v.obj();
        FieldError {
            variable_name: o.str("variable_name"),
            message: o.str("message"),
        }
    }
}

impl Field {
    /// Reads one from its JSON object (lenient: missing or mistyped members are absent).
    pub fn from_json(v: &Json) -> Self {
        let o = v.obj();
        Field {
            number: o.value("number").unwrap_or_default(),
            variable_name: o.opt_str("variable_name"),
            variable_name_encoded: o.opt_str("variable_name_encoded"),
            datatype: o.opt_str("datatype"),
            fieldtype: o.opt_str("fieldtype"),
            inputtype: o.opt_str("inputtype"),
            label: o.opt_str("label"),
            hint: o.opt_str("hint"),
            helptext: o.opt_str("helptext"),
            under_text: o.opt_str("under_text"),
            disabled: o.opt_bool("disabled") == Some(true),
            note: o.opt_str("note"),
            html: o.opt_str("html"),
            html_spans: o.opt_bool("html_spans") == Some(true),
            required: o.opt_bool("required"),
            active: o.opt_bool("active"),
            default: o.value("default"),
            choices: o.list("choices", Choice::from_json),
            min: o.value("min"),
            max: o.value("max"),
            step: o.value("step"),
            minlength: o.opt_i64("minlength"),
            maxlength: o.opt_i64("maxlength"),
            sign: o.opt_i64("sign").and_then(|v| i8::try_from(v).ok()),
            true_label: o.opt_str("true_label"),
            false_label: o.opt_str("false_label"),
            maybe_label: o.opt_str("maybe_label"),
            show_if_var: o.opt_str("show_if_var"),
            // (`null`, from `is: null`, is a value: a blank or "None" answer)
            show_if_val: o.get_or_null("show_if_val").cloned(),
            show_if_sign: o.opt_i64("show_if_sign").and_then(|v| i8::try_from(v).ok()),
            show_if_code: o.get("show_if_code").map(ShowIfCode::from_json),
            validation_messages: o.string_map("validation_messages"),
            none_of_the_above: o.value("none_of_the_above"),
            all_of_the_above: o.value("all_of_the_above"),
            accept: o.opt_str("accept"),
            rows: o.value("rows"),
            action: o.opt_str("action"),
            collect_number: o
                .opt_i64("collect_number")
                .and_then(|n| usize::try_from(n).ok()),
            collect_extra: o.opt_str("collect_type").as_deref() == Some("extra"),
            currency_symbol: o.opt_str("currency_symbol"),
            uncheck_others: o.strings("uncheck_others"),
            check_others: o.strings("check_others"),
            disable_others: o.strings("disable_others"),
        }
    }
}

impl ShowIfCode {
    /// Reads one from its JSON object (lenient: missing or mistyped members are absent).
    pub fn from_json(v: &Json) -> Self {
        let o = v.obj();
        ShowIfCode {
            expression: o.value("expression").unwrap_or_default(),
            source: o.str("source"),
            sign: o
                .opt_i64("sign")
                .and_then(|v| i8::try_from(v).ok())
                .unwrap_or(0),
            values: o.map("values"),
            js: o.opt_bool("js").unwrap_or(false),
        }
    }
}

impl Choice {
    /// Reads one from its JSON object (lenient: missing or mistyped members are absent).
    pub fn from_json(v: &Json) -> Self {
        let o = v.obj();
        Choice {
            label: o.str("label"),
            // (a `Null` choice's `null` is its value: posted as `None`)
            value: o.get_or_null("value").cloned(),
            variable_name: o.opt_str("variable_name"),
            variable_name_encoded: o.opt_str("variable_name_encoded"),
            help: o.opt_str("help"),
            selected: o.opt_bool("selected"),
            color: o.opt_str("color"),
            command: o.opt_str("command"),
        }
    }
}

/// How a field is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A note or HTML item (no input).
    Note,
    /// `<input type=…>`.
    Input(&'static str),
    /// `<textarea>`.
    Area,
    /// A range slider.
    Range,
    /// A yes/no checkbox (`wide`: full-width).
    YesNoCheckbox { wide: bool },
    /// Yes/No (and maybe Maybe) radio buttons.
    YesNoRadio { maybe: bool },
    /// Checkboxes, one per choice.
    Checkboxes,
    /// `<select multiple>`.
    Multiselect,
    /// Radio buttons.
    Radio,
    /// `<select>`.
    Dropdown,
    /// Text input with a list of suggestions.
    Combobox,
    /// File upload (`multiple` for `files`).
    File { multiple: bool },
    /// Hidden input.
    Hidden,
}

impl Field {
    /// The datatype, `text` when absent.
    pub fn datatype(&self) -> &str {
        self.datatype.as_deref().unwrap_or("text")
    }

    /// Whether an answer is required (docassemble's default is yes).
    pub fn is_required(&self) -> bool {
        self.required.unwrap_or(true)
    }

    /// How the field is drawn.
    pub fn kind(&self) -> Kind {
        if self.variable_name_encoded.is_none() {
            return Kind::Note;
        }
        let dt = self.datatype();
        let it = self.inputtype.as_deref().unwrap_or("");
        match dt {
            "boolean" => match it {
                "yesnoradio" | "noyesradio" | "radio" => Kind::YesNoRadio { maybe: false },
                "yesnowide" | "noyeswide" => Kind::YesNoCheckbox { wide: true },
                _ => Kind::YesNoCheckbox { wide: false },
            },
            "threestate" => Kind::YesNoRadio { maybe: true },
            "checkboxes" | "object_checkboxes" => Kind::Checkboxes,
            "multiselect" | "object_multiselect" => Kind::Multiselect,
            "file" | "camera" | "user" | "environment" | "camcorder" | "microphone" => {
                Kind::File { multiple: false }
            }
            "files" => Kind::File { multiple: true },
            "range" => Kind::Range,
            "area" => Kind::Area,
            "object_radio" | "radio" => Kind::Radio,
            _ if it == "hidden" => Kind::Hidden,
            _ if !self.choices.is_empty()
                || self.fieldtype.as_deref() == Some("multiple_choice") =>
            {
                match it {
                    "radio" => Kind::Radio,
                    "combobox" | "datalist" => Kind::Combobox,
                    _ => Kind::Dropdown,
                }
            }
            _ if it == "area" => Kind::Area,
            "email" => Kind::Input("email"),
            "password" => Kind::Input("password"),
            "number" | "integer" | "currency" | "float" => Kind::Input("number"),
            "date" => Kind::Input("date"),
            "time" => Kind::Input("time"),
            "datetime" => Kind::Input("datetime-local"),
            _ => Kind::Input("text"),
        }
    }

    /// A choice field whose choices all came out empty (not a combobox, which takes typed
    /// text): docassemble leaves it off the page, neither checked nor posted.
    pub fn has_no_choices(&self) -> bool {
        self.choices.is_empty()
            && matches!(
                self.kind(),
                Kind::Checkboxes | Kind::Multiselect | Kind::Radio | Kind::Dropdown
            )
    }

    /// The `none of the above` label, when offered.
    pub fn none_label(&self) -> Option<String> {
        label_opt(self.none_of_the_above.as_ref())
    }

    /// The `all of the above` label, when offered.
    pub fn all_label(&self) -> Option<String> {
        label_opt(self.all_of_the_above.as_ref())
    }
}

fn label_opt(v: Option<&Json>) -> Option<String> {
    match v? {
        Json::Str(s) if !s.is_empty() => Some(s.clone()),
        Json::Bool(true) => Some("None of the above".to_string()),
        _ => None,
    }
}

/// Python's `str()` of a JSON scalar, as docassemble posts choice values (`True`, `1`, `apple`).
pub fn py_str(v: &Json) -> String {
    match v {
        Json::Null => "None".to_string(),
        Json::Bool(true) => "True".to_string(),
        Json::Bool(false) => "False".to_string(),
        Json::Int(i) => i.to_string(),
        Json::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e16 {
                let mut s = (*f as i64).to_string();
                s.push_str(".0");
                s
            } else {
                crate::num::f64_text(*f)
            }
        }
        Json::Str(s) => s.clone(),
        other => other.to_text(),
    }
}

/// docassemble's variable-name encoding: standard base64 without `=`.
pub fn encode_name(name: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = name.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        for i in 0..=chunk.len() {
            let idx = ((n >> (18 - 6 * i)) & 63) as usize;
            out.push(char::from(ALPHABET[idx]));
        }
    }
    out
}

/// The text of inline HTML (for titles and values).
pub fn strip_html(html: &str) -> String {
    crate::form::strip_tags(html).trim().to_string()
}

/// Prepares a screen for drawing: a multiple-choice question drawn as a form field (radio,
/// dropdown, combobox) posts like a field, so field 0 gets its input name and style.
pub fn normalise(mut screen: Screen) -> Screen {
    // docassemble's `no label` (a label written as "no label") means the field has none.
    for f in &mut screen.fields {
        if f.label.as_deref().is_some_and(|l| l.trim() == "no label") {
            f.label = None;
        }
    }
    if screen.question_type == "multiple_choice" {
        let variety = screen
            .question_variety
            .clone()
            .unwrap_or_else(|| "buttons".into());
        if let Some(f) = screen.fields.first_mut() {
            if variety != "buttons" {
                f.inputtype = Some(variety);
                if f.variable_name_encoded.is_none() {
                    f.variable_name_encoded = Some(crate::form::MULTIPLE_CHOICE.to_string());
                }
            }
        }
    }
    screen
}

/// Parses a screen, with a readable error. The screen keeps the text it came from.
pub fn parse(text: &str) -> Result<Screen, String> {
    let doc =
        Json::parse(text).map_err(|e| format!("the server sent an unreadable screen: {e}"))?;
    from_doc(&doc, text)
}

/// The screen of a parsed document `doc` whose text is `text`.
pub fn from_doc(doc: &Json, text: &str) -> Result<Screen, String> {
    if !matches!(doc, Json::Object(_)) {
        return Err("the server sent an unreadable screen: it is not a JSON object".into());
    }
    let mut screen = Screen::from_json(doc);
    screen.raw = Arc::from(text);
    Ok(screen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_encode_like_docassemble() {
        assert_eq!(encode_name("favorite_fruit"), "ZmF2b3JpdGVfZnJ1aXQ");
        assert_eq!(encode_name("_multiple_choice"), "X211bHRpcGxlX2Nob2ljZQ");
        assert_eq!(encode_name("fruits['>']"), "ZnJ1aXRzWyc+J10");
        assert_eq!(encode_name("x[i]"), "eFtpXQ");
    }

    #[test]
    fn py_str_matches_python() {
        assert_eq!(py_str(&Json::Bool(true)), "True");
        assert_eq!(py_str(&Json::Int(1)), "1");
        assert_eq!(py_str(&Json::Float(1.5)), "1.5");
        assert_eq!(py_str(&Json::Float(2.0)), "2.0");
        assert_eq!(py_str(&Json::Float(-3.0)), "-3.0");
        assert_eq!(py_str(&Json::Str("apple".into())), "apple");
        assert_eq!(py_str(&Json::parse("[1,\"a\"]").unwrap()), "[1,\"a\"]");
        assert_eq!(py_str(&Json::Null), "None");
    }

    #[test]
    fn mistyped_members_are_absent_and_other_documents_are_refused() {
        let s = parse(
            r#"{"_question_name":"Q","questionType":"fields","questionText":7,"steps":"x",
            "fields":[{"number":0,"label":["no"],"required":"yes","choices":{"a":1}}, 3]}"#,
        )
        .unwrap();
        assert_eq!(s.question_text, "");
        assert_eq!(s.steps, None);
        let n =
            parse(r#"{"notifications":[{"action":"flash","value":"Done"},{"action":"refresh"}]}"#)
                .unwrap();
        assert_eq!(
            n.notifications,
            [
                ("flash".to_string(), Json::Str("Done".into())),
                ("refresh".to_string(), Json::Null)
            ]
        );
        let r = parse(r#"{"questionType":"deadend","reload":10000}"#).unwrap();
        assert_eq!(r.reload, Some(10_000));
        assert_eq!(parse(r#"{"reload":0}"#).unwrap().reload, None);
        assert_eq!(s.fields.len(), 2);
        assert_eq!(s.fields[0].label, None);
        assert_eq!(s.fields[0].required, None);
        assert!(s.fields[0].choices.is_empty());
        assert!(parse("[1]").is_err());
        assert!(parse("{\"a\":").is_err());
    }

    #[test]
    fn action_buttons_encode_their_action() {
        let s = parse(
            r#"{"questionType":"fields","additional_buttons":[
            {"label":"More","action":"change_quantity","arguments":{"amount":1},"color":"success"},
            {"label":"Docs","action":"https://docassemble.org/"}]}"#,
        )
        .unwrap();
        let b = &s.action_buttons;
        assert_eq!(b.len(), 2);
        assert!(!b[0].is_address());
        assert!(b[1].is_address());
        assert_eq!(
            b[0].encoded_action(),
            encode_name(r#"{"action":"change_quantity","arguments":{"amount":1}}"#)
        );
        assert_eq!(
            b[1].encoded_action(),
            encode_name(r#"{"action":"https://docassemble.org/","arguments":{}}"#)
        );
    }

    #[test]
    fn a_yesno_screen_parses() {
        let s = parse(
            r#"{"_question_name":"Question_0","questionType":"yesno","questionText":"Turnips?",
            "fields":[{"number":0,"variable_name":"likes_turnips","variable_name_encoded":"bGlrZXNfdHVybmlwcw",
            "datatype":"boolean","sign":1,"active":true,"required":true,
            "validation_messages":{"required":"This field is required."}}],
            "yesLabel":"Yes","noLabel":"No","language":"*","csrf_token":"t","steps":1,
            "allow_going_back":false,"_datatypes":"e30","session":"abc","extra":{"x":1}}"#,
        )
        .unwrap();
        assert_eq!(s.question_type, "yesno");
        assert_eq!(s.reload, None);
        assert_eq!(s.fields[0].kind(), Kind::YesNoCheckbox { wide: false });
        assert_eq!(s.session.as_deref(), Some("abc"));
    }

    #[test]
    fn a_currency_field_keeps_its_symbol() {
        let s = parse(
            r#"{"_question_name":"Q","questionType":"fields","questionText":"Price",
            "fields":[{"number":0,"variable_name":"p","variable_name_encoded":"cA","datatype":"currency","currency_symbol":"€"}]}"#,
        )
        .unwrap();
        assert_eq!(s.fields[0].currency_symbol.as_deref(), Some("€"));
        assert_eq!(s.fields[0].kind(), Kind::Input("number"));
    }

    #[test]
    fn kinds() {
        let f = |dt: &str, it: Option<&str>, choices: bool| Field {
            variable_name_encoded: Some("eA".into()),
            datatype: Some(dt.into()),
            inputtype: it.map(String::from),
            choices: if choices {
                vec![Choice::default()]
            } else {
                vec![]
            },
            ..Field::default()
        };
        assert_eq!(f("text", None, false).kind(), Kind::Input("text"));
        assert_eq!(f("integer", None, false).kind(), Kind::Input("number"));
        assert_eq!(
            f("datetime", None, false).kind(),
            Kind::Input("datetime-local")
        );
        assert_eq!(f("text", Some("area"), false).kind(), Kind::Area);
        assert_eq!(f("text", None, true).kind(), Kind::Dropdown);
        assert_eq!(f("text", Some("radio"), true).kind(), Kind::Radio);
        assert_eq!(f("text", Some("combobox"), true).kind(), Kind::Combobox);
        assert_eq!(f("checkboxes", None, true).kind(), Kind::Checkboxes);
        assert_eq!(
            f("boolean", Some("yesnoradio"), false).kind(),
            Kind::YesNoRadio { maybe: false }
        );
        assert_eq!(
            f("threestate", Some("yesnomaybe"), false).kind(),
            Kind::YesNoRadio { maybe: true }
        );
        assert_eq!(
            f("files", None, false).kind(),
            Kind::File { multiple: true }
        );
        assert_eq!(Field::default().kind(), Kind::Note);
    }
}
