//! `list collect`: a `fields` question about one item of a list (`fruit[i].name`) shows all
//! the items at once, plus blank items the user may add, each of which may be deleted
//! (docassemble's `list collect`, with its default of 15 extra items).
//!
//! The screen's fields are the question's fields for `i` = 0, 1, … (`collect_number`), those of
//! the existing items marked `collect_type: mid` and the blank ones `extra` (inactive until the
//! user adds them: only a blank item with something posted is stored). Answering appends the
//! new items, deletes the items listed in `_collect_delete` (a JSON list of indices) and, when
//! the collection `is final`, marks the list as having no other items.

use serde::{Deserialize, Serialize};

use super::ask::AskFrom;
use super::eval::{Ctx, Eval, Interrupt};
use super::screen::{Screen, ScreenField};
use super::variants::{INDEX_VARS, substitute};
use crate::block::question::ListCollect;
use crate::block::{FieldItem, Python};

/// How many blank items a `list collect` screen offers (docassemble's
/// `list collect extra count`).
pub const EXTRA_COUNT: usize = 15;

/// The name under which the indices of items to delete are posted.
pub const COLLECT_DELETE: &str = "_collect_delete";

/// The `listCollect` part of a screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListCollectInfo {
    /// The list's variable name.
    pub list: String,
    /// The number of items shown as existing (the rest are extras).
    pub length: usize,
    /// Items may be deleted.
    #[serde(rename = "allowDelete")]
    pub allow_delete: bool,
    /// Items may be added.
    #[serde(rename = "allowAppend")]
    pub allow_append: bool,
    /// Answering ends the gathering of the list.
    #[serde(rename = "isFinal")]
    pub is_final: bool,
    /// The list asks for its number of items (`ask_number`).
    #[serde(rename = "askNumber", default)]
    pub ask_number: bool,
    /// The list gathers itself (`auto_gather`).
    #[serde(rename = "autoGather", default)]
    pub auto_gather: bool,
    /// The heading of each item (`label`, rendered; empty for the default `1.`, `2.`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// Button labels.
    #[serde(rename = "deleteLabel")]
    pub delete_label: String,
    /// The "Add another" button.
    #[serde(rename = "addAnotherLabel")]
    pub add_another_label: String,
    /// Shown on a deleted item.
    #[serde(rename = "deletedLabel")]
    pub deleted_label: String,
    /// The button that restores a deleted item.
    #[serde(rename = "undeleteLabel")]
    pub undelete_label: String,
}

/// The list expression and the index variable of a `list collect` question, from its field
/// names: their common prefix up to the last `]` must end in `[i]` (or `[j]`, …).
pub fn collected_list(names: &[&str]) -> Option<(String, usize)> {
    let first = names.first()?;
    let mut common: &str = first;
    for n in &names[1..] {
        let len = common
            .char_indices()
            .zip(n.chars())
            .find(|((_, a), b)| a != b)
            .map(|((i, _), _)| i)
            .unwrap_or_else(|| common.len().min(n.len()));
        common = &common[..len];
    }
    let end = common.rfind(']')? + 1;
    let common = &common[..end];
    let open = common.rfind('[')?;
    let letter = &common[open + 1..end - 1];
    let index = INDEX_VARS.iter().position(|v| *v == letter)?;
    Some((common[..open].to_string(), index))
}

impl Ctx<'_> {
    /// Fills `screen` with the fields of a `list collect` question; `false` when the question
    /// does not collect now (`enable` is false), so that it is shown as usual.
    pub(crate) fn list_collect(
        &mut self,
        lc: &ListCollect,
        items: &[FieldItem],
        from: &AskFrom<'_>,
        screen: &mut Screen,
    ) -> Eval<bool> {
        let file = from.block.file.to_string();
        let bname = from.block.name.clone();
        if !self.truthy_src(&lc.enable.source, (&file, lc.enable.line), &bname)? {
            return Ok(false);
        }
        let names: Vec<&str> = items
            .iter()
            .filter_map(|i| match i {
                FieldItem::Field(f) => f.variable.as_ref().map(|v| v.name.as_str()),
                FieldItem::Code(_) => None,
            })
            .collect();
        let Some((pattern, index)) = collected_list(&names) else {
            return Err(Interrupt::Error(super::error::RunError::Source {
                file,
                line: lc.enable.line,
                message: "cannot use list collect on these fields: their variables must be items \
                          of one list, like fruit[i].name"
                    .to_string(),
            }));
        };
        let list = substitute(&pattern, from.x.as_deref(), &from.iterators);
        let optional = |cx: &mut Self, p: &Option<Python>| -> Eval<bool> {
            match p {
                Some(p) => cx.truthy_src(&p.source, (&file, p.line), &bname),
                None => Ok(true),
            }
        };
        let is_final = optional(self, &lc.is_final)?;
        let allow_append = optional(self, &lc.allow_append)?;
        let allow_delete = optional(self, &lc.allow_delete)?;
        let list_value = self.eval_src(&list, (&file, lc.enable.line), &bname)?;
        let mut cx = self.interp();
        let mut attr = |name: &str| cx.get_attr(&list_value, name).ok();
        let truthy = |v: Option<pyeval::Value>, default: bool| match v {
            Some(pyeval::Value::Bool(b)) => b,
            Some(pyeval::Value::None) => false,
            Some(_) => true,
            None => default,
        };
        let as_count = |v: Option<pyeval::Value>| match v {
            Some(pyeval::Value::Int(n)) => usize::try_from(n).unwrap_or(0),
            _ => 0,
        };
        let ask_object_type = truthy(attr("ask_object_type"), false);
        let ask_number = truthy(attr("ask_number"), false);
        let auto_gather = truthy(attr("auto_gather"), true);
        let minimum = as_count(attr("minimum_number"));
        let existing = match attr("elements") {
            Some(el) => cx.len(&el).ok().and_then(|n| usize::try_from(n).ok()),
            None => None,
        };
        drop(cx);
        // The item asked for is shown as an item even when the list does not hold it yet (a
        // list of texts gets its items only when they are answered).
        let asked = from
            .iterators
            .get(index)
            .and_then(|v| v.trim().parse::<usize>().ok())
            .map_or(0, |n| n + 1);
        let length = existing.unwrap_or(0).max(minimum).max(asked).max(1);
        let extras = if ask_object_type || !allow_append {
            0
        } else {
            EXTRA_COUNT
        };
        let add_another_label = match &lc.add_another_label {
            Some(t) => self.render(t, &file, &bname)?.trim().to_string(),
            None => "Add another".to_string(),
        };
        let mut labels = Vec::new();
        // Showing a blank item reads its variables, which creates the item: the variables are
        // restored once the blank items are built.
        let mut saved: Option<pyeval::State> = None;
        for n in 0..length + extras {
            if n == length {
                saved = Some(self.st.vars.clone());
            }
            let mut iterators = from.iterators.clone();
            while iterators.len() <= index {
                iterators.push("0".to_string());
            }
            iterators[index] = n.to_string();
            let row = AskFrom {
                iterators,
                ..from.clone()
            };
            let extra = n >= length;
            let before = screen.fields.len();
            let built = self.collect_row(items, &row, n, extra, screen);
            match built {
                Ok(()) => {}
                // A blank item that cannot be shown (its labels need the item) ends the extras.
                Err(_) if extra => {
                    screen.fields.truncate(before);
                    break;
                }
                Err(e) => return Err(e),
            }
            let label = match &lc.label {
                Some(t) => self.render(t, &file, &bname)?.trim().to_string(),
                None => String::new(),
            };
            labels.push(label);
        }
        if let Some(vars) = saved {
            self.st.vars = vars;
        }
        self.bind(from.x.as_deref(), &from.iterators, &bname)?;
        let labels = if labels.iter().all(String::is_empty) {
            Vec::new()
        } else {
            labels
        };
        screen.list_collect = Some(ListCollectInfo {
            list,
            length,
            allow_delete,
            allow_append,
            is_final,
            ask_number,
            auto_gather,
            labels,
            delete_label: "Delete".to_string(),
            add_another_label,
            deleted_label: "(Deleted)".to_string(),
            undelete_label: "Undelete".to_string(),
        });
        Ok(true)
    }

    /// The fields of item `n`.
    fn collect_row(
        &mut self,
        items: &[FieldItem],
        row: &AskFrom<'_>,
        n: usize,
        extra: bool,
        screen: &mut Screen,
    ) -> Eval<()> {
        self.bind(row.x.as_deref(), &row.iterators, &row.block.name)?;
        let mut fields: Vec<crate::block::Field> = Vec::new();
        for item in items {
            match item {
                FieldItem::Field(f) => fields.push((**f).clone()),
                FieldItem::Code(p) => fields.extend(self.fields_from_code(p, row)?),
            }
        }
        for field in &fields {
            let number = screen.fields.len();
            if let Some(mut f) = self.field(number, field, row)? {
                mark(&mut f, n, extra);
                screen.fields.push(f);
            }
        }
        Ok(())
    }

    /// Before a `list collect` screen's answers are stored: new items may be appended.
    pub(crate) fn collect_begin(&mut self, info: &ListCollectInfo, block: &str) -> Eval<()> {
        self.exec_src(&format!("{}._appending_allowed = True", info.list), block)
    }

    /// After they are stored: deletes the items asked (`_collect_delete`), stops appending,
    /// and ends the gathering when the collection is final.
    pub(crate) fn collect_end(
        &mut self,
        info: &ListCollectInfo,
        delete: &[usize],
        block: &str,
    ) -> Eval<()> {
        let mut delete = delete.to_vec();
        delete.sort_unstable();
        delete.dedup();
        for n in delete.into_iter().rev() {
            self.exec_src(
                &format!(
                    "if {n} < len({list}.elements):\n    {list}.pop({n})",
                    list = info.list
                ),
                block,
            )?;
        }
        let list = self.eval_src(&info.list, ("<engine>", 0), block)?;
        let _ = self.interp().del_attr(&list, "_appending_allowed");
        if info.is_final && info.auto_gather {
            let src = if info.ask_number {
                format!("{}.target_number = 0", info.list)
            } else {
                format!("{}.there_is_another = False", info.list)
            };
            self.exec_src(&src, block)?;
        }
        Ok(())
    }
}

fn mark(f: &mut ScreenField, n: usize, extra: bool) {
    f.collect_number = Some(n);
    f.collect_type = Some(if extra { "extra" } else { "mid" }.to_string());
    if extra {
        f.active = Some(false);
    }
}

#[cfg(test)]
mod tests {
    use super::collected_list;

    #[test]
    fn the_list_is_the_common_prefix_ending_in_an_index() {
        assert_eq!(
            collected_list(&["fruit[i].name.text", "fruit[i].seeds"]),
            Some(("fruit".to_string(), 0))
        );
        assert_eq!(
            collected_list(&["people[i].kids[j].name", "people[i].kids[j].age"]),
            Some(("people[i].kids".to_string(), 1))
        );
        assert_eq!(
            collected_list(&["fruit[i]"]),
            Some(("fruit".to_string(), 0))
        );
        assert_eq!(collected_list(&["a.b", "a.c"]), None);
        assert_eq!(collected_list(&[]), None);
    }
}
