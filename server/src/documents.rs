//! The files of attachments: what the engine says a document is, made into PDF, RTF or DOCX
//! by the `documents` crate. Used by the HTTP server (`/document/…`, `_download_attachments`)
//! and by `colloquy run`/`colloquy scenarios`.
//!
//! Documents are made when they are downloaded, not when the screen is assembled: a screen
//! with attachments costs nothing until a file is asked for, nothing is stored (so nothing
//! sits at rest unencrypted), and a failing template can never lose answers — the answers
//! were stored with the screen before any file was made; the error is the download's.

use std::collections::BTreeMap;

use documents::image::Images;
use documents::{DocumentError, Format, Metadata, Options, Source};
use engine::run::CompiledInterview;
use engine::run::attachments::ScreenAttachment;

/// Lists what each DOCX template of `interview` uses (so the engine can ask for it and
/// evaluate the printed expressions when it assembles the attachment). A template that
/// cannot be read is left out: its error comes when the document is made.
pub fn add_template_uses(interview: &mut engine::Interview) {
    let found: Vec<(String, Vec<(String, bool)>)> = interview
        .binary_files
        .iter()
        .filter(|(r, _)| r.to_ascii_lowercase().ends_with(".docx"))
        .filter_map(|(r, bytes)| {
            let uses = documents::docx_template::uses(bytes).ok()?;
            Some((
                r.clone(),
                uses.into_iter().map(|u| (u.expr, u.printed)).collect(),
            ))
        })
        .collect();
    interview.template_uses.extend(found);
}

/// A made file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// `filename.ext`.
    pub filename: String,
    /// The media type.
    pub mimetype: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Why a file could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MakeError {
    /// The format is not among the document's formats.
    #[error("the document {document:?} is not offered as {format}")]
    NotOffered {
        /// The document's name.
        document: String,
        /// The format asked for.
        format: String,
    },
    /// The template file was not read with the interview.
    #[error("the template file {0} was not found")]
    MissingTemplate(String),
    /// Neither content nor a template.
    #[error("the document {0:?} has no content")]
    NoContent(String),
    /// The documents crate failed.
    #[error("{0}")]
    Document(#[from] DocumentError),
}

/// The formats of `att` that have files, in the order offered.
pub fn formats(att: &ScreenAttachment) -> Vec<Format> {
    let mut out = Vec::new();
    for f in &att.formats {
        if let Some(f) = Format::parse(f) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// A PDF form value from a field value: text as it is, `True`/`False` as `Yes`/`No`,
/// objects as their text (`[FILE …]` for a signature or image, which the filler stamps).
fn form_value(v: &serde_json::Value) -> Option<String> {
    let s = match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(true) => "Yes".into(),
        serde_json::Value::Bool(false) => "No".into(),
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Object(m) => match m.get("__str__") {
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => v.to_string(),
        },
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(form_value)
            .collect::<Vec<_>>()
            .join(", "),
    };
    Some(s)
}

/// The most images one document may place.
const MAX_IMAGES: usize = 20;

/// The files `att` names with `[FILE ref, …]` (a signature, an upload) in its content, its
/// field values or a DOCX template's printed expressions: what [`make`] may place as images.
pub fn image_refs(att: &ScreenAttachment) -> Vec<String> {
    fn scan(text: &str, out: &mut Vec<String>) {
        let mut rest = text;
        while let Some(at) = rest.find("[FILE ") {
            let tail = &rest[at + 6..];
            let end = tail.find([',', ']']).unwrap_or(tail.len());
            let r = tail[..end].trim().to_string();
            if !r.is_empty() && !out.contains(&r) && out.len() < MAX_IMAGES {
                out.push(r);
            }
            rest = &tail[end..];
        }
    }
    fn scan_json(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => scan(s, out),
            serde_json::Value::Array(a) => a.iter().for_each(|x| scan_json(x, out)),
            serde_json::Value::Object(m) => m.values().for_each(|x| scan_json(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(md) = att.markdown.values().next() {
        scan(md, &mut out);
    }
    for v in att.fields.values() {
        scan_json(v, &mut out);
    }
    for v in att.expressions.values() {
        scan(v, &mut out);
    }
    out
}

/// Makes `att` in `format`. `context` gives the interview's variables for a DOCX template
/// (only called for one); `images` the files its `[FILE …]` references name.
///
/// # Errors
/// A format the document does not offer, a missing template, or the documents crate's error.
pub fn make(
    iv: &CompiledInterview,
    context: impl FnOnce() -> serde_json::Value,
    att: &ScreenAttachment,
    format: Format,
    images: &Images,
) -> Result<Made, MakeError> {
    if !formats(att).contains(&format) {
        return Err(MakeError::NotOffered {
            document: att.name.clone(),
            format: format.extension().to_string(),
        });
    }
    let filename = format!(
        "{}.{}",
        if att.filename.is_empty() {
            "document"
        } else {
            &att.filename
        },
        format.extension()
    );
    let template = |att: &ScreenAttachment| -> Result<&[u8], MakeError> {
        let first = att
            .template_files
            .first()
            .ok_or_else(|| MakeError::NoContent(att.name.clone()))?;
        iv.interview
            .binary_file(first)
            .ok_or_else(|| MakeError::MissingTemplate(first.clone()))
    };
    let bytes = match att.template.as_deref() {
        Some("docx") => {
            let mut ctx = context();
            if let serde_json::Value::Object(m) = &mut ctx {
                for (k, v) in &att.fields {
                    m.insert(k.clone(), v.clone());
                }
            }
            let options = Options {
                skip_undefined: att.skip_undefined,
                values: att.expressions.clone(),
                images: images.clone(),
            };
            documents::generate(
                &Source::DocxTemplate {
                    template: template(att)?,
                    context: &ctx,
                    options: &options,
                },
                format,
            )?
        }
        Some("pdf") => {
            let fields: BTreeMap<String, String> = att
                .fields
                .iter()
                .filter_map(|(k, v)| form_value(v).map(|v| (k.clone(), v)))
                .collect();
            documents::generate(
                &Source::PdfTemplate {
                    template: template(att)?,
                    fields: &fields,
                    images,
                    editable: att.editable.unwrap_or(true),
                },
                format,
            )?
        }
        _ => {
            let markdown = att
                .markdown
                .values()
                .next()
                .ok_or_else(|| MakeError::NoContent(att.name.clone()))?;
            let meta =
                Metadata::from_pairs(att.metadata.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            documents::generate(
                &Source::Markdown {
                    markdown,
                    meta: &meta,
                    images,
                },
                format,
            )?
        }
    };
    Ok(Made {
        filename,
        mimetype: format.mimetype(),
        bytes,
    })
}

/// Every file of `atts` (each in each of its formats), for the zip of
/// `_download_attachments`; a document that fails is a text file saying why.
pub fn bundle(
    iv: &CompiledInterview,
    context: impl Fn() -> serde_json::Value,
    atts: &[ScreenAttachment],
    images: &Images,
) -> Result<Vec<u8>, MakeError> {
    let entries: Vec<(String, Vec<u8>)> = files(iv, context, atts, images)
        .into_iter()
        .map(|m| (m.filename, m.bytes))
        .collect();
    Ok(documents::archive::write(&entries)?)
}

/// Every format of every document, with names made unique (`2-letter.pdf`); a document that
/// cannot be made is a text file saying why (`letter.pdf.error.txt`).
pub fn files(
    iv: &CompiledInterview,
    context: impl Fn() -> serde_json::Value,
    atts: &[ScreenAttachment],
    images: &Images,
) -> Vec<Made> {
    let mut out: Vec<Made> = Vec::new();
    for att in atts {
        for f in formats(att) {
            let mut made = make(iv, &context, att, f, images).unwrap_or_else(|e| Made {
                filename: format!("{}.{}.error.txt", att.filename, f.extension()),
                mimetype: "text/plain",
                bytes: e.to_string().into_bytes(),
            });
            let name = made.filename.clone();
            let mut n = 1;
            while out.iter().any(|m| m.filename == made.filename) {
                n += 1;
                made.filename = format!("{n}-{name}");
            }
            out.push(made);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_values() {
        assert_eq!(form_value(&json!(true)).as_deref(), Some("Yes"));
        assert_eq!(form_value(&json!(" Jane \n")).as_deref(), Some("Jane"));
        assert_eq!(
            form_value(&json!({"__str__": "Jane Doe", "name": {}})).as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            form_value(&json!("[FILE 3, None, None]")).as_deref(),
            Some("[FILE 3, None, None]")
        );
    }
}
