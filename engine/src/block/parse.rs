//! Turning one YAML block into a typed [`Block`], with docassemble's rules
//! (`Question.__init__`, spec §1.3).

use super::attachment::{Attachments, parse_attachments};
use super::choice::parse_choices;
use super::config::{self, parse_features, parse_help, parse_images, parse_sections, parse_terms};
use super::field::parse_fields;
use super::keys::{DIRECTIVES, is_known};
use super::question::{
    ActionButton, ActionButtons, ListCollect, MultipleChoiceStyle, Question, QuestionInput,
    YesNoKind,
};
use super::read::{self, Entries, Result, err};
use super::review::parse_review;
use super::{
    AllowedToSet, Block, BlockKind, Column, Cond, DataBlock, IncludeItem, MakoDef, Modifiers, Need,
    ObjectDecl, ObjectsFromFile, Reconsider, Require, Table, Template, TemplateContent, Var,
};
use crate::error::BlockError;
use crate::source::FileRef;
use crate::source::yaml::{Node, Value};
use std::sync::Arc;

/// Keys that make a block a configuration block (not in the question list).
const CONFIG_KEYS: &[&str] = &[
    "features",
    "translations",
    "default language",
    "on change",
    "sections",
    "machine learning storage",
    "attachment options",
    "order",
    "image sets",
    "images",
    "def",
    "interview help",
    "default screen parts",
    "default validation messages",
    "include",
];

/// Primary directives of blocks that are in the question list but are not questions.
const OTHER_PRIMARY: &[&str] = &[
    "code",
    "objects",
    "objects from file",
    "data",
    "data from code",
    "template",
    "table",
    "require",
    "modules",
    "imports",
    "reset",
];

/// Parses a block. `name` and `number` are left empty; the loader numbers blocks.
///
/// # Errors
/// The first problem found, with its line.
pub fn parse_block(node: &Node, file: &Arc<FileRef>) -> Result<Block> {
    let e = Entries::new(node)?;
    for (key, line) in e.keys() {
        if !is_known(key) {
            return err(line, format!("unknown block key '{key}'"));
        }
    }
    // metadata may only be combined with comment.
    if e.has("metadata") {
        if let Some((other, line)) = e.keys().find(|(k, _)| *k != "metadata" && *k != "comment") {
            return err(
                line,
                format!("a metadata block may only be combined with comment (found '{other}')"),
            );
        }
        let m = e
            .get("metadata")
            .ok_or_else(|| BlockError::new(e.line, "metadata"))?;
        if m.as_map().is_none() {
            return err(m.line, "a metadata section must be a dictionary");
        }
        return Ok(finish(
            e.line,
            file,
            BlockKind::Metadata(read::raw(m)),
            Modifiers {
                comment: e.get("comment").map(read::raw),
                scan_for_variables: true,
                ..Modifiers::default()
            },
            None,
        ));
    }
    let directives: Vec<&str> = DIRECTIVES.iter().copied().filter(|d| e.has(d)).collect();
    if directives.len() > 1 {
        return err(
            e.key_line(directives[1]),
            format!(
                "a block may have only one of yesno, noyes, yesnomaybe, noyesmaybe, fields, \
                 buttons, choices, dropdown, combobox, signature, review (found {})",
                directives.join(", ")
            ),
        );
    }
    if let Some(d) = directives.first()
        && !e.has("question")
    {
        return err(
            e.key_line(d),
            format!("a block with '{d}' must have a 'question'"),
        );
    }
    if e.has("question") && e.has("code") {
        return err(
            e.key_line("code"),
            "a block can be a question block or a code block, but not both (found question and code)",
        );
    }
    if e.has("event") {
        for k in ["field", "fields", "yesno", "noyes"] {
            if e.has(k) {
                return err(
                    e.key_line(k),
                    format!(
                        "'event' is for screens that do not gather information; it can only be \
                         used with 'buttons' or no other controls (found '{k}')"
                    ),
                );
            }
        }
    }
    if e.has("mandatory") {
        if e.has("initial") {
            return err(
                e.key_line("initial"),
                "a block cannot be both mandatory and initial",
            );
        }
        let allowed = [
            "question",
            "code",
            "objects",
            "attachment",
            "data",
            "data from code",
            "objects from file",
        ];
        if !allowed.iter().any(|k| e.has(k)) {
            return err(
                e.key_line("mandatory"),
                "mandatory can only be used on question, code, objects, attachment, data, data \
                 from code and objects from file blocks",
            );
        }
    }
    if e.has("initial") && !e.has("code") {
        return err(
            e.key_line("initial"),
            "only a code block can be marked as initial",
        );
    }
    for (k, needs) in [
        ("progressive", "sections"),
        ("auto open", "sections"),
        ("resume button label", "review"),
        ("skip undefined", "review"),
        ("list collect", "fields"),
        ("section", "question"),
        ("css class", "question"),
        ("table css class", "question"),
    ] {
        if e.has(k) && !e.has(needs) {
            return err(
                e.key_line(k),
                format!("'{k}' can only be used together with '{needs}'"),
            );
        }
    }
    if e.has("continue button label") {
        for k in ["yesno", "noyes", "yesnomaybe", "noyesmaybe", "buttons"] {
            if e.has(k) {
                return err(
                    e.key_line("continue button label"),
                    format!("a continue button label cannot be set on a '{k}' question"),
                );
            }
        }
    }
    if e.has("order") {
        for k in ["question", "code", "attachment", "attachments", "template"] {
            if e.has(k) {
                return err(
                    e.key_line("order"),
                    format!("an 'order' block cannot be combined with '{k}'"),
                );
            }
        }
    }
    if e.has("on change") && e.len() > 1 {
        return err(
            e.key_line("on change"),
            "an 'on change' block must not contain any other keys",
        );
    }
    if (e.has("table") || e.has("rows") || e.has("columns"))
        && !(e.has("table") && e.has("rows") && e.has("columns"))
    {
        {
            return err(
                e.line,
                "a table block must have 'table', 'rows' and 'columns'",
            );
        }
    }

    let modifiers = parse_modifiers(&e)?;
    let id = match e.get("id") {
        Some(n) => Some(
            n.python_str()
                .ok_or_else(|| BlockError::new(n.line, "an id must be text"))?
                .trim()
                .to_string(),
        ),
        None => None,
    };

    // Configuration blocks.
    let mut configs: Vec<&str> = CONFIG_KEYS.iter().copied().filter(|k| e.has(k)).collect();
    if e.has("terms") && !e.has("question") {
        configs.push("terms");
    }
    if e.has("auto terms") && !e.has("question") {
        configs.push("auto terms");
    }
    if e.has("default role") && !e.has("code") {
        configs.push("default role");
    }
    if configs.len() > 1 {
        return err(
            e.key_line(configs[1]),
            format!(
                "a block may have only one of {} (found both)",
                configs.join(", ")
            ),
        );
    }
    if let Some(c) = configs.first() {
        let kind = parse_config(&e, c)?;
        return Ok(finish(e.line, file, kind, modifiers, id));
    }
    if e.has("comment") && e.len() == 1 {
        return Ok(finish(e.line, file, BlockKind::Comment, modifiers, id));
    }

    if e.has("question") {
        let q = parse_question(&e, file)?;
        return Ok(finish(
            e.line,
            file,
            BlockKind::Question(Box::new(q)),
            modifiers,
            id,
        ));
    }
    let mut primaries: Vec<&str> = OTHER_PRIMARY.iter().copied().filter(|k| e.has(k)).collect();
    // `data`/`data from code` only count with `variable name`.
    primaries.retain(|k| !matches!(*k, "data" | "data from code") || e.has("variable name"));
    let attachments = parse_block_attachments(&e)?;
    if primaries.is_empty() && attachments.is_some() {
        if !e.has("variable name")
            && matches!(&attachments, Some(Attachments::List(l)) if l.iter().all(|a| a.variable_name.is_none()))
        {
            return err(
                e.line,
                "an attachment block without a question needs a 'variable name' on its \
                 attachments (otherwise nothing can ask for it)",
            );
        }
        let a = attachments.unwrap_or(Attachments::List(Vec::new()));
        return Ok(finish(
            e.line,
            file,
            BlockKind::Attachments(a),
            modifiers,
            id,
        ));
    }
    if primaries.len() > 1 {
        return err(
            e.key_line(primaries[1]),
            format!(
                "a block may have only one of {} (found both)",
                primaries.join(", ")
            ),
        );
    }
    let Some(primary) = primaries.first() else {
        let keys: Vec<&str> = e.keys().map(|(k, _)| k).collect();
        return err(
            e.line,
            format!(
                "no block type could be determined for this block (keys: {}); a block needs \
                 e.g. question, code, objects, template or table",
                keys.join(", ")
            ),
        );
    };
    let kind = parse_other(&e, primary)?;
    Ok(finish(e.line, file, kind, modifiers, id))
}

fn finish(
    line: u32,
    file: &Arc<FileRef>,
    kind: BlockKind,
    modifiers: Modifiers,
    id: Option<String>,
) -> Block {
    Block {
        name: String::new(),
        number: 0,
        in_question_list: false,
        file: Arc::clone(file),
        line,
        id,
        kind,
        modifiers,
    }
}

fn need(node: &Node) -> Result<Need> {
    let items: Vec<&Node> = match &node.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Str(_) | Value::Map(_) => vec![node],
        _ => {
            return err(
                node.line,
                "a need phrase must be text, a dictionary or a list",
            );
        }
    };
    let mut n = Need::default();
    for item in items {
        match &item.value {
            Value::Map(m) => {
                for (k, v) in m {
                    match k.as_str() {
                        Some("pre") => n.pre.extend(read::var_list(v, "need pre")?),
                        Some("post") => n.post.extend(read::var_list(v, "need post")?),
                        _ => {
                            return err(k.line, "a need dictionary may only have 'pre' and 'post'");
                        }
                    }
                }
            }
            _ => n.pre.push(read::var(item, "a need item")?),
        }
    }
    Ok(n)
}

fn parse_modifiers(e: &Entries<'_>) -> Result<Modifiers> {
    let mut m = Modifiers {
        scan_for_variables: true,
        ..Modifiers::default()
    };
    if let Some(v) = e.get("mandatory") {
        m.mandatory = Some(read::cond(v, "mandatory")?);
    }
    if let Some(v) = e.get("initial") {
        m.initial = Some(read::cond(v, "initial")?);
    }
    if e.has("default role") && e.has("code") {
        m.initial = Some(Cond::Const(true));
    }
    if let Some(v) = e.get("need") {
        m.need = need(v)?;
    }
    if let Some(v) = e.get("if") {
        if v.as_map().is_some() {
            return err(v.line, "an if statement must be text or a list");
        }
        m.condition = read::python_list(v, "an if statement")?;
    }
    if let Some(v) = e
        .get("generic object")
        .or_else(|| e.get("generic list object"))
    {
        m.generic_object = Some(read::var(v, "generic object")?.name);
    }
    if let Some(v) = e.get("reconsider") {
        m.reconsider = match &v.value {
            Value::Bool(true) => Reconsider::All,
            Value::Bool(false) | Value::Null => Reconsider::No,
            Value::Str(_) | Value::Seq(_) => Reconsider::Vars(read::var_list(v, "reconsider")?),
            _ => {
                return err(
                    v.line,
                    "reconsider must be true, false, a variable name or a list",
                );
            }
        };
    }
    if let Some(v) = e.get("undefine") {
        m.undefine = read::var_list(v, "undefine")?;
    }
    if let Some(v) = e.get("depends on") {
        m.depends_on = read::var_list(v, "depends on")?;
    }
    if let Some(v) = e.get("sets") {
        m.sets = read::var_list(v, "sets")?;
    }
    if let Some(v) = e.get("only sets") {
        m.only_sets = Some(read::var_list(v, "only sets")?);
        m.scan_for_variables = false;
    }
    if let Some(v) = e.get("scan for variables") {
        m.scan_for_variables = read::truthy(v) && m.only_sets.is_none();
    }
    if let Some(v) = e.get("event") {
        m.events = read::var_list(v, "event")?;
    }
    if let Some(v) = e.get("supersedes") {
        m.supersedes = match &v.value {
            Value::Seq(items) => items
                .iter()
                .map(|i| {
                    i.python_str()
                        .map(|s| s.into_owned())
                        .ok_or_else(|| BlockError::new(i.line, "supersedes must list block ids"))
                })
                .collect::<Result<_>>()?,
            _ => vec![
                v.python_str()
                    .map(|s| s.into_owned())
                    .ok_or_else(|| BlockError::new(v.line, "supersedes must list block ids"))?,
            ],
        };
    }
    if let Some(v) = e.get("language") {
        m.language = Some(read::text(v, "language")?.source);
    }
    if let Some(v) = e.get("role") {
        m.role = read::str_list(v, "role")?
            .into_iter()
            .map(|(s, _)| s)
            .collect();
    }
    if let Some(v) = e.get("usedefs") {
        m.usedefs = read::str_list(v, "usedefs")?
            .into_iter()
            .map(|(s, _)| s)
            .collect();
    }
    m.comment = e.get("comment").map(read::raw);
    if let Some(v) = e.get("prevent going back") {
        m.prevent_going_back = Some(read::cond(v, "prevent going back")?);
    }
    if let Some(v) = e.get("back button") {
        m.back_button = Some(read::cond(v, "back button")?);
    }
    if let Some(v) = e.get("allowed to set") {
        m.allowed_to_set = Some(match &v.value {
            Value::Seq(_) => AllowedToSet::Names(read::var_list(v, "allowed to set")?),
            Value::Str(_) => AllowedToSet::Code(read::python(v, "allowed to set")?),
            _ => {
                return err(
                    v.line,
                    "allowed to set must be a list of names or an expression",
                );
            }
        });
    }
    if let Some(v) = e.get("validation code") {
        m.validation_code = Some(read::python_str(v, "validation code")?);
    }
    Ok(m)
}

fn parse_config(e: &Entries<'_>, key: &str) -> Result<BlockKind> {
    let v = e
        .get(key)
        .ok_or_else(|| BlockError::new(e.line, key.to_string()))?;
    let strings = |what: &str| -> Result<Vec<String>> {
        Ok(read::str_list(v, what)?
            .into_iter()
            .map(|(s, _)| s)
            .collect())
    };
    Ok(match key {
        "features" => BlockKind::Features(Box::new(parse_features(v)?)),
        "translations" => {
            if v.as_seq().is_none() {
                return err(v.line, "a translations block must be a list");
            }
            let list = strings("translations")?;
            for t in &list {
                if !(t.ends_with(".xlsx") || t.ends_with(".xlf") || t.ends_with(".xliff")) {
                    return err(
                        v.line,
                        format!(
                            "invalid translations entry '{t}': it must be a .xlsx, .xlf or .xliff file"
                        ),
                    );
                }
            }
            BlockKind::Translations(list)
        }
        "default language" => BlockKind::DefaultLanguage(read::text(v, "default language")?.source),
        "on change" => {
            let mut out = Vec::new();
            for (k, code) in read::str_map(v, "an on change block")? {
                let var = Var {
                    name: k.trim().to_string(),
                    line: code.line,
                };
                out.push((var, read::python_str(code, "on change code")?));
            }
            BlockKind::OnChange(out)
        }
        "sections" => BlockKind::Sections(config::Sections {
            sections: parse_sections(v)?,
            progressive: e
                .get("progressive")
                .map(|p| read::boolean(p, "progressive"))
                .transpose()?,
            auto_open: e
                .get("auto open")
                .map(|p| read::boolean(p, "auto open"))
                .transpose()?,
        }),
        "machine learning storage" => {
            let s = read::text(v, "machine learning storage")?.source;
            if !s.ends_with(".json") {
                return err(
                    v.line,
                    "a machine learning storage entry must be a .json file",
                );
            }
            BlockKind::MachineLearningStorage(s)
        }
        "attachment options" => BlockKind::AttachmentOptions(read::raw(v)),
        "order" => {
            let Some(items) = v.as_seq() else {
                return err(v.line, "an 'order' block must be a list");
            };
            BlockKind::Order(
                items
                    .iter()
                    .filter_map(|i| i.python_str().map(|s| s.into_owned()))
                    .collect(),
            )
        }
        "image sets" => BlockKind::Images(parse_images(v, false)?),
        "images" => BlockKind::Images(parse_images(v, true)?),
        "def" => {
            let Some(name) = v.as_str() else {
                return err(v.line, "a def name must be text");
            };
            let mako = match e.get("mako") {
                Some(m) => match &m.value {
                    Value::Seq(items) => items
                        .iter()
                        .map(|i| read::text(i, "a mako definition"))
                        .collect::<Result<_>>()?,
                    Value::Str(_) => vec![read::text(m, "a mako definition")?],
                    _ => return err(m.line, "a mako definition must be text or a list of text"),
                },
                None => Vec::new(),
            };
            BlockKind::Def(MakoDef {
                name: name.to_string(),
                mako,
            })
        }
        "interview help" => {
            let h = parse_help(v, "interview help")?;
            if h.content.is_none() {
                return err(v.line, "an interview help section needs 'content'");
            }
            BlockKind::InterviewHelp(h)
        }
        "default screen parts" => {
            let mut out = Vec::new();
            for (k, part) in read::str_map(v, "default screen parts")? {
                let text = match part.value {
                    Value::Null => None,
                    Value::Str(_) => Some(read::text(part, "a default screen part")?),
                    _ => {
                        return err(
                            part.line,
                            "default screen parts must map text keys to text values",
                        );
                    }
                };
                out.push((k.to_string(), text));
            }
            BlockKind::DefaultScreenParts(out)
        }
        "default validation messages" => {
            let mut out = Vec::new();
            for (k, msg) in read::str_map(v, "default validation messages")? {
                out.push((k.to_string(), read::text(msg, "a validation message")?));
            }
            BlockKind::DefaultValidationMessages(out)
        }
        "include" => {
            let items = read::str_list(v, "an include section")?;
            BlockKind::Include(
                items
                    .into_iter()
                    .map(|(reference, line)| IncludeItem {
                        reference,
                        resolved: None,
                        line,
                    })
                    .collect(),
            )
        }
        "terms" => BlockKind::Terms(parse_terms(v)?),
        "auto terms" => BlockKind::AutoTerms(parse_terms(v)?),
        _ => BlockKind::DefaultRole(strings("default role")?),
    })
}

fn parse_block_attachments(e: &Entries<'_>) -> Result<Option<Attachments>> {
    if let Some(v) = e.get("attachment").or_else(|| e.get("attachments")) {
        return Ok(Some(Attachments::List(parse_attachments(v)?)));
    }
    if let Some(v) = e
        .get("attachment code")
        .or_else(|| e.get("attachments code"))
    {
        return Ok(Some(Attachments::Code(read::python_str(
            v,
            "attachment code",
        )?)));
    }
    Ok(None)
}

fn parse_other(e: &Entries<'_>, key: &str) -> Result<BlockKind> {
    let v = e
        .get(key)
        .ok_or_else(|| BlockError::new(e.line, key.to_string()))?;
    Ok(match key {
        "code" => {
            let Some(_) = v.as_str() else {
                return err(
                    v.line,
                    format!("a code section must be text, not {}", v.kind()),
                );
            };
            BlockKind::Code(read::python_str(v, "code")?)
        }
        "objects" => {
            let items: Vec<&Node> = match &v.value {
                Value::Seq(items) => items.iter().collect(),
                _ => vec![v],
            };
            let mut out = Vec::new();
            for item in items {
                let Some(map) = item.as_map() else {
                    return err(item.line, "each objects item must be 'name: Class'");
                };
                for (k, class) in map {
                    out.push(ObjectDecl {
                        name: read::var(k, "an object name")?,
                        class: read::python_str(class, "an object class")?,
                    });
                }
            }
            BlockKind::Objects(out)
        }
        "objects from file" => {
            let items: Vec<&Node> = match &v.value {
                Value::Seq(items) => items.iter().collect(),
                _ => vec![v],
            };
            let mut out = Vec::new();
            for item in items {
                let Some(map) = item.as_map() else {
                    return err(
                        item.line,
                        "each objects from file item must be 'name: file'",
                    );
                };
                for (k, f) in map {
                    out.push((
                        read::var(k, "an object name")?,
                        read::text(f, "an objects file")?,
                    ));
                }
            }
            BlockKind::ObjectsFromFile(ObjectsFromFile {
                items: out,
                use_objects: e
                    .get("use objects")
                    .map(|u| read::cond(u, "use objects"))
                    .transpose()?,
            })
        }
        "data" | "data from code" => {
            let var_node = e
                .get("variable name")
                .ok_or_else(|| BlockError::new(e.line, "variable name"))?;
            let d = DataBlock {
                variable: read::var(var_node, "a data block variable name")?,
                data: read::raw(v),
                use_objects: e.get("use objects").map(read::raw),
                gathered: e
                    .get("gathered")
                    .map(|g| read::cond(g, "gathered"))
                    .transpose()?,
            };
            if key == "data" {
                BlockKind::Data(d)
            } else {
                BlockKind::DataFromCode(d)
            }
        }
        "template" => {
            if !v.is_scalar() {
                return err(
                    v.line,
                    "a template must name a single variable written as text",
                );
            }
            let content = if let Some(cf) = e.get("content file") {
                match &cf.value {
                    Value::Map(m) => match (m.len(), cf.get("code")) {
                        (1, Some(code)) => {
                            TemplateContent::FileCode(read::python_str(code, "content file code")?)
                        }
                        _ => {
                            return err(
                                cf.line,
                                "a content file must be text, a list of file names, or a dictionary with 'code'",
                            );
                        }
                    },
                    Value::Seq(items) => TemplateContent::File(
                        items
                            .iter()
                            .map(|i| read::text(i, "a content file"))
                            .collect::<Result<_>>()?,
                    ),
                    _ => TemplateContent::File(vec![read::text(cf, "a content file")?]),
                }
            } else if let Some(c) = e.get("content") {
                TemplateContent::Inline(read::text(c, "the content of a template")?)
            } else {
                return err(
                    e.key_line("template"),
                    "a template block needs 'content' or 'content file'",
                );
            };
            BlockKind::Template(Box::new(Template {
                name: read::var(v, "a template name")?,
                subject: read::opt_text(e.get("subject"), "subject")?,
                content,
                target: read::opt_text(e.get("target"), "the target of a template")?
                    .map(|t| t.source.trim().to_string()),
            }))
        }
        "table" => {
            let rows = e
                .get("rows")
                .ok_or_else(|| BlockError::new(e.line, "rows"))?;
            let Some(_) = rows.as_str() else {
                return err(
                    rows.line,
                    "the rows of a table must be Python code written as text",
                );
            };
            let cols = e
                .get("columns")
                .ok_or_else(|| BlockError::new(e.line, "columns"))?;
            let Some(col_items) = cols.as_seq() else {
                return err(cols.line, "the columns of a table must be a list");
            };
            let mut columns = Vec::new();
            for c in col_items {
                let Some(map) = c.as_map() else {
                    return err(c.line, "each table column must be 'Header: expression'");
                };
                // `{header: …, cell: …}`, or `Header: expression` (only the first pair counts,
                // as in docassemble).
                let (h, cell) = match (c.get("header"), c.get("cell")) {
                    (Some(h), Some(cell)) => (h, cell),
                    _ => match map.first() {
                        Some((h, cell)) => (h, cell),
                        None => return err(c.line, "a table column cannot be empty"),
                    },
                };
                let mut header = read::text(h, "a column header")?;
                if header.source.is_empty() {
                    header.source = "&nbsp;".to_string();
                }
                let mut cell = read::python(cell, "a column expression")?;
                cell.source = cell.source.trim().to_string();
                columns.push(Column { header, cell });
            }
            let options = [
                "require gathered",
                "allow reordering",
                "delete buttons",
                "confirm",
                "read only",
                "show if empty",
                "not available label",
                "sort key",
                "sort reverse",
                "filter",
                "show incomplete",
                "edit header",
                "indent",
            ]
            .iter()
            .filter_map(|k| e.get(k).map(|n| (k.to_string(), read::raw(n))))
            .collect();
            BlockKind::Table(Box::new(Table {
                name: read::var(v, "a table name")?,
                rows: read::python_str(rows, "rows")?,
                columns,
                edit: e.get("edit").map(read::raw),
                options,
            }))
        }
        "require" => {
            if v.as_seq().is_none() {
                return err(v.line, "a require section must be a list");
            }
            let Some(orelse) = e.get("orelse") else {
                return err(v.line, "a require section must have an 'orelse' part");
            };
            if orelse.as_map().is_none() {
                return err(
                    orelse.line,
                    "the orelse part of a require section must be a dictionary",
                );
            }
            let file = Arc::new(FileRef::Path(String::new()));
            BlockKind::Require(Require {
                require: read::python_list(v, "require")?,
                orelse: Box::new(parse_block(orelse, &file)?),
            })
        }
        "modules" | "imports" | "reset" => {
            if v.as_map().is_some() {
                return err(v.line, format!("a {key} section must be a list"));
            }
            let list = read::str_list(v, key)?
                .into_iter()
                .map(|(s, _)| s)
                .collect();
            match key {
                "modules" => BlockKind::Modules(list),
                "imports" => BlockKind::Imports(list),
                _ => BlockKind::Reset(list),
            }
        }
        _ => return err(e.line, format!("'{key}' is not a block type")),
    })
}

fn yes_no(e: &Entries<'_>) -> Result<Option<QuestionInput>> {
    for (k, kind) in [
        ("yesno", YesNoKind::YesNo),
        ("noyes", YesNoKind::NoYes),
        ("yesnomaybe", YesNoKind::YesNoMaybe),
        ("noyesmaybe", YesNoKind::NoYesMaybe),
    ] {
        if let Some(v) = e.get(k) {
            return Ok(Some(QuestionInput::YesNo {
                kind,
                variable: read::var(v, k)?,
            }));
        }
    }
    Ok(None)
}

fn parse_question(e: &Entries<'_>, file: &Arc<FileRef>) -> Result<Question> {
    let qnode = e
        .get("question")
        .ok_or_else(|| BlockError::new(e.line, "question"))?;
    let t = |k: &str| read::opt_text(e.get(k), k);
    let cbf = |e: &Entries<'_>| -> Result<Option<Var>> {
        e.get("continue button field")
            .map(|v| read::var(v, "continue button field"))
            .transpose()
    };
    // Without yes/no or choices, a `field:` is a `continue button field:` (parse.py:2081).
    let cbf_or_field = |e: &Entries<'_>| -> Result<Option<Var>> {
        e.get("field")
            .or_else(|| e.get("continue button field"))
            .map(|v| read::var(v, "continue button field"))
            .transpose()
    };
    let multiple = [
        ("choices", MultipleChoiceStyle::Radio),
        ("buttons", MultipleChoiceStyle::Buttons),
        ("dropdown", MultipleChoiceStyle::Dropdown),
        ("combobox", MultipleChoiceStyle::Combobox),
    ]
    .into_iter()
    .find(|(k, _)| e.has(k));
    let input = if let Some(yn) = yes_no(e)? {
        yn
    } else if let Some(v) = e.get("fields") {
        QuestionInput::Fields {
            items: parse_fields(v)?,
            continue_field: cbf_or_field(e)?,
        }
    } else if let Some((key, style)) = multiple {
        let field = e.get("field").map(|v| read::var(v, "field")).transpose()?;
        let node = e
            .get(key)
            .ok_or_else(|| BlockError::new(e.line, key.to_string()))?;
        let choices = parse_choices(node, field.is_some(), &mut |n: &Node| parse_block(n, file))?;
        let mut validation_messages = Vec::new();
        if let Some(vm) = e.get("validation messages") {
            for (k, m) in read::str_map(vm, "validation messages")? {
                validation_messages.push((k.to_string(), read::text(m, "a validation message")?));
            }
        }
        QuestionInput::MultipleChoice {
            style,
            continue_field: if field.is_none() { cbf(e)? } else { None },
            field,
            choices,
            shuffle: e.get("shuffle").is_some_and(read::truthy),
            default: if style == MultipleChoiceStyle::Buttons {
                None
            } else {
                t("default")?
            },
            datatype: e
                .get("datatype")
                .and_then(|d| d.python_str())
                .map(|s| s.into_owned()),
            validation_messages,
        }
    } else if let Some(v) = e.get("signature") {
        QuestionInput::Signature {
            variable: read::var(v, "signature")?,
            required: e
                .get("required")
                .map(|r| read::cond(r, "required"))
                .transpose()?,
            pen_color: t("pen color")?,
        }
    } else if let Some(v) = e.get("review") {
        QuestionInput::Review {
            items: parse_review(v)?,
            continue_field: cbf_or_field(e)?,
            tabular: e.get("tabular").map(read::raw),
            skip_undefined: e.get("skip undefined").is_none_or(read::truthy),
        }
    } else if let Some(v) = e.get("field").or_else(|| e.get("continue button field")) {
        // A lone `field:` is rewritten to `continue button field:` (parse.py:2081).
        QuestionInput::Continue(read::var(v, "continue button field")?)
    } else {
        QuestionInput::None
    };
    if matches!(input, QuestionInput::Review { .. })
        && e.has("mandatory")
        && !e.has("continue button field")
        && !e.has("field")
    {
        return err(
            e.key_line("mandatory"),
            "a review block without a continue button field cannot be mandatory",
        );
    }
    let list_text = |k: &str| -> Result<Vec<super::Text>> {
        match e.get(k) {
            None => Ok(Vec::new()),
            Some(v) => match &v.value {
                Value::Seq(items) => items.iter().map(|i| read::text(i, k)).collect(),
                _ => Ok(vec![read::text(v, k)?]),
            },
        }
    };
    let decoration = match e.get("decoration") {
        None => Vec::new(),
        Some(v) => {
            let items: Vec<&Node> = match &v.value {
                Value::Seq(items) => items.iter().collect(),
                _ => vec![v],
            };
            let mut out = Vec::new();
            for item in items {
                match &item.value {
                    Value::Map(_) => {
                        let mut parts = Vec::new();
                        for (k, d) in read::str_map(item, "decoration")? {
                            parts.push((k.to_string(), read::text(d, "decoration")?));
                        }
                        out.push(parts);
                    }
                    _ => {
                        let mut img = read::text(item, "decoration")?;
                        img.source = img.source.trim_end().to_string();
                        out.push(vec![("image".to_string(), img)]);
                    }
                }
            }
            out
        }
    };
    let action_buttons = match e.get("action buttons") {
        None => None,
        Some(v) => Some(match &v.value {
            Value::Map(m) if m.len() == 1 && v.get("code").is_some() => ActionButtons::Code(
                read::python(v.get("code").unwrap_or(v), "action buttons code")?,
            ),
            Value::Seq(items) => {
                let mut out = Vec::new();
                for item in items {
                    let label = item.get("label").ok_or_else(|| {
                        BlockError::new(item.line, "an action button needs a 'label'")
                    })?;
                    let action = item.get("action").ok_or_else(|| {
                        BlockError::new(item.line, "an action button needs an 'action'")
                    })?;
                    let options = read::str_map(item, "an action button")?
                        .into_iter()
                        .filter(|(k, _)| !matches!(*k, "label" | "action" | "arguments"))
                        .map(|(k, n)| (k.to_string(), read::raw(n)))
                        .collect();
                    out.push(ActionButton {
                        label: read::text(label, "an action button label")?,
                        action: read::text(action, "an action button action")?,
                        arguments: item.get("arguments").map(read::raw),
                        options,
                        line: item.line,
                    });
                }
                ActionButtons::List(out)
            }
            _ => {
                return err(
                    v.line,
                    "action buttons must be a list or a dictionary with 'code'",
                );
            }
        }),
    };
    let mut q = question_shell(e, qnode, input, decoration, action_buttons)?;
    q.audio = list_text("audio")?;
    q.video = list_text("video")?;
    Ok(q)
}

fn question_shell(
    e: &Entries<'_>,
    qnode: &Node,
    input: QuestionInput,
    decoration: Vec<Vec<(String, super::Text)>>,
    action_buttons: Option<ActionButtons>,
) -> Result<Question> {
    let t = |k: &str| read::opt_text(e.get(k), k);
    let cond = |k: &str| e.get(k).map(|v| read::cond(v, k)).transpose();
    let list_collect = match e.get("list collect") {
        None => None,
        Some(v) => Some(match &v.value {
            Value::Map(_) => {
                let p = |k: &str| v.get(k).map(|n| read::python(n, k)).transpose();
                ListCollect {
                    enable: match v.get("enable") {
                        Some(n) => read::python(n, "list collect enable")?,
                        None => super::Python {
                            source: "True".into(),
                            line: v.line,
                        },
                    },
                    label: read::opt_text(v.get("label"), "list collect label")?,
                    is_final: p("is final")?,
                    allow_append: p("allow append")?,
                    allow_delete: p("allow delete")?,
                    add_another_label: read::opt_text(
                        v.get("add another label"),
                        "add another label",
                    )?,
                }
            }
            Value::Str(_) | Value::Bool(_) => ListCollect {
                enable: read::python(v, "list collect")?,
                label: None,
                is_final: None,
                allow_append: None,
                allow_delete: None,
                add_another_label: None,
            },
            _ => return err(v.line, "invalid data under list collect"),
        }),
    };
    let progress = e.get("progress").map(|v| match v.value {
        Value::Null => None,
        Value::Int(i) => Some(i),
        Value::Float(f) => Some(f as i64),
        _ => v.python_str().and_then(|s| s.trim().parse::<i64>().ok()),
    });
    let terms = match e.get("terms") {
        Some(v) => parse_terms(v)?,
        None => Vec::new(),
    };
    let auto_terms = match e.get("auto terms") {
        Some(v) => parse_terms(v)?,
        None => Vec::new(),
    };
    for k in ["script", "css"] {
        if let Some(v) = e.get(k)
            && v.as_str().is_none()
        {
            return err(v.line, format!("a {k} section must be text"));
        }
    }
    let options = [
        "allow emailing",
        "allow downloading",
        "zip filename",
        "email subject",
        "email body",
        "email template",
        "email address default",
        "always include editable files",
        "include attachment notice",
        "include download tab",
        "describe file types",
        "manual attachment list",
        "question metadata",
        "ga id",
        "segment id",
        "segment",
        "url",
        "indent",
        "extras",
        "command",
        "flattened checkbox label",
        "flattened checkbox unselected label",
        "default",
        "datatype",
        "required",
        "shuffle",
        "gathered",
        "pen color",
        "use objects",
        "variable name",
    ]
    .iter()
    .filter(|k| e.has(k))
    .filter_map(|k| e.get(k).map(|n| (k.to_string(), read::raw(n))))
    .collect();
    Ok(Question {
        question: read::text(qnode, "question")?,
        subquestion: t("subquestion")?,
        under: t("under")?,
        right: t("right")?,
        pre: t("pre")?,
        post: t("post")?,
        submit: t("submit")?,
        help: e.get("help").map(|h| parse_help(h, "help")).transpose()?,
        audio: Vec::new(),
        video: Vec::new(),
        decoration,
        script: t("script")?,
        css: t("css")?,
        css_class: t("css class")?,
        table_css_class: t("table css class")?,
        breadcrumb: t("breadcrumb")?,
        section: t("section")?,
        progress,
        terms,
        auto_terms,
        continue_button_label: t("continue button label")?,
        continue_button_color: t("continue button color")?,
        resume_button_label: t("resume button label")?,
        resume_button_color: t("resume button color")?,
        back_button_label: t("back button label")?,
        corner_back_button_label: t("corner back button label")?,
        hide_continue_button: cond("hide continue button")?,
        disable_continue_button: cond("disable continue button")?,
        reload: e
            .get("reload")
            .filter(|r| read::truthy(r))
            .map(|r| read::text(r, "reload"))
            .transpose()?,
        check_in: t("check in")?,
        target: t("target")?,
        action_buttons,
        list_collect,
        input,
        attachments: parse_block_attachments(e)?,
        options,
    })
}
