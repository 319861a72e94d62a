//! `attachment`/`attachments` items (spec §1.5): documents assembled from Markdown, DOCX or
//! PDF templates.

use super::read::{self, Result, err};
use super::{Cond, Python, Raw, Text, Var};
use crate::source::yaml::{Node, Value};

/// The attachments of a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Attachments {
    /// A literal list.
    List(Vec<Attachment>),
    /// `attachment code` / `attachments code`: an expression giving the list.
    Code(Python),
}

impl Attachments {
    /// The `variable name`s of the attachments.
    pub fn defines(&self, out: &mut Vec<String>) {
        if let Attachments::List(list) = self {
            out.extend(
                list.iter()
                    .filter_map(|a| a.variable_name.as_ref().map(|v| v.name.clone())),
            );
        }
    }
}

/// Where a document's content comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum AttachmentContent {
    /// `content`: Markdown + Mako.
    Inline(Text),
    /// `content file`: Markdown files.
    ContentFile(FileSpec),
    /// `docx template file` (Jinja2 inside the DOCX).
    Docx(FileSpec),
    /// `pdf template file` (AcroForm filling).
    Pdf(FileSpec),
    /// No content (e.g. computed entirely by `code`).
    None,
}

/// `valid formats`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ValidFormats {
    /// Not given: all formats.
    #[default]
    All,
    /// A literal list.
    List(Vec<String>),
    /// `{code: …}`: an expression giving the list.
    Code(Python),
}

/// One or more file names, or code giving them.
#[derive(Debug, Clone, PartialEq)]
pub enum FileSpec {
    /// File names (Mako text).
    Files(Vec<Text>),
    /// `{code: …}`.
    Code(Python),
}

/// One document.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// `name` (docassemble's default: "Document").
    pub name: Option<Text>,
    /// `filename` (without extension).
    pub filename: Option<Text>,
    /// `description`.
    pub description: Option<Text>,
    /// `variable name`: the `DAFileCollection` the document is stored in.
    pub variable_name: Option<Var>,
    /// The content source.
    pub content: AttachmentContent,
    /// `valid formats` (`pdf`, `docx`, `rtf`, `tex`, `html`, `md`, `*`); empty when not given.
    pub valid_formats: ValidFormats,
    /// `fields` for PDF/DOCX templates: field name → Mako text (or nested values for DOCX).
    pub fields: Vec<(String, Raw)>,
    /// `field variables`: names passed through as-is.
    pub field_variables: Vec<String>,
    /// `field code`: field name → Python expression.
    pub field_code: Vec<(String, Python)>,
    /// `code`: an expression giving a dictionary of field values.
    pub code: Option<Python>,
    /// `metadata` (Pandoc metadata).
    pub metadata: Option<Raw>,
    /// `skip undefined`.
    pub skip_undefined: Option<Cond>,
    /// Other recognised options kept as written: `language`, `editable`, `pdf/a`,
    /// `tagged pdf`, `redact`, `checkbox export value`, `decimal places`, `initial yaml`,
    /// `additional yaml`, `template file`, `rtf template file`, `docx reference file`,
    /// `usedefs`, `raw`, `update references`, `hyperlink style`, `manual`, `manual code`,
    /// `file`, `valid types`, `rtf to docx`, `raw field variables`, `password`,
    /// `owner password`, `persistent`, `private`, `allow privileges`, `allow users`.
    pub options: Vec<(String, Raw)>,
    /// The file line.
    pub line: u32,
}

const OPTION_KEYS: &[&str] = &[
    "language",
    "editable",
    "pdf/a",
    "tagged pdf",
    "redact",
    "checkbox export value",
    "decimal places",
    "initial yaml",
    "additional yaml",
    "template file",
    "rtf template file",
    "docx reference file",
    "usedefs",
    "raw",
    "update references",
    "hyperlink style",
    "manual",
    "manual code",
    "file",
    "valid types",
    "rtf to docx",
    "raw field variables",
    "password",
    "owner password",
    "persistent",
    "private",
    "allow privileges",
    "allow users",
];

/// Parses `attachment`/`attachments` (a dictionary or a list of them).
///
/// # Errors
/// Malformed items.
pub fn parse_attachments(node: &Node) -> Result<Vec<Attachment>> {
    match &node.value {
        Value::Seq(items) => items.iter().map(parse_attachment).collect(),
        _ => Ok(vec![parse_attachment(node)?]),
    }
}

fn file_spec(v: &Node, what: &str) -> Result<FileSpec> {
    if let Some(code) = v.get("code") {
        return Ok(FileSpec::Code(read::python(code, what)?));
    }
    match &v.value {
        Value::Seq(items) => Ok(FileSpec::Files(
            items
                .iter()
                .map(|i| read::text(i, what))
                .collect::<Result<_>>()?,
        )),
        _ => Ok(FileSpec::Files(vec![read::text(v, what)?])),
    }
}

fn parse_attachment(node: &Node) -> Result<Attachment> {
    let line = node.line;
    let Some(map) = node.as_map() else {
        // Plain text is the content of a document named "Document".
        if node.is_scalar() {
            let content = read::text(node, "an attachment")?;
            return Ok(Attachment {
                name: None,
                filename: None,
                description: None,
                variable_name: None,
                content: AttachmentContent::Inline(content),
                valid_formats: ValidFormats::All,
                fields: Vec::new(),
                field_variables: Vec::new(),
                field_code: Vec::new(),
                code: None,
                metadata: None,
                skip_undefined: None,
                options: Vec::new(),
                line,
            });
        }
        return err(
            line,
            format!(
                "an attachment must be a dictionary or text, not {}",
                node.kind()
            ),
        );
    };
    let mut a = Attachment {
        name: None,
        filename: None,
        description: None,
        variable_name: None,
        content: AttachmentContent::None,
        valid_formats: ValidFormats::All,
        fields: Vec::new(),
        field_variables: Vec::new(),
        field_code: Vec::new(),
        code: None,
        metadata: None,
        skip_undefined: None,
        options: Vec::new(),
        line,
    };
    let mut content_kinds = Vec::new();
    for (k, v) in map {
        let Some(key) = k.as_str() else {
            return err(k.line, "an attachment key must be text");
        };
        let key = key.to_lowercase();
        let what = format!("'{key}' in an attachment");
        match key.as_str() {
            "name" => a.name = Some(read::text(v, &what)?),
            "filename" => a.filename = Some(read::text(v, &what)?),
            "description" => a.description = Some(read::text(v, &what)?),
            "variable name" => a.variable_name = Some(read::var(v, &what)?),
            "content" => {
                content_kinds.push("content");
                a.content = AttachmentContent::Inline(read::text(v, &what)?);
            }
            "content file" => {
                content_kinds.push("content file");
                a.content = AttachmentContent::ContentFile(file_spec(v, &what)?);
            }
            "docx template file" => {
                content_kinds.push("docx template file");
                a.content = AttachmentContent::Docx(file_spec(v, &what)?);
            }
            "pdf template file" => {
                content_kinds.push("pdf template file");
                a.content = AttachmentContent::Pdf(file_spec(v, &what)?);
            }
            "valid formats" => {
                a.valid_formats = match v.get("code") {
                    Some(code) => ValidFormats::Code(read::python(code, &what)?),
                    None => ValidFormats::List(
                        read::str_list(v, &what)?
                            .into_iter()
                            .map(|(s, _)| s)
                            .collect(),
                    ),
                };
            }
            "fields" => match &v.value {
                Value::Map(_) => {
                    for (fk, fv) in read::str_map(v, &what)? {
                        a.fields.push((fk.to_string(), read::raw(fv)));
                    }
                }
                Value::Seq(items) => {
                    for item in items {
                        for (fk, fv) in read::str_map(item, &what)? {
                            a.fields.push((fk.to_string(), read::raw(fv)));
                        }
                    }
                }
                Value::Str(_) => a.code = Some(read::python(v, &what)?),
                _ => {
                    return err(
                        v.line,
                        "attachment fields must be a dictionary or a list of dictionaries",
                    );
                }
            },
            "field variables" => {
                a.field_variables = read::str_list(v, &what)?
                    .into_iter()
                    .map(|(s, _)| s)
                    .collect();
            }
            "field code" => {
                let items: Vec<&Node> = match &v.value {
                    Value::Seq(items) => items.iter().collect(),
                    _ => vec![v],
                };
                for item in items {
                    for (fk, fv) in read::str_map(item, &what)? {
                        a.field_code
                            .push((fk.to_string(), read::python(fv, &what)?));
                    }
                }
            }
            "code" => a.code = Some(read::python(v, &what)?),
            "metadata" => a.metadata = Some(read::raw(v)),
            "skip undefined" => a.skip_undefined = Some(read::cond(v, &what)?),
            k if OPTION_KEYS.contains(&k) => a.options.push((key.clone(), read::raw(v))),
            other => {
                return err(k.line, format!("unknown attachment key '{other}'"));
            }
        }
    }
    if content_kinds.len() > 1 {
        return err(
            line,
            format!(
                "an attachment may have only one of content, content file, docx template file, \
                 pdf template file (found {})",
                content_kinds.join(", ")
            ),
        );
    }
    Ok(a)
}
