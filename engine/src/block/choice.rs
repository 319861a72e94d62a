//! Choice lists: `choices`, `buttons`, `dropdown`, `combobox`, and `choices` inside fields.
//!
//! Item forms (spec §1.4): `- Bare` (label = value = "Bare"), `- Label: value` (YAML types
//! kept), and `- label: …` / `value: …` with optional `help`, `image`, `css class`, `color`,
//! `default`, `group` and `show if`. A `- code: expr` item computes choices at run time.
//! Buttons without `field` may instead carry an embedded block or a special value
//! (`restart`, `continue`, `refresh`, `exit`, `leave`, `signin`, …).

use super::read::{self, Result, err};
use super::{Block, Python, Text};
use crate::source::yaml::{Node, Value};

/// A list of choices.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChoiceList {
    /// The items, in order.
    pub items: Vec<Choice>,
}

impl ChoiceList {
    /// Whether any item is computed by code.
    pub fn has_code(&self) -> bool {
        self.items
            .iter()
            .any(|c| matches!(c.action, ChoiceAction::Code(_)))
    }
}

/// One choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The label shown (Mako). `None` for `code` items and for `label`-less embedded items.
    pub label: Option<Text>,
    /// What choosing it does.
    pub action: ChoiceAction,
    /// `help`.
    pub help: Option<Text>,
    /// `image`.
    pub image: Option<Text>,
    /// `css class`.
    pub css_class: Option<Text>,
    /// `color`.
    pub color: Option<Text>,
    /// `default`.
    pub default: Option<Text>,
    /// `group`.
    pub group: Option<Text>,
    /// `show if` (Python).
    pub show_if: Option<Python>,
    /// The file line of the item.
    pub line: u32,
}

/// What choosing an item does.
#[derive(Debug, Clone, PartialEq)]
pub enum ChoiceAction {
    /// Sets the field to this value (YAML type kept: text, number, true/false, null).
    Value(ChoiceValue),
    /// Runs an embedded block (`- Label: {code: …}` or a nested question).
    Block(Box<Block>),
    /// A special button.
    Special(SpecialButton),
    /// `- code: expr`: choices computed at run time.
    Code(Python),
}

/// A choice value.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceValue(pub Node);

impl ChoiceValue {
    /// Python's `str()` of the value (for scalars).
    pub fn as_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.0.python_str()
    }
}

/// A special button value.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecialButton {
    /// `continue`, `restart`, `refresh`, `signin`, `register`, `exit`, `logout`,
    /// `exit_logout`, `leave` or `new_session`.
    pub command: String,
    /// The `url` given with `exit`/`logout`/`exit_logout`/`leave`.
    pub url: Option<Text>,
}

/// The special button commands.
pub const SPECIAL_COMMANDS: &[&str] = &[
    "continue",
    "restart",
    "refresh",
    "signin",
    "register",
    "exit",
    "logout",
    "exit_logout",
    "leave",
    "new_session",
];

const EXTRA_KEYS: &[&str] = &[
    "image",
    "css class",
    "color",
    "help",
    "default",
    "group",
    "label",
    "show if",
];

fn blank(line: u32, action: ChoiceAction) -> Choice {
    Choice {
        label: None,
        action,
        help: None,
        image: None,
        css_class: None,
        color: None,
        default: None,
        group: None,
        show_if: None,
        line,
    }
}

/// Parses a choice list (`parse_fields` in docassemble).
///
/// `uses_field` is true when the question has `field:` (or the list is inside a field): values
/// are kept as data. Without it, dictionary values are embedded blocks, special words are
/// special buttons, and other text values are ignored in favour of the label (as docassemble
/// does). `embedded` parses an embedded block.
///
/// # Errors
/// Malformed lists and items.
pub fn parse_choices(
    node: &Node,
    uses_field: bool,
    embedded: &mut dyn FnMut(&Node) -> Result<Block>,
) -> Result<ChoiceList> {
    // A dictionary is a list of one-entry dictionaries.
    let owned_items: Vec<Node>;
    let items: &[Node] = match &node.value {
        Value::Seq(items) => items,
        Value::Map(entries) => {
            owned_items = entries
                .iter()
                .map(|(k, v)| Node {
                    value: Value::Map(vec![(k.clone(), v.clone())]),
                    line: k.line,
                })
                .collect();
            &owned_items
        }
        _ => {
            return err(
                node.line,
                format!(
                    "multiple choices need to be given as a list, not {}",
                    node.kind()
                ),
            );
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(parse_item(item, uses_field, embedded)?);
    }
    Ok(ChoiceList { items: out })
}

fn parse_item(
    item: &Node,
    uses_field: bool,
    embedded: &mut dyn FnMut(&Node) -> Result<Block>,
) -> Result<Choice> {
    let line = item.line;
    let entries = match &item.value {
        Value::Map(entries) => entries.as_slice(),
        Value::Seq(_) => return err(line, "a choice cannot be a list"),
        _ => {
            // `- Bare`: label and value are both the text.
            let label = read::text(item, "a choice")?;
            let action = if uses_field {
                ChoiceAction::Value(ChoiceValue(item.clone()))
            } else {
                ChoiceAction::Value(ChoiceValue(Node {
                    value: Value::Str(label.source.clone()),
                    line,
                }))
            };
            let mut c = blank(line, action);
            c.label = Some(label);
            return Ok(c);
        }
    };
    let multi = entries.len() > 1;
    let key_of = |k: &Node| k.python_str().map(std::borrow::Cow::into_owned);
    let uses_value_label = entries.iter().any(|(k, _)| k.as_str() == Some("value"))
        && entries.iter().any(|(k, _)| k.as_str() == Some("label"));
    let url = entries
        .iter()
        .find(|(k, _)| k.as_str() == Some("url"))
        .map(|(_, v)| v);
    let mut choice = blank(
        line,
        ChoiceAction::Value(ChoiceValue(Node {
            value: Value::Null,
            line,
        })),
    );
    let mut got_action = false;
    for (k, v) in entries {
        let Some(key) = key_of(k) else {
            return err(
                k.line,
                format!("a choice label must be text, not {}", k.kind()),
            );
        };
        if multi && EXTRA_KEYS.contains(&key.as_str()) {
            let t = || read::text(v, &format!("'{key}' in a choice"));
            match key.as_str() {
                "image" => choice.image = Some(t()?),
                "css class" => choice.css_class = Some(t()?),
                "color" => choice.color = Some(t()?),
                "help" => choice.help = Some(t()?),
                "default" => choice.default = Some(t()?),
                "group" => choice.group = Some(t()?),
                "label" => choice.label = Some(t()?),
                _ => choice.show_if = Some(read::python(v, "'show if' in a choice")?),
            }
            continue;
        }
        if key == "code" && (uses_field || entries.len() == 1) && !uses_value_label {
            choice.action = ChoiceAction::Code(read::python_str(v, "a choices code item")?);
            got_action = true;
            continue;
        }
        if uses_field {
            if uses_value_label {
                if key == "value" {
                    choice.action = ChoiceAction::Value(ChoiceValue(v.clone()));
                    got_action = true;
                }
            } else {
                choice.label = Some(read::text(k, "a choice label")?);
                choice.action = ChoiceAction::Value(ChoiceValue(v.clone()));
                got_action = true;
            }
            continue;
        }
        match &v.value {
            Value::Map(_) => {
                if !uses_value_label {
                    choice.label = Some(read::text(k, "a choice label")?);
                }
                choice.action = ChoiceAction::Block(Box::new(embedded(v)?));
                got_action = true;
            }
            Value::Str(s) if SPECIAL_COMMANDS.contains(&s.as_str()) => {
                let with_url = matches!(s.as_str(), "exit" | "logout" | "exit_logout" | "leave");
                if !uses_value_label {
                    choice.label = Some(read::text(k, "a choice label")?);
                }
                choice.action = ChoiceAction::Special(SpecialButton {
                    command: s.clone(),
                    url: match url {
                        Some(u) if with_url => Some(read::text(u, "a button url")?),
                        _ => None,
                    },
                });
                got_action = true;
            }
            Value::Str(_) if key == "url" => {}
            Value::Str(_) => {
                // docassemble uses the label as the value here.
                if !uses_value_label {
                    choice.label = Some(read::text(k, "a choice label")?);
                }
                choice.action = ChoiceAction::Value(ChoiceValue(Node {
                    value: Value::Str(key.clone()),
                    line: k.line,
                }));
                got_action = true;
            }
            Value::Bool(_) => {
                if !uses_value_label {
                    choice.label = Some(read::text(k, "a choice label")?);
                }
                choice.action = ChoiceAction::Value(ChoiceValue(v.clone()));
                got_action = true;
            }
            _ => {
                return err(
                    v.line,
                    format!(
                        "the value of the choice '{key}' must be text, true/false or a block, \
                         not {} (add 'field:' to store values)",
                        v.kind()
                    ),
                );
            }
        }
    }
    if !got_action {
        return err(
            line,
            "a choice needs a value (write '- Label: value', or 'label:' with 'value:')",
        );
    }
    Ok(choice)
}
