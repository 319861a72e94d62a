//! Building the screen for a question block (docassemble's `Question.ask` + `as_data`).

use std::borrow::Cow;

use super::eval::{Ctx, Eval, Interrupt};
use super::screen::{QuestionType, Screen, ScreenChoice, ScreenField, ShowIfCode, encode_name};
use super::state::Pending;
use super::terms::{Term, Terms};
use super::values::{json_str, to_json, yaml_to_json};
use super::variants::substitute;
use crate::block::field::NoneOfTheAbove;
use crate::block::{
    Block, BlockKind, ChoiceAction, ChoiceList, Cond, Datatype, Field, FieldItem, InputType,
    MultipleChoiceStyle, Question, QuestionInput, ShowIf, Text, YesNoKind,
};

/// Where a screen comes from: the block and what `x`, `i`, … were bound to.
#[derive(Debug, Clone)]
pub struct AskFrom<'b> {
    /// The question-list index.
    pub index: usize,
    /// The block.
    pub block: &'b Block,
    /// `x`, when generic.
    pub x: Option<String>,
    /// `i`, `j`, … values.
    pub iterators: Vec<String>,
    /// The variable sought.
    pub sought: Option<String>,
    /// The block is being asked because it is mandatory.
    pub mandatory: bool,
    /// When `block` is a question embedded in a button of the question-list block `index`
    /// (docassemble's `follow_multiple_choice`), the choice indices that lead to it.
    pub embedded: Vec<usize>,
}

impl Ctx<'_> {
    /// A variable's value as the default of the field that asks it: JSON, or for an
    /// object-checkboxes field (`object_list`) the paths of the objects in the list, whose
    /// boxes start checked.
    pub(crate) fn value_default(
        &mut self,
        v: &pyeval::Value,
        object_list: bool,
    ) -> Option<serde_json::Value> {
        let mut cx = self.interp();
        if object_list {
            super::values::object_paths_json(&mut cx, v)
        } else {
            to_json(&mut cx, v).ok()
        }
    }

    /// Renders a text to inline HTML (with the screen's terms linked).
    fn inline(&mut self, t: &Text, from: &AskFrom<'_>) -> Eval<String> {
        let file = from.block.file.to_string();
        let s = self.render(t, &file, &from.block.name)?;
        let html = self.iv.to_inline_html(&self.terms.mark(&s));
        Ok(self.terms.link(&html))
    }

    /// Renders a text to block HTML (with the screen's terms linked).
    fn html(&mut self, t: &Text, from: &AskFrom<'_>) -> Eval<String> {
        let file = from.block.file.to_string();
        let s = self.render(t, &file, &from.block.name)?;
        let html = self.iv.to_html(&self.terms.mark(&s));
        Ok(self.terms.link(&html))
    }

    /// A question's `action buttons` (a list, or `code` giving a list of dictionaries); a
    /// button whose `show if` is false is left out.
    fn action_buttons(
        &mut self,
        buttons: &crate::block::question::ActionButtons,
        from: &AskFrom<'_>,
    ) -> Eval<Vec<super::screen::ActionButton>> {
        use crate::block::question::ActionButtons;
        let file = from.block.file.to_string();
        let name = from.block.name.clone();
        let mut out = Vec::new();
        match buttons {
            ActionButtons::List(list) => {
                for b in list {
                    let mut options: serde_json::Map<String, serde_json::Value> =
                        serde_json::Map::new();
                    let mut show = true;
                    for (k, raw) in &b.options {
                        if k == "show if" {
                            let src = match &raw.0.value {
                                crate::source::yaml::Value::Bool(v) => {
                                    if *v { "True" } else { "False" }.to_string()
                                }
                                _ => raw.0.python_str().unwrap_or_default().into_owned(),
                            };
                            show = self.truthy_src(&src, (&file, b.line), &name)?;
                            continue;
                        }
                        let v = match raw.0.python_str() {
                            Some(t)
                                if !matches!(raw.0.value, crate::source::yaml::Value::Bool(_)) =>
                            {
                                let text = Text {
                                    source: t.into_owned(),
                                    line: b.line,
                                };
                                serde_json::Value::String(self.render(&text, &file, &name)?)
                            }
                            _ => yaml_to_json(&raw.0),
                        };
                        options.insert(k.clone(), v);
                    }
                    if !show {
                        continue;
                    }
                    let arguments = match b.arguments.as_ref().map(|a| yaml_to_json(&a.0)) {
                        Some(serde_json::Value::Object(m)) => m,
                        _ => serde_json::Map::new(),
                    };
                    let label = self.inline(&b.label, from)?;
                    let action = self.render(&b.action, &file, &name)?;
                    out.push(button_of(label, action, arguments, &options));
                }
            }
            ActionButtons::Code(p) => {
                let v = self.eval_src(&p.source, (&file, p.line), &name)?;
                let json = {
                    let mut cx = self.interp();
                    crate::runtime::functions::background::to_json(&mut cx, &v)
                        .map_err(|f| super::eval::flow(f, &name))?
                };
                for item in json.as_array().cloned().unwrap_or_default() {
                    let Some(m) = item.as_object() else { continue };
                    let text = |k: &str| m.get(k).map(json_str).unwrap_or_default();
                    let label = self.iv.to_inline_html(&text("label"));
                    let arguments = m
                        .get("arguments")
                        .and_then(|a| a.as_object())
                        .cloned()
                        .unwrap_or_default();
                    out.push(button_of(label, text("action"), arguments, m));
                }
            }
        }
        Ok(out)
    }

    /// The terms of the screen of question `q`: its own `terms` and `auto terms` (Mako),
    /// then those `update_terms()` set, then the interview's (plain text), each phrase once.
    fn screen_terms(&mut self, q: &Question, from: &AskFrom<'_>) -> Eval<Terms> {
        let mut terms = Terms::default();
        let file = from.block.file.to_string();
        for (list, auto) in [(&q.terms, false), (&q.auto_terms, true)] {
            for t in list {
                let def = self.render(&t.definition, &file, &from.block.name)?;
                terms.add(Term::new(&t.phrase, self.iv.to_inline_html(&def), auto));
            }
        }
        let language = self.host.language();
        let lang_ok = |l: &Option<String>| {
            l.as_deref()
                .is_none_or(|l| l == "*" || Some(l) == language.as_deref())
        };
        let updated = self.updated_terms(language.as_deref());
        for auto in [false, true] {
            for (phrase, def) in updated.iter().filter(|u| u.2 == auto).map(|u| (&u.0, &u.1)) {
                terms.add(Term::new(phrase, self.iv.to_inline_html(def), auto));
            }
            for b in &self.iv.interview.blocks {
                let list = match (&b.kind, auto) {
                    (BlockKind::Terms(l), false) | (BlockKind::AutoTerms(l), true) => l,
                    _ => continue,
                };
                if !lang_ok(&b.modifiers.language) {
                    continue;
                }
                for t in list {
                    let def = self.iv.to_inline_html(&t.definition.source);
                    terms.add(Term::new(&t.phrase, def, auto));
                }
            }
        }
        Ok(terms)
    }

    /// What `update_terms()` stored: (phrase, definition, auto), for the language and `*`.
    fn updated_terms(&mut self, language: Option<&str>) -> Vec<(String, String, bool)> {
        let mut out = Vec::new();
        let mut cx = self.interp();
        for (slot, auto) in [("terms", false), ("autoterms", true)] {
            let Ok(Some(by_lang)) = crate::runtime::functions::server::get_internal(&mut cx, slot)
            else {
                continue;
            };
            for lang in language.into_iter().chain(["*"]) {
                let key = pyeval::Value::str(lang);
                let Ok(true) = cx.contains(&by_lang, &key) else {
                    continue;
                };
                let Ok(d) = cx.get_item(&by_lang, &key) else {
                    continue;
                };
                for k in cx.collect(&d).unwrap_or_default() {
                    let v = cx.get_item(&d, &k).and_then(|v| cx.to_str(&v));
                    if let (Ok(phrase), Ok(def)) = (cx.to_str(&k), v) {
                        out.push((phrase, def, auto));
                    }
                }
            }
        }
        out
    }

    /// A field's validation messages: the interview's `default validation messages` (of the
    /// question's language, else any), overridden by the field's own `validation messages`.
    fn validation_messages(
        &mut self,
        field: &Field,
        from: &AskFrom<'_>,
    ) -> Eval<std::collections::BTreeMap<String, String>> {
        let iv = self.iv;
        let mut out = std::collections::BTreeMap::new();
        let language = from.block.modifiers.language.as_deref().unwrap_or("*");
        for exact in [false, true] {
            for block in &iv.interview.blocks {
                let BlockKind::DefaultValidationMessages(messages) = &block.kind else {
                    continue;
                };
                let lang = block.modifiers.language.as_deref().unwrap_or("*");
                if (exact && (lang != language || lang == "*")) || (!exact && lang != "*") {
                    continue;
                }
                for (key, text) in messages {
                    let m = self.render(text, &block.file.to_string(), &block.name)?;
                    out.insert(key.clone(), one_line(&m));
                }
            }
        }
        let file = from.block.file.to_string();
        for (key, text) in &field.validation_messages {
            let m = self.render(text, &file, &from.block.name)?;
            out.insert(key.clone(), one_line(&m));
        }
        Ok(out)
    }

    /// A choice's value: text values are templates (docassemble's `TextObject` keys), so
    /// `- ${ client.birthdate }` offers the date.
    fn choice_value(
        &mut self,
        node: &crate::source::yaml::Node,
        from: &AskFrom<'_>,
    ) -> Eval<serde_json::Value> {
        match node.as_str() {
            Some(s) if s.contains("${") || s.contains('%') => {
                let t = Text {
                    source: s.to_string(),
                    line: node.line,
                };
                let file = from.block.file.to_string();
                Ok(serde_json::Value::String(self.render(
                    &t,
                    &file,
                    &from.block.name,
                )?))
            }
            _ => Ok(yaml_to_json(node)),
        }
    }

    /// The question's own screen part, or else the interview's (`set_parts()`, `default
    /// screen parts`, `metadata`), as HTML.
    fn own_or_part(
        &mut self,
        own: &Option<Text>,
        part: &str,
        language: &str,
        from: &AskFrom<'_>,
    ) -> Eval<Option<String>> {
        if own.is_some() {
            return self.opt_html(own, from);
        }
        Ok(self
            .screen_part(part, language)?
            .filter(|t| !t.trim().is_empty())
            .map(|t| self.iv.to_html(&t)))
    }

    /// Renders a text as it is (a `script` or `css`: HTML that is not Markdown).
    fn raw(&mut self, t: &Option<Text>, from: &AskFrom<'_>) -> Eval<Option<String>> {
        match t {
            Some(t) => {
                let file = from.block.file.to_string();
                self.render(t, &file, &from.block.name).map(Some)
            }
            None => Ok(None),
        }
    }

    fn opt_html(&mut self, t: &Option<Text>, from: &AskFrom<'_>) -> Eval<Option<String>> {
        match t {
            Some(t) => self.html(t, from).map(Some),
            None => Ok(None),
        }
    }

    /// The `interview help` blocks' panels, in file order (docassemble's `interviewHelpText`).
    fn interview_help(&mut self) -> Eval<Vec<super::screen::HelpText>> {
        let iv = self.iv;
        let mut out = Vec::new();
        for block in &iv.interview.blocks {
            let BlockKind::InterviewHelp(help) = &block.kind else {
                continue;
            };
            let Some(content) = &help.content else {
                continue;
            };
            let file = block.file.to_string();
            let heading = match &help.heading {
                Some(h) => {
                    let s = self.render(h, &file, &block.name)?;
                    Some(iv.to_inline_html(&s))
                }
                None => None,
            };
            let label = match &help.label {
                Some(l) => {
                    let s = self.render(l, &file, &block.name)?;
                    Some(iv.to_inline_html(&s)).filter(|l| !l.trim().is_empty())
                }
                None => None,
            };
            let s = self.render(content, &file, &block.name)?;
            out.push(super::screen::HelpText {
                heading,
                label,
                content: iv.to_html(&s),
            });
        }
        Ok(out)
    }

    /// The label of the question's own Back button, if it has one: `back button` on the
    /// block, else the `question back button` feature; the label is the block's `back
    /// button label`, else the interview's, else "Back".
    fn question_back_button(
        &mut self,
        q: &Question,
        language: &str,
        from: &AskFrom<'_>,
    ) -> Eval<Option<String>> {
        let iv = self.iv;
        let shown = match &from.block.modifiers.back_button {
            Some(c) => self.cond_value(c, from)?,
            None => iv.interview.blocks.iter().any(|b| {
                matches!(&b.kind, BlockKind::Features(f) if f.question_back_button == Some(true))
            }),
        };
        if !shown {
            return Ok(None);
        }
        Ok(Some(match &q.back_button_label {
            Some(t) => self.inline(t, from)?,
            None => match self.screen_part("back button label", language)? {
                Some(l) => iv.to_inline_html(&l),
                None => "Back".to_string(),
            },
        }))
    }

    /// A question's true/false option (`allow emailing: False`), which may also be Python
    /// code; `default` when the question does not have it.
    fn option_flag(
        &mut self,
        q: &Question,
        key: &str,
        default: bool,
        from: &AskFrom<'_>,
    ) -> Eval<bool> {
        use crate::source::yaml::Value as Y;
        let Some((_, v)) = q.options.iter().find(|(k, _)| k == key) else {
            return Ok(default);
        };
        match &v.0.value {
            Y::Bool(b) => Ok(*b),
            Y::Str(code) => {
                let file = from.block.file.to_string();
                self.truthy_src(code, (&file, v.0.line), &from.block.name)
            }
            _ => Ok(default),
        }
    }

    /// The `label` of the first `interview help` block that has one (the help tab's label
    /// when the question's help has none).
    fn interview_help_label(&mut self) -> Eval<Option<String>> {
        let iv = self.iv;
        for block in &iv.interview.blocks {
            if let BlockKind::InterviewHelp(help) = &block.kind {
                if let Some(l) = &help.label {
                    let s = self.render(l, &block.file.to_string(), &block.name)?;
                    return Ok(Some(iv.to_inline_html(&s)));
                }
            }
        }
        Ok(None)
    }

    /// docassemble's `menu_items`: the `menu_items` variable when it is a list; entries that
    /// are not `{url, label}` dicts of strings are left out, as docassemble's menu does.
    fn menu_items(&self) -> Vec<super::screen::MenuItem> {
        use pyeval::{Key, ObjKind, Value};
        let vars = &self.st.vars;
        let obj = |v: &Value| match v {
            Value::Ref(id) => vars.heap.get(*id).map(|o| &o.kind),
            _ => None,
        };
        let Some(ObjKind::List(items)) = vars.get("menu_items").and_then(obj) else {
            return Vec::new();
        };
        let text = |d: &pyeval::Dict, k: &str| match d.get(&Key::Str(k.into())) {
            Some(Value::Str(s)) => Some(s.to_string()),
            _ => None,
        };
        items
            .iter()
            .filter_map(|item| match obj(item)? {
                ObjKind::Dict(d) => Some(super::screen::MenuItem {
                    url: text(d, "url")?,
                    label: text(d, "label")?,
                }),
                _ => None,
            })
            .collect()
    }

    /// A `Cond` evaluated.
    fn cond_value(&mut self, c: &Cond, from: &AskFrom<'_>) -> Eval<bool> {
        match c {
            Cond::Const(b) => Ok(*b),
            Cond::Code(p) => {
                let file = from.block.file.to_string();
                self.truthy_src(&p.source, (&file, p.line), &from.block.name)
            }
        }
    }

    /// `checkin interval` of the interview's `features` (the last one given), in
    /// milliseconds; docassemble's 6000 when none is.
    fn checkin_interval(&self) -> u64 {
        self.iv
            .interview
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Features(f) => f
                    .other
                    .iter()
                    .rev()
                    .find(|(k, _)| k == "checkin interval")
                    .and_then(|(_, v)| match v.0.value {
                        crate::source::yaml::Value::Int(i) => u64::try_from(i).ok(),
                        _ => None,
                    }),
                _ => None,
            })
            .next_back()
            .unwrap_or(6000)
    }

    /// Builds the screen for `from` and records it as pending.
    pub fn ask(&mut self, from: AskFrom<'_>) -> Eval<Screen> {
        let BlockKind::Question(q) = &from.block.kind else {
            return Err(Interrupt::Error(super::error::RunError::BadRequest(
                format!("{} is not a question", from.block.name),
            )));
        };
        self.bind(from.x.as_deref(), &from.iterators, &from.block.name)?;
        let screen = self.build(q, &from)?;
        self.skip_without_choices(&screen, &from)?;
        if let Some(c) = &from.block.modifiers.prevent_going_back {
            if self.cond_value(c, &from)? {
                self.prevent_going_back();
            }
        }
        self.st.internal.pending = Some(Pending {
            block: from.index,
            question_name: from.block.name.clone(),
            x: from.x.clone(),
            iterators: from.iterators.clone(),
            sought: from.sought.clone(),
            screen: screen.clone(),
            mandatory: from.mandatory,
            embedded: from.embedded.clone(),
        });
        Ok(screen)
    }

    fn build(&mut self, q: &Question, from: &AskFrom<'_>) -> Eval<Screen> {
        self.terms = self.screen_terms(q, from)?;
        let result = self.build_screen(q, from);
        let terms = std::mem::take(&mut self.terms);
        let mut screen = result?;
        (screen.terms, screen.autoterms) = terms.definitions();
        Ok(screen)
    }

    fn build_screen(&mut self, q: &Question, from: &AskFrom<'_>) -> Eval<Screen> {
        let question_text = self.inline(&q.question, from)?;
        let subquestion_text = self.opt_html(&q.subquestion, from)?;
        self.absorb_set_parts();
        let language = from
            .block
            .modifiers
            .language
            .clone()
            .or_else(|| self.host.language())
            .unwrap_or_else(|| "*".to_string());
        let under_text = self.own_or_part(&q.under, "under", &language, from)?;
        let extras = super::screen::ScreenExtras {
            script: self.raw(&q.script, from)?,
            css: self.raw(&q.css, from)?,
        };
        let right_text = self.own_or_part(&q.right, "right", &language, from)?;
        let parts = super::screen::ScreenParts {
            pre: self.own_or_part(&q.pre, "pre", &language, from)?,
            submit: self.own_or_part(&q.submit, "submit", &language, from)?,
            post: self.own_or_part(&q.post, "post", &language, from)?,
            footer: self.own_or_part(&None, "footer", &language, from)?,
            back_button: self.question_back_button(q, &language, from)?,
            progress_percentage: self.iv.interview.blocks.iter().any(|b| {
                matches!(&b.kind, BlockKind::Features(f)
                    if f.show_progress_bar_percentage == Some(true))
            }),
            back_prevented: false,
        };
        let mut help_text = Vec::new();
        let mut help_label = None;
        let part_label = self
            .screen_part("help label", &language)?
            .map(|l| self.iv.to_inline_html(&l));
        if let Some(help) = &q.help {
            if let Some(l) = &help.label {
                help_label = Some(self.inline(l, from)?);
            }
            if let Some(content) = &help.content {
                let heading = match &help.heading {
                    Some(h) => Some(self.inline(h, from)?),
                    None => None,
                };
                // the question's help label, else the `help label` screen part (docassemble's
                // set_parts, default screen parts, metadata)
                help_text.push(super::screen::HelpText {
                    heading,
                    label: help_label.clone().or_else(|| part_label.clone()),
                    content: self.html(content, from)?,
                });
            }
        }
        if help_label.is_none() {
            help_label = self.interview_help_label()?;
        }
        if help_label.is_none() {
            help_label = part_label;
        }
        let interview_help_text = self.interview_help()?;
        let menu_items = self.menu_items();
        // A review that saves a continue button field is continued, not resumed.
        let resumes = matches!(
            q.input,
            QuestionInput::Review {
                continue_field: None,
                ..
            }
        );
        let continue_label = match &q.continue_button_label {
            Some(t) => self.inline(t, from)?,
            None => {
                let (part, default) = if resumes {
                    ("resume button label", "Resume")
                } else {
                    ("continue button label", "Continue")
                };
                match self.screen_part(part, &language)? {
                    Some(l) => self.iv.to_inline_html(&l),
                    None => default.to_string(),
                }
            }
        };
        let mut screen = Screen {
            question_name: from.block.name.clone(),
            question_type: QuestionType::Deadend,
            question_variety: None,
            question_text,
            subquestion_text,
            under_text,
            right_text,
            extras,
            parts,
            help_text,
            help_label,
            interview_help_text,
            menu_items,
            continue_label: None,
            yes_label: None,
            no_label: None,
            maybe_label: None,
            fields: Vec::new(),
            question_variable_name: None,
            event_list: from.sought.iter().cloned().collect(),
            mandatory: from.mandatory,
            progress: self.st.internal.progress,
            section: None,
            sections: Vec::new(),
            language: from
                .block
                .modifiers
                .language
                .clone()
                .unwrap_or_else(|| "*".to_string()),
            errors: Vec::new(),
            list_collect: None,
            attachments: Vec::new(),
            decoration: None,
            attributions: Vec::new(),
            attachment_notice: true,
            manual_attachment_list: false,
            allow_emailing: true,
            allow_downloading: false,
            reload: None,
            check_in: None,
            checkin_interval: None,
            terms: Default::default(),
            autoterms: Default::default(),
            additional_buttons: Vec::new(),
            auto_open: false,
            message_log: Vec::new(),
        };
        if let Some(buttons) = &q.action_buttons {
            screen.additional_buttons = self.action_buttons(buttons, from)?;
        }
        if let Some(r) = &q.reload {
            let text = self.render(r, &from.block.file.to_string(), &from.block.name)?;
            screen.reload = reload_ms(&text);
        }
        if let Some(c) = &q.check_in {
            let event = self.render(c, &from.block.file.to_string(), &from.block.name)?;
            let event = event.trim();
            if !event.is_empty() {
                screen.check_in = Some(event.to_string());
                screen.checkin_interval = Some(self.checkin_interval());
            }
        }
        if let Some(p) = q.progress {
            screen.progress = p.map(|v| v as f64);
            self.st.internal.progress = screen.progress;
        }
        if let Some(section) = &q.section {
            let key = self.render(section, &from.block.file.to_string(), &from.block.name)?;
            self.set_section(&key);
        }
        let concrete = |name: &str| substitute(name, from.x.as_deref(), &from.iterators);
        match &q.input {
            QuestionInput::None => {}
            QuestionInput::YesNo { kind, variable } => {
                let var = concrete(&variable.name);
                let (ty, datatype) = match kind {
                    YesNoKind::YesNo => (QuestionType::Yesno, "boolean"),
                    YesNoKind::NoYes => (QuestionType::Noyes, "boolean"),
                    YesNoKind::YesNoMaybe => (QuestionType::Yesnomaybe, "threestate"),
                    YesNoKind::NoYesMaybe => (QuestionType::Noyesmaybe, "threestate"),
                };
                screen.question_type = ty;
                let inverted = matches!(kind, YesNoKind::NoYes | YesNoKind::NoYesMaybe);
                screen.yes_label = Some(if inverted { "No" } else { "Yes" }.to_string());
                screen.no_label = Some(if inverted { "Yes" } else { "No" }.to_string());
                if datatype == "threestate" {
                    screen.maybe_label = Some("I don\u{2019}t know".to_string());
                }
                let mut f = field_for(0, &var, datatype);
                f.sign = Some(if inverted { -1 } else { 1 });
                f.true_label = Some("Yes".to_string());
                f.false_label = Some("No".to_string());
                f.required = Some(true);
                screen.fields.push(f);
            }
            QuestionInput::Continue(var) => {
                let var = concrete(&var.name);
                screen.question_type = QuestionType::Settrue;
                screen.continue_label = Some(continue_label.clone());
                screen.question_variable_name = Some(var.clone());
                let mut f = field_for(0, &var, "boolean");
                f.required = Some(true);
                screen.fields.push(f);
            }
            QuestionInput::Fields {
                items,
                continue_field,
            } => {
                screen.question_type = QuestionType::Fields;
                screen.continue_label = Some(continue_label.clone());
                let collected = match &q.list_collect {
                    Some(lc) => self.list_collect(lc, items, from, &mut screen)?,
                    None => false,
                };
                for item in items.iter().filter(|_| !collected) {
                    match item {
                        FieldItem::Field(field) => {
                            let number = screen.fields.len();
                            if let Some(f) = self.field(number, field, from)? {
                                screen.fields.push(f);
                            }
                        }
                        FieldItem::Code(p) => {
                            for field in self.fields_from_code(p, from)? {
                                let number = screen.fields.len();
                                if let Some(f) = self.field(number, &field, from)? {
                                    screen.fields.push(f);
                                }
                            }
                        }
                    }
                }
                if let Some(cf) = continue_field {
                    screen.question_variable_name = Some(concrete(&cf.name));
                }
                self.server_side_show_if(&mut screen.fields, from)?;
                resolve_others(&mut screen.fields);
                // `js show if`: shown at first as the condition is on the fields' defaults
                for i in 0..screen.fields.len() {
                    if screen.fields[i].show_if_code.as_ref().is_some_and(|c| c.js) {
                        let shown =
                            super::js_show_if::initially_shown(&screen.fields[i], &screen.fields);
                        screen.fields[i].active = Some(shown.unwrap_or(true));
                    }
                }
            }
            QuestionInput::MultipleChoice {
                style,
                field,
                continue_field,
                choices,
                default,
                datatype,
                ..
            } => {
                screen.question_type = QuestionType::MultipleChoice;
                screen.question_variety = Some(
                    match style {
                        MultipleChoiceStyle::Radio => "radio",
                        MultipleChoiceStyle::Buttons => "buttons",
                        MultipleChoiceStyle::Dropdown => "dropdown",
                        MultipleChoiceStyle::Combobox => "combobox",
                    }
                    .to_string(),
                );
                if !matches!(style, MultipleChoiceStyle::Buttons) {
                    screen.continue_label = Some(continue_label.clone());
                }
                let var = field.as_ref().map(|v| concrete(&v.name));
                let mut f = ScreenField {
                    number: 0,
                    fieldtype: Some("multiple_choice".to_string()),
                    required: Some(true),
                    ..ScreenField::default()
                };
                if let Some(var) = &var {
                    f.variable_name = Some(var.clone());
                    f.variable_name_encoded = Some(encode_name(var));
                    f.datatype = Some(match datatype.as_deref().map(str::trim) {
                        Some(d) if !d.is_empty() => d.to_string(),
                        _ => auto_datatype(choices).to_string(),
                    });
                }
                let default_value = match default {
                    Some(t) => {
                        Some(self.render(t, &from.block.file.to_string(), &from.block.name)?)
                    }
                    None => match &var {
                        Some(v) => self
                            .value_of(v)
                            .map(|val| self.to_str(&val, "default"))
                            .transpose()?,
                        None => None,
                    },
                };
                for (index, choice) in choices.items.iter().enumerate() {
                    if let ChoiceAction::Code(p) = &choice.action {
                        for sel in self.computed_choices(p, &[], true, from)? {
                            let selected =
                                default_value.as_deref() == Some(json_str(&sel.key).as_str());
                            f.choices.push(ScreenChoice {
                                label: self.iv.to_inline_html(&sel.label),
                                help: sel.help.map(|h| self.iv.to_inline_html(&h)),
                                value: Some(sel.key),
                                selected: (selected || sel.default).then_some(true),
                                ..ScreenChoice::default()
                            });
                        }
                        continue;
                    }
                    if let Some(cond) = &choice.show_if {
                        let file = from.block.file.to_string();
                        if !self.truthy_src(&cond.source, (&file, cond.line), &from.block.name)? {
                            continue;
                        }
                    }
                    let label = match &choice.label {
                        Some(l) => self.inline(l, from)?,
                        None => String::new(),
                    };
                    let mut c = ScreenChoice {
                        label,
                        ..ScreenChoice::default()
                    };
                    if let Some(h) = &choice.help {
                        c.help = Some(self.inline(h, from)?);
                    }
                    if let Some(col) = &choice.color {
                        c.color = Some(self.render(
                            col,
                            &from.block.file.to_string(),
                            &from.block.name,
                        )?);
                    }
                    // A choice's own `default: True` (when the question gives no default).
                    let item_default = match (&choice.default, &default_value) {
                        (Some(t), None) => {
                            let file = from.block.file.to_string();
                            let d = self.render(t, &file, &from.block.name)?;
                            !matches!(d.trim(), "" | "False" | "false" | "None" | "0")
                        }
                        _ => false,
                    };
                    match (&choice.action, &var) {
                        (ChoiceAction::Value(v), Some(_)) => {
                            let json = self.choice_value(&v.0, from)?;
                            if item_default
                                || default_value.as_deref() == Some(json_str(&json).as_str())
                            {
                                c.selected = Some(true);
                            }
                            c.value = Some(json);
                        }
                        (ChoiceAction::Special(sp), _) => {
                            c.value = Some(serde_json::Value::from(index));
                            c.command = Some(sp.command.clone());
                        }
                        _ => {
                            c.value = Some(serde_json::Value::from(index));
                            c.variable_name = Some("_multiple_choice".to_string());
                            c.variable_name_encoded = Some(encode_name("_multiple_choice"));
                        }
                    }
                    f.choices.push(c);
                }
                screen.fields.push(f);
                if let Some(cf) = continue_field {
                    screen.question_variable_name = Some(concrete(&cf.name));
                }
            }
            QuestionInput::Signature { variable, .. } => {
                screen.question_type = QuestionType::Signature;
                screen.continue_label = Some(continue_label.clone());
                let var = concrete(&variable.name);
                screen.fields.push(field_for(0, &var, "signature"));
            }
            QuestionInput::Review {
                items,
                continue_field,
                skip_undefined,
                ..
            } => {
                screen.question_type = QuestionType::Review;
                let label = match &q.resume_button_label {
                    Some(t) => self.inline(t, from)?,
                    _ => continue_label.clone(),
                };
                screen.continue_label = Some(label);
                screen.fields = self.review_fields(items, *skip_undefined, from)?;
                match continue_field {
                    Some(cf) => screen.question_variable_name = Some(concrete(&cf.name)),
                    None => self.keep_review_pending(from),
                }
            }
        }
        if let Some(a) = &q.attachments {
            screen.attachments =
                self.attachments(a, from.block, from.x.as_deref(), &from.iterators)?;
            screen.attachment_notice = !q.options.iter().any(|(k, v)| {
                k == "include attachment notice"
                    && matches!(v.0.value, crate::source::yaml::Value::Bool(false))
            });
            screen.manual_attachment_list =
                self.option_flag(q, "manual attachment list", false, from)?;
            screen.allow_emailing = self.option_flag(q, "allow emailing", true, from)?;
            screen.allow_downloading = self.option_flag(q, "allow downloading", false, from)?;
        }
        if screen.question_type == QuestionType::Deadend && q.continue_button_label.is_some() {
            screen.continue_label = Some(continue_label);
        }
        super::html_items::sanitize_items(self.iv, &mut screen.fields);
        if let Some(first) = q.decoration.first() {
            screen.decoration = self.decoration(first, from)?;
        }
        screen.attributions = self.attributions(&screen);
        self.add_sections(&mut screen)?;
        Ok(screen)
    }

    /// A review screen without a `continue button field` stays on the event stack while the
    /// user edits answers from it, so that it comes back after each edit (docassemble pushes
    /// the sought name unless it is already there).
    fn keep_review_pending(&mut self, from: &AskFrom<'_>) {
        let Some(sought) = &from.sought else {
            return;
        };
        let stack = &mut self.st.internal.event_stack;
        if !stack.iter().any(|a| &a.action == sought) {
            stack.insert(
                0,
                super::state::Action {
                    action: sought.clone(),
                    arguments: serde_json::Map::new(),
                },
            );
        }
    }

    /// A `show if: {variable: v, is: …}` whose `v` is not a field of this screen is decided
    /// here, from the variable's current value (as docassemble does).
    fn server_side_show_if(&mut self, fields: &mut [ScreenField], from: &AskFrom<'_>) -> Eval<()> {
        let on_screen: Vec<String> = fields
            .iter()
            .flat_map(|f| {
                f.variable_name
                    .iter()
                    .chain(f.choices.iter().filter_map(|c| c.variable_name.as_ref()))
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect();
        for f in fields.iter_mut() {
            let Some(var) = f.show_if_var.clone() else {
                continue;
            };
            if on_screen.contains(&var) {
                continue;
            }
            let file = from.block.file.to_string();
            let v = self.eval_src(&var, (&file, from.block.line), &from.block.name)?;
            let mut cx = self.interp();
            let actual =
                to_json(&mut cx, &v).map_err(|e| super::eval::flow(e, &from.block.name))?;
            drop(cx);
            let wanted = f
                .show_if_val
                .clone()
                .unwrap_or(serde_json::Value::Bool(true));
            let equal = json_str(&actual) == json_str(&wanted);
            let shown = if f.show_if_sign == Some(0) {
                !equal
            } else {
                equal
            };
            f.active = Some(shown);
            f.show_if_var = None;
            f.show_if_val = None;
            f.show_if_sign = None;
        }
        Ok(())
    }

    /// The choices of an object field: each `choices` entry is an expression giving one object
    /// or a collection of them; the value is the object's path, the label its `str()` or what
    /// the field's `object labeler` function makes of it (and the help, its `help generator`).
    fn object_choices(
        &mut self,
        p: &crate::block::Python,
        field: &Field,
        from: &AskFrom<'_>,
    ) -> Eval<Vec<super::selections::Selection>> {
        let exclude = &field.exclude;
        let file = from.block.file.to_string();
        let name = from.block.name.clone();
        let function = |cx: &mut Self, key: &str| -> Eval<Option<pyeval::Value>> {
            match field.code_attributes.iter().find(|(k, _)| k == key) {
                Some((_, code)) => cx
                    .eval_src(&code.source, (&file, code.line), &name)
                    .map(Some),
                None => Ok(None),
            }
        };
        let labeler = function(self, "object labeler")?;
        let help_generator = function(self, "help generator")?;
        let data = self.eval_src(&p.source, (&file, p.line), &name)?;
        let mut excluded = Vec::new();
        for e in exclude {
            if let Ok(v) = self.eval_src(&e.source, (&file, e.line), &name) {
                let cx = self.interp();
                if let Some(path) = cx.path_of(&v) {
                    excluded.push(path.to_string());
                }
            }
        }
        let mut cx = self.interp();
        let class = cx.class_name(&data);
        let is_collection = match class.as_deref() {
            Some(c) => {
                matches!(c, "DAList" | "DASet" | "DADict" | "DAOrderedDict")
                    || cx.is_subclass(c, "DAList")
                    || cx.is_subclass(c, "DADict")
                    || cx.is_subclass(c, "DASet")
            }
            None => true,
        };
        let items = if is_collection {
            cx.collect(&data).map_err(|f| super::eval::flow(f, &name))?
        } else {
            vec![data]
        };
        let mut out = Vec::new();
        for item in items {
            let Some(path) = cx.path_of(&item) else {
                continue;
            };
            let key = path.to_string();
            if excluded.contains(&key) {
                continue;
            }
            let label = match call_on(&mut cx, labeler.as_ref(), &item, &name)? {
                Some(l) => l,
                None if labeler.is_some() => "None".to_string(),
                None => cx.to_str(&item).map_err(|f| super::eval::flow(f, &name))?,
            };
            let help = call_on(&mut cx, help_generator.as_ref(), &item, &name)?;
            out.push(super::selections::Selection {
                key: serde_json::Value::String(key),
                label,
                help,
                default: false,
            });
        }
        Ok(out)
    }

    /// Choices computed by an expression (docassemble's `process_selections`). `by_path`: an
    /// object listed is chosen by its path (object datatypes); otherwise by its text, as
    /// docassemble's `{'key': str(entry)}`.
    fn computed_choices(
        &mut self,
        p: &crate::block::Python,
        exclude: &[crate::block::Python],
        by_path: bool,
        from: &AskFrom<'_>,
    ) -> Eval<Vec<super::selections::Selection>> {
        let file = from.block.file.to_string();
        let name = from.block.name.clone();
        let data = self.eval_src(&p.source, (&file, p.line), &name)?;
        let excluded = self.excluded_values(exclude, by_path, from)?;
        let mut cx = self.interp();
        super::selections::process(&mut cx, &data, &excluded, by_path)
            .map_err(|f| super::eval::flow(f, &name))
    }

    /// The values a field's `exclude` expressions leave out of its choices (each may be a
    /// list), as the JSON its choices' values are compared in; an object by its path when
    /// `by_path`, else by its text.
    fn excluded_values(
        &mut self,
        exclude: &[crate::block::Python],
        by_path: bool,
        from: &AskFrom<'_>,
    ) -> Eval<Vec<serde_json::Value>> {
        let file = from.block.file.to_string();
        let name = from.block.name.clone();
        let mut excluded = Vec::new();
        for e in exclude {
            let v = self.eval_src(&e.source, (&file, e.line), &name)?;
            let mut cx = self.interp();
            let items = match cx.collect(&v) {
                Ok(items) if !matches!(v, pyeval::Value::Str(_)) => items,
                _ => vec![v.clone()],
            };
            for item in items {
                let json = match cx.path_of(&item) {
                    Some(p) if cx.class_name(&item).is_some() => {
                        serde_json::Value::String(if by_path {
                            p.to_string()
                        } else {
                            cx.to_str(&item).map_err(|f| super::eval::flow(f, &name))?
                        })
                    }
                    _ => to_json(&mut cx, &item).map_err(|f| super::eval::flow(f, &name))?,
                };
                excluded.push(json);
            }
        }
        Ok(excluded)
    }

    /// One `fields` item (`None` when a server-side `show if` hides it entirely).
    pub(crate) fn field(
        &mut self,
        number: usize,
        field: &Field,
        from: &AskFrom<'_>,
    ) -> Eval<Option<ScreenField>> {
        let file = from.block.file.to_string();
        let mut f = ScreenField {
            number,
            ..ScreenField::default()
        };
        // A `note`/`html` beside a field with a variable is shown with the field (docassemble's
        // side note); without a variable the field is the note.
        if let Some((kind, t)) = &field.note {
            match kind {
                crate::block::field::NoteKind::Note => f.note = Some(self.html(t, from)?),
                _ => f.html = Some(self.render(t, &file, &from.block.name)?),
            }
            // A note beside an input (`- Answer: answer` with `note:`) is part of that field.
            if field.variable.is_none() {
                if let Some(label) = &field.label {
                    f.label = Some(self.inline(label, from)?);
                }
                return Ok(Some(f));
            }
        }
        let Some(var) = &field.variable else {
            return Ok(None);
        };
        let var = substitute(&var.name, from.x.as_deref(), &from.iterators);
        f.variable_name = Some(var.clone());
        f.variable_name_encoded = Some(encode_name(&var));
        if let Some(label) = &field.label {
            f.label = Some(self.inline(label, from)?);
        }
        if let Some(h) = &field.hint {
            f.hint = Some(self.render(h, &file, &from.block.name)?);
        }
        if let Some(h) = &field.help {
            f.helptext = Some(self.html(h, from)?);
        }
        let (datatype, inputtype, sign) = datatype_json(field);
        f.datatype = Some(datatype.to_string());
        f.inputtype = inputtype;
        f.sign = sign;
        if matches!(field.datatype, Datatype::YesNo(_)) {
            f.true_label = Some("Yes".to_string());
            f.false_label = Some("No".to_string());
        }
        f.required = Some(self.cond_value(&field.required, from)?);
        if let Some(c) = &field.disabled {
            if self.cond_value(c, from)? {
                f.disabled = Some(true);
            }
        }
        f.validation_messages = self.validation_messages(field, from)?;
        for (key, raw) in &field.options {
            let names = match (key.as_str(), &raw.0.value) {
                (
                    "disable others" | "uncheck others" | "check others",
                    crate::source::yaml::Value::Bool(true),
                ) => Some(Vec::new()),
                (
                    "disable others" | "uncheck others" | "check others",
                    crate::source::yaml::Value::Seq(items),
                ) => Some(
                    items
                        .iter()
                        .filter_map(|n| n.python_str())
                        .map(|n| substitute(n.trim(), from.x.as_deref(), &from.iterators))
                        .collect(),
                ),
                _ => None,
            };
            match key.as_str() {
                "disable others" => {
                    f.disable_others = names;
                    if f.disable_others.is_some() {
                        // Optional (the other fields are the alternative), and posted under
                        // an alias, so that other fields may set the variable.
                        f.required = Some(false);
                        f.variable_name_encoded =
                            Some(encode_name(&super::screen::field_alias(number)));
                    }
                }
                "uncheck others" => f.uncheck_others = names,
                "check others" => f.check_others = names,
                _ => {}
            }
        }
        f.validate = field.validate.as_ref().map(|p| p.source.clone());
        for (name, t) in &field.attributes {
            let value = self.render(t, &file, &from.block.name)?;
            let num = || {
                value
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(serde_json::Value::Number)
                    .unwrap_or_else(|| serde_json::Value::String(value.trim().to_string()))
            };
            match name.as_str() {
                "min" => f.min = Some(num()),
                "max" => f.max = Some(num()),
                "step" => f.step = Some(num()),
                "minlength" => f.minlength = value.trim().parse().ok(),
                "maxlength" => f.maxlength = value.trim().parse().ok(),
                "under text" => {
                    f.under_text =
                        Some(self.iv.to_inline_html(value.trim())).filter(|h| !h.is_empty())
                }
                "currency symbol" => {
                    f.currency_symbol = Some(value.trim().to_string()).filter(|s| !s.is_empty())
                }
                _ => {}
            }
        }
        // Choices.
        if let Some(list) = &field.choices {
            f.fieldtype = Some("multiple_choice".to_string());
            // `exclude` leaves written choices out too (docassemble's manual `to_exclude`).
            let excluded = self.excluded_values(&field.exclude, false, from)?;
            for choice in &list.items {
                if let Some(cond) = &choice.show_if {
                    if !self.truthy_src(&cond.source, (&file, cond.line), &from.block.name)? {
                        continue;
                    }
                }
                let label = match &choice.label {
                    Some(l) => self.inline(l, from)?,
                    None => String::new(),
                };
                let value = match &choice.action {
                    ChoiceAction::Value(v) => self.choice_value(&v.0, from)?,
                    _ => serde_json::Value::Null,
                };
                if excluded.contains(&value) {
                    continue;
                }
                let mut c = ScreenChoice {
                    label,
                    ..ScreenChoice::default()
                };
                if field.datatype.is_multiple() {
                    // Each checkbox sets `var[<key>]` to True (protocol spec §2.2).
                    let sub = format!("{var}[{}]", py_repr(&json_str(&value)));
                    c.variable_name_encoded = Some(encode_name(&sub));
                    c.variable_name = Some(sub);
                    c.value = Some(serde_json::Value::Bool(true));
                    f.choices.push(c);
                    continue;
                }
                c.value = Some(value);
                f.choices.push(c);
            }
            if field.datatype.is_multiple() {
                match &field.none_of_the_above {
                    Some(NoneOfTheAbove::Const(false)) => {}
                    Some(NoneOfTheAbove::Label(t)) => {
                        f.none_of_the_above = Some(self.inline(t, from)?)
                    }
                    _ => f.none_of_the_above = Some("None of the above".to_string()),
                }
                match &field.all_of_the_above {
                    Some(NoneOfTheAbove::Const(true)) => {
                        f.all_of_the_above = Some("All of the above".to_string())
                    }
                    Some(NoneOfTheAbove::Label(t)) => {
                        f.all_of_the_above = Some(self.inline(t, from)?)
                    }
                    _ => {}
                }
            }
        } else if field.choices_code.is_some() || !field.object_choices.is_empty() {
            f.fieldtype = Some("multiple_choice".to_string());
            let mut selections = Vec::new();
            if let Some(p) = &field.choices_code {
                let by_path = matches!(field.datatype, Datatype::Object(_));
                selections.extend(self.computed_choices(p, &field.exclude, by_path, from)?);
            }
            for p in &field.object_choices {
                selections.extend(self.object_choices(p, field, from)?);
            }
            for sel in selections {
                let label = self.iv.to_inline_html(&sel.label);
                let help = sel.help.map(|h| self.iv.to_inline_html(&h));
                if field.datatype.is_multiple() {
                    // Each box is posted on its own as `var[key]` = True/False (docassemble's
                    // protocol); an object's box keeps the object's path as its value.
                    let sub = format!("{var}[{}]", py_repr(&json_str(&sel.key)));
                    let value = if matches!(field.datatype, Datatype::Object(_)) {
                        sel.key
                    } else {
                        serde_json::Value::Bool(true)
                    };
                    f.choices.push(ScreenChoice {
                        label,
                        value: Some(value),
                        variable_name_encoded: Some(encode_name(&sub)),
                        variable_name: Some(sub),
                        help,
                        selected: sel.default.then_some(true),
                        ..ScreenChoice::default()
                    });
                } else {
                    f.choices.push(ScreenChoice {
                        label,
                        value: Some(sel.key),
                        help,
                        selected: sel.default.then_some(true),
                        ..ScreenChoice::default()
                    });
                }
            }
            if field.datatype.is_multiple() {
                match &field.none_of_the_above {
                    Some(NoneOfTheAbove::Const(false)) => {}
                    Some(NoneOfTheAbove::Label(t)) => {
                        f.none_of_the_above = Some(self.inline(t, from)?)
                    }
                    _ => f.none_of_the_above = Some("None of the above".to_string()),
                }
            } else {
                // An object radio's "none of the above" is one more option, posted blank.
                match &field.none_of_the_above {
                    Some(NoneOfTheAbove::Label(t)) => {
                        f.none_of_the_above = Some(self.inline(t, from)?)
                    }
                    Some(NoneOfTheAbove::Const(true)) => {
                        f.none_of_the_above = Some("None of the above".to_string())
                    }
                    _ => {}
                }
            }
        }
        // The current value, the value before a dependency changed, or the default.
        if let Some(v) = self.value_of(&var) {
            let object_list =
                field.datatype.is_multiple() && matches!(field.datatype, Datatype::Object(_));
            if let Some(json) = self.value_default(&v, object_list) {
                f.default = Some(json);
            }
        } else if let Some(json) = self.st.internal.dirty.get(&var) {
            f.default = Some(json.clone());
        } else if let Some(code) = field
            .default
            .as_ref()
            .and_then(|d| d.0.get("code"))
            .and_then(|c| c.python_str().map(|s| (s.trim().to_string(), c.line)))
        {
            // `default: {code: …}`: the value of an expression.
            let v = self.eval_src(&code.0, (&file, code.1), &from.block.name)?;
            let mut cx = self.interp();
            if let Ok(json) = super::values::default_json(&mut cx, &v) {
                f.default = Some(json);
            }
        } else if let Some(d) = &field.default {
            let json = yaml_to_json(&d.0);
            f.default = Some(match json {
                serde_json::Value::String(s) => {
                    let t = Text {
                        source: s,
                        line: d.0.line,
                    };
                    serde_json::Value::String(self.render(&t, &file, &from.block.name)?)
                }
                other => other,
            });
        }
        // `show if` / `hide if`.
        for (cond, sign) in [(&field.show_if, 1i8), (&field.hide_if, 0i8)] {
            let Some(cond) = cond else { continue };
            match cond {
                ShowIf::Field { variable, is } => {
                    f.show_if_var = Some(substitute(
                        &variable.name,
                        from.x.as_deref(),
                        &from.iterators,
                    ));
                    f.show_if_val = Some(yaml_to_json(&is.0));
                    f.show_if_sign = Some(sign);
                    // Posted under `_field_N` (docassemble's alias for a field shown by another),
                    // so that two fields of one variable (a choice and its "Other" text) do not
                    // share one input.
                    f.variable_name_encoded =
                        Some(encode_name(&super::screen::field_alias(number)));
                }
                ShowIf::Code(p) => {
                    let shown = self.truthy_src(&p.source, (&file, p.line), &from.block.name)?;
                    let active = if sign == 1 { shown } else { !shown };
                    f.active = Some(active);
                    if let Ok(expr) = super::compile::py_expr(p.source.trim()) {
                        f.show_if_code = Some(ShowIfCode {
                            expression: expr,
                            source: p.source.trim().to_string(),
                            sign,
                            js: false,
                        });
                    }
                }
                ShowIf::Js(t) => {
                    // (the screen's first state is decided once all its fields are built)
                    let js = self.render(t, &file, &from.block.name)?;
                    if let Some(expr) = super::js_show_if::to_python(&js)
                        .and_then(|py| super::compile::py_expr(&py).ok())
                    {
                        f.show_if_code = Some(ShowIfCode {
                            expression: expr,
                            source: js.trim().to_string(),
                            sign,
                            js: true,
                        });
                    }
                }
            }
        }
        if f.active.is_none() {
            f.active = Some(true);
        }
        Ok(Some(f))
    }
}

/// A message as one line (a YAML block's line breaks read as spaces on the page).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn field_for(number: usize, var: &str, datatype: &str) -> ScreenField {
    ScreenField {
        number,
        variable_name: Some(var.to_string()),
        variable_name_encoded: Some(encode_name(var)),
        datatype: Some(datatype.to_string()),
        active: Some(true),
        ..ScreenField::default()
    }
}

/// The JSON `datatype`, `inputtype` and `sign` of a field (protocol spec §2.2).
fn datatype_json(field: &Field) -> (&'static str, Option<String>, Option<i8>) {
    let input = field.input_type.as_ref().map(|t| match t {
        InputType::Radio => "radio".to_string(),
        InputType::Combobox => "combobox".to_string(),
        InputType::Datalist => "datalist".to_string(),
        InputType::Dropdown => "dropdown".to_string(),
        InputType::Ajax => "ajax".to_string(),
        InputType::Area => "area".to_string(),
        InputType::Hidden => "hidden".to_string(),
        InputType::Other(o) => o.clone(),
    });
    match &field.datatype {
        Datatype::YesNo(name) => {
            let three = name.ends_with("maybe");
            let sign = if name.starts_with("noyes") { -1 } else { 1 };
            let inputtype = if name.ends_with("wide") {
                "yesnowide"
            } else if name.ends_with("radio") {
                "yesnoradio"
            } else if three {
                "yesnomaybe"
            } else {
                "yesno"
            };
            (
                if three { "threestate" } else { "boolean" },
                Some(inputtype.to_string()),
                Some(sign),
            )
        }
        Datatype::Text => ("text", input, None),
        Datatype::Integer => ("integer", input, None),
        Datatype::Number => ("number", input, None),
        Datatype::Float => ("float", input, None),
        Datatype::Currency => ("currency", input, None),
        Datatype::Boolean => ("boolean", input, None),
        Datatype::Threestate => ("threestate", input, None),
        Datatype::Date => ("date", input, None),
        Datatype::Time => ("time", input, None),
        Datatype::Datetime => ("datetime", input, None),
        Datatype::Email => ("email", input, None),
        Datatype::Password => ("password", input, None),
        Datatype::Checkboxes => ("checkboxes", input, None),
        Datatype::Multiselect => ("multiselect", input, None),
        Datatype::Object(name) => match name.as_str() {
            "object_radio" => ("object_radio", input, None),
            "object_checkboxes" => ("object_checkboxes", input, None),
            "object_multiselect" => ("object_multiselect", input, None),
            _ => ("object", input, None),
        },
        Datatype::File(name) => (
            match name.as_str() {
                "files" => "files",
                "camera" => "camera",
                "user" => "user",
                "environment" => "environment",
                "camcorder" => "camcorder",
                "microphone" => "microphone",
                _ => "file",
            },
            input,
            None,
        ),
        Datatype::Range => ("range", input, None),
        Datatype::Raw => ("raw", input, None),
        Datatype::Ml => ("ml", input, None),
        Datatype::Custom(_) => ("text", input, None),
    }
}

/// The datatype of a question-level choice list without a `datatype` (docassemble's
/// `is_boolean`/`is_threestate`, parse.py): `boolean` when every value is True or False,
/// `threestate` when they are True, False or None, and otherwise `text`. Numbers are not
/// inferred: docassemble posts them without a datatype and keeps the text (`answer == "4"`).
fn auto_datatype(choices: &ChoiceList) -> &'static str {
    use crate::source::yaml::Value as Y;
    let mut all_bool = true;
    let mut all_threestate = true;
    let mut any = false;
    for c in &choices.items {
        if let ChoiceAction::Value(v) = &c.action {
            any = true;
            match &v.0.value {
                Y::Bool(_) => {}
                Y::Null => all_bool = false,
                _ => {
                    all_bool = false;
                    all_threestate = false;
                }
            }
        }
    }
    if !any {
        "text"
    } else if all_bool {
        "boolean"
    } else if all_threestate {
        "threestate"
    } else {
        "text"
    }
}

/// Python's `repr()` of a string (single quotes).
pub fn py_repr(s: &str) -> String {
    crate::text::mako::py_str(s)
}

/// An action button from its label, action, arguments and other keys.
fn button_of(
    label: String,
    action: String,
    arguments: serde_json::Map<String, serde_json::Value>,
    options: &serde_json::Map<String, serde_json::Value>,
) -> super::screen::ActionButton {
    let text = |k: &str| options.get(k).map(json_str).filter(|t| !t.is_empty());
    super::screen::ActionButton {
        label,
        action: action.trim().to_string(),
        arguments,
        color: text("color"),
        icon: text("icon"),
        placement: text("placement"),
        css_class: text("css class"),
        forget_prior: options.get("forget prior").is_some_and(|v| match v {
            serde_json::Value::Bool(b) => *b,
            serde_json::Value::String(s) => s == "True" || s == "true",
            _ => false,
        }),
        js_action: text("js action"),
    }
}

/// Turns the variables named by `disable others` / `uncheck others` into the names the
/// fields are posted under (a variable set by several fields names the last of them, as in
/// docassemble); an empty list (`True`) means every other field (for `uncheck others`, every
/// other yes/no checkbox), of the same item in a `list collect`.
fn resolve_others(fields: &mut [ScreenField]) {
    let input_of = |var: &str, fields: &[ScreenField]| {
        fields
            .iter()
            .rev()
            .find(|g| g.variable_name.as_deref() == Some(var))
            .and_then(|g| g.input_name().map(Cow::into_owned))
    };
    let is_checkbox = |g: &ScreenField| {
        g.choices.is_empty()
            && matches!(
                g.inputtype.as_deref(),
                Some("yesno" | "noyes" | "yesnowide" | "noyeswide")
            )
    };
    // `check others: True` checks the plain boxes (docassemble's `dauncheckable`: those
    // without `uncheck others` or `check others`).
    let plain =
        |g: &ScreenField| is_checkbox(g) && g.uncheck_others.is_none() && g.check_others.is_none();
    for i in 0..fields.len() {
        for kind in 0..3 {
            let list = match kind {
                0 => &fields[i].disable_others,
                1 => &fields[i].uncheck_others,
                _ => &fields[i].check_others,
            };
            let Some(list) = list.clone() else { continue };
            // (in a `list collect`, the others of the same item, as docassemble has it)
            let item = fields[i].collect_number;
            let resolved: Vec<String> = if list.is_empty() {
                fields
                    .iter()
                    .enumerate()
                    .filter(|(j, g)| {
                        *j != i
                            && g.collect_number == item
                            && match kind {
                                0 => true,
                                1 => is_checkbox(g),
                                _ => plain(g),
                            }
                    })
                    .filter_map(|(_, g)| g.input_name().map(Cow::into_owned))
                    .collect()
            } else {
                list.iter().filter_map(|v| input_of(v, fields)).collect()
            };
            match kind {
                0 => fields[i].disable_others = Some(resolved),
                1 => fields[i].uncheck_others = Some(resolved),
                _ => fields[i].check_others = Some(resolved),
            }
        }
    }
}

/// docassemble's `reload` value: `True` is 10 seconds, a number is seconds (at least 4),
/// `False`/`None` is no reload; as milliseconds.
fn reload_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    if matches!(text, "False" | "false" | "Null" | "None" | "none" | "null") {
        return None;
    }
    let secs: u64 = if matches!(text, "True" | "true") || text.is_empty() {
        10
    } else {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        digits.parse().unwrap_or(10)
    };
    Some(secs.max(4).saturating_mul(1000))
}

/// `str(f(item))` for a field's function (`object labeler`, `help generator`); `None` without
/// a function, or when it returns `None`.
fn call_on(
    cx: &mut pyeval::Interp<'_>,
    f: Option<&pyeval::Value>,
    item: &pyeval::Value,
    block: &str,
) -> Eval<Option<String>> {
    let Some(f) = f else {
        return Ok(None);
    };
    let v = cx
        .call_value(f, pyeval::Args::new(vec![item.clone()]))
        .map_err(|e| super::eval::flow(e, block))?;
    if matches!(v, pyeval::Value::None) {
        return Ok(None);
    }
    cx.to_str(&v)
        .map(Some)
        .map_err(|e| super::eval::flow(e, block))
}

#[cfg(test)]
mod reload_tests {
    use super::reload_ms;

    #[test]
    fn reload_reads_like_docassemble() {
        assert_eq!(reload_ms("True"), Some(10_000));
        assert_eq!(reload_ms("30"), Some(30_000));
        assert_eq!(reload_ms("2"), Some(4_000));
        assert_eq!(reload_ms("False"), None);
        assert_eq!(reload_ms("None"), None);
    }
}
