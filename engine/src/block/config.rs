//! Interview-level configuration blocks: `features`, `sections`, `interview help`, images,
//! `def`, `terms`.

use super::read::{self, Result, err};
use super::{Python, Raw, Text};
use crate::source::yaml::{Node, Value};

/// A `features` block. The common settings are typed; every other key is kept by name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Features {
    /// `navigation` (true/false or `horizontal`).
    pub navigation: Option<Raw>,
    /// `progress bar`.
    pub progress_bar: Option<bool>,
    /// `show progress bar percentage`.
    pub show_progress_bar_percentage: Option<bool>,
    /// `question back button`.
    pub question_back_button: Option<bool>,
    /// `question help button`.
    pub question_help_button: Option<bool>,
    /// `navigation back button`.
    pub navigation_back_button: Option<bool>,
    /// `labels above fields`.
    pub labels_above_fields: Option<bool>,
    /// `centered`.
    pub centered: Option<bool>,
    /// `debug`.
    pub debug: Option<bool>,
    /// `use catchall`.
    pub use_catchall: Option<bool>,
    /// `table width`.
    pub table_width: Option<i64>,
    /// `javascript` files.
    pub javascript: Vec<String>,
    /// `css` files.
    pub css: Vec<String>,
    /// Every other key (`go full screen`, `small screen navigation`, `maximum image size`,
    /// `default date min`, `pdf/a`, `inverse navbar`, …), kept as written.
    pub other: Vec<(String, Raw)>,
}

fn opt_bool(v: &Node) -> Option<bool> {
    match v.value {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

/// Parses a `features` value.
///
/// # Errors
/// When it is not a dictionary, or a typed setting has the wrong type.
pub fn parse_features(node: &Node) -> Result<Features> {
    let mut f = Features::default();
    for (key, v) in read::str_map(node, "a features section")? {
        match key {
            "navigation" => f.navigation = Some(read::raw(v)),
            "progress bar" => f.progress_bar = opt_bool(v),
            "show progress bar percentage" => f.show_progress_bar_percentage = opt_bool(v),
            "question back button" => f.question_back_button = opt_bool(v),
            "question help button" => f.question_help_button = opt_bool(v),
            "navigation back button" => f.navigation_back_button = opt_bool(v),
            "labels above fields" => f.labels_above_fields = opt_bool(v),
            "centered" => f.centered = opt_bool(v),
            "debug" => f.debug = opt_bool(v),
            "use catchall" => f.use_catchall = opt_bool(v),
            "table width" => match v.value {
                Value::Int(i) => f.table_width = Some(i),
                _ => return err(v.line, "table width in features must be an integer"),
            },
            "javascript" | "css" => {
                if v.as_map().is_some() {
                    return err(
                        v.line,
                        format!("a features {key} entry must be a list or text"),
                    );
                }
                let files = read::str_list(v, &format!("features {key}"))?
                    .into_iter()
                    .map(|(s, _)| s)
                    .collect();
                if key == "css" {
                    f.css = files;
                } else {
                    f.javascript = files;
                }
            }
            "checkin interval" => match v.value {
                Value::Int(i) if i == 0 || i >= 1000 => f.other.push((key.into(), read::raw(v))),
                Value::Int(_) => {
                    return err(
                        v.line,
                        "checkin interval in features must be at least 1000, if not 0",
                    );
                }
                _ => return err(v.line, "checkin interval in features must be an integer"),
            },
            "progress bar multiplier" => match v.value {
                Value::Int(_) | Value::Float(_) => {
                    let x = match v.value {
                        Value::Int(i) => i as f64,
                        Value::Float(x) => x,
                        _ => 0.5,
                    };
                    if x <= 0.0 || x >= 1.0 {
                        return err(
                            v.line,
                            "progress bar multiplier in features must be between 0 and 1",
                        );
                    }
                    f.other.push((key.into(), read::raw(v)));
                }
                _ => f.other.push((key.into(), read::raw(v))),
            },
            "default date min" | "default date max" => {
                if !matches!(v.value, Value::Str(_) | Value::Timestamp(_)) {
                    return err(v.line, format!("{key} in features must be text"));
                }
                f.other.push((key.into(), read::raw(v)));
            }
            _ => f.other.push((key.into(), read::raw(v))),
        }
    }
    Ok(f)
}

/// A `sections` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Sections {
    /// The sections.
    pub sections: Vec<Section>,
    /// `progressive`.
    pub progressive: Option<bool>,
    /// `auto open`.
    pub auto_open: Option<bool>,
}

/// One navigation section.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The key used by `section:` / `nav.set_section()` (the title when not given).
    pub key: Option<String>,
    /// The title (Mako).
    pub title: Text,
    /// Subsections.
    pub subsections: Vec<Section>,
}

/// Parses a `sections` list.
///
/// # Errors
/// When it is not a list of text or `key: title` items.
pub fn parse_sections(node: &Node) -> Result<Vec<Section>> {
    let Some(items) = node.as_seq() else {
        return err(node.line, "a sections list must be a list");
    };
    let mut out: Vec<Section> = Vec::new();
    for item in items {
        match &item.value {
            Value::Map(m) => {
                let first = out.len();
                for (k, v) in m {
                    let key = read::text(k, "a section key")?;
                    // `- key: Title` with `subsections:` beside it (the keyword form).
                    if key.source == "subsections" && out.len() > first {
                        if let Some(last) = out.last_mut() {
                            last.subsections = parse_sections(v)?;
                        }
                        continue;
                    }
                    match &v.value {
                        Value::Seq(_) => out.push(Section {
                            key: None,
                            title: key,
                            subsections: parse_sections(v)?,
                        }),
                        _ => out.push(Section {
                            key: Some(key.source),
                            title: read::text(v, "a section title")?,
                            subsections: Vec::new(),
                        }),
                    }
                }
            }
            Value::Seq(_) => return err(item.line, "a section cannot be a list"),
            _ => out.push(Section {
                key: None,
                title: read::text(item, "a section")?,
                subsections: Vec::new(),
            }),
        }
    }
    Ok(out)
}

/// `help` on a question, or an `interview help` block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Help {
    /// The help content (Mako + Markdown).
    pub content: Option<Text>,
    /// `label`: the help tab/button label.
    pub label: Option<Text>,
    /// `heading`.
    pub heading: Option<Text>,
    /// `audio` items.
    pub audio: Vec<Text>,
    /// `video` items.
    pub video: Vec<Text>,
}

/// Parses a help value: text, or a dictionary with `content`, `label`, `heading`, `audio`,
/// `video`.
///
/// # Errors
/// When a part has the wrong type.
pub fn parse_help(node: &Node, what: &str) -> Result<Help> {
    if node.as_seq().is_some() {
        return err(
            node.line,
            format!("{what} must be text or a dictionary, not a list"),
        );
    }
    if node.as_map().is_none() {
        return Ok(Help {
            content: Some(read::text(node, what)?),
            ..Help::default()
        });
    }
    let mut h = Help::default();
    for (k, v) in read::str_map(node, what)? {
        let w = format!("'{k}' in {what}");
        match k {
            "content" => h.content = Some(read::text(v, &w)?),
            "label" => h.label = Some(read::text(v, &w)?),
            "heading" => h.heading = Some(read::text(v, &w)?),
            "audio" | "video" => {
                let items: Vec<Text> = match &v.value {
                    Value::Seq(items) => items
                        .iter()
                        .map(|i| read::text(i, &w))
                        .collect::<Result<_>>()?,
                    _ => vec![read::text(v, &w)?],
                };
                if k == "audio" {
                    h.audio = items;
                } else {
                    h.video = items;
                }
            }
            _ => {}
        }
    }
    Ok(h)
}

/// An image set: images (name → file) with an optional attribution.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSet {
    /// The set name (`unspecified` for `images` blocks).
    pub name: String,
    /// `attribution`.
    pub attribution: Option<String>,
    /// Image name → file name.
    pub images: Vec<(String, String)>,
}

/// Parses `image sets` (or `images` when `plain`).
///
/// # Errors
/// When the structure is not as documented.
pub fn parse_images(node: &Node, plain: bool) -> Result<Vec<ImageSet>> {
    let key = if plain { "images" } else { "image sets" };
    if node.as_map().is_none() {
        return err(
            node.line,
            format!("the '{key}' section must be a dictionary"),
        );
    }
    let one_set = |name: String, set: &Node| -> Result<ImageSet> {
        let attribution = match set.get("attribution") {
            Some(a) => Some(
                a.as_str()
                    .ok_or_else(|| {
                        crate::error::BlockError::new(a.line, "an attribution must be text")
                    })?
                    .trim()
                    .replace('\n', " "),
            ),
            None => None,
        };
        let mut images = Vec::new();
        if let Some(imgs) = set.get("images") {
            let list: Vec<&Node> = match &imgs.value {
                Value::Seq(items) => items.iter().collect(),
                Value::Map(_) => vec![imgs],
                _ => {
                    return err(
                        imgs.line,
                        "an 'images' definition must be a dictionary or a list",
                    );
                }
            };
            for img in list {
                match &img.value {
                    Value::Map(m) => {
                        for (k, v) in m {
                            let k = read::text(k, "an image name")?.source;
                            images.push((k, read::text(v, "an image file")?.source));
                        }
                    }
                    _ => {
                        let s = read::text(img, "an image")?.source;
                        images.push((s.clone(), s));
                    }
                }
            }
        }
        Ok(ImageSet {
            name,
            attribution,
            images,
        })
    };
    if plain {
        let wrapper = Node {
            value: Value::Map(vec![(
                Node {
                    value: Value::Str("images".into()),
                    line: node.line,
                },
                node.clone(),
            )]),
            line: node.line,
        };
        return Ok(vec![one_set("unspecified".into(), &wrapper)?]);
    }
    if node.get("images").is_some() && node.get("attribution").is_some() {
        return Ok(vec![one_set("unspecified".into(), node)?]);
    }
    let mut out = Vec::new();
    for (name, set) in read::str_map(node, key)? {
        if set.as_map().is_none() {
            return err(
                set.line,
                "each item in 'image sets' must be a dictionary with 'images' and optional 'attribution'",
            );
        }
        out.push(one_set(name.to_string(), set)?);
    }
    Ok(out)
}

/// A `def` block: named Mako definitions.
#[derive(Debug, Clone, PartialEq)]
pub struct MakoDef {
    /// The def name.
    pub name: String,
    /// `mako`: the definitions.
    pub mako: Vec<Text>,
}

/// A glossary term (`terms`/`auto terms`).
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The phrase, lower-cased with runs of whitespace collapsed.
    pub phrase: String,
    /// The definition (Mako).
    pub definition: Text,
}

fn normalise_term(t: &str) -> String {
    t.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses `terms` / `auto terms`: a dictionary, or a list of dictionaries (each either
/// `phrase: definition` entries or `phrases: […]` + `definition`).
///
/// # Errors
/// When the structure is not as documented.
pub fn parse_terms(node: &Node) -> Result<Vec<Term>> {
    let items: Vec<&Node> = match &node.value {
        Value::Map(_) => vec![node],
        Value::Seq(items) => items.iter().collect(),
        _ => return err(node.line, "terms must be a dictionary or a list"),
    };
    let mut out = Vec::new();
    for item in items {
        let entries = read::str_map(item, "a terms item").map_err(|_| {
            crate::error::BlockError::new(item.line, "a terms list must be a list of dictionaries")
        })?;
        if entries.len() == 2
            && let (Some(phrases), Some(def)) = (item.get("phrases"), item.get("definition"))
            && let Some(list) = phrases.as_seq()
        {
            let definition = read::text(def, "a term definition")?;
            for p in list {
                out.push(Term {
                    phrase: normalise_term(&read::text(p, "a term")?.source),
                    definition: definition.clone(),
                });
            }
            continue;
        }
        for (k, v) in entries {
            out.push(Term {
                phrase: normalise_term(k),
                definition: read::text(v, "a term definition")?,
            });
        }
    }
    Ok(out)
}

/// A code-or-names value, for `allowed to set` and similar.
pub fn code_or_names(node: &Node, what: &str) -> Result<std::result::Result<Vec<String>, Python>> {
    match &node.value {
        Value::Seq(_) => Ok(Ok(read::str_list(node, what)?
            .into_iter()
            .map(|(s, _)| s)
            .collect())),
        _ => Ok(Err(read::python(node, what)?)),
    }
}
