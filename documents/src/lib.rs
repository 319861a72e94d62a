//! Colloquy's documents: the files of docassemble's attachments.
//!
//! * Markdown `content` (after Mako) → PDF (laid out here with the standard fonts), RTF and
//!   DOCX, honouring docassemble's document markup (`[PAGEBREAK]`, `[BOLDCENTER]`, …) and
//!   `metadata`.
//! * `docx template file`: Jinja2 inside the DOCX (docxtpl semantics), → DOCX or PDF.
//! * `pdf template file`: AcroForm fields filled from the `fields:` map → PDF.
//!
//! Pure: bytes in, bytes out, no I/O; every failure is a [`DocumentError`], never a panic.

pub mod archive;
pub mod docx;
pub mod docx_read;
pub mod docx_template;
pub mod error;
mod fonts;
pub mod image;
pub mod jinja;
pub mod markdown;
pub mod model;
pub mod pdf;
pub mod pdf_form;
pub mod rtf;
pub mod xml;

use std::collections::BTreeMap;

pub use error::DocumentError;
pub use jinja::Options;
pub use model::{Doc, Metadata};

/// A file format a document is offered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// PDF.
    Pdf,
    /// Rich Text Format.
    Rtf,
    /// Word.
    Docx,
    /// The Markdown itself.
    Md,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 4] = [Format::Pdf, Format::Rtf, Format::Docx, Format::Md];

    /// The format named `name` (`pdf`, `rtf`, `docx`, `md`), if it is one that is produced.
    pub fn parse(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "rtf" => Some(Format::Rtf),
            "docx" => Some(Format::Docx),
            "md" | "markdown" => Some(Format::Md),
            _ => None,
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Rtf => "rtf",
            Format::Docx => "docx",
            Format::Md => "md",
        }
    }

    /// The media type.
    pub fn mimetype(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Rtf => "application/rtf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Md => "text/markdown",
        }
    }
}

/// What a document is made from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// Markdown content with its metadata.
    Markdown {
        /// The Markdown, Mako already applied.
        markdown: &'a str,
        /// `metadata`.
        meta: &'a Metadata,
        /// The image files its `[FILE …]` lines name (placed in PDF only).
        images: &'a image::Images,
    },
    /// A DOCX template and the Jinja2 context.
    DocxTemplate {
        /// The .docx bytes.
        template: &'a [u8],
        /// The variables (see [`jinja`]).
        context: &'a serde_json::Value,
        /// `skip undefined`.
        options: &'a Options,
    },
    /// A PDF form and the values of its fields.
    PdfTemplate {
        /// The .pdf bytes.
        template: &'a [u8],
        /// Field name → value.
        fields: &'a BTreeMap<String, String>,
        /// The image files field values name (`[FILE …]`, a signature): stamped in the field.
        images: &'a image::Images,
        /// `editable`: false flattens the form (its fields become part of the pages).
        editable: bool,
    },
}

impl Source<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Source::Markdown { .. } => "Markdown",
            Source::DocxTemplate { .. } => "DOCX template",
            Source::PdfTemplate { .. } => "PDF template",
        }
    }
}

/// Makes the document `source` in `format`.
///
/// # Errors
/// A bad template, a template error, or a format this kind of source cannot give (a PDF form
/// only gives PDF; a DOCX template gives DOCX or PDF).
pub fn generate(source: &Source<'_>, format: Format) -> Result<Vec<u8>, DocumentError> {
    let unsupported = || DocumentError::Unsupported {
        source_kind: source.kind(),
        format: format.extension().to_string(),
    };
    match (source, format) {
        (Source::Markdown { markdown, .. }, Format::Md) => Ok(markdown.as_bytes().to_vec()),
        (
            Source::Markdown {
                markdown,
                meta,
                images,
            },
            f,
        ) => {
            let doc = markdown::parse(markdown, (*meta).clone());
            match f {
                Format::Pdf => Ok(pdf::write_with(&doc, images)),
                Format::Rtf => Ok(rtf::write(&doc)),
                Format::Docx => docx::write(&doc),
                Format::Md => Ok(markdown.as_bytes().to_vec()),
            }
        }
        (
            Source::DocxTemplate {
                template,
                context,
                options,
            },
            Format::Docx | Format::Pdf,
        ) => {
            let filled = docx_template::fill(template, context, options)?;
            if format == Format::Docx {
                Ok(filled)
            } else {
                Ok(pdf::write(&docx_read::read(&filled)?))
            }
        }
        (
            Source::PdfTemplate {
                template,
                fields,
                images,
                editable,
            },
            Format::Pdf,
        ) => pdf_form::fill_with(template, fields, images, *editable),
        _ => Err(unsupported()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_their_names() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.extension()), Some(f));
        }
        assert_eq!(Format::parse("tex"), None);
    }

    #[test]
    fn unsupported_combinations_are_errors() {
        let fields = BTreeMap::new();
        let images = image::Images::new();
        let e = generate(
            &Source::PdfTemplate {
                template: b"%PDF-1.4",
                fields: &fields,
                images: &images,
                editable: true,
            },
            Format::Docx,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "a PDF template document cannot be produced as docx"
        );
    }
}
