//! Documents attached to questions (`attachment`/`attachments`, `attachment code`) and
//! attachment blocks that define a `variable name` (docassemble's `make_attachment`).
//!
//! Each attachment's `name`, `filename` and `description` are rendered (Mako), and its
//! Markdown content (`content` or `content file`) is rendered with Mako and shown as HTML. The
//! screen lists them as docassemble's JSON does (`attachments[]`: name, filename, description,
//! valid formats, and the Markdown/content by format). A `variable name` becomes a
//! `DAFileCollection` whose `info` holds the same. Converting to PDF, RTF or DOCX (Pandoc,
//! docx/pdf templates) is not done: those formats have no files.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::RunError;
use super::eval::{Ctx, Eval, Interrupt};
use super::variants::substitute;
use crate::block::{Attachment, AttachmentContent, Attachments, Block, FileSpec, ValidFormats};
use crate::text::{self, NoResolver};

/// One attached document, as listed on a screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenAttachment {
    /// `name`, rendered.
    pub name: String,
    /// `filename` (without extension), made safe; from the name when not given.
    pub filename: String,
    /// `description`, rendered (HTML).
    pub description: String,
    /// `variable name`, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub variable_name: Option<String>,
    /// `valid formats` (`*` = the default formats).
    pub valid_formats: Vec<String>,
    /// The formats the document is offered in.
    pub formats: Vec<String>,
    /// The Markdown (after Mako) by format.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub markdown: BTreeMap<String, String>,
    /// The content by format: HTML for `html`, the Markdown for the others (as docassemble).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub content: BTreeMap<String, String>,
    /// The Markdown content rendered to HTML, for showing the document in the page.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub html: Option<String>,
}

impl Ctx<'_> {
    /// Renders the attachments of `block` (with `x`/`i`… bound as given) and defines their
    /// `variable name`s.
    pub(crate) fn attachments(
        &mut self,
        a: &Attachments,
        block: &Block,
        x: Option<&str>,
        iterators: &[String],
    ) -> Eval<Vec<ScreenAttachment>> {
        let (list, mut out) = match a {
            Attachments::List(list) => (list.clone(), Vec::new()),
            Attachments::Code(p) => self.attachments_from_code(p, block)?,
        };
        for att in &list {
            out.push(self.attachment(att, block, x, iterators)?);
        }
        Ok(out)
    }

    /// `attachment code`: an expression giving documents already assembled (the
    /// `DAFileCollection` of an attachment's `variable name`), or dicts with the keys of an
    /// attachment, or a list of those.
    fn attachments_from_code(
        &mut self,
        p: &crate::block::Python,
        block: &Block,
    ) -> Eval<(Vec<Attachment>, Vec<ScreenAttachment>)> {
        let file = block.file.to_string();
        let name = block.name.as_str();
        let v = self.eval_src(&p.source, (&file, p.line), name)?;
        let mut cx = self.interp();
        let flow = |f| super::eval::flow(f, name);
        let is_list = matches!(&v, pyeval::Value::Ref(id)
            if matches!(cx.heap().get(*id).map(|o| &o.kind), Some(pyeval::ObjKind::List(_))));
        let items = if is_list {
            cx.collect(&v).map_err(flow)?
        } else {
            vec![v]
        };
        let mut specs = Vec::new();
        let mut assembled = Vec::new();
        for item in items {
            if cx.class_name(&item).is_some() {
                let info = cx.get_attr(&item, "info").map_err(flow)?;
                let mut a = from_info(&mut cx, &info).map_err(flow)?;
                a.variable_name = cx.path_of(&item).map(|p| p.to_string());
                assembled.push(a);
                continue;
            }
            let node = super::fields_code::to_node(&mut cx, &item, p.line, 0).map_err(flow)?;
            let parsed = crate::block::attachment::parse_attachments(&node).map_err(|e| {
                Interrupt::Error(RunError::Source {
                    file: file.clone(),
                    line: p.line,
                    message: format!("in the attachments given by code: {}", e.message),
                })
            })?;
            specs.extend(parsed);
        }
        Ok((specs, assembled))
    }

    fn attachment(
        &mut self,
        att: &Attachment,
        block: &Block,
        x: Option<&str>,
        iterators: &[String],
    ) -> Eval<ScreenAttachment> {
        let file = block.file.to_string();
        let bname = block.name.as_str();
        let name = match &att.name {
            Some(t) => self.render(t, &file, bname)?.trim().to_string(),
            None => "Document".to_string(),
        };
        let filename = match &att.filename {
            Some(t) => safe_filename(self.render(t, &file, bname)?.trim()),
            None => String::new(),
        };
        let filename = if filename.is_empty() {
            safe_filename(&name)
        } else {
            filename
        };
        let description = match &att.description {
            Some(t) => text::to_html(&self.render(t, &file, bname)?, &NoResolver),
            None => String::new(),
        };
        let valid_formats = match &att.valid_formats {
            ValidFormats::All => vec!["*".to_string()],
            ValidFormats::List(l) => l.clone(),
            ValidFormats::Code(p) => self.file_names(p, &file, bname)?,
        };
        let markdown = match &att.content {
            AttachmentContent::Inline(t) => Some(self.render(t, &file, bname)?),
            AttachmentContent::ContentFile(FileSpec::Files(names)) => {
                let names: Vec<String> = names.iter().map(|n| n.source.clone()).collect();
                Some(self.render_template_files(&names, &block.file, att.line, bname)?)
            }
            AttachmentContent::ContentFile(FileSpec::Code(p)) => {
                let names = self.file_names(p, &file, bname)?;
                Some(self.render_template_files(&names, &block.file, p.line, bname)?)
            }
            AttachmentContent::Docx(_) | AttachmentContent::Pdf(_) | AttachmentContent::None => {
                None
            }
        };
        let formats: Vec<String> = if valid_formats.iter().any(|f| f == "*") {
            match &att.content {
                AttachmentContent::Docx(_) => vec!["pdf".into(), "docx".into()],
                AttachmentContent::Pdf(_) => vec!["pdf".into()],
                _ => vec!["pdf".into(), "rtf".into()],
            }
        } else {
            valid_formats.clone()
        };
        let html = markdown
            .as_ref()
            .map(|md| text::to_html(&md.replace("[PAGEBREAK]", "\n\n"), &NoResolver));
        let mut md_by_format = BTreeMap::new();
        let mut content = BTreeMap::new();
        if let Some(md) = &markdown {
            for f in &formats {
                md_by_format.insert(f.clone(), md.trim_end().to_string());
                let c = match (f.as_str(), &html) {
                    ("html", Some(h)) => h.clone(),
                    _ => md.trim_end().to_string(),
                };
                content.insert(f.clone(), c);
            }
        }
        let variable_name = att
            .variable_name
            .as_ref()
            .map(|v| substitute(&v.name, x, iterators));
        let shown = ScreenAttachment {
            name,
            filename,
            description,
            variable_name: variable_name.clone(),
            valid_formats,
            formats,
            markdown: md_by_format,
            content,
            html,
        };
        if let Some(var) = &variable_name {
            self.define_attachment_variable(var, &shown, bname)?;
        }
        Ok(shown)
    }

    /// `variable name`: a `DAFileCollection` whose `info` describes the document.
    fn define_attachment_variable(
        &mut self,
        var: &str,
        a: &ScreenAttachment,
        block: &str,
    ) -> Eval<()> {
        let info = serde_json::json!({
            "name": a.name,
            "filename": a.filename,
            "description": a.description,
            "valid_formats": a.valid_formats,
            "formats": a.formats,
            "markdown": a.markdown,
            "content": a.content,
            "extension": {},
            "mimetype": {},
        });
        self.exec_src(
            &format!("{var} = DAFileCollection({})", super::ask::py_repr(var)),
            block,
        )?;
        let mut cx = self.interp();
        let value =
            super::values::from_json(&mut cx, &info).map_err(|f| super::eval::flow(f, block))?;
        drop(cx);
        self.assign(&format!("{var}.info"), value, block)
    }
}

/// An assembled document's screen entry, from the `info` dict of its `DAFileCollection`.
fn from_info(
    cx: &mut pyeval::Interp<'_>,
    info: &pyeval::Value,
) -> pyeval::PyResult<ScreenAttachment> {
    let mut get = |key: &str| cx.get_item(info, &pyeval::Value::str(key)).ok();
    let (name, filename, description, valid, formats, markdown, content) = (
        get("name"),
        get("filename"),
        get("description"),
        get("valid_formats"),
        get("formats"),
        get("markdown"),
        get("content"),
    );
    let text = |cx: &mut pyeval::Interp<'_>, v: Option<pyeval::Value>| match v {
        Some(v) => cx.to_str(&v),
        None => Ok(String::new()),
    };
    let list =
        |cx: &mut pyeval::Interp<'_>, v: Option<pyeval::Value>| -> pyeval::PyResult<Vec<String>> {
            let Some(v) = v else { return Ok(Vec::new()) };
            let mut out = Vec::new();
            for item in cx.collect(&v)? {
                out.push(cx.to_str(&item)?);
            }
            Ok(out)
        };
    let map = |cx: &mut pyeval::Interp<'_>,
               v: Option<pyeval::Value>|
     -> pyeval::PyResult<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        let Some(v) = v else { return Ok(out) };
        for k in cx.collect(&v)? {
            let val = cx.get_item(&v, &k)?;
            out.insert(cx.to_str(&k)?, cx.to_str(&val)?);
        }
        Ok(out)
    };
    let markdown = map(cx, markdown)?;
    let html = markdown
        .values()
        .next()
        .map(|md| text::to_html(&md.replace("[PAGEBREAK]", "\n\n"), &NoResolver));
    Ok(ScreenAttachment {
        name: text(cx, name)?,
        filename: text(cx, filename)?,
        description: text(cx, description)?,
        variable_name: None,
        valid_formats: list(cx, valid)?,
        formats: list(cx, formats)?,
        markdown,
        content: map(cx, content)?,
        html,
    })
}

/// docassemble's `secure_filename_unicode_ok` after `space_to_underscore`: spaces become
/// underscores; path separators and other unsafe characters are dropped.
fn safe_filename(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if c.is_whitespace() {
            out.push('_');
        } else if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
        }
    }
    out.trim_matches(['.', '_']).to_string()
}

#[cfg(test)]
mod tests {
    use super::safe_filename;

    #[test]
    fn filenames_are_made_safe() {
        assert_eq!(safe_filename("My Letter"), "My_Letter");
        assert_eq!(safe_filename("../etc/passwd"), "etcpasswd");
        assert_eq!(safe_filename(" Résumé 2 "), "Résumé_2");
    }
}
