//! Browser-style scenarios without a browser: docassemble's Gherkin steps ("I set "Name" to
//! "Fred"", "I click the button "Continue"", "I should see the phrase "Hello"") played against
//! the engine's screens by visible text, the way a person (or docassemble's Selenium steps)
//! would use the page. `colloquy scenarios FILE.feature` runs a feature file this way.
//!
//! A form is filled as a browser fills it: every visible input starts at its default, steps
//! change some, and a button posts them all. Text checks look at what the page shows: the
//! question, the subquestion, the fields' labels and notes, the choices, the buttons, the text
//! under them and any validation messages.

use std::borrow::Cow;
use std::collections::HashMap;

use super::answer::{Answered, MULTIPLE_CHOICE, Submission};
use super::headless::plain_text;
use super::screen::{QuestionType, Screen, ScreenField};
use super::state::SessionState;
use super::values::json_str;
use super::{Engine, RunHost};
use crate::block::field::UPLOAD_DATATYPES;

/// One scenario of a feature file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// The text after `Scenario:`.
    pub name: String,
    /// Its line in the file (1-based).
    pub line: usize,
    /// Its steps (Background steps first).
    pub steps: Vec<StepLine>,
}

/// One step, without its keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepLine {
    /// The line in the file (1-based).
    pub line: usize,
    /// The step text after `Given`/`When`/`Then`/`And`/`But`.
    pub text: String,
}

/// Splits a feature file into scenarios. Lines in `#` comments are skipped (docassemble keeps
/// disabled scenarios that way); `Background:` steps are put in front of every scenario.
pub fn parse_feature(text: &str) -> Vec<Scenario> {
    let mut background: Vec<StepLine> = Vec::new();
    let mut scenarios: Vec<Scenario> = Vec::new();
    let mut in_background = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('@') {
            continue;
        }
        if let Some(name) = line
            .strip_prefix("Scenario:")
            .or_else(|| line.strip_prefix("Scenario Outline:"))
        {
            in_background = false;
            scenarios.push(Scenario {
                name: name.trim().to_string(),
                line: i + 1,
                steps: background.clone(),
            });
            continue;
        }
        if line.starts_with("Background:") {
            in_background = true;
            continue;
        }
        if line.starts_with("Feature:") {
            continue;
        }
        let step = ["Given ", "When ", "Then ", "And ", "But ", "* "]
            .iter()
            .find_map(|k| line.strip_prefix(k));
        let Some(step) = step else { continue };
        let step = StepLine {
            line: i + 1,
            text: step.trim().to_string(),
        };
        if in_background {
            background.push(step);
        } else if let Some(s) = scenarios.last_mut() {
            s.steps.push(step);
        }
    }
    scenarios
}

/// A step understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `I start the interview "X"` (`possibly_error`: the "possibly error-producing" form).
    Start {
        interview: String,
        possibly_error: bool,
    },
    /// `I should see the phrase "P"` (and its variants).
    See(String),
    /// `I should not see the phrase "P"`.
    NotSee(String),
    /// `I click the button "B"`, `I click the "B" button`, `I click the Nth button "B"`.
    Button { label: String, nth: usize },
    /// `I click the link "L"`.
    Link { label: String, nth: usize },
    /// `I set "Label" to "V"` (`nth` for `I set the second "Label" to …`).
    Set {
        label: String,
        value: String,
        nth: usize,
    },
    /// `I set the text box to "V"` / `I set text box N to "V"`.
    TextBox { index: usize, value: String },
    /// `I set the text area to "V"`.
    TextArea(String),
    /// `I select "V" as the "Label"`.
    Select {
        label: String,
        value: String,
        nth: usize,
    },
    /// `I choose "V"`: the first drop-down.
    Choose(String),
    /// `I click the option "X"` / `I click the "X" option` (optionally `under "Label"`).
    Option {
        option: String,
        under: Option<String>,
        nth: usize,
    },
    /// `I should see that "Label" is "V"`.
    FieldIs { label: String, value: String },
    /// `I click the back button`.
    Back,
    /// `I reload the screen`.
    Reload,
    /// `I upload the file "F"`.
    Upload(String),
    /// `I click inside the signature area`.
    Sign,
    /// `I wait N seconds` (as milliseconds): what the page does meanwhile (reloads,
    /// background tasks' notifications).
    Wait(u64),
    /// `I unfocus`: open popovers close.
    Unfocus,
    /// `I select "X" from the menu`: an entry of the header menu (`menu_items`).
    Menu(String),
    /// `I go to the help screen` (true) / `I go back to the question screen` (false).
    Help(bool),
    /// Screenshots, window size: nothing to do without a browser.
    Nothing,
}

const ORDINALS: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

/// The quoted arguments of a step and the text around them: `I set "A" to "B"` →
/// (`I set _ to _`, [A, B]).
fn shape(text: &str) -> (String, Vec<String>) {
    let mut shape = String::new();
    let mut args = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '"' {
            let mut arg = String::new();
            for d in chars.by_ref() {
                if d == '"' {
                    break;
                }
                arg.push(d);
            }
            args.push(arg);
            shape.push('_');
        } else {
            shape.push(c);
        }
    }
    (shape, args)
}

fn ordinal(word: &str) -> Option<usize> {
    ORDINALS.iter().position(|o| *o == word).map(|n| n + 1)
}

/// Understands a step, or says it cannot.
pub fn parse_step(text: &str) -> Result<Step, String> {
    // docassemble also accepts phrases in single quotes (which may hold double quotes).
    for (prefix, see) in [
        ("I should see the phrase '", true),
        ("I should not see the phrase '", false),
    ] {
        if let Some(phrase) = text.strip_prefix(prefix).and_then(|r| r.strip_suffix('\'')) {
            let phrase = phrase.to_string();
            return Ok(if see {
                Step::See(phrase)
            } else {
                Step::NotSee(phrase)
            });
        }
    }
    let (shape, mut args) = shape(text);
    let mut arg = |n: usize| std::mem::take(args.get_mut(n).unwrap_or(&mut String::new()));
    let words: Vec<&str> = shape.split_whitespace().collect();
    let step = match words.as_slice() {
        ["I", "start", "the", "interview", "_"] | ["I", "launch", "the", "interview", "_"] => {
            Step::Start {
                interview: arg(0),
                possibly_error: false,
            }
        }
        [
            "I",
            "start",
            "the",
            "possibly",
            "error-producing",
            "interview",
            "_",
        ] => Step::Start {
            interview: arg(0),
            possibly_error: true,
        },
        ["I", "should", "see", "the", "phrase", "_"]
        | ["I", "should", "explicitly", "see", "the", "phrase", "_"] => Step::See(arg(0)),
        ["I", "should", "not", "see", "the", "phrase", "_"] => Step::NotSee(arg(0)),
        ["I", "click", "the", "button", "_"]
        | ["I", "click", "the", "_", "button"]
        | ["I", "exit", "by", "clicking", "_"] => Step::Button {
            label: arg(0),
            nth: 1,
        },
        ["I", "click", "the", n, "button", "_"] if ordinal(n).is_some() => Step::Button {
            label: arg(0),
            nth: ordinal(n).unwrap_or(1),
        },
        ["I", "click", "the", "link", "_"]
        | ["I", "click", "the", "final", "link", "_"]
        | [
            "If",
            "I",
            "see",
            "it,",
            "I",
            "will",
            "click",
            "the",
            "link",
            "_",
        ] => Step::Link {
            label: arg(0),
            nth: 1,
        },
        ["I", "click", "the", n, "link", "_"] if ordinal(n).is_some() => Step::Link {
            label: arg(0),
            nth: ordinal(n).unwrap_or(1),
        },
        ["I", "set", "_", "to", "_"] => Step::Set {
            label: arg(0),
            value: arg(1),
            nth: 1,
        },
        ["I", "set", "the", n, "_", "to", "_"] if ordinal(n).is_some() => Step::Set {
            label: arg(0),
            value: arg(1),
            nth: ordinal(n).unwrap_or(1),
        },
        ["I", "set", "the", "text", "box", "to", "_"] => Step::TextBox {
            index: 1,
            value: arg(0),
        },
        ["I", "set", "text", "box", n, "to", "_"] => Step::TextBox {
            index: n.parse().map_err(|_| format!("not a number: {n}"))?,
            value: arg(0),
        },
        ["I", "set", "the", "text", "area", "to", "_"] => Step::TextArea(arg(0)),
        ["I", "select", "_", "as", "the", "_"] => Step::Select {
            value: arg(0),
            label: arg(1),
            nth: 1,
        },
        ["I", "select", "_", "as", "the", n, "_"] if ordinal(n).is_some() => Step::Select {
            value: arg(0),
            label: arg(1),
            nth: ordinal(n).unwrap_or(1),
        },
        ["I", "choose", "_"] => Step::Choose(arg(0)),
        ["I", "click", "the", "option", "_"] | ["I", "click", "the", "_", "option"] => {
            Step::Option {
                option: arg(0),
                under: None,
                nth: 1,
            }
        }
        ["I", "click", "the", n, "option", "_"] if ordinal(n).is_some() => Step::Option {
            option: arg(0),
            under: None,
            nth: ordinal(n).unwrap_or(1),
        },
        ["I", "click", "the", "option", "_", "under", "_"]
        | ["I", "click", "the", "_", "option", "under", "_"] => Step::Option {
            option: arg(0),
            under: Some(arg(1)),
            nth: 1,
        },
        ["I", "should", "see", "that", "_", "is", "_"] => Step::FieldIs {
            label: arg(0),
            value: arg(1),
        },
        ["I", "click", "the", "back", "button"]
        | ["I", "click", "the", "question", "back", "button"] => Step::Back,
        ["I", "reload", "the", "screen"] => Step::Reload,
        ["I", "upload", "the", "file", "_"] => Step::Upload(arg(0)),
        ["I", "click", "inside", "the", "signature", "area"] => Step::Sign,
        ["I", "wait", n, "second" | "seconds"] => {
            let secs: f64 = n
                .parse()
                .map_err(|_| format!("not a number of seconds: {n}"))?;
            Step::Wait((secs.max(0.0) * 1000.0) as u64)
        }
        ["I", "unfocus"] => Step::Unfocus,
        ["I", "select", "_", "from", "the", "menu"] => Step::Menu(arg(0)),
        ["I", "go", "to", "the", "help", "screen"] => Step::Help(true),
        ["I", "go", "back", "to", "the", "question", "screen"] => Step::Help(false),
        ["I", "wait", ..]
        | ["I", "screenshot", "the", "page"]
        | ["I", "save", "a", "screenshot", ..]
        | ["I", "set", "the", "window", "size", ..]
        | ["I", "spend", "at", "least", ..]
        | ["I", "want", "to", "store", "screenshots", ..]
        | ["I", "scroll", "to", "the", "bottom"]
        | ["I", "switch", "to", "dark", "mode"] => Step::Nothing,
        _ => return Err(format!("step not supported headless: {text}")),
    };
    Ok(step)
}

/// How a scenario ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every step did what it says.
    Passed,
    /// A step failed: its line and why.
    Failed {
        line: usize,
        step: String,
        reason: String,
    },
}

/// The interview being driven: the engine, the session, the screen shown and the form.
pub struct Session<'a> {
    engine: Engine<'a>,
    state: SessionState,
    /// States before each accepted submission (Back restores the newest).
    history: Vec<SessionState>,
    screen: Option<Screen>,
    /// An error page instead of a screen.
    error: Option<String>,
    /// The form: variable → posted text, as a browser holds it.
    form: HashMap<String, String>,
    /// Files chosen for file fields: variable → descriptor JSON.
    files: Vec<(String, String)>,
    /// A command button ended the interview (`exit`, `restart`…).
    ended: Option<String>,
    /// Which tab of the documents is open (docassemble's Download / Preview / Markdown).
    doc_tab: DocTab,
    /// Flash messages shown over the page (background tasks' `flash` notifications).
    flash: Vec<String>,
    /// The definition of the vocabulary term clicked, shown in a popover until unfocused.
    popover: Option<String>,
    /// The help tab is shown instead of the question.
    help_open: bool,
    /// `list collect`: the blank items "Add another" has shown, and the items marked for
    /// deletion (by `collect_number`).
    revealed: std::collections::BTreeSet<usize>,
    deleted: std::collections::BTreeSet<usize>,
    /// The `[TARGET name]` areas a check-in filled: name → HTML.
    targets: HashMap<String, String>,
    /// Check-ins under way (a check-in's `refresh` shows the screen, which checks in again).
    checking_in: u8,
    /// The typed field that has the focus and changed (its change event comes on blur).
    focused: Option<String>,
}

impl<'a> Session<'a> {
    /// Starts an interview: its first screen (or its error page).
    pub fn start(iv: &'a super::CompiledInterview, host: &'a dyn RunHost) -> Self {
        let engine = Engine::new(iv, host);
        let mut s = Session {
            engine,
            state: SessionState::new(),
            history: Vec::new(),
            screen: None,
            error: None,
            form: HashMap::new(),
            files: Vec::new(),
            ended: None,
            doc_tab: DocTab::Download,
            flash: Vec::new(),
            popover: None,
            help_open: false,
            revealed: Default::default(),
            deleted: Default::default(),
            targets: HashMap::new(),
            checking_in: 0,
            focused: None,
        };
        s.reload();
        s
    }

    /// The error page's text, if the interview failed.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    fn reload(&mut self) {
        match self.engine.screen(&mut self.state) {
            Ok(screen) => self.show(screen),
            Err(e) => {
                self.screen = None;
                self.error = Some(e.to_string());
            }
        }
    }

    fn show(&mut self, screen: Screen) {
        self.doc_tab = DocTab::Download;
        self.flash.clear();
        self.popover = None;
        self.help_open = false;
        self.revealed.clear();
        self.deleted.clear();
        self.form = initial_form(&screen);
        self.files.clear();
        self.error = None;
        self.targets.clear();
        self.focused = None;
        self.screen = Some(screen);
        // The page checks in as soon as it is shown (docassemble's initial check-in).
        self.check_in(None, true);
    }

    /// A check-in (see [`super::check_in`]), when the screen has a `check in` event: the
    /// form's values go to the event, and the page does what its answer says. `changed` is
    /// the field that changed, if a change set it off.
    fn check_in(&mut self, changed: Option<&str>, initial: bool) {
        let Some(event) = self.screen.as_ref().and_then(|s| s.check_in.clone()) else {
            return;
        };
        if self.checking_in > 2 {
            return;
        }
        let mut arguments = serde_json::Map::new();
        arguments.insert("_initial".into(), initial.into());
        arguments.insert(
            "_changed".into(),
            changed.map_or(serde_json::Value::Null, |c| c.into()),
        );
        for (k, v) in &self.form {
            arguments.insert(k.clone(), v.clone().into());
        }
        let Ok(commands) = self.engine.check_in(&mut self.state, &event, arguments) else {
            // docassemble's page ignores a check-in that failed
            return;
        };
        self.checking_in += 1;
        for c in commands {
            self.apply_command(&c.extra, c.value);
        }
        self.checking_in -= 1;
    }

    /// What the page does with one command of a check-in's answer (or with a background
    /// task's notification, which it treats the same way).
    fn apply_command(&mut self, extra: &str, value: serde_json::Value) {
        use serde_json::Value as Json;
        match extra {
            "refresh" => self.reload(),
            "flash" => self.flash.push(json_str(&value)),
            "fields" => {
                let Json::Object(fields) = value else { return };
                // new choices are already on the waiting screen
                let waiting = self.state.internal.pending.as_ref().map(|p| &p.screen);
                if let (Some(shown), Some(waiting)) = (self.screen.as_mut(), waiting) {
                    for (f, w) in shown.fields.iter_mut().zip(&waiting.fields) {
                        if f.variable_name == w.variable_name {
                            f.choices = w.choices.clone();
                        }
                    }
                }
                for (var, v) in fields {
                    if self.field(&var).is_none() {
                        continue;
                    }
                    match &v {
                        Json::Object(m) if m.contains_key("choices") || m.contains_key("value") => {
                            if let Some(v) = m.get("value") {
                                self.form.insert(var, json_str(v));
                            }
                        }
                        _ => {
                            self.form.insert(var, json_str(&v));
                        }
                    }
                }
            }
            "backgroundresponse" => {
                let items = match value {
                    Json::Array(items) => items,
                    one => vec![one],
                };
                for item in items {
                    if let (Some(t), Some(c)) = (
                        item.get("target").and_then(Json::as_str),
                        item.get("content"),
                    ) {
                        self.targets
                            .insert(crate::text::markup::target_class(t), json_str(c));
                    }
                }
            }
            _ => {}
        }
    }

    /// The typed field `var` lost the focus: the browser's validation shows or clears its
    /// message (a filled-in field, or one whose message is shown).
    fn blur(&mut self, var: &str) {
        let text = self.form.get(var).cloned().unwrap_or_default();
        let Some(s) = self.screen.as_mut() else {
            return;
        };
        let shown = s.errors.iter().any(|e| e.variable_name == var);
        if text.trim().is_empty() && !shown {
            return;
        }
        let Some(f) = s
            .fields
            .iter()
            .find(|f| f.input_name().as_deref() == Some(var))
        else {
            return;
        };
        let message = super::answer::blur_check(f, &text);
        s.errors.retain(|e| e.variable_name != var);
        if let Some(message) = message {
            s.errors.push(super::screen::FieldError {
                variable_name: var.to_string(),
                message,
            });
        }
    }

    /// `html` with the `[TARGET name]` areas filled in.
    fn with_targets(&self, html: &str) -> String {
        if self.targets.is_empty() || !html.contains("datarget") {
            return html.to_string();
        }
        let mut out = html.to_string();
        for (name, content) in &self.targets {
            let empty = format!("<span class=\"datarget{name}\"></span>");
            out = out.replace(
                &empty,
                &format!("<span class=\"datarget{name}\">{content}</span>"),
            );
        }
        out
    }

    /// What the page shows, as text.
    pub fn visible_text(&self) -> String {
        if let Some(e) = &self.error {
            // The interview's `error help` comes first on its error page.
            return match self.engine.interview().error_help("en") {
                Some(help) => format!("{} {e}", plain_text(&help)),
                None => format!("Error {e}"),
            };
        }
        if let Some(cmd) = &self.ended {
            return format!("[{cmd}]");
        }
        let Some(s) = &self.screen else {
            return String::new();
        };
        if self.help_open {
            return help_text(s);
        }
        let text = |html: &str| plain_text(&self.with_targets(html));
        let mut parts: Vec<String> = vec![
            text(s.parts.pre.as_deref().unwrap_or("")),
            text(&s.question_text),
            text(s.subquestion_text.as_deref().unwrap_or("")),
        ];
        for f in s.fields.iter().filter(|f| self.shown(f)) {
            parts.extend(label_text(f));
            // A currency field shows its symbol before the input.
            if f.datatype.as_deref() == Some("currency") {
                parts.push(f.currency_symbol.clone().unwrap_or_else(|| "$".into()));
            }
            // Review items show their help or button text on the page.
            if s.question_type == QuestionType::Review {
                parts.extend(f.helptext.as_deref().map(plain_text));
            }
            for t in [&f.note, &f.html, &f.under_text].into_iter().flatten() {
                parts.push(text(t));
            }
            for (text, target) in options_of(f) {
                if target != Target::Toggle {
                    parts.push(text);
                }
            }
        }
        for b in self.buttons() {
            parts.push(b.0);
        }
        for b in &s.additional_buttons {
            parts.push(plain_text(&b.label));
        }
        let documents: Vec<_> = s
            .attachments
            .iter()
            .filter(|a| !a.valid_formats.is_empty())
            .collect();
        // With `manual attachment list` the question links its documents itself.
        let listed = !s.manual_attachment_list;
        if !documents.is_empty() && s.attachment_notice && listed {
            parts.push(if documents.len() > 1 {
                "The following documents have been created for you.".into()
            } else {
                "The following document has been created for you.".into()
            });
        }
        if !documents.is_empty() {
            for a in documents.iter().filter(|_| listed) {
                parts.push(plain_text(&a.name));
                parts.push(plain_text(&a.description));
                match self.doc_tab {
                    DocTab::Download => parts.extend(download_labels(a)),
                    DocTab::Preview => parts.extend(a.html.as_deref().map(plain_text)),
                    DocTab::Markdown => parts.extend(markdown_of(a)),
                }
            }
            // docassemble's e-mail and zip forms under the documents.
            let many = s.attachments.len() > 1;
            if s.allow_emailing {
                parts.push(if many {
                    "E-mail these documents".into()
                } else {
                    "E-mail this document".into()
                });
                parts.push("E-mail address".into());
                parts.push("Send".into());
            }
            if s.allow_downloading {
                parts.push(if many {
                    "Download all documents as a ZIP file".into()
                } else {
                    "Download this document as a ZIP file".into()
                });
                parts.push("Download".into());
            }
        }
        // An end screen shows the `submit` part only above buttons (a Back, help or action
        // button), as docassemble's deadend does.
        let submit = s
            .parts
            .submit
            .clone()
            .filter(|_| s.question_type != QuestionType::Deadend || !self.buttons().is_empty());
        for t in [
            &submit,
            &s.under_text,
            &s.parts.post,
            &s.right_text,
            &s.parts.footer,
        ]
        .into_iter()
        .flatten()
        {
            parts.push(text(t));
        }
        // The attributions of the images shown, under the question.
        parts.extend(s.attributions.iter().map(|a| plain_text(a)));
        parts.extend(nav_text(s));
        // docassemble writes `int(progress)`, and draws no bar at 0.
        if let Some(p) = s
            .progress
            .filter(|p| *p > 0.0 && s.parts.progress_percentage)
        {
            parts.push(format!("{}%", p.min(100.0) as i64));
        }
        // An error is shown as HTML: its runs of spaces collapse.
        for e in &s.errors {
            parts.push(plain_text(&e.message));
        }
        parts.extend(self.flash.iter().map(|f| plain_text(f)));
        parts.extend(s.message_log.iter().map(|m| plain_text(&m.message)));
        parts.extend(self.popover.clone());
        parts.retain(|p| !p.is_empty());
        parts.join("\n")
    }

    /// A field is on the page: not hidden by a server- or client-side `show if`.
    fn shown(&self, f: &ScreenField) -> bool {
        let Some(s) = &self.screen else { return false };
        if f.collect_number.is_some_and(|n| self.deleted.contains(&n)) {
            return false;
        }
        let revealed = f.collect_type.as_deref() == Some("extra")
            && f.collect_number.is_some_and(|n| self.revealed.contains(&n));
        // a `js show if`, as the browser decides it on what was typed
        if f.show_if_code.as_ref().is_some_and(|c| c.js) {
            let posted = |name: &str| self.form.get(name).cloned();
            if let Some(shown) = super::js_show_if::shown_with(f, &s.fields, &posted) {
                return shown;
            }
        }
        if f.active == Some(false) && !revealed {
            return false;
        }
        let values: Vec<(String, String)> = self
            .form
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        !super::answer::hidden_by_show_if(f, s, &values)
    }

    /// Whether the page has a Back button: an earlier screen, and going back not prevented.
    fn can_go_back(&self) -> bool {
        !self.history.is_empty() && !self.screen.as_ref().is_some_and(|s| s.parts.back_prevented)
    }

    /// The buttons of the page: (label, what pressing it posts, command).
    fn buttons(&self) -> Vec<(String, Press)> {
        let Some(s) = &self.screen else {
            return Vec::new();
        };
        let mut out = Vec::new();
        match s.question_type {
            QuestionType::Yesno
            | QuestionType::Noyes
            | QuestionType::Yesnomaybe
            | QuestionType::Noyesmaybe => {
                if let Some(var) = s
                    .fields
                    .first()
                    .and_then(|f| f.input_name().map(Cow::into_owned))
                {
                    let yes = s.yes_label.clone().unwrap_or_else(|| "Yes".into());
                    let no = s.no_label.clone().unwrap_or_else(|| "No".into());
                    out.push((plain_text(&yes), Press::Set(var.clone(), "True".into())));
                    out.push((plain_text(&no), Press::Set(var.clone(), "False".into())));
                    if matches!(
                        s.question_type,
                        QuestionType::Yesnomaybe | QuestionType::Noyesmaybe
                    ) {
                        let maybe = s
                            .maybe_label
                            .clone()
                            .unwrap_or_else(|| "I don't know".into());
                        out.push((plain_text(&maybe), Press::Set(var, "None".into())));
                    }
                }
            }
            QuestionType::MultipleChoice
                if s.question_variety.as_deref().is_none_or(|v| v == "buttons") =>
            {
                if let Some(f) = s.fields.first() {
                    for c in &f.choices {
                        let value = c.value.as_ref().map(json_str).unwrap_or_default();
                        let var = match &f.variable_name {
                            Some(v) if v != MULTIPLE_CHOICE => v.clone(),
                            _ => c
                                .variable_name
                                .clone()
                                .unwrap_or_else(|| MULTIPLE_CHOICE.to_string()),
                        };
                        out.push((plain_text(&c.label), Press::Set(var, value)));
                    }
                }
            }
            _ => {}
        }
        if s.question_type == QuestionType::Review {
            for f in s.fields.iter().filter(|f| self.shown(f)) {
                if let (Some(action), Some(label)) = (&f.action, label_text(f)) {
                    if f.datatype.as_deref() == Some("button") {
                        out.push((label, Press::Action(action.clone())));
                    }
                }
            }
        }
        if let Some(lc) = &s.list_collect {
            // Each item's Delete button, then "Add another" while blank items remain.
            let mut shown_items: Vec<usize> = Vec::new();
            let mut hidden_extra = false;
            for f in &s.fields {
                let Some(n) = f.collect_number else { continue };
                if self.shown(f) {
                    if !shown_items.contains(&n) {
                        shown_items.push(n);
                    }
                } else if f.collect_type.as_deref() == Some("extra") && !self.deleted.contains(&n) {
                    hidden_extra = true;
                }
            }
            if lc.allow_delete {
                for n in shown_items {
                    out.push((plain_text(&lc.delete_label), Press::CollectDelete(n)));
                }
            }
            if lc.allow_append && hidden_extra {
                out.push((plain_text(&lc.add_another_label), Press::CollectAdd));
            }
        }
        if let Some(back) = s
            .parts
            .back_button
            .as_deref()
            .filter(|_| self.can_go_back())
        {
            out.push((plain_text(back), Press::Back));
        }
        if self.has_help() {
            let label = s.help_label.as_deref().map(plain_text);
            out.push((label.unwrap_or_else(|| "Help".into()), Press::Help));
        }
        let has_continue = match s.question_type {
            QuestionType::Fields
            | QuestionType::Settrue
            | QuestionType::Review
            | QuestionType::Signature => true,
            QuestionType::MultipleChoice => s
                .question_variety
                .as_deref()
                .is_some_and(|v| v != "buttons"),
            QuestionType::Deadend => s.continue_label.is_some(),
            _ => false,
        };
        if has_continue {
            let label = s
                .continue_label
                .clone()
                .unwrap_or_else(|| "Continue".into());
            out.push((plain_text(&label), Press::Continue));
        }
        out
    }

    /// Plays one step.
    pub fn step(&mut self, step: &Step) -> Result<(), String> {
        // A typed field's change event comes when the focus leaves it; a list's or a
        // box's at once. Each checks in.
        let typed = matches!(
            step,
            Step::Set { .. } | Step::TextBox { .. } | Step::TextArea(_)
        );
        let picked = matches!(
            step,
            Step::Select { .. } | Step::Choose(_) | Step::Option { .. }
        );
        if typed || picked || matches!(step, Step::Unfocus) {
            if let Some(var) = self.focused.take() {
                self.blur(&var);
                self.check_in(Some(&var), false);
            }
        }
        let before = (typed || picked).then(|| self.form.clone());
        self.do_step(step)?;
        if let Some(before) = before {
            let mut changed: Vec<&String> = self
                .form
                .iter()
                .filter(|(k, v)| before.get(*k) != Some(*v))
                .map(|(k, _)| k)
                .collect();
            changed.sort();
            if let Some(var) = changed.first().map(|v| v.to_string()) {
                if typed {
                    self.focused = Some(var);
                } else {
                    self.check_in(Some(&var), false);
                }
            }
        }
        if let Step::Wait(ms) = step {
            // the page checks in every `checkin_interval` milliseconds
            let every = self.screen.as_ref().and_then(|s| s.checkin_interval);
            if every.is_some_and(|e| e > 0 && e <= *ms) {
                self.check_in(None, false);
            }
        }
        Ok(())
    }

    fn do_step(&mut self, step: &Step) -> Result<(), String> {
        match step {
            Step::Start { .. } => Err("only one interview per scenario".into()),
            Step::Nothing => Ok(()),
            Step::Unfocus => {
                self.popover = None;
                Ok(())
            }
            Step::Wait(ms) => {
                self.wait(*ms);
                Ok(())
            }
            Step::Menu(label) => self.choose_from_menu(label),
            Step::Help(open) => {
                if *open && !self.has_help() {
                    return Err("the page has no help".into());
                }
                self.help_open = *open;
                Ok(())
            }
            Step::See(p) => {
                let text = self.visible_text();
                if text.contains(p.as_str()) {
                    Ok(())
                } else {
                    Err(format!(
                        "the page does not show {p:?}; it shows: {}",
                        clip(&text)
                    ))
                }
            }
            Step::NotSee(p) => {
                if self.visible_text().contains(p.as_str()) {
                    Err(format!("the page shows {p:?}"))
                } else {
                    Ok(())
                }
            }
            Step::Reload => {
                self.reload();
                Ok(())
            }
            Step::Back => {
                if !self.can_go_back() {
                    return Err("the page has no back button".into());
                }
                let Some(prev) = self.history.pop() else {
                    return Err("there is no back button on the first screen".into());
                };
                let undone = std::mem::replace(&mut self.state, prev);
                self.engine.remember_undone(&mut self.state, &undone);
                self.ended = None;
                self.reload();
                Ok(())
            }
            Step::Button { label, nth } => {
                let buttons = self.buttons();
                let Some((_, press)) = buttons
                    .into_iter()
                    .filter(|(l, _)| l == label || l.trim() == label.trim())
                    .nth(nth - 1)
                else {
                    // docassemble's step falls back to a link with that text (buttons drawn
                    // as links: add buttons, action buttons).
                    if *nth == 1 && self.has_link(label) {
                        return self.follow_link(label, 1);
                    }
                    return Err(format!(
                        "no button {label:?} on the page ({})",
                        self.button_list()
                    ));
                };
                self.press(press)
            }
            Step::Link { label, nth } => {
                // A button-styled link (docassemble falls back to <a> for buttons).
                if let Some((_, press)) = self.buttons().into_iter().find(|(l, _)| l == label) {
                    return self.press(press);
                }
                self.follow_link(label, *nth)
            }
            Step::Set { label, value, nth } => {
                let var = self.field_by_label(label, *nth)?;
                let f = self.field(&var).cloned();
                if let Some(f) = f {
                    if is_file(&f) {
                        self.files.push((var.clone(), file_descriptor(value)));
                        return Ok(());
                    }
                }
                self.form.insert(var, value.clone());
                Ok(())
            }
            Step::TextBox { index, value } => {
                let var = self
                    .inputs()
                    .into_iter()
                    .filter(|f| label_text(f).is_none() && f.choices.is_empty())
                    .filter_map(|f| f.input_name().map(Cow::into_owned))
                    .nth(index.saturating_sub(1))
                    .ok_or_else(|| format!("no unlabelled text box {index}"))?;
                self.form.insert(var, value.clone());
                Ok(())
            }
            Step::TextArea(value) => {
                let var = self
                    .inputs()
                    .into_iter()
                    .find(|f| {
                        f.inputtype.as_deref() == Some("area")
                            || f.datatype.as_deref() == Some("area")
                    })
                    .and_then(|f| f.input_name().map(Cow::into_owned))
                    .ok_or("no text area on the page")?;
                self.form.insert(var, value.clone());
                Ok(())
            }
            Step::Select { label, value, nth } => {
                let var = self.field_by_label(label, *nth)?;
                self.choose_in(&var, value)
            }
            Step::Choose(value) => {
                let var = self
                    .inputs()
                    .into_iter()
                    .find(|f| !f.choices.is_empty() && f.inputtype.as_deref() == Some("dropdown"))
                    .or_else(|| {
                        self.inputs().into_iter().find(|f| {
                            !f.choices.is_empty() && f.datatype.as_deref() != Some("checkboxes")
                        })
                    })
                    .and_then(|f| f.input_name().map(Cow::into_owned))
                    .ok_or("no drop-down on the page")?;
                self.choose_in(&var, value)
            }
            Step::Option { option, under, nth } => {
                self.click_option(option, under.as_deref(), *nth)
            }
            Step::FieldIs { label, value } => {
                let var = self.field_by_label(label, 1)?;
                let got = self.form.get(&var).cloned().unwrap_or_default();
                if &got == value {
                    Ok(())
                } else {
                    Err(format!("{label:?} is {got:?}, not {value:?}"))
                }
            }
            Step::Upload(name) => {
                let var = self
                    .inputs()
                    .into_iter()
                    .find(|f| is_file(f))
                    .and_then(|f| f.input_name().map(Cow::into_owned))
                    .ok_or("no file input on the page")?;
                self.files.push((var, file_descriptor(name)));
                Ok(())
            }
            Step::Sign => {
                let var = self
                    .screen
                    .as_ref()
                    .filter(|s| s.question_type == QuestionType::Signature)
                    .and_then(|s| s.fields.first())
                    .and_then(|f| f.input_name().map(Cow::into_owned))
                    .ok_or("no signature area on the page")?;
                self.files.push((var, file_descriptor("signature.png")));
                Ok(())
            }
        }
    }

    /// Waiting on a page: background tasks that finished tell the page what to do
    /// (`refresh` it, put values into its `fields`, show a `flash` message), and a page with
    /// `reload` reloads when its time comes.
    fn wait(&mut self, ms: u64) {
        let notes = std::mem::take(&mut self.state.internal.notifications);
        let reload_due = self
            .screen
            .as_ref()
            .and_then(|s| s.reload)
            .is_some_and(|every| every <= ms);
        if reload_due || notes.iter().any(|n| n.kind == "refresh") {
            self.reload();
        }
        // (the page treats them as it treats a check-in's commands)
        for n in notes.into_iter().filter(|n| n.kind != "refresh") {
            self.apply_command(&n.kind, n.value);
        }
    }

    /// The links of the page that run actions: review items' edit links and `url_action`
    /// links (or action buttons) in its texts, as (visible text, action).
    fn links(&self) -> Vec<(String, Link)> {
        let Some(s) = &self.screen else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for f in s.fields.iter().filter(|f| self.shown(f)) {
            if let (Some(action), Some(label)) = (&f.action, label_text(f)) {
                out.push((label, Link::of_action(decode_action(action))));
            }
        }
        for b in &s.additional_buttons {
            out.push((plain_text(&b.label), Link::of_action(b.to_action())));
        }
        for t in self.texts() {
            for (href, inner) in anchors(t) {
                let href = href.replace("&amp;", "&");
                let action = query_param(&href, "action").and_then(|a| decode_action(&a));
                out.push((
                    plain_text(&inner),
                    match action {
                        Some(a) => Link::Action(a),
                        None => Link::Href(href),
                    },
                ));
            }
        }
        out
    }

    /// A link to this interview that only sets URL arguments (`?fruit=orange&i=…`, as the
    /// browser resolves it against `/interview`): the arguments, or `None` when the link
    /// leads elsewhere (another interview, a new session, another page).
    fn own_url_args(&self, href: &str) -> Option<Vec<(String, String)>> {
        let (path, query) = href.split_once('?').unwrap_or((href, ""));
        let path = path.split('#').next().unwrap_or(path);
        if !matches!(path, "" | "/interview" | "/") {
            return None;
        }
        let pairs = query_pairs(query);
        let this = self.engine.host_interview_name();
        let mut args = Vec::new();
        for (k, v) in pairs {
            match k.as_str() {
                "i" if this.as_deref().is_some_and(|n| n != v) => return None,
                "session" | "reset" | "new_session" | "cache" | "from_list" => return None,
                "i" | "json" | "js_target" | "refresh" | "" => {}
                _ => args.push((k, v)),
            }
        }
        (path.is_empty() || !args.is_empty()).then_some(args)
    }

    /// Follows a link that sets URL arguments: merged into `url_args` (a new step), then the
    /// page is shown again, as the server does for such a GET.
    fn follow_url_args(&mut self, args: Vec<(String, String)>) -> Result<(), String> {
        let mut merged = match self.engine.variables_json(&self.state).get("url_args") {
            Some(serde_json::Value::Object(m)) => m.clone(),
            _ => serde_json::Map::new(),
        };
        let mut changed = false;
        for (k, v) in args {
            let v = serde_json::Value::String(v);
            if merged.get(&k) != Some(&v) {
                merged.insert(k, v);
                changed = true;
            }
        }
        if changed {
            let before = self.state.clone();
            self.engine
                .set_variables(
                    &mut self.state,
                    &[("url_args".to_string(), serde_json::Value::Object(merged))],
                    &[],
                    true,
                )
                .map_err(|e| format!("the URL arguments cannot be kept: {e}"))?;
            self.history.push(before);
        }
        self.reload();
        Ok(())
    }

    /// The texts of the page, in reading order (question, subquestion, under and right
    /// text, then the fields' notes, HTML and labels, then the images' attributions).
    fn texts(&self) -> Vec<&str> {
        let Some(s) = &self.screen else {
            return Vec::new();
        };
        let mut texts: Vec<&str> = vec![&s.question_text];
        texts.extend(s.subquestion_text.as_deref());
        texts.extend(s.under_text.as_deref());
        texts.extend(s.right_text.as_deref());
        for f in s.fields.iter().filter(|f| self.shown(f)) {
            texts.extend(f.note.as_deref());
            texts.extend(f.html.as_deref());
            texts.extend(f.label.as_deref());
            texts.extend(f.under_text.as_deref());
        }
        texts.extend(s.attributions.iter().map(String::as_str));
        texts
    }

    /// The vocabulary terms of the page, as (visible text, definition as text).
    fn term_links(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for t in self.texts() {
            for (content, inner) in term_anchors(t) {
                out.push((plain_text(&inner), plain_text(&content)));
            }
        }
        out
    }

    /// Whether a link (an action link or a term) reads `label`.
    fn has_link(&self, label: &str) -> bool {
        let wanted = label.trim();
        self.links().iter().any(|(l, _)| l == wanted)
            || self.term_links().iter().any(|(l, _)| l == wanted)
    }

    fn follow_link(&mut self, label: &str, nth: usize) -> Result<(), String> {
        let wanted = label.trim();
        let documents = self.screen.as_ref().map(|s| &s.attachments);
        if wanted == "Preview" && documents.is_some_and(|d| d.iter().any(|a| a.html.is_some())) {
            self.doc_tab = DocTab::Preview;
            return Ok(());
        }
        if wanted == "Markdown"
            && documents.is_some_and(|d| d.iter().any(|a| markdown_of(a).is_some()))
        {
            self.doc_tab = DocTab::Markdown;
            return Ok(());
        }
        if wanted == "Download" && documents.is_some_and(|d| !d.is_empty()) {
            self.doc_tab = DocTab::Download;
            return Ok(());
        }
        // A vocabulary term opens its definition's popover.
        if let Some(definition) = self
            .term_links()
            .into_iter()
            .filter(|(l, _)| l == wanted)
            .nth(nth.saturating_sub(1))
            .map(|(_, d)| d)
        {
            self.popover = Some(definition);
            return Ok(());
        }
        let Some((_, link)) = self
            .links()
            .into_iter()
            .filter(|(l, _)| l == wanted)
            .nth(nth.saturating_sub(1))
        else {
            return Err(format!("no link {label:?} on the page"));
        };
        let action = match link {
            Link::Action(a) => a,
            Link::Href(href) => {
                return match self.own_url_args(&href) {
                    Some(args) => self.follow_url_args(args),
                    None => Err(format!("the link {label:?} leads out of the interview")),
                };
            }
            Link::Elsewhere => {
                return Err(format!("the link {label:?} leads out of the interview"));
            }
        };
        let question_name = self.screen.as_ref().map(|s| s.question_name.clone());
        // Any other parts of a submission stay at their defaults.
        #[allow(clippy::needless_update)]
        let sub = Submission {
            question_name,
            action: Some(action),
            ..Submission::default()
        };
        self.submit(&sub);
        Ok(())
    }

    /// Chooses an entry of the header menu: the interview's `menu_items` (an
    /// `action_menu_item()` runs its action).
    fn choose_from_menu(&mut self, label: &str) -> Result<(), String> {
        let wanted = label.trim();
        let url = self
            .screen
            .as_ref()
            .and_then(|s| {
                s.menu_items
                    .iter()
                    .find(|m| plain_text(&m.label).trim() == wanted)
            })
            .map(|m| m.url.clone())
            .ok_or_else(|| format!("no menu entry {label:?}"))?;
        let action = query_param(&url, "action")
            .and_then(|a| decode_action(&a))
            .ok_or_else(|| format!("the menu entry {label:?} leads out of the interview"))?;
        let question_name = self.screen.as_ref().map(|s| s.question_name.clone());
        #[allow(clippy::needless_update)]
        let sub = Submission {
            question_name,
            action: Some(action),
            ..Submission::default()
        };
        self.submit(&sub);
        Ok(())
    }

    fn button_list(&self) -> String {
        let labels: Vec<String> = self
            .buttons()
            .into_iter()
            .map(|(l, _)| format!("{l:?}"))
            .collect();
        if labels.is_empty() {
            "it has none".into()
        } else {
            format!("it has {}", labels.join(", "))
        }
    }

    fn inputs(&self) -> Vec<&ScreenField> {
        let Some(s) = &self.screen else {
            return Vec::new();
        };
        s.fields
            .iter()
            .filter(|f| f.variable_name.is_some() && self.shown(f))
            .collect()
    }

    fn field(&self, var: &str) -> Option<&ScreenField> {
        self.screen
            .as_ref()?
            .fields
            .iter()
            .find(|f| f.input_name().as_deref() == Some(var))
    }

    /// The variable of the `nth` visible field whose label reads `label` (docassemble's steps
    /// also accept the label with one trailing space).
    fn field_by_label(&self, label: &str, nth: usize) -> Result<String, String> {
        let wanted = label.trim();
        self.inputs()
            .into_iter()
            .filter(|f| f.label.as_deref().is_some_and(|l| plain_text(l) == wanted))
            .filter_map(|f| f.input_name().map(Cow::into_owned))
            .nth(nth.saturating_sub(1))
            .ok_or_else(|| format!("no field labelled {label:?} on the page"))
    }

    fn choose_in(&mut self, var: &str, value: &str) -> Result<(), String> {
        let f = self.field(var).ok_or("no such field")?;
        let choice = f
            .choices
            .iter()
            .find(|c| plain_text(&c.label) == value)
            .ok_or_else(|| format!("no option {value:?} in that list"))?;
        // In a multiselect, choosing an option selects it too (each is posted on its own).
        if let Some(sub) = choice.variable_name.clone().filter(|_| is_multi(f)) {
            self.form.insert(sub, "True".to_string());
            return Ok(());
        }
        let posted = choice.value.as_ref().map(json_str).unwrap_or_default();
        self.form.insert(var.to_string(), posted);
        Ok(())
    }

    /// Clicks a radio button or checkbox by its label (under the field labelled `under`).
    fn click_option(
        &mut self,
        option: &str,
        under: Option<&str>,
        nth: usize,
    ) -> Result<(), String> {
        let mut hits: Vec<(String, Target)> = Vec::new();
        let mut loose: Vec<(String, Target)> = Vec::new();
        let wanted = option.trim();
        let mut fields: Vec<(&ScreenField, String)> = self
            .inputs()
            .into_iter()
            .filter_map(|f| f.input_name().map(Cow::into_owned).map(|v| (f, v)))
            .collect();
        // A list of choices without a variable (each may run code or be `continue`).
        if let Some(f) = self.choices_without_variable() {
            fields.push((f, MULTIPLE_CHOICE.to_string()));
        }
        for (f, var) in fields {
            if let Some(u) = under {
                if label_text(f).as_deref() != Some(u.trim()) {
                    continue;
                }
            }
            for (text, target) in options_of(f) {
                if text == wanted {
                    hits.push((var.clone(), target));
                } else if text.contains(wanted) {
                    loose.push((var.clone(), target));
                }
            }
        }
        let (var, target) = hits
            .into_iter()
            .chain(loose)
            .nth(nth.saturating_sub(1))
            .ok_or_else(|| format!("no option {option:?} on the page"))?;
        if let Target::Post(value) = &target {
            self.form.insert(var, value.clone());
            return Ok(());
        }
        let f = self.field(&var).cloned().ok_or("no such field")?;
        match target {
            Target::Toggle => {
                let sign = f.sign.unwrap_or(1);
                let on = if sign > 0 { "True" } else { "False" };
                let checked = self.form.get(&var).map(String::as_str) != Some(on);
                let post = if checked == (sign > 0) {
                    "True"
                } else {
                    "False"
                };
                self.form.insert(var.clone(), post.to_string());
                self.linked_boxes(&var, checked);
            }
            Target::Post(value) => {
                self.form.insert(var, value);
            }
            Target::Check(sub) => {
                let on = self.form.get(&sub).map(String::as_str) == Some("True");
                self.form
                    .insert(sub, if on { "False" } else { "True" }.to_string());
            }
            Target::All(on) => {
                for c in &f.choices {
                    if let Some(sub) = &c.variable_name {
                        self.form
                            .insert(sub.clone(), if on { "True" } else { "False" }.to_string());
                    }
                }
            }
        }
        Ok(())
    }

    /// The page has help (the question's or the interview's), so a help tab.
    fn has_help(&self) -> bool {
        self.screen
            .as_ref()
            .is_some_and(|s| !s.help_text.is_empty() || !s.interview_help_text.is_empty())
    }

    /// The radio list or drop-down of a multiple-choice question without a variable.
    fn choices_without_variable(&self) -> Option<&ScreenField> {
        let s = self.screen.as_ref()?;
        let listed = s.question_type == QuestionType::MultipleChoice
            && s.question_variety
                .as_deref()
                .is_some_and(|v| v != "buttons");
        s.fields
            .first()
            .filter(|f| listed && f.variable_name.is_none())
    }

    /// A checkbox was checked or unchecked: what docassemble's page script does to the boxes
    /// linked to it. Checked: the boxes its `uncheck others` names are unchecked, and so is any
    /// box whose `uncheck others` names it; the boxes its `check others` names are checked.
    /// Unchecked: any box whose `check others` names it is unchecked.
    fn linked_boxes(&mut self, changed: &str, checked: bool) {
        let Some(s) = &self.screen else { return };
        let mut set: Vec<(String, bool)> = Vec::new();
        for g in &s.fields {
            let Some(name) = g.input_name().map(Cow::into_owned) else {
                continue;
            };
            let mine = name == changed;
            if let Some(list) = &g.uncheck_others {
                if checked && mine {
                    set.extend(list.iter().map(|n| (n.clone(), false)));
                } else if checked && list.iter().any(|n| n == changed) {
                    set.push((name.clone(), false));
                }
            }
            if let Some(list) = &g.check_others {
                if checked && mine {
                    set.extend(list.iter().map(|n| (n.clone(), true)));
                } else if !checked && list.iter().any(|n| n == changed) {
                    set.push((name.clone(), false));
                }
            }
        }
        for (name, on) in set {
            let sign = self.field(&name).and_then(|g| g.sign).unwrap_or(1);
            let post = if on == (sign > 0) { "True" } else { "False" };
            self.form.insert(name, post.to_string());
        }
    }

    fn press(&mut self, press: Press) -> Result<(), String> {
        let Some(s) = self.screen.clone() else {
            return Err("there is no screen to answer".into());
        };
        match press {
            Press::CollectAdd => {
                let next = s
                    .fields
                    .iter()
                    .filter(|f| f.collect_type.as_deref() == Some("extra") && !self.shown(f))
                    .filter_map(|f| f.collect_number)
                    .find(|n| !self.deleted.contains(n));
                if let Some(n) = next {
                    self.revealed.insert(n);
                }
                return Ok(());
            }
            Press::CollectDelete(n) => {
                self.deleted.insert(n);
                return Ok(());
            }
            Press::Help => {
                self.help_open = !self.help_open;
                return Ok(());
            }
            Press::Back => return self.step(&Step::Back),
            _ => {}
        }
        if let Press::Action(encoded) = &press {
            let action = decode_action(encoded).ok_or("the button's action is not valid")?;
            #[allow(clippy::needless_update)]
            let sub = Submission {
                question_name: Some(s.question_name.clone()),
                action: Some(action),
                ..Submission::default()
            };
            self.submit(&sub);
            return Ok(());
        }
        let mut values: Vec<(String, String)> = Vec::new();
        let posts_fields = matches!(
            s.question_type,
            QuestionType::Fields | QuestionType::MultipleChoice
        );
        if posts_fields {
            for f in s.fields.iter().filter(|f| self.shown(f)) {
                // A disabled input is not posted.
                if is_file(f) || f.disabled == Some(true) {
                    continue;
                }
                if is_multi(f) {
                    for c in &f.choices {
                        if let Some(sub) = &c.variable_name {
                            let v = self
                                .form
                                .get(sub)
                                .cloned()
                                .unwrap_or_else(|| "False".into());
                            values.push((sub.clone(), v));
                        }
                    }
                    continue;
                }
                let Some(var) = f.input_name().map(Cow::into_owned) else {
                    continue;
                };
                if let Press::Set(pressed, _) = &press {
                    if pressed == &var {
                        continue;
                    }
                }
                if let Some(v) = self.form.get(&var) {
                    values.push((var.clone(), v.clone()));
                }
            }
        }
        if self.choices_without_variable().is_some() {
            if let Some(v) = self.form.get(MULTIPLE_CHOICE) {
                values.push((MULTIPLE_CHOICE.to_string(), v.clone()));
            }
        }
        if let Some(var) = &s.question_variable_name {
            if matches!(
                s.question_type,
                QuestionType::Fields | QuestionType::Settrue | QuestionType::Review
            ) {
                values.push((var.clone(), "True".into()));
            }
        }
        if let Press::Set(var, value) = press {
            values.push((var, value));
        }
        if !self.deleted.is_empty() {
            let list: Vec<usize> = self.deleted.iter().copied().collect();
            values.push((
                super::list_collect::COLLECT_DELETE.to_string(),
                serde_json::to_string(&list).unwrap_or_default(),
            ));
        }
        // Any other parts of a submission (actions…) stay at their defaults.
        #[allow(clippy::needless_update)]
        let sub = Submission {
            question_name: Some(s.question_name.clone()),
            values,
            files: self.files.clone(),
            ..Submission::default()
        };
        self.submit(&sub);
        Ok(())
    }

    /// Posts a submission and shows what comes back.
    fn submit(&mut self, sub: &Submission) {
        let before = self.state.clone();
        match self.engine.answer(&mut self.state, sub) {
            Ok(Answered::Next(next)) => {
                self.history.push(before);
                self.show(next);
            }
            Ok(Answered::Invalid(same)) => {
                // The same page, with its messages; the form keeps what was typed.
                let form = std::mem::take(&mut self.form);
                self.screen = Some(same);
                self.form = form;
            }
            Ok(Answered::Stale(current)) => self.show(current),
            Ok(Answered::Command(cmd)) => {
                self.history.push(before);
                match cmd.as_str() {
                    "restart" | "new_session" => {
                        self.state = SessionState::new();
                        self.history.clear();
                        self.reload();
                    }
                    // A refresh button shows the current screen again.
                    "refresh" => self.reload(),
                    _ => self.ended = Some(cmd),
                }
            }
            Err(e) => {
                self.history.push(before);
                self.screen = None;
                self.error = Some(e.to_string());
            }
        }
    }
}

/// The navigation bar's text: the sections, with the subsections of the current one (or of
/// every one, with `auto open`).
fn nav_text(s: &Screen) -> Vec<String> {
    fn contains(sec: &super::screen::NavSection, key: &str) -> bool {
        sec.key == key || sec.subsections.iter().any(|c| contains(c, key))
    }
    fn walk(
        list: &[super::screen::NavSection],
        current: Option<&str>,
        auto_open: bool,
        out: &mut Vec<String>,
    ) {
        for sec in list {
            out.push(plain_text(&sec.title));
            let open = auto_open || current.is_some_and(|c| contains(sec, c));
            if open {
                walk(&sec.subsections, current, auto_open, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&s.sections, s.section.as_deref(), s.auto_open, &mut out);
    out
}

/// The help tab's text: the question's help, the interview's help, and the parts shown
/// under it (`post`, `footer`).
fn help_text(s: &Screen) -> String {
    let mut parts = Vec::new();
    for h in s.help_text.iter().chain(&s.interview_help_text) {
        parts.extend(h.heading.as_deref().map(plain_text));
        parts.push(plain_text(&h.content));
    }
    for t in [&s.parts.post, &s.parts.footer].into_iter().flatten() {
        parts.push(plain_text(t));
    }
    parts.push("Back to question".to_string());
    parts.retain(|p| !p.is_empty());
    parts.join("\n")
}

/// What clicking an option does to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A yes/no checkbox: toggles.
    Toggle,
    /// A radio button: the field posts this value.
    Post(String),
    /// A checkbox of a group: toggles this choice's variable.
    Check(String),
    /// `all of the above` (true) or `none of the above` (false).
    All(bool),
}

/// The clickable options of a field, by their visible text.
fn options_of(f: &ScreenField) -> Vec<(String, Target)> {
    let mut out = Vec::new();
    let datatype = f.datatype.as_deref().unwrap_or("");
    let inputtype = f.inputtype.as_deref().unwrap_or("");
    if f.choices.is_empty() {
        let radio = datatype == "threestate"
            || (datatype == "boolean"
                && matches!(inputtype, "yesnoradio" | "noyesradio" | "radio"));
        if radio {
            let sign = f.sign.unwrap_or(1);
            let (yes, no) = if sign > 0 {
                ("True", "False")
            } else {
                ("False", "True")
            };
            let label = |l: &Option<String>, d: &str| {
                l.as_deref()
                    .map(plain_text)
                    .unwrap_or_else(|| d.to_string())
            };
            out.push((label(&f.true_label, "Yes"), Target::Post(yes.into())));
            out.push((label(&f.false_label, "No"), Target::Post(no.into())));
            if datatype == "threestate" {
                out.push((
                    label(&f.maybe_label, "I don\u{2019}t know"),
                    Target::Post("None".into()),
                ));
            }
        } else if let Some(l) = label_text(f) {
            out.push((l, Target::Toggle));
        }
        return out;
    }
    let multi = is_multi(f);
    for c in &f.choices {
        let text = plain_text(&c.label);
        match &c.variable_name {
            Some(sub) if multi => out.push((text, Target::Check(sub.clone()))),
            _ => out.push((
                text,
                Target::Post(c.value.as_ref().map(json_str).unwrap_or_default()),
            )),
        }
    }
    if !multi {
        if let Some(n) = f
            .none_of_the_above
            .as_deref()
            .map(plain_text)
            .filter(|n| !n.is_empty())
        {
            out.push((n, Target::Post(String::new())));
        }
    }
    if multi {
        if let Some(n) = f
            .none_of_the_above
            .as_deref()
            .map(plain_text)
            .filter(|n| !n.is_empty())
        {
            out.push((n, Target::All(false)));
        }
        if let Some(a) = f
            .all_of_the_above
            .as_deref()
            .map(plain_text)
            .filter(|a| !a.is_empty())
        {
            out.push((a, Target::All(true)));
        }
    }
    out
}

/// What pressing a button posts besides the form.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Press {
    /// The form's Continue button.
    Continue,
    /// A button that sets a variable (or `_multiple_choice`) to a value.
    Set(String, String),
    /// A button that runs an encoded action (a review item's button).
    Action(String),
    /// `list collect`: shows the next blank item.
    CollectAdd,
    /// `list collect`: marks an item for deletion.
    CollectDelete(usize),
    /// The help tab: shows (or hides) the help.
    Help,
    /// The Back button inside the question.
    Back,
}

/// A field's label as shown: none for `no label` (docassemble keeps that text in the JSON and
/// leaves the label out of the page).
fn label_text(f: &ScreenField) -> Option<String> {
    let text = plain_text(f.label.as_deref()?);
    (!text.is_empty() && text != "no label").then_some(text)
}

fn is_file(f: &ScreenField) -> bool {
    f.datatype
        .as_deref()
        .is_some_and(|d| UPLOAD_DATATYPES.contains(&d))
}

fn is_multi(f: &ScreenField) -> bool {
    matches!(f.datatype.as_deref(), Some("checkboxes" | "multiselect"))
        || f.choices.iter().any(|c| {
            c.variable_name.as_deref().is_some_and(|v| {
                f.variable_name.as_deref().is_some_and(|p| v.starts_with(p)) && v != MULTIPLE_CHOICE
            })
        })
}

fn file_descriptor(name: &str) -> String {
    let ext = name
        .rsplit('.')
        .next()
        .unwrap_or("txt")
        .to_ascii_lowercase();
    let mimetype = match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        _ => "text/plain",
    };
    super::headless::upload_descriptor(name, mimetype)
}

fn truthy(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Bool(b) => *b,
        serde_json::Value::Null => false,
        serde_json::Value::Number(n) => n.as_f64() != Some(0.0),
        serde_json::Value::String(s) => !s.is_empty() && s != "False",
        _ => true,
    }
}

/// The values a browser's form starts with (defaults, checked boxes, a slider's minimum).
fn initial_form(s: &Screen) -> HashMap<String, String> {
    let mut form = HashMap::new();
    for f in &s.fields {
        let Some(var) = &f.input_name().map(Cow::into_owned) else {
            continue;
        };
        if var == MULTIPLE_CHOICE || is_file(f) {
            continue;
        }
        let default = f.default.as_ref().filter(|d| !d.is_null());
        if is_multi(f) {
            for c in &f.choices {
                let Some(sub) = &c.variable_name else {
                    continue;
                };
                let key = super::headless::checkbox_label_key(sub).unwrap_or_default();
                let on = c.selected == Some(true)
                    || match default {
                        Some(serde_json::Value::Object(m)) => m.get(&key).is_some_and(truthy),
                        Some(serde_json::Value::Array(a)) => a.iter().any(|v| json_str(v) == key),
                        Some(v @ serde_json::Value::String(_)) => json_str(v) == key,
                        _ => false,
                    };
                form.insert(sub.clone(), if on { "True" } else { "False" }.to_string());
            }
            continue;
        }
        let yesno = f
            .datatype
            .as_deref()
            .is_some_and(|d| matches!(d, "yesno" | "noyes" | "boolean"))
            && f.choices.is_empty();
        if yesno {
            let sign = f.sign.unwrap_or(1);
            let checked = default.is_some_and(|d| truthy(d) == (sign > 0));
            form.insert(
                var.clone(),
                if checked == (sign > 0) {
                    "True"
                } else {
                    "False"
                }
                .to_string(),
            );
            continue;
        }
        if !f.choices.is_empty() {
            let selected = f
                .choices
                .iter()
                .find(|c| c.selected == Some(true))
                .and_then(|c| c.value.as_ref())
                .map(json_str)
                .or_else(|| default.map(json_str));
            match selected {
                Some(v) => {
                    form.insert(var.clone(), v);
                }
                // A drop-down starts at its blank option, which the browser posts; radio
                // buttons none of which is checked post "" too (docassemble's `_empties`).
                None => {
                    form.insert(var.clone(), String::new());
                }
            }
            continue;
        }
        let text = match (f.datatype.as_deref(), default) {
            // docassemble's slider starts halfway: `int((min + max) / 2)`.
            (Some("range"), None) => match (
                f.min.as_ref().and_then(serde_json::Value::as_f64),
                f.max.as_ref().and_then(serde_json::Value::as_f64),
            ) {
                (Some(lo), Some(hi)) => format!("{}", ((lo + hi) / 2.0).trunc() as i64),
                _ => f.min.as_ref().map(json_str).unwrap_or_else(|| "0".into()),
            },
            (_, Some(d)) => json_str(d),
            (_, None) => String::new(),
        };
        form.insert(var.clone(), text);
    }
    form
}

/// `<a href="…">…</a>` in an HTML text: (href with entities decoded, inner HTML).
fn anchors(html: &str) -> Vec<(String, String)> {
    static RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?s)<a\s[^>]*?href\s*=\s*["']([^"']*)["'][^>]*>(.*?)</a>"#).ok()
    });
    let Some(re) = RE.as_ref() else {
        return Vec::new();
    };
    re.captures_iter(html)
        .map(|c| (plain_text(&c[1]), c[2].to_string()))
        .collect()
}

/// The vocabulary term links (`<a class="daterm" data-bs-content="…">…</a>`) in an HTML
/// text: (definition with entities decoded, inner HTML).
fn term_anchors(html: &str) -> Vec<(String, String)> {
    static RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?s)<a\s[^>]*?class="daterm"[^>]*?data-bs-content="([^"]*)"[^>]*>(.*?)</a>"#,
        )
        .ok()
    });
    let Some(re) = RE.as_ref() else {
        return Vec::new();
    };
    re.captures_iter(html)
        .map(|c| (super::headless::decode_entities(&c[1]), c[2].to_string()))
        .collect()
}

/// Where a link of the page goes.
enum Link {
    /// It runs an action of the interview.
    Action(super::state::Action),
    /// A plain link (its `href`, entities decoded).
    Href(String),
    /// A button or item whose action is not the interview's.
    Elsewhere,
}

impl Link {
    fn of_action(a: Option<super::state::Action>) -> Link {
        a.map_or(Link::Elsewhere, Link::Action)
    }
}

/// The `name=value` pairs of a query string, decoded.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// A query parameter of a URL, percent-decoded.
fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query_pairs(query)
        .into_iter()
        .find_map(|(k, v)| (k == name).then_some(v))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' => {
                match (
                    bytes.get(i + 1).and_then(|b| hex(*b)),
                    bytes.get(i + 2).and_then(|b| hex(*b)),
                ) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// docassemble's encoded action (`encode(json.dumps({"action", "arguments"}))`).
fn decode_action(encoded: &str) -> Option<super::state::Action> {
    let text = super::screen::decode_name(encoded)?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    super::state::Action::from_json(&json).ok()
}

fn clip(text: &str) -> String {
    let flat = text.replace('\n', " | ");
    match flat.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}

/// Plays a scenario's steps after its `Start` step against a started session.
pub fn play(session: &mut Session<'_>, steps: &[StepLine], possibly_error: bool) -> Outcome {
    if !possibly_error {
        if let Some(e) = session.error() {
            return Outcome::Failed {
                line: steps.first().map(|s| s.line).unwrap_or(0),
                step: "start".into(),
                reason: format!("the interview shows an error page: {e}"),
            };
        }
    }
    for s in steps {
        let result = parse_step(&s.text).and_then(|step| session.step(&step));
        if let Err(reason) = result {
            return Outcome::Failed {
                line: s.line,
                step: s.text.clone(),
                reason,
            };
        }
    }
    Outcome::Passed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_features_with_background_and_comments() {
        let f = "Feature: x\n  Background:\n    Given I wait 1 second\n  Scenario: one\n    Given I start the interview \"a.yml\"\n    Then I should see the phrase \"Hi\"\n  # Scenario: off\n  #   Given I start the interview \"b.yml\"\n  Scenario: two\n    When I click the button \"Continue\"\n";
        let s = parse_feature(f);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "one");
        assert_eq!(s[0].steps.len(), 3);
        assert_eq!(s[0].steps[1].text, "I start the interview \"a.yml\"");
        assert_eq!(s[1].steps.len(), 2);
    }

    #[test]
    fn understands_the_step_templates() {
        assert_eq!(
            parse_step("I set \"First name\" to \"Fred\"").unwrap(),
            Step::Set {
                label: "First name".into(),
                value: "Fred".into(),
                nth: 1
            }
        );
        assert_eq!(
            parse_step("I click the second button \"Add\"").unwrap(),
            Step::Button {
                label: "Add".into(),
                nth: 2
            }
        );
        assert_eq!(
            parse_step("I click the option \"Apple\" under \"Fruit\"").unwrap(),
            Step::Option {
                option: "Apple".into(),
                under: Some("Fruit".into()),
                nth: 1
            }
        );
        assert_eq!(
            parse_step("I should see the phrase 'It's \"quoted\"'").unwrap(),
            Step::See("It's \"quoted\"".into())
        );
        assert_eq!(parse_step("I wait 3 seconds").unwrap(), Step::Wait(3000));
        assert_eq!(parse_step("I wait 0.5 second").unwrap(), Step::Wait(500));
        assert_eq!(parse_step("I wait forever").unwrap(), Step::Nothing);
        assert!(parse_step("I dance").is_err());
    }
}

/// The open tab of the documents on a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocTab {
    Download,
    Preview,
    Markdown,
}

/// docassemble's download links, as their text reads (`PDF (for printing; …)`).
fn download_labels(a: &super::attachments::ScreenAttachment) -> Vec<String> {
    let valid = |f: &str| {
        a.valid_formats
            .iter()
            .any(|v| v == f || (v == "*" && f != "md"))
    };
    let mut out = Vec::new();
    if a.valid_formats.len() > 1 || valid("*") {
        out.push("The document is available in the following formats:".to_string());
    }
    for (f, text) in [
        (
            "pdf",
            "PDF (for printing; requires Adobe Reader or similar application)",
        ),
        (
            "rtf",
            "RTF (for editing; requires Microsoft Word, Wordpad, or similar application)",
        ),
        (
            "docx",
            "DOCX (for editing; requires Microsoft Word or compatible application)",
        ),
        ("md", "Markdown"),
    ] {
        if valid(f) {
            out.push(text.to_string());
        }
    }
    out
}

/// The Markdown tab's text: the source of the first valid format that has some.
fn markdown_of(a: &super::attachments::ScreenAttachment) -> Option<String> {
    a.valid_formats
        .iter()
        .filter_map(|f| a.markdown.get(f))
        .chain(a.markdown.values())
        .find(|m| !m.trim().is_empty())
        .cloned()
}
