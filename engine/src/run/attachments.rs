//! Documents attached to questions (`attachment`/`attachments`, `attachment code`) and
//! attachment blocks that define a `variable name` (docassemble's `make_attachment`).
//!
//! Each attachment's `name`, `filename` and `description` are rendered (Mako), and its
//! Markdown content (`content` or `content file`) is rendered with Mako and shown as HTML. The
//! screen lists them as docassemble's JSON does (`attachments[]`: name, filename, description,
//! valid formats, and the Markdown/content by format). A `variable name` becomes a
//! `DAFileCollection` whose `info` holds the same.
//!
//! The engine makes no files: it gives the host what a document needs (the Markdown, the
//! template file references whose bytes are in [`crate::Interview::binary_files`], the
//! rendered `fields`, `metadata` and `skip undefined`) and the host's document maker turns that
//! into PDF, RTF or DOCX. The Jinja2 context of a DOCX template is
//! [`super::Engine::document_context`].

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
    /// `docx` or `pdf` for a document filled from a `docx template file`/`pdf template file`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub template: Option<String>,
    /// The template files, as references (`docassemble.pkg:data/templates/x.docx`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub template_files: Vec<String>,
    /// The values given by `fields`, `field code`, `field variables` and `code`: text for
    /// Mako, the value (as [`super::Engine::document_context`] gives values) for code.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub fields: BTreeMap<String, serde_json::Value>,
    /// `metadata`, rendered (`title`, `author` …).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub metadata: BTreeMap<String, String>,
    /// `skip undefined`: undefined names in a DOCX template print as nothing.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub skip_undefined: bool,
    /// The DOCX template's printed expressions evaluated here, by expression: their text.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub expressions: BTreeMap<String, String>,
    /// `editable`, when given (`False`: a filled PDF form is flattened).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub editable: Option<bool>,
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

    /// An attachment's Markdown content, rendered (`None` for template-file documents).
    fn attachment_markdown(
        &mut self,
        att: &Attachment,
        block: &Block,
        file: &str,
        bname: &str,
    ) -> Eval<Option<String>> {
        Ok(match &att.content {
            AttachmentContent::Inline(t) => Some(self.render(t, file, bname)?),
            AttachmentContent::ContentFile(FileSpec::Files(names)) => {
                let names: Vec<String> = names.iter().map(|n| n.source.clone()).collect();
                Some(self.render_template_files(&names, &block.file, att.line, bname)?)
            }
            AttachmentContent::ContentFile(FileSpec::Code(p)) => {
                let names = self.file_names(p, file, bname)?;
                Some(self.render_template_files(&names, &block.file, p.line, bname)?)
            }
            AttachmentContent::Docx(_) | AttachmentContent::Pdf(_) | AttachmentContent::None => {
                None
            }
        })
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
        // `redact: False` (or code that is false): `redact()` leaves this document's text.
        let redact = match att.options.iter().find(|(k, _)| k == "redact") {
            Some((_, raw)) => match &raw.0.value {
                crate::source::yaml::Value::Bool(b) => *b,
                crate::source::yaml::Value::Null => false,
                _ => match raw.0.python_str() {
                    Some(code) => self.truthy_src(code.trim(), (&file, raw.0.line), bname)?,
                    None => true,
                },
            },
            None => true,
        };
        self.host.set_redact(redact);
        let markdown = self.attachment_markdown(att, block, &file, bname);
        self.host.set_redact(true);
        let markdown = markdown?;
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
        let (template, template_files) = match &att.content {
            AttachmentContent::Docx(spec) => (Some("docx"), self.template_refs(spec, block)?),
            AttachmentContent::Pdf(spec) => (Some("pdf"), self.template_refs(spec, block)?),
            _ => (None, Vec::new()),
        };
        let skip_undefined = match &att.skip_undefined {
            Some(crate::block::Cond::Const(b)) => *b,
            Some(crate::block::Cond::Code(p)) => {
                self.truthy_src(&p.source, (&file, p.line), bname)?
            }
            None => false,
        };
        let fields = self.attachment_fields(att, skip_undefined, &file, bname)?;
        let mut expressions = BTreeMap::new();
        if template == Some("docx") {
            for r in &template_files {
                self.template_uses(r, &fields, skip_undefined, &mut expressions, &file, bname)?;
            }
        }
        let editable = match att.options.iter().find(|(k, _)| k == "editable") {
            Some((_, raw)) => match (&raw.0.value, raw.0.get("code")) {
                (_, Some(code)) => {
                    let src = code
                        .python_str()
                        .map(|s| s.into_owned())
                        .unwrap_or_default();
                    Some(self.truthy_src(&src, (&file, code.line), bname)?)
                }
                (crate::source::yaml::Value::Bool(b), None) => Some(*b),
                _ => raw.0.python_str().map(|s| {
                    !matches!(s.trim().to_ascii_lowercase().as_str(), "false" | "no" | "0")
                }),
            },
            None => None,
        };
        let metadata = match &att.metadata {
            Some(raw) => self.attachment_metadata(raw, &file, bname)?,
            None => BTreeMap::new(),
        };
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
            template: template.map(str::to_string),
            template_files,
            fields,
            metadata,
            skip_undefined,
            expressions,
            editable,
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
            "template": a.template,
            "template_files": a.template_files,
            "fields": a.fields,
            "metadata": a.metadata,
            "skip_undefined": a.skip_undefined,
            "expressions": a.expressions,
            "editable": a.editable,
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
        self.assign(&format!("{var}.info"), value, block)?;
        // `my_doc.pdf`, `my_doc.docx` …: the files, downloaded from the host.
        for f in &a.formats {
            let Some(mime) = mimetype(f) else { continue };
            let filename = format!("{}.{f}", a.filename);
            let url = self.host.document_url(var, &filename);
            let repr = super::ask::py_repr;
            self.exec_src(
                &format!(
                    "{var}.{f} = DAFile({}, filename={}, extension={}, mimetype={}, url={})",
                    repr(&format!("{var}.{f}")),
                    repr(&filename),
                    repr(f),
                    repr(mime),
                    repr(&url)
                ),
                block,
            )?;
        }
        Ok(())
    }
}

impl Ctx<'_> {
    /// The document stored in the variable `var` by an attachment's `variable name` (its
    /// `DAFileCollection`), if `var` holds one.
    pub(crate) fn stored_attachment(&mut self, var: &str) -> Option<ScreenAttachment> {
        let info = self.value_of(&format!("{var}.info"))?;
        let mut cx = self.interp();
        let mut a = from_info(&mut cx, &info).ok()?;
        a.variable_name = Some(var.to_string());
        Some(a)
    }

    /// Evaluates what the DOCX template `reference` uses (see
    /// [`crate::Interview::template_uses`]), in order: one needing a variable a block defines
    /// asks for it (unless `skip undefined`), a group the template iterates is gathered, and
    /// the text of each printed one goes into `printed`. One that fails otherwise (Jinja-only
    /// syntax, a name nothing defines), or that uses a name given by `fields`, is left to the
    /// template.
    fn template_uses(
        &mut self,
        reference: &str,
        fields: &BTreeMap<String, serde_json::Value>,
        skip_undefined: bool,
        printed: &mut BTreeMap<String, String>,
        file: &str,
        block: &str,
    ) -> Eval<()> {
        let Some(uses) = self.iv.interview.template_uses.get(reference).cloned() else {
            return Ok(());
        };
        for (expr, prints) in uses {
            let root = expr
                .trim_start_matches('[')
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("");
            if fields.contains_key(root) {
                continue;
            }
            let result = match self.eval_src(&expr, (file, 0), block) {
                Ok(v) if prints => {
                    let mut cx = self.interp();
                    match cx.to_str(&v) {
                        Ok(text) => {
                            printed.insert(expr.clone(), text);
                            Ok(())
                        }
                        // (a lazy template's text asks for what it needs)
                        Err(f @ pyeval::Flow::Needs(_)) => Err(super::eval::flow(f, block)),
                        Err(_) => Ok(()),
                    }
                }
                // Iterating a group in the template gathers it.
                Ok(v) if self.is_group(&v) => self
                    .eval_src(&format!("len({expr})"), (file, 0), block)
                    .map(|_| ()),
                Ok(_) => Ok(()),
                Err(e) => Err(e),
            };
            if let Err(Interrupt::Needs { missing, wanted }) = result {
                if !skip_undefined && self.definable(&missing) {
                    return Err(Interrupt::Needs { missing, wanted });
                }
            }
        }
        Ok(())
    }

    /// The classes of `v`, from its own to `DAObject` (none for a value that is no object).
    fn value_classes(&mut self, v: &pyeval::Value) -> Vec<String> {
        let chain = self.interp().class_chain(v).unwrap_or_default();
        chain.iter().map(|c| c.to_string()).collect()
    }

    /// Is `v` a `DAList`, `DADict` or `DASet` (or a subclass)?
    fn is_group(&mut self, v: &pyeval::Value) -> bool {
        self.value_classes(v)
            .iter()
            .any(|c| matches!(c.as_str(), "DAList" | "DADict" | "DASet"))
    }

    /// Does some block define `var` (directly, or generically for its object's class)?
    fn definable(&mut self, var: &str) -> bool {
        let variants = self.iv.variants(var);
        for v in variants.iter() {
            if !v.is_generic() {
                if !self.iv.definers(&v.name).is_empty() {
                    return true;
                }
                continue;
            }
            for class in self.classes_of(&v.generic_root).unwrap_or_default() {
                if !self.iv.generic_definers(&class, &v.name).is_empty() {
                    return true;
                }
            }
        }
        false
    }

    /// The references of the template files named by `spec` (names are Mako).
    fn template_refs(&mut self, spec: &FileSpec, block: &Block) -> Eval<Vec<String>> {
        let file = block.file.to_string();
        let names = match spec {
            FileSpec::Files(names) => {
                let mut out = Vec::new();
                for n in names {
                    out.push(self.render(n, &file, &block.name)?.trim().to_string());
                }
                out
            }
            FileSpec::Code(p) => self.file_names(p, &file, &block.name)?,
        };
        let mut refs = Vec::new();
        for n in names {
            match crate::source::template::template_ref(&block.file, &n) {
                Ok(r) => refs.push(r.to_string()),
                Err(e) => {
                    return Err(Interrupt::Error(RunError::Source {
                        file: file.clone(),
                        line: block.line,
                        message: format!("the template file {n}: {e}"),
                    }));
                }
            }
        }
        Ok(refs)
    }

    /// `fields` (Mako text, or nested values kept as JSON), `field variables`, `field code`
    /// and `code`, in that order (later ones win). With `skip undefined`, a `fields` value
    /// needing an undefined variable is empty instead of asked for.
    fn attachment_fields(
        &mut self,
        att: &Attachment,
        skip_undefined: bool,
        file: &str,
        block: &str,
    ) -> Eval<BTreeMap<String, serde_json::Value>> {
        let mut out = BTreeMap::new();
        for (name, raw) in &att.fields {
            let v = match self.render_field(&raw.0, file, block, 0) {
                // `skip undefined`: a field that needs an undefined variable is left empty.
                Err(Interrupt::Needs { .. }) if skip_undefined => {
                    serde_json::Value::String(String::new())
                }
                other => other?,
            };
            out.insert(name.clone(), v);
        }
        for var in &att.field_variables {
            let v = self.eval_src(var, (file, att.line), block)?;
            let mut cx = self.interp();
            let mut seen = Vec::new();
            let j = super::doc_context::context_value(&mut cx, &v, 0, &mut seen);
            out.insert(var.clone(), j);
        }
        for (name, p) in &att.field_code {
            let v = self.eval_src(&p.source, (file, p.line), block)?;
            let mut cx = self.interp();
            let mut seen = Vec::new();
            let j = super::doc_context::context_value(&mut cx, &v, 0, &mut seen);
            out.insert(name.clone(), j);
        }
        if let Some(p) = &att.code {
            let v = self.eval_src(&p.source, (file, p.line), block)?;
            let mut cx = self.interp();
            let flow = |f| super::eval::flow(f, block);
            let items = cx.collect(&v).map_err(flow)?;
            for k in items {
                let val = cx.get_item(&v, &k).map_err(flow)?;
                let key = cx.to_str(&k).map_err(flow)?;
                let mut seen = Vec::new();
                let j = super::doc_context::context_value(&mut cx, &val, 0, &mut seen);
                out.insert(key, j);
            }
        }
        Ok(out)
    }

    /// A `fields` value: text rendered with Mako (lists and dictionaries item by item), other
    /// scalars as they are.
    fn render_field(
        &mut self,
        node: &crate::source::yaml::Node,
        file: &str,
        block: &str,
        depth: u32,
    ) -> Eval<serde_json::Value> {
        use crate::source::yaml::Value as Y;
        match &node.value {
            Y::Str(_) if depth < 16 => {
                let t = crate::block::Text {
                    source: node
                        .python_str()
                        .map(|s| s.into_owned())
                        .unwrap_or_default(),
                    line: node.line,
                };
                let rendered = self.render(&t, file, block)?;
                Ok(serde_json::Value::String(
                    rendered.trim_end_matches('\n').to_string(),
                ))
            }
            Y::Seq(items) if depth < 16 => {
                let mut out = Vec::new();
                for i in items {
                    out.push(self.render_field(i, file, block, depth + 1)?);
                }
                Ok(serde_json::Value::Array(out))
            }
            Y::Map(pairs) if depth < 16 => {
                let mut out = serde_json::Map::new();
                for (k, v) in pairs {
                    let key = k.python_str().map(|s| s.into_owned()).unwrap_or_default();
                    out.insert(key, self.render_field(v, file, block, depth + 1)?);
                }
                Ok(serde_json::Value::Object(out))
            }
            _ => Ok(super::values::yaml_to_json(node)),
        }
    }

    /// `metadata`: each text value rendered with Mako; lists joined with commas.
    fn attachment_metadata(
        &mut self,
        raw: &crate::block::Raw,
        file: &str,
        block: &str,
    ) -> Eval<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        let crate::source::yaml::Value::Map(pairs) = &raw.0.value else {
            return Ok(out);
        };
        for (k, v) in pairs {
            let Some(key) = k.python_str() else { continue };
            let text = match &v.value {
                crate::source::yaml::Value::Seq(items) => items
                    .iter()
                    .filter_map(|i| i.python_str().map(|s| s.into_owned()))
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => v.python_str().map(|s| s.into_owned()).unwrap_or_default(),
            };
            let t = crate::block::Text {
                source: text,
                line: v.line,
            };
            let rendered = self.render(&t, file, block)?;
            out.insert(key.into_owned(), rendered.trim().to_string());
        }
        Ok(out)
    }
}

/// An assembled document's screen entry, from the `info` dict of its `DAFileCollection`.
fn from_info(
    cx: &mut pyeval::Interp<'_>,
    info: &pyeval::Value,
) -> pyeval::PyResult<ScreenAttachment> {
    let mut get = |key: &str| cx.get_item(info, &pyeval::Value::str(key)).ok();
    let expressions = get("expressions");
    let editable = get("editable");
    let (template, template_files, fields, metadata, skip_undefined) = (
        get("template"),
        get("template_files"),
        get("fields"),
        get("metadata"),
        get("skip_undefined"),
    );
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
    let template = match template {
        Some(pyeval::Value::None) | None => None,
        Some(v) => Some(cx.to_str(&v)?),
    };
    let template_files = list(cx, template_files)?;
    let metadata = map(cx, metadata)?;
    let expressions = map(cx, expressions)?;
    let editable = match editable {
        Some(pyeval::Value::None) | None => None,
        Some(v) => Some(cx.truthy(&v)?),
    };
    let skip_undefined = match skip_undefined {
        Some(v) => cx.truthy(&v)?,
        None => false,
    };
    let mut field_values = BTreeMap::new();
    if let Some(f) = fields {
        for k in cx.collect(&f)? {
            let val = cx.get_item(&f, &k)?;
            let key = cx.to_str(&k)?;
            let mut seen = Vec::new();
            let j = super::doc_context::context_value(cx, &val, 0, &mut seen);
            field_values.insert(key, j);
        }
    }
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
        template,
        template_files,
        fields: field_values,
        metadata,
        skip_undefined,
        expressions,
        editable,
    })
}

/// The media type of the document formats that have files.
fn mimetype(format: &str) -> Option<&'static str> {
    match format {
        "pdf" => Some("application/pdf"),
        "rtf" => Some("application/rtf"),
        "docx" => Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "md" => Some("text/markdown"),
        _ => None,
    }
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
