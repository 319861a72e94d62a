//! `review` items: `Label: var` / `Edit: var` rows, `button:` items, notes, `show if`.

use super::read::{self, Result, err};
use super::{Raw, Text};
use crate::source::yaml::{Node, Value};

/// One row of a review screen.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem {
    /// The label of an edit link (`Edit: var` → "Edit"), or `label:`.
    pub label: Option<Text>,
    /// What the edit link re-asks: variable names, or actions such as `{recompute: […]}`,
    /// `{undefine: […]}`, `{invalidate: […]}`, `{set: […]}`, `{follow up: […]}`.
    pub targets: Vec<ReviewTarget>,
    /// `button:` text (a button row) or `help:` text.
    pub help: Option<Text>,
    /// True for a `button:` row.
    pub is_button: bool,
    /// `note`, `html` or `raw html` content.
    pub note: Option<(String, Text)>,
    /// `show if` (Python), or a list of variables that must be defined.
    pub show_if: Option<Raw>,
    /// `css class`.
    pub css_class: Option<Text>,
    /// `action`: an action name to run instead of re-asking.
    pub action: Option<Raw>,
    /// The file line.
    pub line: u32,
}

/// What a review edit link acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum ReviewTarget {
    /// A variable to re-ask.
    Var(String),
    /// `{undefine|invalidate|recompute|set|follow up: …}`.
    Action(String, Raw),
}

/// Parses the `review` value.
///
/// # Errors
/// Malformed items.
pub fn parse_review(node: &Node) -> Result<Vec<ReviewItem>> {
    let one;
    let items: &[Node] = match &node.value {
        Value::Seq(items) => items,
        Value::Map(_) => {
            one = [node.clone()];
            &one
        }
        _ => return err(node.line, "the review must be written as a list"),
    };
    items.iter().map(parse_item).collect()
}

fn targets(v: &Node) -> Result<Vec<ReviewTarget>> {
    let list: Vec<&Node> = match &v.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![v],
    };
    let mut out = Vec::new();
    for item in list {
        match &item.value {
            Value::Map(m) if m.len() == 1 => {
                let (k, val) = &m[0];
                let key = k.as_str().unwrap_or_default();
                if !matches!(
                    key,
                    "undefine" | "invalidate" | "recompute" | "set" | "follow up"
                ) {
                    return err(item.line, format!("unknown review action '{key}'"));
                }
                out.push(ReviewTarget::Action(key.to_string(), read::raw(val)));
            }
            _ => out.push(ReviewTarget::Var(read::var(item, "a review field")?.name)),
        }
    }
    Ok(out)
}

fn parse_item(item: &Node) -> Result<ReviewItem> {
    let line = item.line;
    let Some(map) = item.as_map() else {
        return err(
            line,
            "each review item must be a dictionary, e.g. '- Edit: user.name'",
        );
    };
    let mut r = ReviewItem {
        label: None,
        targets: Vec::new(),
        help: None,
        is_button: false,
        note: None,
        show_if: None,
        css_class: None,
        action: None,
        line,
    };
    let has = |name: &str| map.iter().any(|(k, _)| k.as_str() == Some(name));
    for (k, v) in map {
        let Some(key) = k.python_str() else {
            return err(k.line, "a review key must be text");
        };
        let what = format!("'{key}' in a review item");
        match key.as_ref() {
            "action" => r.action = Some(read::raw(v)),
            "help" => {
                if has("button") {
                    return err(line, "a review item cannot mix help text with a button");
                }
                if v.is_scalar() {
                    r.help = Some(read::text(v, &what)?);
                }
            }
            "button" => {
                if v.is_scalar() {
                    r.help = Some(read::text(v, &what)?);
                    r.is_button = true;
                }
            }
            "note" | "html" | "raw html" => {
                r.note = Some((key.to_string(), read::text(v, &what)?));
            }
            "css class" => r.css_class = Some(read::text(v, &what)?),
            "show if" => r.show_if = Some(read::raw(v)),
            "field" | "fields" => r.targets = targets(v)?,
            "label" => {
                if !has("field") && !has("fields") {
                    return err(
                        line,
                        "a review item with 'label' must also have 'field' or 'fields'",
                    );
                }
                r.label = Some(read::text(v, &what)?);
            }
            _ => {
                r.label = Some(Text {
                    source: key.into_owned(),
                    line: k.line,
                });
                r.targets = targets(v)?;
            }
        }
    }
    if r.targets.is_empty() && r.note.is_none() && !r.is_button && r.action.is_none() {
        return err(
            line,
            "a review item needs a label and a variable ('- Edit: var'), or must be a note, \
             html, raw html or button item",
        );
    }
    Ok(r)
}
