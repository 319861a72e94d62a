//! Applying a submission to the pending screen: only the variables that screen asks may be
//! set, every value is converted and validated first, and nothing is stored unless all of it
//! is valid (docassemble §3.5, with `restrict input variables` always on).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use pyeval::Value;

use super::error::RunError;
use super::eval::{Ctx, Interrupt};
use super::screen::{FieldError, QuestionType, Screen, ScreenField};
use super::values::{from_json, json_str};
use crate::block::field::UPLOAD_DATATYPES;

/// The name a button choice without a variable is posted under.
pub const MULTIPLE_CHOICE: &str = "_multiple_choice";

/// A submission: the variable names as decoded from the form, with their posted texts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Submission {
    /// `_question_name`: the screen the answers are for.
    pub question_name: Option<String>,
    /// `(variable, value)` pairs in posted order; a name may repeat (multiselect).
    pub values: Vec<(String, String)>,
    /// Files the server stored for file fields: `(variable, descriptor JSON)`. Only these set
    /// file fields; a text value posted under a file field's name is ignored.
    pub files: Vec<(String, String)>,
    /// An action to run (`?action=`, `_action`): then the values are ignored, as in
    /// docassemble.
    pub action: Option<super::state::Action>,
}

/// What a submission led to.
#[derive(Debug, Clone, PartialEq)]
pub enum Answered {
    /// Accepted: the next screen.
    Next(Screen),
    /// Rejected with field errors: the same screen, answers unchanged.
    Invalid(Screen),
    /// The submission was for another screen than the one waiting (a stale tab, a race):
    /// the current screen, nothing changed.
    Stale(Screen),
    /// A special button: `restart`, `exit`, `leave`, `new_session`, `refresh`, `signin`…
    Command(String),
}

/// One converted answer.
enum Converted {
    Value(Value),
    Checkboxes(Vec<(serde_json::Value, bool)>),
    /// An object choice: the chosen object's path.
    Object(String),
    /// Several object choices: their paths.
    Objects(Vec<String>),
    /// A date or date-time answer: a `DADateTime` when the host has docassemble's classes.
    When(NaiveDateTime, bool),
    /// A time answer: a `datetime.time` when the host has docassemble's classes.
    TimeOfDay(NaiveTime),
    /// Uploaded files: the server's descriptor (`{"elements": [{filename, number, mimetype,
    /// extension, size, url}]}`).
    Files(serde_json::Value),
}

impl Ctx<'_> {
    /// Applies `sub` to `pending`, the screen that was waiting (the caller has taken it out of
    /// the state and puts it back unless the answer is [`Answered::Next`]), then produces the
    /// next screen.
    pub fn answer(
        &mut self,
        sub: &Submission,
        pending: &super::state::Pending,
    ) -> Result<Answered, RunError> {
        if sub
            .question_name
            .as_deref()
            .is_some_and(|q| q != pending.question_name)
        {
            return Ok(Answered::Stale(pending.screen.clone()));
        }
        let screen = &pending.screen;
        // Which names may be posted, and for which field.
        let mut allowed: BTreeMap<String, usize> = BTreeMap::new();
        for (i, f) in screen.fields.iter().enumerate() {
            if let Some(v) = &f.variable_name {
                allowed.insert(v.clone(), i);
            }
            if let Some(n) = f.input_name() {
                allowed.insert(n.into_owned(), i);
            }
            for c in &f.choices {
                if let Some(v) = &c.variable_name {
                    allowed.insert(v.clone(), i);
                }
            }
            if screen.question_type == QuestionType::MultipleChoice {
                allowed.insert(MULTIPLE_CHOICE.to_string(), i);
            }
        }
        if let Some(v) = &screen.question_variable_name {
            allowed.insert(v.clone(), usize::MAX);
        }
        if let Some(lc) = &screen.list_collect {
            for name in [
                super::list_collect::COLLECT_DELETE.to_string(),
                "_list_collect_list".to_string(),
                "_collect".to_string(),
                format!("{}.there_is_another", lc.list),
                format!("{}.target_number", lc.list),
            ] {
                allowed.insert(name, usize::MAX);
            }
        }
        // A table's moved rows (`allow reordering`) come with any screen that shows one.
        allowed.insert(super::reorder::ORDER_CHANGES.to_string(), usize::MAX);
        for (name, _) in &sub.values {
            if !allowed.contains_key(name) {
                return Err(RunError::BadRequest(format!(
                    "'{name}' is not a field of the question being answered ({})",
                    pending.question_name
                )));
            }
        }
        let posted = |name: &str| -> Vec<&str> {
            sub.values
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        // Special buttons and buttons that run blocks.
        if screen.question_type == QuestionType::MultipleChoice {
            let field = screen.fields.first();
            if field.is_some_and(|f| f.variable_name.is_none()) {
                let Some(choice) = posted(MULTIPLE_CHOICE).first().copied() else {
                    return Ok(Answered::Invalid(with_errors(
                        screen,
                        vec![FieldError {
                            variable_name: String::new(),
                            message: "Please choose one of the buttons.".to_string(),
                        }],
                    )));
                };
                let index: Option<usize> = choice.trim().parse().ok();
                let chosen = index.and_then(|i| {
                    field
                        .and_then(|f| {
                            f.choices
                                .iter()
                                .find(|c| c.value == Some(serde_json::Value::from(i)))
                        })
                        .map(|c| (i, c.clone()))
                });
                let Some((index, c)) = chosen else {
                    return Err(RunError::BadRequest(format!(
                        "'{choice}' is not one of the choices"
                    )));
                };
                if let Some(cmd) = &c.command {
                    if cmd == "continue" {
                        // Skipped: a mandatory question is done, and a sought one lets the
                        // next block that defines the variable be tried.
                        self.st
                            .internal
                            .answered
                            .insert(pending.question_name.clone());
                        self.st.internal.answers.insert(
                            super::state::answer_key(
                                &pending.question_name,
                                pending.x.as_deref(),
                                &pending.iterators,
                            ),
                            index,
                        );
                        return self.next_screen().map(Answered::Next);
                    }
                    return Ok(Answered::Command(cmd.clone()));
                }
                self.st.internal.answers.insert(
                    super::state::answer_key(
                        &pending.question_name,
                        pending.x.as_deref(),
                        &pending.iterators,
                    ),
                    index,
                );
                return self.next_screen().map(Answered::Next);
            }
        }
        // Convert and validate everything before storing anything.
        let mut errors = Vec::new();
        let mut values: Vec<(String, Converted)> = Vec::new();
        let skipped = skipped_by_others(screen, &sub.values);
        // `list collect` items being deleted are neither validated nor stored.
        let deleting: Vec<usize> = posted(super::list_collect::COLLECT_DELETE)
            .iter()
            .filter_map(|v| serde_json::from_str::<Vec<usize>>(v).ok())
            .flatten()
            .collect();
        // Each field's input name, decoded once.
        let inputs: Vec<Option<Cow<'_, str>>> =
            screen.fields.iter().map(ScreenField::input_name).collect();
        for (f, input) in screen.fields.iter().zip(&inputs) {
            let Some(var) = &f.variable_name else {
                continue;
            };
            if skipped.contains(&f.number)
                || f.collect_number.is_some_and(|n| deleting.contains(&n))
            {
                continue;
            }
            let input = input.as_deref().unwrap_or(var.as_str());
            let added = f.collect_type.as_deref() == Some("extra")
                && collect_item_posted(screen, f.collect_number, &sub.values);
            // A `js show if` field is decided in the browser: posted when shown, else hidden.
            let js = f.show_if_code.as_ref().is_some_and(|c| c.js);
            if js && posted(input).is_empty() && posted(var).is_empty() {
                continue;
            }
            if (f.active == Some(false) && !added && !js)
                || f.disabled == Some(true)
                || screen.question_variable_name.as_ref() == Some(var)
            {
                continue;
            }
            if hidden_by_show_if(f, screen, &sub.values) {
                continue;
            }
            let is_file = f
                .datatype
                .as_deref()
                .is_some_and(|d| d == "signature" || UPLOAD_DATATYPES.contains(&d));
            let given: Vec<&str> = if is_file {
                sub.files
                    .iter()
                    .filter(|(n, _)| n == var)
                    .map(|(_, v)| v.as_str())
                    .collect()
            } else {
                let given = posted(input);
                // A client may post an aliased field under its variable's own name (docassemble
                // accepts either), unless another field of the screen is posted under it.
                let shared =
                    || {
                        screen.fields.iter().zip(&inputs).any(|(g, n)| {
                            g.number != f.number && n.as_deref() == Some(var.as_str())
                        })
                    };
                if given.is_empty() && input != var && !shared() {
                    posted(var)
                } else {
                    given
                }
            };
            // A combobox (field `input type` or question-level `combobox:`) takes typed text too.
            let combo = screen.question_variety.as_deref() == Some("combobox");
            match convert(f, &given, sub, combo) {
                Ok(Some(Converted::Value(v))) if f.validate.is_some() && !v.is_none() => {
                    let src = f.validate.as_deref().unwrap_or_default();
                    match self.validate_answer(src, &v)? {
                        None => values.push((var.clone(), Converted::Value(v))),
                        Some(message) => errors.push(FieldError {
                            variable_name: var.clone(),
                            message,
                        }),
                    }
                }
                Ok(Some(v)) => values.push((var.clone(), v)),
                Ok(None) => {}
                Err(message) => errors.push(FieldError {
                    variable_name: var.clone(),
                    message,
                }),
            }
        }
        errors.extend(uncheck_others_errors(
            screen,
            &sub.values,
            &skipped,
            &deleting,
        ));
        if let Some(v) = &screen.question_variable_name {
            if !values.iter().any(|(n, _)| n == v) {
                values.push((v.clone(), Converted::Value(Value::Bool(true))));
            }
        }
        if !errors.is_empty() {
            return Ok(Answered::Invalid(with_errors(screen, errors)));
        }
        let mut reorders = Vec::new();
        for posted in posted(super::reorder::ORDER_CHANGES) {
            reorders.extend(super::reorder::parse(posted)?);
        }
        let before = self.st.clone();
        if let Err(e) = self.store(pending, values, &deleting, &reorders) {
            *self.st = before;
            // `validation_error(message, field=…)` in `validation code`, or a raised
            // `DAValidationError`: the same screen with the message.
            let (message, field) = self
                .validation_failure(e)
                .map_err(|e| self.request_error(e))?;
            let variable_name = field
                .map(|f| super::variants::substitute(&f, pending.x.as_deref(), &pending.iterators))
                .unwrap_or_default();
            return Ok(Answered::Invalid(with_errors(
                screen,
                vec![FieldError {
                    variable_name,
                    message,
                }],
            )));
        }
        self.next_screen().map(Answered::Next)
    }

    /// The message and the named field (if any) of a validation failure:
    /// `validation_error()`'s signal, or a raised `DAValidationError`/`ValidationError`. Any
    /// other interrupt is handed back.
    fn validation_failure(&self, e: Interrupt) -> Result<(String, Option<String>), Interrupt> {
        match e {
            Interrupt::Error(RunError::Python { kind, message, .. })
                if kind == "DAValidationError" || kind == "ValidationError" =>
            {
                Ok((message, None))
            }
            Interrupt::Signal { kind, message, .. }
                if kind == crate::runtime::signals::VALIDATION =>
            {
                let effects = self.host.take_effects();
                Ok(match effects.signal {
                    Some(crate::runtime::Signal::Validation { message, field }) => (message, field),
                    _ => (message, None),
                })
            }
            other => Err(other),
        }
    }

    /// An interrupt that ends the request with an error.
    fn request_error(&self, e: Interrupt) -> RunError {
        match e {
            Interrupt::Signal {
                kind,
                block,
                message,
            } => RunError::Python {
                block,
                kind,
                message,
            },
            Interrupt::Error(e) => e,
            Interrupt::Needs { missing, .. } => RunError::MissingVariable(missing, self.language()),
        }
    }

    /// A field's `validate:` function on its converted answer: `None` when it passes, else
    /// the message (`validation_error()`'s, or docassemble's "Please enter a valid value.").
    fn validate_answer(&mut self, src: &str, v: &Value) -> Result<Option<String>, RunError> {
        const BLOCK: &str = "validate";
        let run = self.eval_src(src, (BLOCK, 0), BLOCK).and_then(|func| {
            let mut cx = self.interp();
            cx.call_value(&func, pyeval::Args::new(vec![v.clone()]))
                .and_then(|r| cx.truthy(&r))
                .map_err(|f| super::eval::flow(f, BLOCK))
        });
        match run {
            Ok(true) => Ok(None),
            Ok(false) => Ok(Some("Please enter a valid value.".to_string())),
            Err(e) => match self.validation_failure(e) {
                Ok((message, _)) => Ok(Some(message)),
                Err(e) => Err(self.request_error(e)),
            },
        }
    }

    /// Runs an action that came with the request, then produces the next screen.
    pub(super) fn act(&mut self, action: super::state::Action) -> Result<Answered, RunError> {
        self.check_action(&action)?;
        self.announce_action(&action);
        self.start_action(action);
        self.next_screen().map(Answered::Next)
    }

    fn next_screen(&mut self) -> Result<Screen, RunError> {
        self.st.internal.steps += 1;
        self.assemble()
    }

    /// Stores converted values, runs `validation code`, marks a mandatory question answered.
    fn store(
        &mut self,
        pending: &super::state::Pending,
        values: Vec<(String, Converted)>,
        delete: &[usize],
        reorders: &[super::reorder::Reorder],
    ) -> Result<(), Interrupt> {
        let iv = self.iv;
        let outer = iv.block(pending.block);
        // A question embedded in a button of `outer` was asked: its modifiers apply, and
        // answering it answers `outer`.
        let block = super::embedded::resolve(outer, &pending.embedded);
        let name = block.name.clone();
        self.bind(pending.x.as_deref(), &pending.iterators, &name)?;
        let set: Vec<String> = values.iter().map(|(var, _)| var.clone()).collect();
        let before = self.old_values(&set);
        if let Some(lc) = &pending.screen.list_collect {
            self.collect_begin(lc, &name)?;
        }
        for (var, v) in values {
            match v {
                Converted::Value(v) => self.assign_creating(&var, v, &name)?,
                Converted::Object(path) => {
                    self.exec_src(&format!("{var} = {path}"), &name)?;
                }
                Converted::Objects(paths) => {
                    // docassemble's ensure_object_exists(): a list that is there already
                    // (a PartyList of an objects block) is kept and refilled
                    let existing =
                        self.value_of(&var)
                            .and_then(|v| v.as_ref_id())
                            .is_some_and(|id| {
                                let cx = self.interp();
                                cx.heap().instance(id).is_some_and(|i| {
                                    crate::runtime::classes::family(&i.class)
                                        == crate::runtime::classes::Family::List
                                })
                            });
                    let reset = if existing {
                        format!("{var}.clear()\n{var}.gathered = True")
                    } else {
                        format!(
                            "{var} = DAList({}, auto_gather=False, gathered=True)",
                            super::ask::py_repr(&var)
                        )
                    };
                    self.exec_src(&reset, &name)?;
                    for p in paths {
                        self.exec_src(&format!("{var}.append({p})"), &name)?;
                    }
                }
                Converted::When(dt, is_date) => {
                    let v = if self.host.lookup_global("DADateTime").is_some() {
                        let mut cx = self.interp();
                        crate::runtime::classes::datetime::new_datetime(&mut cx, dt)
                    } else if is_date {
                        Value::Date(dt.date())
                    } else {
                        Value::DateTime(dt)
                    };
                    self.assign_creating(&var, v, &name)?;
                }
                Converted::TimeOfDay(t) => {
                    let v = if self.host.lookup_global("DADateTime").is_some() {
                        let mut cx = self.interp();
                        crate::runtime::classes::time_of_day::new_time(&mut cx, t)
                    } else {
                        Value::str(&t.format("%H:%M:%S").to_string())
                    };
                    self.assign_creating(&var, v, &name)?;
                }
                Converted::Files(desc) => {
                    let mut src = format!(
                        "{var} = DAFileList({}, auto_gather=False, gathered=True)\n",
                        super::ask::py_repr(&var)
                    );
                    let elements = desc
                        .get("elements")
                        .and_then(|e| e.as_array())
                        .cloned()
                        .unwrap_or_default();
                    for (n, el) in elements.iter().enumerate() {
                        let text = |k: &str| {
                            super::ask::py_repr(el.get(k).and_then(|v| v.as_str()).unwrap_or(""))
                        };
                        let number = el.get("number").and_then(|v| v.as_i64()).unwrap_or(0);
                        let size = el.get("size").and_then(|v| v.as_i64()).unwrap_or(0);
                        src.push_str(&format!(
                            "{var}.append(DAFile({}, filename={}, number={number}, mimetype={}, extension={}, size={size}, url={}, ok=True))\n",
                            super::ask::py_repr(&format!("{var}[{n}]")),
                            text("filename"),
                            text("mimetype"),
                            text("extension"),
                            text("url"),
                        ));
                    }
                    self.exec_src(&src, &name)?;
                }
                Converted::Checkboxes(items) => {
                    let has_dadict = self.host.lookup_global("DADict").is_some();
                    let init = if has_dadict {
                        format!(
                            "{var} = DADict({}, auto_gather=False, gathered=True)",
                            super::ask::py_repr(&var)
                        )
                    } else {
                        format!("{var} = dict()")
                    };
                    self.exec_src(&init, &name)?;
                    for (key, checked) in items {
                        let mut cx = self.interp();
                        let k =
                            from_json(&mut cx, &key).map_err(|f| super::eval::flow(f, &name))?;
                        drop(cx);
                        self.st
                            .vars
                            .globals
                            .insert(pyeval::Name::from("_colloquy_key"), k);
                        let r = self.assign(
                            &format!("{var}[_colloquy_key]"),
                            Value::Bool(checked),
                            &name,
                        );
                        self.st.vars.globals.shift_remove("_colloquy_key");
                        r?;
                    }
                }
            }
        }
        // docassemble reorders after setting the fields and before `validation code`.
        self.apply_reorders(reorders, &name)?;
        if let Some(code) = &block.modifiers.validation_code {
            let compiled = iv.stmts(&code.source);
            match compiled.as_ref() {
                Ok(c) => self.exec(c, &name)?,
                Err(e) => return Err(Interrupt::Error(e.clone())),
            }
        }
        if let Some(lc) = &pending.screen.list_collect {
            self.collect_end(lc, delete, &name)?;
        }
        self.invalidate_changed(&set, &before);
        if pending.mandatory {
            self.st.internal.answered.insert(outer.name.clone());
        }
        let head = self
            .st
            .internal
            .event_stack
            .first()
            .map(|a| a.action.clone());
        if head.is_some() && head == pending.sought {
            self.st.internal.event_stack.remove(0);
        }
        Ok(())
    }

    /// Assigns, creating a missing parent object first (docassemble's `ensure_object_exists`).
    pub(crate) fn assign_creating(
        &mut self,
        var: &str,
        v: Value,
        block: &str,
    ) -> Result<(), Interrupt> {
        match self.assign(var, v.clone(), block) {
            Err(Interrupt::Needs { missing, .. })
                if var.starts_with(&missing) && missing != var =>
            {
                if self.create_from_objects_block(&missing)? {
                    return self.assign_creating(var, v, block);
                }
                let class = if self.host.lookup_global("DAObject").is_some() {
                    "DAObject"
                } else {
                    return Err(Interrupt::Error(RunError::MissingVariable(
                        missing,
                        self.language(),
                    )));
                };
                let src = match missing.rsplit_once('.') {
                    Some((parent, attr)) => format!(
                        "{parent}.initializeAttribute({}, {class})",
                        super::ask::py_repr(attr)
                    ),
                    None => format!("{missing} = {class}({})", super::ask::py_repr(&missing)),
                };
                self.exec_src(&src, block)?;
                self.assign(var, v, block)
            }
            other => other,
        }
    }
}

/// On a `list collect` screen, has the user added the blank item `number` (posted something
/// non-empty for one of its fields)?
fn collect_item_posted(
    screen: &Screen,
    number: Option<usize>,
    values: &[(String, String)],
) -> bool {
    screen
        .fields
        .iter()
        .filter(|g| g.collect_number == number)
        .filter_map(|g| g.variable_name.as_ref())
        .any(|var| values.iter().any(|(n, v)| n == var && !v.trim().is_empty()))
}

/// A field whose `show if` refers to another field of the screen is hidden when that field's
/// posted value does not match: it is neither validated nor stored (it stays undefined).
/// The fields (by number) a submission leaves unset because of `disable others`: those a
/// field with a value disables (a browser does not post them), a `disable others` field left
/// blank, and, of two fields setting one variable, the one left blank when the other has a
/// value (docassemble copies an alias's value to its variable unless the alias is blank and
/// the variable is not).
pub fn skipped_by_others(screen: &Screen, values: &[(String, String)]) -> BTreeSet<usize> {
    let value_of = |name: &str| {
        values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    // Each field's input name, decoded once.
    let names: Vec<Option<Cow<'_, str>>> =
        screen.fields.iter().map(ScreenField::input_name).collect();
    let mut disabled: BTreeSet<String> = BTreeSet::new();
    for (f, name) in screen.fields.iter().zip(&names) {
        let (Some(list), Some(name)) = (&f.disable_others, name) else {
            continue;
        };
        if value_of(name).is_some() && !hidden_by_show_if(f, screen, values) {
            disabled.extend(list.iter().cloned());
        }
    }
    let mut skipped = BTreeSet::new();
    for (f, name) in screen.fields.iter().zip(&names) {
        let (Some(var), Some(name)) = (&f.variable_name, name) else {
            continue;
        };
        if disabled.contains(name.as_ref()) {
            skipped.insert(f.number);
            continue;
        }
        let shared_with_value = screen.fields.iter().zip(&names).any(|(g, n)| {
            g.number != f.number
                && g.variable_name.as_ref() == Some(var)
                && n.as_ref().is_some_and(|n| {
                    !disabled.contains(n.as_ref()) && n != name && value_of(n).is_some()
                })
        });
        // A blank `disable others` field leaves its variable to the others.
        if (shared_with_value || f.disable_others.is_some()) && value_of(name).is_none() {
            skipped.insert(f.number);
        }
    }
    skipped
}

/// `uncheck others` checkboxes: one of each group (the box and the boxes it unchecks) must be
/// checked ("Check at least one option, or check “…”").
fn uncheck_others_errors(
    screen: &Screen,
    values: &[(String, String)],
    skipped: &BTreeSet<usize>,
    deleting: &[usize],
) -> Vec<FieldError> {
    let checked = |name: &str| {
        screen
            .fields
            .iter()
            .find(|g| g.input_name().as_deref() == Some(name))
            .is_some_and(|g| {
                let on = if g.sign.unwrap_or(1) > 0 {
                    "True"
                } else {
                    "False"
                };
                values.iter().any(|(n, v)| n == name && v == on)
            })
    };
    let mut errors = Vec::new();
    for f in &screen.fields {
        let (Some(list), Some(var)) = (&f.uncheck_others, &f.variable_name) else {
            continue;
        };
        let Some(name) = f.input_name() else {
            continue;
        };
        // (a `list collect` item being deleted, or an extra one not added, is not checked)
        let added = f.collect_type.as_deref() == Some("extra")
            && collect_item_posted(screen, f.collect_number, values);
        if skipped.contains(&f.number)
            || f.collect_number.is_some_and(|n| deleting.contains(&n))
            || (f.active == Some(false) && !added)
            || hidden_by_show_if(f, screen, values)
        {
            continue;
        }
        if !checked(&name) && !list.iter().any(|n| checked(n)) {
            let label = f
                .label
                .as_deref()
                .map(super::headless::plain_text)
                .unwrap_or_default();
            errors.push(FieldError {
                variable_name: var.clone(),
                message: format!("Check at least one option, or check \u{201c}{label}\u{201d}"),
            });
        }
    }
    errors
}

/// Python's `int(text)` for a decimal literal (sign, digits, single `_` between digits), if it
/// fits 64 bits.
fn python_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if !valid_underscores(digits) || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    text.replace('_', "").parse().ok()
}

/// Python's `float(text)` for a decimal literal (digits with `_` between them, a fraction, an
/// exponent), finite values only.
fn python_float(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    if body.contains('_') && !body.split(['.', 'e', 'E']).all(valid_underscores) {
        return None;
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'))
    {
        return None;
    }
    text.replace('_', "")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

/// Digits with single underscores only between them (Python's rule for `1_000`); at least one
/// digit.
fn valid_underscores(digits: &str) -> bool {
    !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
}

pub fn hidden_by_show_if(f: &ScreenField, screen: &Screen, values: &[(String, String)]) -> bool {
    hidden_within(f, screen, values, screen.fields.len())
}

/// [`hidden_by_show_if`], `depth` controls deep: a field whose control is itself hidden is
/// hidden too (nested `show if`), as the browser hides it.
fn hidden_within(
    f: &ScreenField,
    screen: &Screen,
    values: &[(String, String)],
    depth: usize,
) -> bool {
    let Some(control) = &f.show_if_var else {
        return false;
    };
    // The control is a field of the screen, or one checkbox of a checkboxes field
    // (`show if: fruit['apple']`).
    let control_field = screen
        .fields
        .iter()
        .find(|g| g.variable_name.as_ref() == Some(control));
    if let Some(g) = control_field {
        if depth > 0 && !std::ptr::eq(g, f) && hidden_within(g, screen, values, depth - 1) {
            return true;
        }
    }
    // Posted under the control field's own input name (an alias when it has a `show if`).
    let posted_name = control_field
        .and_then(ScreenField::input_name)
        .unwrap_or(Cow::Borrowed(control.as_str()));
    let datatype = match control_field {
        Some(g) => g.datatype.as_deref(),
        None if screen.fields.iter().any(|g| {
            g.choices
                .iter()
                .any(|c| c.variable_name.as_ref() == Some(control))
        }) =>
        {
            Some("checkbox")
        }
        None => return false,
    };
    let posted = values
        .iter()
        .find(|(n, _)| *n == posted_name)
        .or_else(|| values.iter().find(|(n, _)| n == control))
        .map(|(_, v)| v.trim().to_string());
    let posted = match (posted, datatype) {
        (Some(p), Some("boolean" | "checkbox")) => {
            Some(if truthy_text(&p) { "True" } else { "False" }.to_string())
        }
        // An unchecked checkbox is not posted.
        (None, Some("checkbox")) => Some("False".to_string()),
        (p, _) => p,
    };
    let wanted = f
        .show_if_val
        .as_ref()
        .map(json_str)
        .unwrap_or_else(|| "True".to_string());
    // `is: null` matches a blank or absent value (an object radio's "none of the above").
    let equal = if matches!(f.show_if_val, Some(serde_json::Value::Null)) {
        matches!(posted.as_deref(), None | Some("" | "None"))
    } else {
        posted.as_deref() == Some(wanted.as_str())
    };
    let shown = if f.show_if_sign == Some(0) {
        !equal
    } else {
        equal
    };
    !shown
}

fn with_errors(screen: &Screen, errors: Vec<FieldError>) -> Screen {
    let mut s = screen.clone();
    s.errors = errors;
    s
}

/// What a browser's own validation says of `text` typed into field `f` when the field loses
/// the focus (docassemble's jQuery Validate checks a filled-in field on blur): the message of
/// the datatype, `min`/`max`, `minlength`/`maxlength` or `required` check that fails, if any.
/// Checks that need the interview's code (`validate`, `validation code`) wait for the
/// submission.
pub fn blur_check(f: &ScreenField, text: &str) -> Option<String> {
    convert(f, &[text], &Submission::default(), false).err()
}

/// Converts the posted texts of one field; `Ok(None)` when nothing is to be stored.
fn convert(
    f: &ScreenField,
    posted: &[&str],
    sub: &Submission,
    combobox: bool,
) -> Result<Option<Converted>, String> {
    let datatype = f.datatype.as_deref().unwrap_or("text");
    let required = f.required.unwrap_or(true);
    if super::empty_choices::has_no_choices(f) && !combobox {
        // Nothing could be chosen (docassemble's `_empties`): "nothing" is the answer.
        return Ok(Some(match datatype {
            "checkboxes" | "multiselect" => Converted::Checkboxes(Vec::new()),
            "object_checkboxes" | "object_multiselect" => Converted::Objects(Vec::new()),
            _ => Converted::Value(Value::None),
        }));
    }
    if datatype == "signature" || UPLOAD_DATATYPES.contains(&datatype) {
        let raw = posted.first().map(|p| p.trim()).unwrap_or("");
        if raw.is_empty() {
            return if required {
                Err("You must upload a file.".to_string())
            } else {
                Ok(Some(Converted::Value(Value::None)))
            };
        }
        let desc: serde_json::Value = serde_json::from_str(raw)
            .map_err(|_| "The upload could not be read; please try again.".to_string())?;
        if desc.get("elements").and_then(|e| e.as_array()).is_none() {
            return Err("The upload could not be read; please try again.".to_string());
        }
        return Ok(Some(Converted::Files(desc)));
    }
    if datatype.starts_with("object") {
        // The posted values are the chosen objects' paths; only offered ones are accepted.
        let offered = |p: &str| {
            f.choices
                .iter()
                .any(|c| c.value.as_ref().map(json_str).as_deref() == Some(p))
        };
        let mut chosen: Vec<String> = posted
            .iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty() && p != "None")
            .collect();
        // Boxes posted on their own (`var['path']` = True), as docassemble's form posts them.
        for c in &f.choices {
            let (Some(box_var), Some(value)) = (&c.variable_name, &c.value) else {
                continue;
            };
            let on = sub
                .values
                .iter()
                .any(|(n, v)| n == box_var && v.trim() == "True");
            let path = json_str(value);
            if on && !chosen.contains(&path) {
                chosen.push(path);
            }
        }
        if let Some(bad) = chosen.iter().find(|p| !offered(p)) {
            return Err(format!("{bad:?} is not one of the options."));
        }
        if matches!(datatype, "object_checkboxes" | "object_multiselect") {
            if required && chosen.is_empty() && f.none_of_the_above.is_none() {
                return Err("Check at least one option.".to_string());
            }
            return Ok(Some(Converted::Objects(chosen)));
        }
        return match chosen.into_iter().next() {
            Some(p) => Ok(Some(Converted::Object(p))),
            // "None of the above" leaves the variable as it is (the fields shown for it
            // describe the existing object).
            None if f.none_of_the_above.is_some() => Ok(None),
            None if required => Err(message(
                f,
                "required",
                "This field is required.".to_string(),
                None,
            )),
            None => Ok(Some(Converted::Value(Value::None))),
        };
    }
    if matches!(datatype, "checkboxes" | "multiselect") {
        let mut items = Vec::new();
        for c in &f.choices {
            let Some(sub_var) = &c.variable_name else {
                continue;
            };
            let key = checkbox_key(sub_var);
            let checked = sub
                .values
                .iter()
                .find(|(n, _)| n == sub_var)
                .map(|(_, v)| truthy_text(v))
                .unwrap_or(false)
                || posted
                    .iter()
                    .any(|p| Some(*p) == key.as_ref().map(json_str).as_deref());
            if let Some(key) = key {
                items.push((key, checked));
            }
        }
        // Without "none of the above" nothing has to be checked (docassemble asks for one
        // only with it, or with `minlength`).
        let checked = items.iter().filter(|(_, on)| *on).count();
        match f.minlength {
            Some(1) if checked == 0 && required => return Err("Please select one.".to_string()),
            Some(n) if n > 1 && checked < n as usize && required => {
                return Err(format!("Please select at least {n}."));
            }
            _ => {}
        }
        return Ok(Some(Converted::Checkboxes(items)));
    }
    let raw = posted.first().copied().map(str::trim);
    let empty = raw.is_none_or(str::is_empty);
    if !f.choices.is_empty() && datatype != "boolean" {
        let Some(raw) = raw.filter(|r| !r.is_empty()) else {
            if required {
                return Err(message(
                    f,
                    "required",
                    "This field is required.".to_string(),
                    None,
                ));
            }
            // A drop-down left at its blank option posts "", and so do radio buttons left
            // unchecked in docassemble's page (its `_empties`): docassemble stores "" (a text
            // answer). Posting nothing leaves None.
            let blank_text =
                raw.is_some() && matches!(datatype, "text" | "dropdown" | "combobox" | "datalist");
            return Ok(Some(Converted::Value(if blank_text {
                Value::str("")
            } else {
                Value::None
            })));
        };
        let choice = f
            .choices
            .iter()
            .find(|c| c.value.as_ref().map(json_str).as_deref() == Some(raw));
        let free_text = combobox || f.inputtype.as_deref() == Some("combobox");
        // A text field stores the text posted, even for a choice written as a number or a
        // boolean (docassemble's `repr(raw_data)`: in a `fields` list the type is not inferred
        // from the choices, and a question's own `field` has no datatype unless they are all
        // True/False).
        let as_text = datatype == "text";
        return match choice.and_then(|c| c.value.clone()) {
            Some(v) if as_text && (v.is_number() || v.is_boolean()) => {
                Ok(Some(Converted::Value(Value::str(raw))))
            }
            Some(v) => Ok(Some(Converted::Value(json_value(&v)))),
            None if free_text => Ok(Some(Converted::Value(Value::str(raw)))),
            None => Err("Please choose one of the options.".to_string()),
        };
    }
    match datatype {
        "boolean" => {
            if empty {
                if required && f.inputtype.is_none() {
                    return Err(message(
                        f,
                        "required",
                        "This field is required.".to_string(),
                        None,
                    ));
                }
                return Ok(Some(Converted::Value(Value::Bool(false))));
            }
            Ok(Some(Converted::Value(Value::Bool(truthy_text(
                raw.unwrap_or(""),
            )))))
        }
        "threestate" => {
            let v = match raw.unwrap_or("") {
                "None" | "none" | "null" | "" => Value::None,
                other => Value::Bool(truthy_text(other)),
            };
            Ok(Some(Converted::Value(v)))
        }
        _ if empty => {
            if required {
                return Err(message(
                    f,
                    "required",
                    "This field is required.".to_string(),
                    None,
                ));
            }
            Ok(Some(Converted::Value(match datatype {
                "integer" => Value::Int(0),
                "number" | "float" | "currency" | "range" => Value::Float(0.0),
                "date" | "datetime" | "time" => Value::None,
                _ => Value::str(""),
            })))
        }
        "integer" => {
            // docassemble: commas removed, then Python's int(): a whole number only (no
            // fraction or exponent; `_` between digits allowed), and here one that fits 64 bits.
            let text: String = raw.unwrap_or("").chars().filter(|c| *c != ',').collect();
            let n: i64 = python_int(text.trim()).ok_or("Please enter a whole number.")?;
            check_range(f, n as f64)?;
            Ok(Some(Converted::Value(Value::Int(n))))
        }
        "number" | "float" | "currency" | "range" => {
            // docassemble: `%` and commas removed, then Python's float() (no currency symbol
            // or inner spaces); infinities and NaN are refused here.
            let text: String = raw
                .unwrap_or("")
                .chars()
                .filter(|c| !matches!(c, ',' | '%'))
                .collect();
            let n: f64 = python_float(text.trim()).ok_or("Please enter a number.")?;
            check_range(f, n)?;
            Ok(Some(Converted::Value(Value::Float(n))))
        }
        "date" => {
            let d = parse_date(raw.unwrap_or("")).ok_or("Please enter a valid date.")?;
            check_date_range(f, d)?;
            Ok(Some(Converted::When(d.and_time(NaiveTime::MIN), true)))
        }
        "datetime" => {
            let dt = parse_datetime(raw.unwrap_or(""))
                .ok_or_else(|| "Please enter a valid date and time.".to_string())?;
            Ok(Some(Converted::When(dt, false)))
        }
        "time" => {
            let time = parse_time(raw.unwrap_or(""))
                .ok_or_else(|| "Please enter a valid time.".to_string())?;
            Ok(Some(Converted::TimeOfDay(time)))
        }
        "email" => {
            let t = raw.unwrap_or("");
            let ok = t.split_once('@').is_some_and(|(a, b)| {
                !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.ends_with('.')
            }) && !t.contains(char::is_whitespace);
            if !ok {
                return Err("Please enter a valid e-mail address.".to_string());
            }
            check_length(f, t)?;
            Ok(Some(Converted::Value(Value::str(t))))
        }
        _ => {
            let t = posted.first().copied().unwrap_or("");
            check_length(f, t.trim())?;
            Ok(Some(Converted::Value(Value::str(t.trim()))))
        }
    }
}

fn truthy_text(t: &str) -> bool {
    matches!(
        t.trim(),
        "True" | "true" | "on" | "1" | "yes" | "Yes" | "TRUE"
    )
}

/// `fruit['apple']` → `"apple"`.
pub(super) fn checkbox_key(sub_var: &str) -> Option<serde_json::Value> {
    let open = sub_var.rfind('[')?;
    let inner = sub_var[open + 1..].strip_suffix(']')?;
    let lit = super::eval::literal(inner);
    Some(match lit {
        Value::Int(i) => serde_json::Value::from(i),
        Value::Str(s) => serde_json::Value::String(s.to_string()),
        _ => serde_json::Value::String(inner.to_string()),
    })
}

fn json_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::str(s),
        other => Value::str(&other.to_string()),
    }
}

fn number(v: &Option<serde_json::Value>) -> Option<f64> {
    match v {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The author's `validation messages` entry for `key` (its `%s` replaced by `param`), else
/// docassemble's default text.
fn message(f: &ScreenField, key: &str, default: String, param: Option<String>) -> String {
    match f.validation_messages.get(key) {
        Some(m) => match param {
            Some(p) => m.replacen("%s", &p, 1),
            None => m.clone(),
        },
        None => default,
    }
}

fn check_range(f: &ScreenField, n: f64) -> Result<(), String> {
    if let Some(min) = number(&f.min) {
        if n < min {
            return Err(message(
                f,
                "min",
                format!(
                    "You need to enter a number that is at least {}.",
                    trim_float(min)
                ),
                Some(trim_float(min)),
            ));
        }
    }
    if let Some(max) = number(&f.max) {
        if n > max {
            return Err(message(
                f,
                "max",
                format!(
                    "You need to enter a number that is at most {}.",
                    trim_float(max)
                ),
                Some(trim_float(max)),
            ));
        }
    }
    Ok(())
}

fn check_date_range(f: &ScreenField, d: NaiveDate) -> Result<(), String> {
    let bound = |v: &Option<serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => parse_date(s),
        _ => None,
    };
    if let Some(min) = bound(&f.min) {
        if d < min {
            return Err(message(
                f,
                "min",
                format!(
                    "You need to enter a date on or after {}.",
                    min.format("%b %-d, %Y")
                ),
                Some(min.format("%m/%d/%Y").to_string()),
            ));
        }
    }
    if let Some(max) = bound(&f.max) {
        if d > max {
            return Err(message(
                f,
                "max",
                format!(
                    "You need to enter a date on or before {}.",
                    max.format("%b %-d, %Y")
                ),
                Some(max.format("%m/%d/%Y").to_string()),
            ));
        }
    }
    Ok(())
}

fn check_length(f: &ScreenField, t: &str) -> Result<(), String> {
    let len = t.chars().count() as i64;
    if let Some(min) = f.minlength {
        if len < min {
            return Err(format!("You must type at least {min} characters."));
        }
    }
    if let Some(max) = f.maxlength {
        if len > max {
            return Err(format!("You cannot type more than {max} characters."));
        }
    }
    Ok(())
}

fn trim_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Dates as browsers post them (`2024-03-01`), as people type them (`03/01/2024`), or in any
/// other complete form docassemble's `dateutil` parse takes (`December 1, 1926`, what a
/// `default: ${ today() }` gives).
pub fn parse_date(t: &str) -> Option<NaiveDate> {
    let t = t.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%m/%d/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y/%m/%d"))
        .ok()
        .or_else(|| {
            // Only a complete date: one that does not take parts from "today".
            let parse = |y, m, d| {
                NaiveDate::from_ymd_opt(y, m, d)
                    .and_then(|today| crate::runtime::functions::datefmt::parse(t, today))
                    .map(|dt| dt.date())
            };
            let a = parse(2001, 2, 3)?;
            (parse(2010, 11, 12)? == a).then_some(a)
        })
}

/// A `datetime` answer as docassemble reads it (dateutil): the browser's `2024-05-17T16:05`,
/// or any complete date with a time of day (`5/17/2024 4:05 PM`).
pub fn parse_datetime(t: &str) -> Option<NaiveDateTime> {
    let t = t.trim();
    NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
        .ok()
        .or_else(|| {
            // Only a complete date: one that does not take parts from "today".
            let parse = |y, m, d| {
                NaiveDate::from_ymd_opt(y, m, d)
                    .and_then(|today| crate::runtime::functions::datefmt::parse(t, today))
            };
            let a = parse(2001, 2, 3)?;
            (parse(2010, 11, 12)? == a).then_some(a)
        })
}

/// A `time` answer as docassemble reads it (`as_datetime(v).time()`, dateutil): the browser's
/// `16:05`, or `4:05 PM`, `04:05PM`, `16:05:30`.
pub fn parse_time(t: &str) -> Option<NaiveTime> {
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    NaiveTime::parse_from_str(t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
        .ok()
        .or_else(|| {
            let today = NaiveDate::from_ymd_opt(2001, 2, 3)?;
            crate::runtime::functions::datefmt::parse(t, today).map(|dt| dt.time())
        })
}

#[cfg(test)]
mod tests {
    use super::{parse_date, parse_datetime, parse_time, python_float, python_int};
    use chrono::NaiveDate;

    #[test]
    fn numbers_read_as_python_reads_them() {
        assert_eq!(python_int("42"), Some(42));
        assert_eq!(python_int("-7"), Some(-7));
        assert_eq!(python_int("+007"), Some(7));
        assert_eq!(python_int("1_000"), Some(1000));
        for bad in [
            "1.5",
            "1e3",
            "$5",
            "",
            "-",
            "1__0",
            "_1",
            "1_",
            "5 5",
            "99999999999999999999",
        ] {
            assert_eq!(python_int(bad), None, "{bad}");
        }
        assert_eq!(python_float("1.5"), Some(1.5));
        assert_eq!(python_float("-.5"), Some(-0.5));
        assert_eq!(python_float("5."), Some(5.0));
        assert_eq!(python_float("1e-3"), Some(0.001));
        assert_eq!(python_float("1_000.25"), Some(1000.25));
        for bad in ["$5", "5 5", "", "inf", "nan", "1e400", "1__0", "abc", "."] {
            assert_eq!(python_float(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_and_datetimes_in_the_forms_dateutil_reads() {
        use chrono::NaiveTime;
        let t = NaiveTime::from_hms_opt(16, 5, 0);
        for text in ["16:05", "16:05:00", "04:05PM", "4:05 PM", " 4:05 pm "] {
            assert_eq!(parse_time(text), t, "{text}");
        }
        for bad in ["", "later", "25:00"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        let dt = NaiveDate::from_ymd_opt(2024, 5, 17).and_then(|d| d.and_hms_opt(16, 5, 0));
        for text in [
            "2024-05-17T16:05",
            "2024-05-17 16:05",
            "05/17/2024 04:05PM",
            "May 17, 2024 4:05 PM",
        ] {
            assert_eq!(parse_datetime(text), dt, "{text}");
        }
        for bad in ["", "4:05 PM", "soon"] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_in_the_forms_docassemble_accepts() {
        let d = NaiveDate::from_ymd_opt(1926, 12, 1);
        assert_eq!(parse_date("1926-12-01"), d);
        assert_eq!(parse_date("12/01/1926"), d);
        assert_eq!(parse_date("December 1, 1926\n"), d);
        assert_eq!(parse_date("1 December 1926"), d);
        // incomplete or not a date
        assert_eq!(parse_date("December 1"), None);
        assert_eq!(parse_date("Sample text"), None);
        assert_eq!(parse_date(""), None);
    }
}
