//! Why a document could not be made.

/// A document could not be generated. Every variant carries a message meant for the person
/// who wrote the interview.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// The template file is not a DOCX/PDF that can be read.
    #[error("the template file is not a valid {kind} file: {reason}")]
    BadFile {
        /// `DOCX` or `PDF`.
        kind: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The Jinja2 inside a DOCX template could not be parsed or rendered.
    #[error("the DOCX template {part} has an error: {reason}")]
    Template {
        /// The part of the DOCX (`word/document.xml`).
        part: String,
        /// What is wrong.
        reason: String,
    },
    /// The output format cannot be made from this kind of source.
    #[error("a {source_kind} document cannot be produced as {format}")]
    Unsupported {
        /// The source (`Markdown`, `DOCX template`, `PDF template`).
        source_kind: &'static str,
        /// The format asked for.
        format: String,
    },
    /// Writing the output failed.
    #[error("the {format} file could not be written: {reason}")]
    Write {
        /// The format.
        format: &'static str,
        /// Why.
        reason: String,
    },
}
