//! Questions whose choices all came out empty (docassemble's `only_empty_fields_exist`):
//! there is nothing to ask, so the question is not shown and its variables are set as an
//! answer with nothing chosen would set them — `None`, or an empty, gathered collection for
//! checkboxes.

use super::ask::{AskFrom, py_repr};
use super::eval::{Ctx, Eval, Interrupt};
use super::screen::{QuestionType, Screen, ScreenField};

/// A choice field whose list of choices is empty (a combobox still takes typed text).
pub fn has_no_choices(f: &ScreenField) -> bool {
    f.fieldtype.as_deref() == Some("multiple_choice")
        && f.choices.is_empty()
        && !matches!(f.inputtype.as_deref(), Some("combobox" | "datalist"))
}

/// The statement that stores "nothing chosen" in a field without choices; `exists` says
/// whether the variable is already defined (a collection is then kept and marked gathered).
pub fn nothing_chosen(f: &ScreenField, var: &str, exists: bool) -> String {
    let collection = match f.datatype.as_deref() {
        Some("checkboxes" | "multiselect") => Some("DADict"),
        Some("object_checkboxes" | "object_multiselect") => Some("DAList"),
        _ => None,
    };
    match collection {
        Some(_) if exists => format!("{var}.gathered = True"),
        Some(class) => format!(
            "{var} = {class}({}, auto_gather=False, gathered=True)",
            py_repr(var)
        ),
        None => format!("{var} = None"),
    }
}

impl Ctx<'_> {
    /// When every field of `screen` is a choice field without choices, stores "nothing
    /// chosen" in each and asks for the interview to be run again instead of showing it.
    pub(crate) fn skip_without_choices(&mut self, screen: &Screen, from: &AskFrom<'_>) -> Eval<()> {
        let kind_ok = match screen.question_type {
            QuestionType::Fields => {
                screen.list_collect.is_none() && screen.question_variable_name.is_none()
            }
            QuestionType::MultipleChoice => true,
            _ => false,
        };
        if !kind_ok
            || screen.fields.is_empty()
            || !screen
                .fields
                .iter()
                .all(|f| has_no_choices(f) && f.variable_name.is_some())
        {
            return Ok(());
        }
        let name = from.block.name.clone();
        for f in &screen.fields {
            let Some(var) = &f.variable_name else {
                continue;
            };
            let exists = self.defined(var);
            let src = nothing_chosen(f, var, exists);
            self.exec_src(&src, &name)?;
        }
        if from.mandatory {
            self.st.internal.answered.insert(name.clone());
        }
        Err(Interrupt::Signal {
            kind: crate::runtime::signals::RERUN.to_string(),
            block: name,
            message: String::new(),
        })
    }
}
