//! The next-question algorithm: docassemble's `assemble` and `askfor` (spec §3.3, §3.4).
//!
//! Every pass runs the `initial` blocks and the not-yet-answered `mandatory` blocks in file
//! order. When code touches an undefined variable, the blocks that can define it are tried,
//! later-defined first (with `i`/`j`/… index variants and generic `x` variants): code runs,
//! objects are created, a question becomes the screen. After anything gets defined the pass
//! restarts from the top.

use std::collections::{HashMap, HashSet};

use super::ask::AskFrom;
use super::compile::normalise;
use super::error::RunError;
use super::eval::{Ctx, Eval, Interrupt};
use super::screen::Screen;
use super::variants::substitute;
use crate::block::{BlockKind, QuestionInput};

/// docassemble's default `loop limit`.
pub const LOOP_LIMIT: usize = 500;
/// docassemble's default `recursion limit`.
pub const RECURSION_LIMIT: usize = 500;

/// What seeking a variable produced.
enum Sought {
    /// The variable (or something that lets the pass go on) was defined: start again.
    Continue,
    /// A question to show.
    Screen(Box<Screen>),
}

/// A block that might define a variable.
struct Candidate {
    index: usize,
    x: Option<String>,
    iterators: Vec<String>,
    /// The variant name the block registered (`people[i].name.first`).
    variant: String,
}

impl Ctx<'_> {
    /// Produces the next screen.
    pub fn assemble(&mut self) -> Result<Screen, RunError> {
        self.st.internal.followed_mc = false;
        self.st.internal.lazy_tables.clear();
        let screen = self.assemble_screen();
        if !self.st.internal.followed_mc {
            self.st.internal.answers.clear();
        }
        let mut screen = screen?;
        screen.message_log = self.take_message_log();
        if self.host.take_prevent_going_back() {
            self.prevent_going_back();
        }
        let steps = self.st.internal.steps;
        screen.parts.back_prevented = self
            .st
            .internal
            .steps_offset
            .is_some_and(|o| steps.saturating_sub(o) <= 1);
        Ok(screen)
    }

    /// Going back from the screen being built, and from the next one, is not possible
    /// (docassemble sets `steps_offset` to the step count).
    pub(crate) fn prevent_going_back(&mut self) {
        self.st.internal.steps_offset = Some(self.st.internal.steps);
    }

    /// The messages `log()` left for the user (and forgets them).
    fn take_message_log(&mut self) -> Vec<super::screen::LogMessage> {
        use crate::runtime::functions::{logic::MESSAGE_LOG, server};
        let mut cx = self.interp();
        let Ok(Some(list)) = server::get_internal(&mut cx, MESSAGE_LOG) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in cx.collect(&list).unwrap_or_default() {
            let parts: Vec<String> = cx
                .collect(&entry)
                .unwrap_or_default()
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            if let [priority, message] = parts.as_slice() {
                out.push(super::screen::LogMessage {
                    priority: priority.clone(),
                    message: message.clone(),
                });
            }
        }
        if !out.is_empty() {
            let empty = cx.heap_mut().new_list(Vec::new());
            let _ = server::set_internal(&mut cx, MESSAGE_LOG, empty);
        }
        out
    }

    /// Every docassemble session has `url_args` (the arguments of the URL that started or
    /// resumed it; a server fills it in), empty at first.
    fn ensure_url_args(&mut self) -> Eval<()> {
        if self.st.vars.globals.get("url_args").is_none() {
            self.exec_src("url_args = {}", "url_args")?;
        }
        // docassemble's initial dictionary also has these (kept in the session here: one
        // session, one device, one user)
        for (name, class) in [
            ("session_local", "DASessionLocal"),
            ("device_local", "DADeviceLocal"),
            ("user_local", "DAUserLocal"),
        ] {
            if self.st.vars.globals.get(name).is_none() && self.host.lookup_global(class).is_some()
            {
                self.exec_src(&format!("{name} = {class}('{name}')"), name)?;
            }
        }
        Ok(())
    }

    fn assemble_screen(&mut self) -> Result<Screen, RunError> {
        self.st.internal.tracker += 1;
        self.st.internal.pending = None;
        self.forget_lazy();
        self.forget_reconsidered();
        if let Err(e) = self
            .ensure_url_args()
            .and_then(|()| self.ensure_nav())
            .and_then(|()| self.ensure_tags())
        {
            return Err(match e {
                Interrupt::Error(e) => e,
                _ => RunError::NoEndpoint,
            });
        }
        let mut tried: HashMap<String, HashSet<usize>> = HashMap::new();
        let mut stack: Vec<String> = Vec::new();
        let mut outcome: Eval<Screen> = Err(Interrupt::Error(RunError::NoEndpoint));
        for _ in 0..LOOP_LIMIT {
            self.host.begin_pass();
            let cancelled = self.host.take_cancelled_groups();
            self.drop_cancelled_actions(cancelled);
            if let Some(var) = self.next_to_gather() {
                outcome = Err(Interrupt::Needs {
                    missing: var.clone(),
                    wanted: var,
                });
            } else if let Some(head) = self.st.internal.event_stack.first().cloned() {
                self.announce_action(&head);
                outcome = if head.action.starts_with("_da_") {
                    self.run_builtin(&head).and_then(|()| {
                        Err(Interrupt::Signal {
                            kind: crate::runtime::signals::RERUN.to_string(),
                            block: String::new(),
                            message: String::new(),
                        })
                    })
                } else {
                    self.forced(&head.action)
                };
            } else {
                outcome = self.pass();
            }
            let interrupt = match outcome {
                Ok(screen) => return Ok(screen),
                Err(i) => i,
            };
            let interrupt = match interrupt {
                Interrupt::Needs { missing, wanted } => {
                    match self.askfor(&missing, &wanted, &mut tried, &mut stack, 0) {
                        Ok(Sought::Continue) => continue,
                        Ok(Sought::Screen(s)) => return Ok(*s),
                        Err(i) => i,
                    }
                }
                other => other,
            };
            match interrupt {
                Interrupt::Error(e) => return Err(e),
                Interrupt::Needs { missing, .. } => {
                    return Err(RunError::MissingVariable(missing, self.language()));
                }
                Interrupt::Signal {
                    kind,
                    block,
                    message,
                } => match self.signal(&kind, &block, &message)? {
                    Some(screen) => return Ok(screen),
                    None => {
                        outcome = Err(Interrupt::Error(RunError::NoEndpoint));
                        continue;
                    }
                },
            }
        }
        let _ = outcome;
        Err(RunError::InfiniteLoop(stack.join(", ")))
    }

    /// docassemble's `cancel_add_or_edit()`: the group's pending actions (those whose `list`,
    /// `dict` or `group` argument names it, or that ask one of its items) leave the stack.
    fn drop_cancelled_actions(&mut self, groups: Vec<String>) {
        for group in groups {
            let item_prefix = format!("{group}[");
            self.st.internal.event_stack.retain(|a| {
                let names_it = ["list", "dict", "group"].iter().any(|k| {
                    a.arguments.get(*k).and_then(serde_json::Value::as_str) == Some(&group)
                });
                !names_it && !a.action.starts_with(&item_prefix)
            });
        }
    }

    /// Force-asks the action at the head of the event stack; when nothing asks for it, it is
    /// forgotten (docassemble's `forgive_missing_question`) and the pass runs again.
    fn forced(&mut self, action: &str) -> Eval<Screen> {
        match self.force(action)? {
            Some(screen) => Ok(screen),
            None => {
                if !self.st.internal.event_stack.is_empty() {
                    self.st.internal.event_stack.remove(0);
                }
                Err(Interrupt::Signal {
                    kind: crate::runtime::signals::RERUN.to_string(),
                    block: String::new(),
                    message: String::new(),
                })
            }
        }
    }

    /// Tells the host which action runs now, for `action_argument()`.
    pub(crate) fn announce_action(&mut self, a: &super::state::Action) {
        let args = {
            let mut cx = self.interp();
            super::values::from_json(&mut cx, &serde_json::Value::Object(a.arguments.clone()))
                .unwrap_or(pyeval::Value::None)
        };
        self.host.set_action(Some((a.action.clone(), args)));
    }

    /// Runs the `objects` block that defines `var`, if there is one (an object a screen's
    /// fields describe before anything else needed it); whether `var` is now defined.
    pub(crate) fn create_from_objects_block(&mut self, var: &str) -> Eval<bool> {
        for cand in self.candidates(var) {
            if matches!(self.iv.block(cand.index).kind, BlockKind::Objects(_)) {
                self.try_candidate(&cand, var)?;
                if self.defined(var) {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Whether some block may define `var`.
    pub(crate) fn candidates_exist(&mut self, var: &str) -> bool {
        !self.candidates(var).is_empty()
    }

    /// Handles a runtime signal raised during a pass: `Some(screen)` to show, `None` to run
    /// the pass again.
    fn signal(
        &mut self,
        kind: &str,
        block: &str,
        message: &str,
    ) -> Result<Option<Screen>, RunError> {
        use crate::runtime::signals::{self, Signal};
        let effects = self.host.take_effects();
        self.drop_cancelled_actions(effects.cancelled_groups);
        if let Some(p) = effects.progress {
            self.st.internal.progress = Some(p);
        }
        if effects.prevent_going_back {
            self.prevent_going_back();
        }
        match effects.signal {
            Some(Signal::ForceAsk {
                names,
                forget_prior,
                ..
            }) => {
                if forget_prior {
                    self.st.internal.event_stack.clear();
                }
                let actions: Vec<super::state::Action> = names
                    .into_iter()
                    .map(|action| super::state::Action {
                        action,
                        arguments: serde_json::Map::new(),
                    })
                    .collect();
                for (n, a) in actions.into_iter().enumerate() {
                    self.st.internal.event_stack.insert(n, a);
                }
                Ok(None)
            }
            Some(Signal::ReRun) => Ok(None),
            Some(Signal::Message {
                title,
                subtitle,
                options,
            }) => {
                let mut screen = self.message_screen(block, &title, &subtitle, None);
                add_message_buttons(&mut screen, &options);
                Ok(Some(screen))
            }
            Some(Signal::Command { command, .. }) => {
                Ok(Some(self.message_screen(block, "", "", Some(command))))
            }
            Some(Signal::Response { body, .. }) => {
                Ok(Some(self.message_screen(block, "", &body, None)))
            }
            Some(Signal::BackgroundResponse { value }) => Err(RunError::BackgroundResponse(
                super::error::BackgroundExit::Value(value),
            )),
            Some(Signal::BackgroundResponseAction { action, arguments }) => Err(
                RunError::BackgroundResponse(super::error::BackgroundExit::Action(
                    super::state::Action { action, arguments },
                )),
            ),
            Some(Signal::Validation { message, .. }) => Err(RunError::Python {
                block: block.to_string(),
                kind: signals::VALIDATION.to_string(),
                message,
            }),
            None if kind == signals::RERUN => Ok(None),
            None => Err(RunError::Python {
                block: block.to_string(),
                kind: kind.to_string(),
                message: message.to_string(),
            }),
        }
    }

    /// The screen of `message()` / `command()` / `response()`.
    fn message_screen(
        &mut self,
        block: &str,
        title: &str,
        subtitle: &str,
        command: Option<String>,
    ) -> Screen {
        let mut screen = Screen {
            question_name: block.to_string(),
            question_type: super::screen::QuestionType::Deadend,
            question_variety: None,
            question_text: crate::text::to_inline_html(title, &crate::text::NoResolver),
            extras: super::screen::ScreenExtras::default(),
            subquestion_text: (!subtitle.is_empty())
                .then(|| crate::text::to_html(subtitle, &crate::text::NoResolver)),
            under_text: None,
            right_text: None,
            parts: Default::default(),
            help_text: Vec::new(),
            help_label: None,
            interview_help_text: Vec::new(),
            menu_items: Vec::new(),
            continue_label: None,
            yes_label: None,
            no_label: None,
            maybe_label: None,
            fields: Vec::new(),
            question_variable_name: None,
            event_list: Vec::new(),
            mandatory: false,
            progress: self.st.internal.progress,
            section: None,
            sections: Vec::new(),
            language: "*".to_string(),
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
        if let Some(cmd) = command {
            command_buttons(&mut screen, &[(&cmd, &cmd)]);
        }
        screen
    }

    /// `force_ask(var)`: asks a question that defines `var` even if `var` is defined (code
    /// blocks are skipped). `None` when no question defines it.
    fn force(&mut self, var: &str) -> Eval<Option<Screen>> {
        let candidates = self.candidates(var);
        for cand in &candidates {
            let block = self.iv.block(cand.index);
            if let BlockKind::Template(t) = &block.kind {
                if t.target.is_some() {
                    // A template with a target as the action: its content is the answer
                    // (to a check-in).
                    self.st.internal.event_stack.remove(0);
                    self.try_candidate(cand, var)?;
                    continue;
                }
            }
            if !matches!(block.kind, BlockKind::Question(_)) {
                if let BlockKind::Code(_) = block.kind {
                    // An event code block runs once and the action is done.
                    if block
                        .modifiers
                        .events
                        .iter()
                        .any(|e| normalise(&e.name) == cand.variant)
                    {
                        if let Some(code) = &self.iv.blocks[cand.index].code {
                            self.st.internal.event_stack.remove(0);
                            let name = block.name.clone();
                            self.bind(cand.x.as_deref(), &cand.iterators, &name)?;
                            self.exec(code, &name)?;
                            return Err(Interrupt::Signal {
                                kind: crate::runtime::signals::RERUN.to_string(),
                                block: name,
                                message: String::new(),
                            });
                        }
                    } else {
                        // Other code that sets it runs (anew, the variable undefined first);
                        // what it needs is asked, the action staying at the head. When it
                        // has run, a question that defines the variable is still sought
                        // (docassemble's `seeking_question`).
                        self.try_candidate(cand, var)?;
                    }
                }
                continue;
            }
            if let Some(Sought::Screen(s)) = self.try_candidate(cand, var)? {
                return Ok(Some(*s));
            }
        }
        Ok(None)
    }

    /// One pass over the question list.
    fn pass(&mut self) -> Eval<Screen> {
        self.forget_results();
        let iv = self.iv;
        for (index, cb) in iv.blocks.iter().enumerate() {
            let block = iv.block(index);
            let name = block.name.as_str();
            if let (Some(code), Some(initial)) = (&cb.code, &cb.initial) {
                if self.cond(initial, name)? {
                    self.exec(code, name)?;
                }
                continue;
            }
            if self.st.internal.answered.contains(name) {
                continue;
            }
            let Some(mandatory) = &cb.mandatory else {
                continue;
            };
            if !self.cond(mandatory, name)? {
                continue;
            }
            self.setup(index, None, &[])?;
            match &block.kind {
                BlockKind::Code(_) => {
                    if let Some(code) = &cb.code {
                        self.exec(code, name)?;
                    }
                    self.st.internal.answered.insert(name.to_string());
                }
                BlockKind::Objects(decls) => {
                    for decl in decls {
                        self.create_object(&decl.name.name, &decl.class.source, name)?;
                    }
                    self.st.internal.answered.insert(name.to_string());
                }
                BlockKind::Data(d) | BlockKind::DataFromCode(d) => {
                    let from_code = matches!(block.kind, BlockKind::DataFromCode(_));
                    self.define_data(
                        &d.variable.name,
                        d,
                        from_code,
                        name,
                        &block.file.to_string(),
                    )?;
                    self.st.internal.answered.insert(name.to_string());
                }
                BlockKind::Question(_) => {
                    let (target, embedded) = self.follow_choices(block, None, &[]);
                    if !embedded.is_empty() {
                        self.st.internal.followed_mc = true;
                    }
                    if let BlockKind::Code(py) = &target.kind {
                        let code = iv.stmts(&py.source);
                        match code.as_ref() {
                            Ok(code) => self.exec(code, name)?,
                            Err(e) => return Err(Interrupt::Error(e.clone())),
                        }
                        self.st.internal.answered.insert(name.to_string());
                        continue;
                    }
                    return self.ask(AskFrom {
                        index,
                        block: target,
                        x: None,
                        iterators: Vec::new(),
                        sought: None,
                        mandatory: true,
                        embedded,
                    });
                }
                BlockKind::Attachments(a) => {
                    self.attachments(a, block, None, &[])?;
                    self.st.internal.answered.insert(name.to_string());
                }
                _ => {
                    self.st.internal.answered.insert(name.to_string());
                }
            }
        }
        Err(Interrupt::Error(RunError::NoEndpoint))
    }

    /// `need`, `undefine` and `reconsider` of a block, before it runs.
    fn setup(&mut self, index: usize, x: Option<&str>, iterators: &[String]) -> Eval<()> {
        let block = self.iv.block(index);
        let name = block.name.clone();
        for v in &block.modifiers.undefine {
            let var = substitute(&v.name, x, iterators);
            self.undefine(&var);
        }
        // docassemble calls `reconsider(*vars)`: each is forgotten and sought again, once
        // per request (so a question that shows a reconsidered list does not loop)
        if let crate::block::Reconsider::Vars(vars) = &block.modifiers.reconsider
            && !vars.is_empty()
        {
            let names: Vec<String> = vars
                .iter()
                .map(|v| super::ask::py_repr(&substitute(&v.name, x, iterators)))
                .collect();
            self.exec_src(&format!("reconsider({})", names.join(", ")), &name)?;
        }
        let file = block.file.to_string();
        for v in &block.modifiers.need.pre {
            let var = substitute(&v.name, x, iterators);
            self.eval_src(&var, (&file, v.line), &name)?;
        }
        Ok(())
    }

    /// Creates the object of an `objects` entry (`people: DAList.using(...)`).
    fn create_object(&mut self, target: &str, class: &str, block: &str) -> Eval<()> {
        let target = target.trim();
        let class = class.trim();
        let src = match target.rsplit_once('.') {
            Some((parent, attr))
                if !attr.contains(']') && attr.chars().all(|c| c.is_alphanumeric() || c == '_') =>
            {
                format!(
                    "{parent}.initializeAttribute({}, {class})",
                    super::ask::py_repr(attr)
                )
            }
            _ => format!("{target} = {class}({})", super::ask::py_repr(target)),
        };
        self.exec_src(&src, block)
    }

    /// docassemble's `askfor`: finds and runs (or asks) the block that defines `var`.
    fn askfor(
        &mut self,
        var: &str,
        wanted: &str,
        tried: &mut HashMap<String, HashSet<usize>>,
        stack: &mut Vec<String>,
        depth: usize,
    ) -> Eval<Sought> {
        if depth > RECURSION_LIMIT {
            return Err(Interrupt::Error(RunError::InfiniteLoop(stack.join(", "))));
        }
        stack.push(var.to_string());
        let mut candidates = self.candidates(var);
        if candidates.is_empty() && wanted != var && wanted.starts_with(var) {
            // `user.address` is missing but a block sets `user.address.city`: docassemble's
            // objects create `user.address` on demand; look for blocks of the longer path.
            candidates = self.candidates(wanted);
        }
        let mut cycles = 0;
        'restart: loop {
            cycles += 1;
            if cycles > LOOP_LIMIT {
                return Err(Interrupt::Error(RunError::InfiniteLoop(stack.join(", "))));
            }
            let mut skipped = false;
            for cand in &candidates {
                if tried.get(var).is_some_and(|t| t.contains(&cand.index)) {
                    skipped = true;
                    continue;
                }
                match self.try_candidate(cand, var) {
                    Ok(Some(sought)) => {
                        stack.pop();
                        return Ok(sought);
                    }
                    Ok(None) => continue,
                    Err(Interrupt::Needs { missing, wanted }) => {
                        tried.entry(missing.clone()).or_default().insert(cand.index);
                        let was_defined = self.defined(var);
                        match self.askfor(&missing, &wanted, tried, stack, depth + 1)? {
                            Sought::Continue => {
                                if !was_defined && missing != var && self.defined(var) {
                                    stack.pop();
                                    return Ok(Sought::Continue);
                                }
                                // The try that was interrupted is over, and with it any
                                // gathering it had started: the retry is a new pass, as
                                // docassemble retries from the top of its loop (where it
                                // resets the gathering mode). A table or template is
                                // thereby built afresh, as docassemble builds it when shown.
                                self.host.begin_pass();
                                continue 'restart;
                            }
                            screen => {
                                stack.pop();
                                return Ok(screen);
                            }
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            if skipped {
                return Err(Interrupt::Error(RunError::InfiniteLoop(stack.join(", "))));
            }
            if self.catch_all(var)? {
                return Ok(Sought::Continue);
            }
            return Err(Interrupt::Error(RunError::MissingVariable(
                var.to_string(),
                self.language(),
            )));
        }
    }

    /// The blocks that may define `var`, in the order docassemble tries them.
    fn candidates(&mut self, var: &str) -> Vec<Candidate> {
        let variants = self.iv.variants(var);
        let language = self.language();
        let mut out = Vec::new();
        for v in variants.iter() {
            if v.is_generic() {
                if !self.iv.has_generic_definers(&v.name) {
                    // No block of any class defines it: the class chain is not needed. The
                    // root is still evaluated, as docassemble evaluates it for every generic
                    // variant (reaching into a list can create its items).
                    let _ = self.value_of(&v.generic_root);
                    continue;
                }
                let Some(classes) = self.classes_of(&v.generic_root) else {
                    continue;
                };
                for class in classes {
                    for &index in self.iv.generic_definers(&class, &v.name) {
                        out.push(Candidate {
                            index,
                            x: Some(v.generic_root.clone()),
                            iterators: v.iterators.clone(),
                            variant: v.name.clone(),
                        });
                    }
                }
            } else {
                // The blocks of the current language first, then those for any language;
                // blocks of other languages are not candidates.
                let iv = self.iv;
                let lang_of =
                    |index: usize| iv.block(index).modifiers.language.as_deref().unwrap_or("*");
                let definers = self.iv.definers(&v.name);
                let ordered = definers.iter().filter(|i| lang_of(**i) == language).chain(
                    definers
                        .iter()
                        .filter(|i| lang_of(**i) == "*" && language != "*"),
                );
                for &index in ordered {
                    out.push(Candidate {
                        index,
                        x: None,
                        iterators: v.iterators.clone(),
                        variant: v.name.clone(),
                    });
                }
            }
        }
        out
    }

    /// The class of the object at `root` and its base classes, if it is an object.
    pub(crate) fn classes_of(&mut self, root: &str) -> Option<Vec<String>> {
        let v = self.value_of(root)?;
        let chain = self.interp().class_chain(&v)?;
        Some(chain.iter().map(|c| c.to_string()).collect())
    }

    /// Tries one candidate block for `var`: `Some` when it settled the search.
    fn try_candidate(&mut self, cand: &Candidate, var: &str) -> Eval<Option<Sought>> {
        let iv = self.iv;
        let cb = &iv.blocks[cand.index];
        let block = iv.block(cand.index);
        let name = block.name.clone();
        self.bind(cand.x.as_deref(), &cand.iterators, &name)?;
        for cond in &cb.conditions {
            let mut cx = self.interp();
            let v = cx.eval(cond).map_err(|f| super::eval::flow(f, &name))?;
            if !cx.truthy(&v).map_err(|f| super::eval::flow(f, &name))? {
                return Ok(None);
            }
        }
        self.setup(cand.index, cand.x.as_deref(), &cand.iterators)?;
        self.bind(cand.x.as_deref(), &cand.iterators, &name)?;
        match &block.kind {
            BlockKind::Code(_) => {
                let Some(code) = &cb.code else {
                    return Ok(None);
                };
                let is_event = block
                    .modifiers
                    .events
                    .iter()
                    .any(|e| normalise(&e.name) == cand.variant);
                let old = if self.defined(var) {
                    let v = self.value_of(var);
                    self.undefine(var);
                    v
                } else {
                    None
                };
                let before = self.old_values(&cb.defines);
                self.exec(code, &name)?;
                self.invalidate_changed(&cb.defines, &before);
                if is_event || self.defined(var) {
                    return Ok(Some(Sought::Continue));
                }
                if let Some(old) = old {
                    self.assign(var, old, &name)?;
                }
                Ok(None)
            }
            BlockKind::Objects(decls) => {
                for decl in decls {
                    let target = substitute(&decl.name.name, cand.x.as_deref(), &cand.iterators);
                    if normalise(&decl.name.name) != cand.variant {
                        continue;
                    }
                    self.create_object(&target, &decl.class.source, &name)?;
                    if self.defined(var) {
                        return Ok(Some(Sought::Continue));
                    }
                }
                Ok(None)
            }
            BlockKind::Question(q) => {
                let key = super::state::answer_key(&name, cand.x.as_deref(), &cand.iterators);
                if let (Some(&choice), QuestionInput::MultipleChoice { choices, .. }) =
                    (self.st.internal.answers.get(&key), &q.input)
                {
                    // Its `continue` choice was taken: the next block is tried instead.
                    if let Some(crate::block::ChoiceAction::Special(sp)) =
                        choices.items.get(choice).map(|c| &c.action)
                    {
                        if sp.command == "continue" {
                            self.st.internal.followed_mc = true;
                            return Ok(None);
                        }
                    }
                }
                // A button that embeds a block was chosen: run it, or ask it.
                let (target, embedded) =
                    self.follow_choices(block, cand.x.as_deref(), &cand.iterators);
                if !embedded.is_empty() {
                    self.st.internal.followed_mc = true;
                }
                if let BlockKind::Code(py) = &target.kind {
                    let code = iv.stmts(&py.source);
                    match code.as_ref() {
                        Ok(code) => self.exec(code, &name)?,
                        Err(e) => return Err(Interrupt::Error(e.clone())),
                    }
                    return Ok(self.defined(var).then_some(Sought::Continue));
                }
                let screen = self.ask(AskFrom {
                    index: cand.index,
                    block: target,
                    x: cand.x.clone(),
                    iterators: cand.iterators.clone(),
                    sought: Some(var.to_string()),
                    mandatory: false,
                    embedded,
                })?;
                Ok(Some(Sought::Screen(Box::new(screen))))
            }
            BlockKind::Template(t) => {
                if let Some(area) = &t.target {
                    // docassemble ends the request with the template as its "question": a
                    // check-in event's answer for the screen's `[TARGET area]`.
                    let content = self.template_content(t, &name, &block.file)?;
                    let content = self.iv.to_inline_html(content.trim_end());
                    return Err(Interrupt::Error(RunError::BackgroundResponse(
                        super::error::BackgroundExit::Value(serde_json::json!({
                            "target": area,
                            "content": content,
                        })),
                    )));
                }
                let target = substitute(&t.name.name, cand.x.as_deref(), &cand.iterators);
                self.define_template(&target, t, &name, &block.file)?;
                self.made_lazy(&t.name.name, target);
                Ok(Some(Sought::Continue))
            }
            BlockKind::Data(d) | BlockKind::DataFromCode(d) => {
                let from_code = matches!(block.kind, BlockKind::DataFromCode(_));
                let target = substitute(&d.variable.name, cand.x.as_deref(), &cand.iterators);
                self.define_data(&target, d, from_code, &name, &block.file.to_string())?;
                Ok(Some(Sought::Continue))
            }
            BlockKind::Attachments(a) => {
                self.attachments(a, block, cand.x.as_deref(), &cand.iterators)?;
                Ok(self.defined(var).then_some(Sought::Continue))
            }
            BlockKind::ObjectsFromFile(o) => {
                let file = block.file.to_string();
                let use_objects = match &o.use_objects {
                    Some(crate::block::Cond::Const(b)) => *b,
                    Some(crate::block::Cond::Code(py)) => {
                        self.truthy_src(&py.source, (&file, py.line), &name)?
                    }
                    None => false,
                };
                for (decl, text) in &o.items {
                    if normalise(&decl.name) != cand.variant {
                        continue;
                    }
                    let target = substitute(&decl.name, cand.x.as_deref(), &cand.iterators);
                    let data_file = self.render(text, &file, &name)?;
                    let src = format!(
                        "{target} = objects_from_file({}, name={}, use_objects={})",
                        super::ask::py_repr(data_file.trim()),
                        super::ask::py_repr(&target),
                        if use_objects { "True" } else { "False" }
                    );
                    self.exec_src(&src, &name)?;
                }
                Ok(self.defined(var).then_some(Sought::Continue))
            }
            BlockKind::Table(t) => {
                let target = substitute(&t.name.name, cand.x.as_deref(), &cand.iterators);
                match self.define_table(&target, t, &name, &block.file.to_string()) {
                    Ok(()) => {}
                    // docassemble's tables are lazy: naming one before its rows can be read
                    // is fine; it is built when shown (the placeholder asks for what the rows
                    // need, then for itself again)
                    Err(Interrupt::Needs { .. })
                        if self.st.internal.lazy_tables.insert(target.clone()) =>
                    {
                        let src = format!(
                            "{target} = {}({})",
                            crate::runtime::classes::template::LAZY_TABLE,
                            super::ask::py_repr(&target),
                        );
                        self.exec_src(&src, &name)?;
                    }
                    Err(e) => return Err(e),
                }
                self.made_lazy(&t.name.name, target);
                Ok(Some(Sought::Continue))
            }
            _ => Ok(None),
        }
    }

    /// Defines a `template` block's variable: a `DATemplate` whose `subject` and `content` are
    /// the rendered texts. (Templates and tables are re-rendered on every request: see
    /// [`Ctx::forget_lazy`].)
    fn define_template(
        &mut self,
        target: &str,
        t: &crate::block::Template,
        block: &str,
        from: &crate::source::FileRef,
    ) -> Eval<()> {
        let file = &from.to_string();
        let rendered = self.template_content(t, block, from).and_then(|content| {
            let subject = match &t.subject {
                Some(s) => self.render(s, file, block)?,
                None => String::new(),
            };
            Ok((content, subject))
        });
        let (content, subject) = match rendered {
            Ok(parts) => parts,
            // docassemble's templates are lazy: one whose text needs what is not defined yet
            // is still defined, and rendered when shown (with `show(**kwargs)`'s names, or
            // asking for what it needs then)
            Err(Interrupt::Needs { .. })
                if target == t.name.name && self.iv.template_sources().contains_key(target) =>
            {
                let src = format!("{target} = DATemplate({})", super::ask::py_repr(target));
                return self.exec_src(&src, block);
            }
            Err(e) => return Err(e),
        };
        let src = format!(
            "{target} = DATemplate({}, content={}, subject={})",
            super::ask::py_repr(target),
            super::ask::py_repr(content.trim_end()),
            super::ask::py_repr(subject.trim_end())
        );
        self.exec_src(&src, block)
    }

    /// A `template` block's content, rendered (inline, or its `content file`s).
    fn template_content(
        &mut self,
        t: &crate::block::Template,
        block: &str,
        from: &crate::source::FileRef,
    ) -> Eval<String> {
        let file = &from.to_string();
        Ok(match &t.content {
            crate::block::TemplateContent::Inline(text) => self.render(text, file, block)?,
            crate::block::TemplateContent::File(names) => {
                let names: Vec<String> = names.iter().map(|n| n.source.clone()).collect();
                self.render_template_files(&names, from, t.name.line, block)?
            }
            crate::block::TemplateContent::FileCode(p) => {
                let names = self.file_names(p, file, block)?;
                self.render_template_files(&names, from, p.line, block)?
            }
        })
    }

    /// Whether `var` is the variable of a template or table block, which is always defined
    /// when needed (so an item that shows it is never skipped as undefined).
    pub(crate) fn is_lazy(&self, var: &str) -> bool {
        let iv = self.iv;
        (0..iv.blocks.len()).any(|i| {
            let block = iv.block(i);
            block.modifiers.generic_object.is_none()
                && match &block.kind {
                    BlockKind::Template(t) => t.name.name == var,
                    BlockKind::Table(t) => t.name.name == var,
                    _ => false,
                }
        })
    }

    /// Notes a template or table variable made from a generic or indexed block (`written` is
    /// its name as written), for [`Ctx::forget_lazy`].
    fn made_lazy(&mut self, written: &str, target: String) {
        if target != written {
            self.st.internal.lazy_made.insert(target);
        }
    }

    /// Templates and tables are lazy in docassemble (their text is computed when shown), so
    /// their variables are forgotten at the start of every request and defined again when
    /// needed: the plain ones by name, those made from generic or indexed blocks as noted
    /// when they were made.
    pub(crate) fn forget_lazy(&mut self) {
        for var in std::mem::take(&mut self.st.internal.lazy_made) {
            self.undefine(&var);
        }
        let iv = self.iv;
        for i in 0..iv.blocks.len() {
            let block = iv.block(i);
            if block.modifiers.generic_object.is_some() {
                continue;
            }
            let name = match &block.kind {
                BlockKind::Template(t) => &t.name.name,
                BlockKind::Table(t) => &t.name.name,
                _ => continue,
            };
            if name.contains('[') {
                continue;
            }
            self.undefine(name);
        }
    }

    /// Defines a `table` block's variable: a `DATemplate` whose content is the Markdown table
    /// docassemble builds (`text_of_table`): one row per item of `rows` (`row_item`,
    /// `row_index` bound), one cell per column.
    fn define_table(
        &mut self,
        target: &str,
        t: &crate::block::Table,
        block: &str,
        file: &str,
    ) -> Eval<()> {
        let option = |key: &str| t.options.iter().find(|(k, _)| k == key).map(|(_, v)| &v.0);
        let flag = |key: &str, default: bool| match option(key).map(|n| &n.value) {
            Some(crate::source::yaml::Value::Bool(b)) => *b,
            Some(crate::source::yaml::Value::Null) => false,
            Some(_) => true,
            None => default,
        };
        let require_gathered = flag("require gathered", true);
        let mut headers = Vec::new();
        for c in &t.columns {
            headers.push(table_safe(&self.render(&c.header, file, block)?));
        }
        let actions = table_actions(t, require_gathered && !flag("show incomplete", false));
        if actions.is_some() {
            headers.push(match option("edit header").and_then(|n| n.python_str()) {
                Some(h) if h.is_empty() => "&nbsp;".to_string(),
                Some(h) => {
                    let text = crate::block::Text {
                        source: h.into_owned(),
                        line: t.rows.line,
                    };
                    table_safe(&self.render(&text, file, block)?)
                }
                None => "Actions".to_string(),
            });
        }
        let show_incomplete = flag("show incomplete", false);
        let not_available = option("not available label")
            .and_then(|n| n.python_str().map(|s| s.trim().to_string()))
            .unwrap_or_else(|| "n/a".to_string());
        let mut rows = self.eval_src(&t.rows.source, (file, t.rows.line), block)?;
        let mut cx = self.interp();
        if cx.class_name(&rows).is_some() {
            if !require_gathered {
                rows = cx
                    .call_method(&rows, "complete_elements", pyeval::Args::default())
                    .map_err(|f| super::eval::flow(f, block))?;
            } else if show_incomplete {
                // The items so far, without gathering (docassemble's `show incomplete`).
                let started = cx
                    .call_method(&rows, "gathering_started", pyeval::Args::default())
                    .and_then(|v| cx.truthy(&v))
                    .map_err(|f| super::eval::flow(f, block))?;
                if started {
                    rows = cx
                        .get_attr(&rows, "elements")
                        .map_err(|f| super::eval::flow(f, block))?;
                }
            }
        }
        let is_dict = match &rows {
            pyeval::Value::Ref(id) => match cx.heap().get(*id).map(|o| &o.kind) {
                Some(pyeval::ObjKind::Dict(_)) => true,
                Some(pyeval::ObjKind::Instance(i)) => {
                    matches!(i.class.as_ref(), "DADict" | "DAOrderedDict")
                }
                _ => false,
            },
            _ => false,
        };
        let mut elements: Vec<(pyeval::Value, pyeval::Value)> = Vec::new();
        if is_dict {
            let items = cx
                .call_method(&rows, "items", pyeval::Args::default())
                .map_err(|f| super::eval::flow(f, block))?;
            for pair in cx
                .collect(&items)
                .map_err(|f| super::eval::flow(f, block))?
            {
                let kv = cx.collect(&pair).map_err(|f| super::eval::flow(f, block))?;
                if let [k, v] = kv.as_slice() {
                    elements.push((k.clone(), v.clone()));
                }
            }
            let ordered = cx.class_name(&rows).is_some_and(|c| &*c == "DAOrderedDict");
            if !ordered {
                let mut keyed = Vec::new();
                for (k, v) in elements {
                    keyed.push((
                        cx.to_str(&k).map_err(|f| super::eval::flow(f, block))?,
                        k,
                        v,
                    ));
                }
                keyed.sort_by(|a, b| a.0.cmp(&b.0));
                elements = keyed.into_iter().map(|(_, k, v)| (k, v)).collect();
            }
        } else {
            let items = cx.collect(&rows).map_err(|f| super::eval::flow(f, block))?;
            for (n, item) in items.into_iter().enumerate() {
                elements.push((pyeval::Value::Int(n as i64), item));
            }
        }
        drop(cx);
        let filter = option("filter").and_then(|n| n.python_str().map(|s| s.into_owned()));
        let mut contents: Vec<Vec<String>> = Vec::new();
        for (index, item) in elements {
            self.st
                .vars
                .globals
                .insert(pyeval::Name::from("row_item"), item);
            self.st
                .vars
                .globals
                .insert(pyeval::Name::from("row_index"), index);
            let result = (|| -> Eval<Option<Vec<String>>> {
                if let Some(f) = &filter {
                    if !self.truthy_src(f, (file, t.rows.line), block)? {
                        return Ok(None);
                    }
                }
                let mut cells = Vec::new();
                for c in &t.columns {
                    let cell = self
                        .eval_src(&c.cell.source, (file, c.cell.line), block)
                        .and_then(|v| self.to_str(&v, block));
                    let text = match cell {
                        Ok(t) => t,
                        // An incomplete item's missing values read "n/a".
                        Err(Interrupt::Needs { .. } | Interrupt::Error(_)) if show_incomplete => {
                            not_available.clone()
                        }
                        Err(e) => return Err(e),
                    };
                    cells.push(table_safe(&text));
                }
                if let Some(src) = &actions {
                    let v = self.eval_src(src, (file, t.rows.line), block)?;
                    cells.push(table_safe(&self.to_str(&v, block)?));
                }
                Ok(Some(cells))
            })();
            self.st.vars.globals.shift_remove("row_item");
            self.st.vars.globals.shift_remove("row_index");
            if let Some(cells) = result? {
                contents.push(cells);
            }
        }
        let show_if_empty = option("show if empty").map(|n| &n.value);
        let md = table_markdown(&headers, &contents, show_if_empty);
        // `table.show(editable=False)`: the same table without the actions column.
        let readonly = actions.is_some().then(|| {
            let mut headers = headers.clone();
            headers.pop();
            let rows: Vec<Vec<String>> = contents
                .iter()
                .map(|r| r[..r.len().saturating_sub(1)].to_vec())
                .collect();
            table_markdown(&headers, &rows, show_if_empty)
        });
        let src = match readonly {
            Some(ro) => format!(
                "{target} = DATemplate({}, content={}, content_readonly={})",
                super::ask::py_repr(target),
                super::ask::py_repr(&md),
                super::ask::py_repr(&ro)
            ),
            None => format!(
                "{target} = DATemplate({}, content={})",
                super::ask::py_repr(target),
                super::ask::py_repr(&md)
            ),
        };
        self.exec_src(&src, block)
    }
}

/// The Markdown of a table block (docassemble's `text_of_table`): header, rule, one line a row;
/// an empty table is nothing, or `show if empty`'s text.
fn table_markdown(
    headers: &[String],
    contents: &[Vec<String>],
    show_if_empty: Option<&crate::source::yaml::Value>,
) -> String {
    let mut md = String::from("\n");
    let show_empty = matches!(show_if_empty, Some(crate::source::yaml::Value::Bool(true)));
    if contents.is_empty() {
        match show_if_empty {
            Some(crate::source::yaml::Value::Bool(true)) => {}
            Some(crate::source::yaml::Value::Str(s)) => md = format!("{s}\n"),
            _ => md = "\n".to_string(),
        }
    }
    if !contents.is_empty() || show_empty {
        let widths: Vec<usize> = (0..headers.len())
            .map(|i| {
                let longest = contents
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.chars().count())
                    .chain(std::iter::once(headers[i].chars().count()))
                    .max()
                    .unwrap_or(3);
                longest.clamp(3, 65)
            })
            .collect();
        md.push('|');
        md.push_str(&headers.join("|"));
        md.push_str("|\n|");
        md.push_str(
            &widths
                .iter()
                .map(|w| "-".repeat(*w))
                .collect::<Vec<_>>()
                .join("|"),
        );
        md.push_str("|\n");
        for row in contents {
            md.push('|');
            md.push_str(&row.join("|"));
            md.push_str("|\n");
        }
    }
    md.push('\n');
    md
}

impl Ctx<'_> {
    /// Defines a `data` (texts are Mako) or `data from code` (leaves are Python expressions)
    /// block's variable; with `use objects` lists become `DAList`s and mappings `DADict`s.
    fn define_data(
        &mut self,
        target: &str,
        d: &crate::block::DataBlock,
        from_code: bool,
        block: &str,
        file: &str,
    ) -> Eval<()> {
        let use_objects = d.use_objects.as_ref().is_some_and(|u| match &u.0.value {
            crate::source::yaml::Value::Bool(b) => *b,
            crate::source::yaml::Value::Null => false,
            _ => true,
        });
        // `use objects: objects`: also `{object: Class, item: {…}}` / `{object: …, items: […]}`
        // become instances of the class (docassemble's `objects_from_data`).
        let gathered = match &d.gathered {
            None => true,
            Some(crate::block::Cond::Const(b)) => *b,
            Some(crate::block::Cond::Code(p)) => {
                self.truthy_src(&p.source, (file, p.line), block)?
            }
        };
        self.data_mode = super::eval::DataMode {
            objects: d
                .use_objects
                .as_ref()
                .is_some_and(|u| u.0.python_str().is_some_and(|s| s.trim() == "objects")),
            ungathered: !gathered,
        };
        let value = self.data_value(&d.data.0, from_code, use_objects, target, block, file);
        self.data_mode = super::eval::DataMode::default();
        self.assign(target, value?, block)
    }

    /// `{object: Class, item: {attr: …}}` (one instance) or `{object: Class, items: [{…}, …]}`
    /// (a DAList of them) in a `use objects: objects` data block: the instance(s) made with
    /// their attributes as keyword arguments and named after `path`.
    fn data_object(
        &mut self,
        class: &str,
        spec: &crate::source::yaml::Node,
        many: bool,
        path: &str,
        (from_code, block, file): (bool, &str, &str),
    ) -> Eval<pyeval::Value> {
        use crate::source::yaml::Value as Y;
        let identifier = |t: &str| {
            !t.is_empty()
                && !t.starts_with(|c: char| c.is_ascii_digit())
                && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        let bad = |what: String| {
            Interrupt::Error(RunError::Python {
                block: block.to_string(),
                kind: "DAError".into(),
                message: what,
            })
        };
        if !identifier(class) {
            return Err(bad(format!(
                "the data's object {class:?} is not a class name"
            )));
        }
        if many {
            let Y::Seq(items) = &spec.value else {
                return Err(bad("the data's items must be a list".into()));
            };
            let mut values = Vec::with_capacity(items.len());
            for (n, item) in items.iter().enumerate() {
                let child = format!("{path}[{n}]");
                values.push(self.data_object(
                    class,
                    item,
                    false,
                    &child,
                    (from_code, block, file),
                )?);
            }
            return self.data_list(values, path, block);
        }
        let Y::Map(pairs) = &spec.value else {
            return Err(bad("the data's item must be a dictionary".into()));
        };
        let mut kwargs = Vec::new();
        for (n, (k, v)) in pairs.iter().enumerate() {
            let key = k
                .python_str()
                .map(|s| s.trim().to_string())
                .unwrap_or_default();
            if !identifier(&key) {
                return Err(bad(format!("the data's attribute {key:?} is not a name")));
            }
            let child = format!("{path}.{key}");
            let value = self.data_value(v, from_code, true, &child, block, file)?;
            let slot = format!("_colloquy_kw{n}");
            self.st
                .vars
                .globals
                .insert(pyeval::Name::from(slot.as_str()), value);
            kwargs.push(format!("{key}={slot}"));
        }
        let src = format!(
            "_colloquy_value = {class}({}{}{})",
            super::ask::py_repr(path),
            if kwargs.is_empty() { "" } else { ", " },
            kwargs.join(", ")
        );
        let r = self.exec_for_value(&src, block);
        for n in 0..kwargs.len() {
            self.st
                .vars
                .globals
                .shift_remove(format!("_colloquy_kw{n}").as_str());
        }
        r
    }

    /// A mapping of a data block: a dict (a gathered `DADict` with `use objects`).
    fn data_map(
        &mut self,
        pairs: &[(crate::source::yaml::Node, crate::source::yaml::Node)],
        from_code: bool,
        use_objects: bool,
        path: &str,
        block: &str,
        file: &str,
    ) -> Eval<pyeval::Value> {
        use pyeval::Value as V;
        let mut entries = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let key = k.python_str().map(|s| s.into_owned()).unwrap_or_default();
            let child = format!("{path}[{}]", super::ask::py_repr(&key));
            let value = self.data_value(v, from_code, use_objects, &child, block, file)?;
            entries.push((key, value));
        }
        let mut d = pyeval::Dict::new();
        {
            let cx = self.interp();
            for (k, v) in entries {
                let key = V::str(&k);
                let hk = pyeval::Key::from_value(&key, cx.heap())
                    .map_err(|f| super::eval::flow(f, block))?;
                d.insert(hk, key, v);
            }
        }
        let dict = {
            let mut cx = self.interp();
            cx.heap_mut().new_dict(d)
        };
        if !use_objects {
            return Ok(dict);
        }
        let src = format!(
            "_colloquy_value = DADict({}{})\nfor _colloquy_k in _colloquy_items:\n    _colloquy_value[_colloquy_k] = _colloquy_items[_colloquy_k]",
            super::ask::py_repr(path),
            self.data_mode.collection_flags()
        );
        let r = self.exec_with_items(dict, &src, block);
        self.st.vars.globals.shift_remove("_colloquy_k");
        r
    }

    /// A `DAList` named `path` holding `values` (gathered unless the block says otherwise).
    fn data_list(
        &mut self,
        values: Vec<pyeval::Value>,
        path: &str,
        block: &str,
    ) -> Eval<pyeval::Value> {
        let list = {
            let mut cx = self.interp();
            cx.heap_mut().new_list(values)
        };
        let src = format!(
            "_colloquy_value = DAList({}{})\n_colloquy_value.extend(_colloquy_items)",
            super::ask::py_repr(path),
            self.data_mode.collection_flags()
        );
        self.exec_with_items(list, &src, block)
    }

    /// Runs `src` with `_colloquy_items` bound to `items`: see [`Ctx::exec_for_value`].
    fn exec_with_items(
        &mut self,
        items: pyeval::Value,
        src: &str,
        block: &str,
    ) -> Eval<pyeval::Value> {
        self.st
            .vars
            .globals
            .insert(pyeval::Name::from("_colloquy_items"), items);
        let r = self.exec_for_value(src, block);
        self.st.vars.globals.shift_remove("_colloquy_items");
        r
    }

    /// Runs `src`, which leaves its result in `_colloquy_value`, and takes that result out.
    fn exec_for_value(&mut self, src: &str, block: &str) -> Eval<pyeval::Value> {
        let r = self.exec_src(src, block);
        let value = self.st.vars.globals.shift_remove("_colloquy_value");
        r.map(|()| value.unwrap_or(pyeval::Value::None))
    }

    fn data_value(
        &mut self,
        node: &crate::source::yaml::Node,
        from_code: bool,
        use_objects: bool,
        path: &str,
        block: &str,
        file: &str,
    ) -> Eval<pyeval::Value> {
        use crate::source::yaml::Value as Y;
        use pyeval::Value as V;
        Ok(match &node.value {
            Y::Null => V::None,
            Y::Bool(b) => V::Bool(*b),
            Y::Int(i) if !from_code => V::Int(*i),
            Y::Float(f) if !from_code => V::Float(*f),
            Y::Seq(items) => {
                let mut values = Vec::with_capacity(items.len());
                for (n, item) in items.iter().enumerate() {
                    let child = format!("{path}[{n}]");
                    values.push(self.data_value(
                        item,
                        from_code,
                        use_objects,
                        &child,
                        block,
                        file,
                    )?);
                }
                if use_objects {
                    return self.data_list(values, path, block);
                }
                let mut cx = self.interp();
                cx.heap_mut().new_list(values)
            }
            Y::Map(pairs) if self.data_mode.objects => {
                let get = |key: &str| {
                    pairs
                        .iter()
                        .find(|(k, _)| k.python_str().is_some_and(|s| s == key))
                        .map(|(_, v)| v)
                };
                match (
                    get("object").and_then(|o| o.python_str()),
                    get("item"),
                    get("items"),
                ) {
                    (Some(class), Some(item), _) => {
                        let class = class.trim().to_string();
                        return self.data_object(
                            &class,
                            item,
                            false,
                            path,
                            (from_code, block, file),
                        );
                    }
                    (Some(class), None, Some(items)) => {
                        let class = class.trim().to_string();
                        return self.data_object(
                            &class,
                            items,
                            true,
                            path,
                            (from_code, block, file),
                        );
                    }
                    _ => {}
                }
                self.data_map(pairs, from_code, use_objects, path, block, file)?
            }
            // docassemble's objects_from_structure: a mapping of only the context keys
            // (`question`, `document`, `docx`, `pdf`, `pandoc`; two or more) is a DAContext
            Y::Map(pairs) if use_objects && is_context(pairs) => {
                let d = self.data_map(pairs, from_code, false, path, block, file)?;
                let mut cx = self.interp();
                let items = cx
                    .call_method(&d, "items", pyeval::Args::default())
                    .and_then(|i| cx.collect(&i))
                    .map_err(|f| super::eval::flow(f, block))?;
                let mut kw = Vec::new();
                for pair in items {
                    let kv = cx.collect(&pair).map_err(|f| super::eval::flow(f, block))?;
                    if let [k, v] = kv.as_slice() {
                        let k = cx.to_str(k).map_err(|f| super::eval::flow(f, block))?;
                        kw.push((pyeval::Name::from(k.as_str()), v.clone()));
                    }
                }
                let class = pyeval::Value::Class(pyeval::Name::from("DAContext"));
                let args = pyeval::Args {
                    pos: vec![V::str(path)],
                    kw,
                };
                cx.call_value(&class, args)
                    .map_err(|f| super::eval::flow(f, block))?
            }
            Y::Map(pairs) => self.data_map(pairs, from_code, use_objects, path, block, file)?,
            _ => {
                let text = node
                    .python_str()
                    .map(|s| s.into_owned())
                    .unwrap_or_default();
                if from_code {
                    self.eval_src(&text, (file, node.line), block)?
                } else {
                    let t = crate::block::Text {
                        source: text,
                        line: node.line,
                    };
                    V::str(&self.render(&t, file, block)?)
                }
            }
        })
    }
}

/// Whether a data mapping's keys are two or more of DAContext's (and nothing else).
fn is_context(pairs: &[(crate::source::yaml::Node, crate::source::yaml::Node)]) -> bool {
    const KEYS: [&str; 5] = ["question", "document", "docx", "pdf", "pandoc"];
    pairs.len() >= 2
        && pairs
            .iter()
            .all(|(k, _)| k.python_str().is_some_and(|k| KEYS.contains(&k.as_ref())))
}

/// docassemble's `table_safe`: no line breaks or pipes inside a cell.
/// The expression of a table's Actions column (docassemble's `item_actions()` call for
/// `edit`, `delete buttons`, `allow reordering`), if it has one.
fn table_actions(t: &crate::block::Table, ensure_complete: bool) -> Option<String> {
    use crate::source::yaml::Value as Y;
    let option = |key: &str| t.options.iter().find(|(k, _)| k == key).map(|(_, v)| &v.0);
    let on = |key: &str| option(key).is_some_and(|n| !matches!(n.value, Y::Bool(false) | Y::Null));
    let reorder = on("allow reordering");
    let py = |b: bool| if b { "True" } else { "False" };
    let mut kw = String::new();
    let edit = t
        .edit
        .as_ref()
        .map(|r| &r.0)
        .filter(|n| !matches!(n.value, Y::Bool(false)));
    let mut args = String::new();
    match edit {
        Some(n) => {
            if let Y::Seq(items) = &n.value {
                for a in items.iter().filter_map(|i| i.python_str()) {
                    args.push_str(&format!(", {}", super::ask::py_repr(a.trim())));
                }
            }
            if option("delete buttons").is_some_and(|n| matches!(n.value, Y::Bool(false))) {
                kw.push_str(", delete=False");
            }
        }
        None if on("delete buttons") => kw.push_str(", edit=False"),
        None if reorder => kw.push_str(", edit=False, delete=False"),
        None => return None,
    }
    if on("confirm") {
        kw.push_str(", confirm=True");
    }
    if let Some(attr) = option("read only").and_then(|n| n.python_str()) {
        kw.push_str(&format!(
            ", read_only_attribute={}",
            super::ask::py_repr(attr.trim())
        ));
    }
    Some(format!(
        "({}).item_actions(row_item, row_index{args}{kw}, reorder={}, ensure_complete={})",
        t.rows.source.trim(),
        py(reorder),
        py(ensure_complete)
    ))
}

fn table_safe(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '|') {
                ' '
            } else {
                c
            }
        })
        .collect();
    if t.starts_with(['-', ':']) && t.chars().all(|c| c == '-' || c == ':') {
        format!("  {t}  ")
    } else {
        t
    }
}

/// The buttons docassemble puts under a `message()` screen: Exit (unless `show_exit=False`, or
/// `show_leave=True` without `show_exit`), Leave (with `show_leave=True`) and Restart (unless
/// `show_restart=False`); none for `dead_end=True` or custom `buttons`.
fn add_message_buttons(screen: &mut Screen, options: &[(String, String)]) {
    let opt = |k: &str| {
        options
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    };
    let truthy = |v: Option<&str>| v.is_some_and(|v| !matches!(v, "False" | "None" | "" | "0"));
    let is_false = |v: Option<&str>| matches!(v, Some("False" | "0"));
    if truthy(opt("dead_end")) || opt("buttons").is_some() {
        return;
    }
    let mut commands = Vec::new();
    let leave_instead = truthy(opt("show_leave")) && opt("show_exit").is_none();
    if !is_false(opt("show_exit")) && !leave_instead {
        commands.push(("Exit", "exit"));
    }
    if truthy(opt("show_leave")) {
        commands.push(("Leave", "leave"));
    }
    if !is_false(opt("show_restart")) {
        commands.push(("Restart", "restart"));
    }
    if !commands.is_empty() {
        command_buttons(screen, &commands);
    }
}

/// Makes `screen` a row of special buttons: (label, command) each.
fn command_buttons(screen: &mut Screen, commands: &[(&str, &str)]) {
    screen.question_type = super::screen::QuestionType::MultipleChoice;
    screen.question_variety = Some("buttons".to_string());
    screen.fields.push(super::screen::ScreenField {
        number: 0,
        fieldtype: Some("multiple_choice".to_string()),
        choices: commands
            .iter()
            .enumerate()
            .map(|(i, (label, cmd))| super::screen::ScreenChoice {
                label: (*label).to_string(),
                value: Some(serde_json::Value::from(i)),
                command: Some((*cmd).to_string()),
                ..super::screen::ScreenChoice::default()
            })
            .collect(),
        ..super::screen::ScreenField::default()
    });
}
