//! Running an interview: the next-question algorithm, screens and answers.
//!
//! ```text
//! let iv = CompiledInterview::new(engine::load(&source, &file_ref)?)?;
//! let mut state = SessionState::new();
//! let screen = Engine::new(&iv, &host).screen(&mut state)?;            // what to show
//! let next = Engine::new(&iv, &host).answer(&mut state, &submission)?; // apply answers
//! ```
//!
//! The state is plain data (serde): the server stores one snapshot per step.

pub mod actions;
pub mod answer;
pub mod ask;
pub mod assemble;
pub mod attachments;
pub mod background;
pub mod catchall;
pub mod check_in;
pub mod compile;
pub mod depends;
pub mod doc_context;
pub mod embedded;
pub mod empty_choices;
pub mod error;
pub mod eval;
pub mod fields_code;
pub mod forget;
pub mod headless;
mod html_items;
pub mod images;
pub mod js_show_if;
pub mod list_collect;
pub mod nav;
pub mod orderings;
pub mod parts;
pub mod reorder;
pub mod review;
pub mod scenario;
pub mod screen;
pub mod selections;
pub mod state;
pub mod tags;
pub mod template_file;
pub mod terms;
pub mod values;
pub mod variables;
pub mod variants;

pub use answer::{Answered, Submission};
pub use compile::CompiledInterview;
pub use error::{BackgroundExit, RunError};
pub use screen::{
    MenuItem, QuestionType, Screen, ScreenChoice, ScreenField, decode_name, encode_name,
};
pub use state::{Action, Notification, SessionState};

/// What the engine needs of its host beyond the evaluator's hooks.
pub trait RunHost: pyeval::Host {
    /// Called once at the start of each request.
    fn begin_request(&self) {}
    /// Called at the start of every assembly pass.
    fn begin_pass(&self) {}
    /// What library functions asked of the engine since the last call (and clears it).
    fn take_effects(&self) -> crate::runtime::Effects {
        crate::runtime::Effects::default()
    }
    /// The screen parts `set_parts()` set since the last call (and clears them), as
    /// (keyword, text).
    fn take_screen_parts(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    /// Whether `prevent_going_back()` was called since the last call (and clears it).
    fn take_prevent_going_back(&self) -> bool {
        false
    }
    /// The lists and dictionaries whose `cancel_add_or_edit()` ran since the last call (and
    /// clears them).
    fn take_cancelled_groups(&self) -> Vec<String> {
        Vec::new()
    }
    /// The action being run (name and arguments dict), for `action_argument()`.
    fn set_action(&self, _action: Option<(String, pyeval::Value)>) {}
    /// The current language (`set_language()`), if the host knows one.
    fn language(&self) -> Option<String> {
        None
    }
    /// Turns `redact()` on or off (off while an attachment with `redact: False` is made).
    fn set_redact(&self, _on: bool) {}
    /// The modules named by the interview's `modules` blocks (`from module import *`).
    fn set_modules(&self, _modules: &[String]) {}
    /// Whether `docassemble.base.util`'s classes and functions are globals (not when the
    /// interview's metadata says `suppress loading util` and no `modules` block names it).
    fn set_util_loaded(&self, _loaded: bool) {}
    /// The interview's own Python modules, loaded when it was compiled.
    fn set_python_modules(&self, _modules: &std::sync::Arc<crate::runtime::modules::PyModules>) {}
    /// The data files `objects_from_file()` reads, by reference.
    fn set_source_files(
        &self,
        _files: &std::sync::Arc<std::collections::BTreeMap<String, String>>,
    ) {
    }
    /// The inline contents of the interview's plain-named `template` blocks.
    fn set_template_sources(&self, _sources: &std::sync::Arc<crate::runtime::TemplateSources>) {}
    /// The interview's file name as its URLs give it (`i=`), if the host knows it.
    fn interview_name(&self) -> Option<String> {
        None
    }
    /// The URL where the document stored in the variable `variable` is downloaded as
    /// `filename` (`my_doc.pdf.url_for()`).
    fn document_url(&self, variable: &str, filename: &str) -> String {
        format!("/document/{}?a={}", url_part(filename), url_part(variable))
    }
}

/// Percent-encodes everything but unreserved characters.
pub fn url_part(s: &str) -> String {
    crate::runtime::functions::json::quote(s)
}

impl RunHost for pyeval::NoHost {}

impl RunHost for crate::runtime::DaHost {
    fn begin_request(&self) {
        crate::runtime::DaHost::begin_request(self, None);
    }
    fn begin_pass(&self) {
        crate::runtime::DaHost::begin_pass(self);
    }
    fn take_effects(&self) -> crate::runtime::Effects {
        crate::runtime::DaHost::take_effects(self)
    }
    fn take_screen_parts(&self) -> Vec<(String, String)> {
        std::mem::take(&mut self.effects_mut().parts)
    }
    fn take_prevent_going_back(&self) -> bool {
        std::mem::take(&mut self.effects_mut().prevent_going_back)
    }
    fn take_cancelled_groups(&self) -> Vec<String> {
        std::mem::take(&mut self.effects_mut().cancelled_groups)
    }
    fn set_action(&self, action: Option<(String, pyeval::Value)>) {
        crate::runtime::DaHost::set_action(self, action);
    }
    fn language(&self) -> Option<String> {
        Some(crate::runtime::DaHost::language(self))
    }
    fn set_redact(&self, on: bool) {
        crate::runtime::DaHost::set_redact(self, on);
    }
    fn set_modules(&self, modules: &[String]) {
        crate::runtime::DaHost::set_modules(self, modules);
    }
    fn set_util_loaded(&self, loaded: bool) {
        crate::runtime::DaHost::set_util_loaded(self, loaded);
    }
    fn interview_name(&self) -> Option<String> {
        Some(self.config().interview_name.clone()).filter(|n| !n.is_empty())
    }
    fn set_python_modules(&self, modules: &std::sync::Arc<crate::runtime::modules::PyModules>) {
        crate::runtime::DaHost::set_python_modules(self, modules.clone());
    }
    fn set_source_files(&self, files: &std::sync::Arc<std::collections::BTreeMap<String, String>>) {
        crate::runtime::DaHost::set_source_files(self, files.clone());
    }
    fn set_template_sources(&self, sources: &std::sync::Arc<crate::runtime::TemplateSources>) {
        crate::runtime::DaHost::set_template_sources(self, sources.clone());
    }
    fn document_url(&self, variable: &str, filename: &str) -> String {
        let c = self.config();
        let mut url = format!(
            "/document/{}?i={}&a={}",
            url_part(filename),
            url_part(&c.interview_name),
            url_part(variable)
        );
        if !c.session_id.is_empty() {
            url.push_str(&format!("&session={}", url_part(&c.session_id)));
        }
        url
    }
}

/// Runs one interview for one session at a time.
pub struct Engine<'a> {
    iv: &'a CompiledInterview,
    host: &'a dyn RunHost,
    limits: pyeval::Limits,
}

impl<'a> Engine<'a> {
    /// The interview this engine runs.
    pub fn interview(&self) -> &'a CompiledInterview {
        self.iv
    }

    /// The interview's file name as its URLs give it, if the host knows it.
    pub fn host_interview_name(&self) -> Option<String> {
        self.host.interview_name()
    }

    /// An engine for `iv` using `host` for docassemble's classes and functions.
    pub fn new(iv: &'a CompiledInterview, host: &'a dyn RunHost) -> Self {
        host.set_modules(iv.modules());
        host.set_util_loaded(iv.util_loaded());
        host.set_python_modules(iv.python_modules());
        host.set_source_files(iv.source_files());
        host.set_template_sources(iv.template_sources());
        Engine {
            iv,
            host,
            limits: pyeval::Limits::default(),
        }
    }

    /// With other evaluation limits (per piece of code).
    pub fn with_limits(mut self, limits: pyeval::Limits) -> Self {
        self.limits = limits;
        self
    }

    fn ctx<'s>(&'s self, st: &'s mut SessionState) -> eval::Ctx<'s> {
        eval::Ctx {
            iv: self.iv,
            st,
            host: self.host,
            limits: self.limits,
            terms: terms::Terms::default(),
            data_mode: eval::DataMode::default(),
        }
    }

    /// The screen to show now. On error the state is left as it was (after the interview's
    /// `error action`, if it has one, had its chance: see [`Engine::recover`]).
    pub fn screen(&self, st: &mut SessionState) -> Result<Screen, RunError> {
        self.screen_once(st).or_else(|e| self.recover(st, e))
    }

    fn screen_once(&self, st: &mut SessionState) -> Result<Screen, RunError> {
        // Assembling replaces the pending screen, so the snapshot leaves it out (it is the
        // largest part of the state) and it is put back only on error.
        let pending = st.internal.pending.take();
        let before = st.clone();
        self.host.begin_request();
        let result = self.ctx(st).assemble();
        if result.is_err() {
            *st = before;
            st.internal.pending = pending;
        } else {
            self.run_background(st);
        }
        result
    }

    /// Going back (docassemble's `_back_one`): `st` is the step gone back to and `undone` the
    /// step left. The answers `undone` holds for the fields of the screen waiting in `st` become
    /// those fields' defaults (and are kept as `dirty` defaults for when they are asked again),
    /// so that going back loses nothing the user typed, as docassemble fills a screen from its
    /// `old_user_dict`. `undone` is not changed.
    pub fn remember_undone(&self, st: &mut SessionState, undone: &SessionState) {
        let Some(pending) = st.internal.pending.as_ref() else {
            return;
        };
        let wanted: Vec<(usize, String, bool)> = pending
            .screen
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.default.is_none())
            .filter_map(|(i, f)| {
                let object_list = matches!(
                    f.datatype.as_deref(),
                    Some("object_checkboxes" | "object_multiselect")
                );
                f.variable_name.clone().map(|v| (i, v, object_list))
            })
            .collect();
        if wanted.is_empty() {
            return;
        }
        let mut copy = undone.clone();
        self.host.begin_request();
        let found: Vec<(usize, String, serde_json::Value)> = {
            let mut cx = self.ctx(&mut copy);
            wanted
                .into_iter()
                .filter_map(|(i, var, object_list)| {
                    let v = cx.value_of(&var)?;
                    cx.value_default(&v, object_list).map(|j| (i, var, j))
                })
                .collect()
        };
        for (i, var, json) in found {
            if let Some(f) = st
                .internal
                .pending
                .as_mut()
                .and_then(|p| p.screen.fields.get_mut(i))
            {
                f.default = Some(json.clone());
            }
            st.internal.dirty.insert(var, json);
        }
    }

    /// The interview's variables as the Jinja2 context of a DOCX template (see
    /// [`doc_context`]). Evaluation happens on a copy: `st` is not changed.
    pub fn document_context(&self, st: &SessionState) -> serde_json::Value {
        let mut copy = st.clone();
        self.host.begin_request();
        self.ctx(&mut copy).document_context()
    }

    /// The document kept in the variable `var` (an attachment's `variable name`), if any.
    /// Evaluation happens on a copy: `st` is not changed.
    pub fn stored_attachment(
        &self,
        st: &SessionState,
        var: &str,
    ) -> Option<attachments::ScreenAttachment> {
        let mut copy = st.clone();
        self.host.begin_request();
        self.ctx(&mut copy).stored_attachment(var)
    }

    /// Applies a submission to the pending screen and produces what comes next. On error the
    /// state is left as it was (after the interview's `error action`, if it has one, had its
    /// chance: see [`Engine::recover`]).
    pub fn answer(&self, st: &mut SessionState, sub: &Submission) -> Result<Answered, RunError> {
        self.answer_once(st, sub)
            .or_else(|e| self.recover(st, e).map(Answered::Next))
    }

    /// docassemble's `error action` (metadata): a request that fails with an error of the
    /// interview is run again as that action, with `error_message` (and `error_history`,
    /// `error_trace`, here `None`) as its arguments, from the state before the request. Only
    /// once: an error in the action itself is the request's error. Without an `error action`,
    /// or for a request the engine refused, the error stands.
    fn recover(&self, st: &mut SessionState, e: RunError) -> Result<Screen, RunError> {
        if matches!(e, RunError::BadRequest(_) | RunError::BackgroundResponse(_)) {
            return Err(e);
        }
        let Some(name) = self
            .iv
            .metadata_text("error action", "en")
            .filter(|n| !n.is_empty())
        else {
            return Err(e);
        };
        let mut arguments = serde_json::Map::new();
        arguments.insert("error_message".into(), e.to_string().into());
        arguments.insert("error_history".into(), serde_json::Value::Null);
        arguments.insert("error_trace".into(), serde_json::Value::Null);
        let action = Action {
            action: name,
            arguments,
        };
        let before = st.clone();
        self.host.begin_request();
        let result = {
            let mut cx = self.ctx(st);
            cx.announce_action(&action);
            cx.start_action(action);
            cx.st.internal.steps += 1;
            cx.assemble()
        };
        match result {
            Ok(screen) => {
                self.run_background(st);
                Ok(screen)
            }
            Err(e) => {
                *st = before;
                Err(e)
            }
        }
    }

    fn answer_once(&self, st: &mut SessionState, sub: &Submission) -> Result<Answered, RunError> {
        if let Some(action) = &sub.action {
            // An action (a link, an edit button): checked against what the interview defines
            // and the waiting screen offers, so the pending screen stays in place for it.
            let before = st.clone();
            self.host.begin_request();
            let result = self.ctx(st).act(action.clone());
            if result.is_err() {
                *st = before;
            } else {
                self.run_background(st);
            }
            return result;
        }
        let pending = st.internal.pending.take();
        let before = st.clone();
        self.host.begin_request();
        let result = match &pending {
            Some(p) => self.ctx(st).answer(sub, p),
            None => self.ctx(st).assemble().map(Answered::Stale),
        };
        match &result {
            // A new screen is pending (or none, after a message).
            Ok(Answered::Next(_)) => {}
            Ok(_) if pending.is_none() => {}
            // Nothing was answered: the same screen is still waiting.
            Ok(_) => st.internal.pending = pending,
            Err(_) => {
                *st = before;
                st.internal.pending = pending;
            }
        }
        if result.is_ok() {
            self.run_background(st);
        }
        result
    }
}
