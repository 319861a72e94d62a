//! The rows of a `review` screen (docassemble's `Question.ask` for `review` plus the review part
//! of `as_data`): each item becomes a field with its label, help or button text, note, and
//! the edit action that re-asks its variables.
//!
//! An item is shown only when its `show if` expressions are true and its variables can be
//! evaluated; with `skip undefined` (the default) an item whose variables or texts cannot be
//! evaluated is left out (`active: false`) instead of asking for them.

use serde_json::{Value as Json, json};

use super::ask::AskFrom;
use super::eval::{Ctx, Eval, Interrupt};
use super::screen::{ScreenField, encode_name};
use super::values::yaml_to_json;
use super::variants::substitute;
use crate::block::review::{ReviewItem, ReviewTarget};
use crate::block::{Raw, Text};
use crate::source::yaml::Value as Y;
use crate::text::{self, NoResolver};

/// The action a review item's link runs, as docassemble builds it: one variable → that
/// variable; several entries → `_da_force_ask` with the list; `action:` → that action.
pub fn item_action(item: &ReviewItem, x: Option<&str>, iterators: &[String]) -> Option<Json> {
    let data = item_data(item, x, iterators);
    if let Some(a) = &item.action {
        let name = a.0.python_str().map(|s| s.trim().to_string())?;
        return Some(json!({"action": substitute(&name, x, iterators), "arguments": {}}));
    }
    match data.as_slice() {
        [] => None,
        [Json::String(one)] => Some(json!({"action": one, "arguments": {}})),
        _ => Some(json!({"action": "_da_force_ask", "arguments": {"variables": data}})),
    }
}

/// docassemble's `field_info['data']`: variable names (strings) and built-in actions.
fn item_data(item: &ReviewItem, x: Option<&str>, iterators: &[String]) -> Vec<Json> {
    let concrete = |v: &str| substitute(v.trim(), x, iterators);
    let names = |raw: &Raw| -> Vec<String> {
        match &raw.0.value {
            Y::Seq(items) => items
                .iter()
                .filter_map(|n| n.python_str().map(|s| concrete(&s)))
                .collect(),
            _ => raw
                .0
                .python_str()
                .map(|s| vec![concrete(&s)])
                .unwrap_or_default(),
        }
    };
    let mut out = Vec::new();
    for t in &item.targets {
        match t {
            ReviewTarget::Var(v) => out.push(Json::String(concrete(v))),
            ReviewTarget::Action(kind, raw) => match kind.as_str() {
                "set" => {
                    let mut pairs = Vec::new();
                    if let Y::Seq(items) = &raw.0.value {
                        for d in items {
                            if let Y::Map(m) = &d.value {
                                for (k, v) in m {
                                    if let Some(k) = k.python_str() {
                                        pairs.push(json!([concrete(&k), yaml_to_json(v)]));
                                    }
                                }
                            }
                        }
                    }
                    out.push(json!({"action": "_da_set", "arguments": {"variables": pairs}}));
                }
                "follow up" => {
                    for v in names(raw) {
                        out.push(json!({"action": v, "arguments": {}}));
                    }
                }
                "invalidate" => out.push(
                    json!({"action": "_da_invalidate", "arguments": {"variables": names(raw)}}),
                ),
                "undefine" => out.push(
                    json!({"action": "_da_undefine", "arguments": {"variables": names(raw)}}),
                ),
                "recompute" => {
                    let vars = names(raw);
                    out.push(json!({"action": "_da_undefine", "arguments": {"variables": vars}}));
                    out.push(json!({"action": "_da_compute", "arguments": {"variables": vars}}));
                }
                _ => {}
            },
        }
    }
    out
}

/// The expressions that decide whether an item is shown: `(source, is show if)`.
fn checks(item: &ReviewItem, x: Option<&str>, iterators: &[String]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    if let Some(s) = &item.show_if {
        match &s.0.value {
            Y::Seq(items) => {
                for n in items {
                    if let Some(t) = n.python_str() {
                        out.push((t.trim().to_string(), true));
                    }
                }
            }
            Y::Bool(b) => out.push((if *b { "True" } else { "False" }.to_string(), true)),
            _ => {
                if let Some(t) = s.0.python_str() {
                    out.push((t.trim().to_string(), true));
                }
            }
        }
    }
    for d in item_data(item, x, iterators) {
        if let Json::String(v) = d {
            out.push((v, false));
        }
    }
    out
}

/// What evaluating one part of an item gave.
enum Part<T> {
    Ok(T),
    /// It could not be evaluated: with `skip undefined` the item is left out.
    Skip,
}

impl Ctx<'_> {
    /// The fields of a review screen.
    pub(crate) fn review_fields(
        &mut self,
        items: &[ReviewItem],
        skip_undefined: bool,
        from: &AskFrom<'_>,
    ) -> Eval<Vec<ScreenField>> {
        let mut out = Vec::new();
        for (number, item) in items.iter().enumerate() {
            let field = match self.review_item(number, item, skip_undefined, from)? {
                Part::Ok(f) => f,
                Part::Skip => ScreenField {
                    number,
                    active: Some(false),
                    ..ScreenField::default()
                },
            };
            out.push(field);
        }
        Ok(out)
    }

    /// Runs `f`; with `skip undefined`, an undefined variable or an error means "leave the item
    /// out". Runtime signals (`force_ask`, `message` …) always go through.
    fn guarded<T>(&mut self, skip: bool, f: impl FnOnce(&mut Self) -> Eval<T>) -> Eval<Part<T>> {
        match f(self) {
            Ok(v) => Ok(Part::Ok(v)),
            // A template or table is defined when needed, not skipped.
            Err(Interrupt::Needs { missing, .. }) if skip && !self.is_lazy(&missing) => {
                Ok(Part::Skip)
            }
            Err(Interrupt::Error(_)) if skip => Ok(Part::Skip),
            Err(e) => Err(e),
        }
    }

    fn review_text(&mut self, t: &Text, skip: bool, from: &AskFrom<'_>) -> Eval<Part<String>> {
        let file = from.block.file.to_string();
        let block = from.block.name.clone();
        self.guarded(skip, |cx| cx.render(t, &file, &block))
    }

    fn review_item(
        &mut self,
        number: usize,
        item: &ReviewItem,
        skip: bool,
        from: &AskFrom<'_>,
    ) -> Eval<Part<ScreenField>> {
        let x = from.x.as_deref();
        let its = &from.iterators;
        let file = from.block.file.to_string();
        let block = from.block.name.clone();
        for (src, is_show_if) in checks(item, x, its) {
            let at = (file.as_str(), item.line);
            let v = match self.guarded(skip, |cx| cx.eval_src(&src, at, &block))? {
                Part::Ok(v) => v,
                Part::Skip => return Ok(Part::Skip),
            };
            if is_show_if {
                let mut cx = self.interp();
                let truthy = cx.truthy(&v).map_err(|f| super::eval::flow(f, &block))?;
                if !truthy {
                    return Ok(Part::Skip);
                }
            }
        }
        let mut f = ScreenField {
            number,
            active: Some(true),
            ..ScreenField::default()
        };
        if let Some(a) = item_action(item, x, its) {
            f.action = Some(encode_name(&a.to_string()));
        }
        if let Some((kind, t)) = &item.note {
            let rendered = match self.review_text(t, skip, from)? {
                Part::Ok(s) => s.trim().to_string(),
                Part::Skip => return Ok(Part::Skip),
            };
            if !rendered.is_empty() {
                if kind == "note" {
                    f.note = Some(text::to_html(&rendered, &NoResolver));
                } else {
                    f.html = Some(rendered);
                }
            }
            if item.label.is_none() {
                f.datatype = Some(kind.clone());
            }
        }
        if let Some(c) = &item.css_class {
            if let Part::Ok(s) = self.review_text(c, skip, from)? {
                f.css_class = Some(s.trim().to_string());
            }
        }
        if let Some(h) = &item.help {
            match self.review_text(h, skip, from)? {
                Part::Ok(s) => f.helptext = Some(text::to_html(&s, &NoResolver)),
                Part::Skip => return Ok(Part::Skip),
            }
            if item.is_button {
                f.datatype = Some("button".to_string());
            }
        }
        if let Some(l) = &item.label {
            match self.review_text(l, skip, from)? {
                Part::Ok(s) => f.label = Some(text::to_inline_html(&s, &NoResolver)),
                Part::Skip => return Ok(Part::Skip),
            }
        }
        Ok(Part::Ok(f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml::Node;

    fn item(targets: Vec<ReviewTarget>) -> ReviewItem {
        ReviewItem {
            label: None,
            targets,
            help: None,
            is_button: false,
            note: None,
            show_if: None,
            css_class: None,
            action: None,
            line: 1,
        }
    }

    fn raw_list(names: &[&str]) -> Raw {
        let node: Node = crate::source::yaml::parse_document(&format!("[{}]", names.join(", ")))
            .expect("yaml")
            .expect("a document");
        Raw(node)
    }

    #[test]
    fn one_variable_is_its_own_action() {
        let i = item(vec![ReviewTarget::Var("fruit".into())]);
        assert_eq!(
            item_action(&i, None, &[]),
            Some(json!({"action": "fruit", "arguments": {}}))
        );
    }

    #[test]
    fn several_entries_become_a_force_ask_with_recompute() {
        let i = item(vec![
            ReviewTarget::Var("people[i].name".into()),
            ReviewTarget::Action("recompute".into(), raw_list(&["a", "b"])),
        ]);
        let a = item_action(&i, None, &["0".to_string()]).expect("action");
        assert_eq!(a["action"], "_da_force_ask");
        assert_eq!(
            a["arguments"]["variables"],
            json!([
                "people[0].name",
                {"action": "_da_undefine", "arguments": {"variables": ["a", "b"]}},
                {"action": "_da_compute", "arguments": {"variables": ["a", "b"]}}
            ])
        );
    }

    #[test]
    fn follow_ups_are_plain_actions() {
        let i = item(vec![
            ReviewTarget::Var("a".into()),
            ReviewTarget::Action("follow up".into(), raw_list(&["b", "c"])),
        ]);
        let a = item_action(&i, None, &[]).expect("action");
        assert_eq!(
            a["arguments"]["variables"],
            json!(["a", {"action": "b", "arguments": {}}, {"action": "c", "arguments": {}}])
        );
    }

    #[test]
    fn show_if_and_variables_are_checked() {
        let mut i = item(vec![ReviewTarget::Var("a".into())]);
        i.show_if = Some(raw_list(&["b > 1"]));
        assert_eq!(
            checks(&i, None, &[]),
            vec![("b > 1".to_string(), true), ("a".to_string(), false)]
        );
    }
}
