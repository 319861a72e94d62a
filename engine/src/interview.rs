//! Loading an interview: reading a file, expanding `include`s depth-first, numbering blocks.

use crate::block::{Block, BlockKind, ChoiceAction, QuestionInput, parse_block};
use crate::error::Error;
use crate::source::split::split_chunks;
use crate::source::yaml::parse_document;
use crate::source::{FileRef, Source, SourceError};
use std::collections::HashSet;
use std::sync::Arc;

/// A loaded interview: every block of the root file and of the files it includes, in the
/// order docassemble reads them (an included file's blocks come right after the `include`
/// block that names it... in fact before it is numbered, as in docassemble).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Interview {
    /// The root file.
    pub root: Option<FileRef>,
    /// All blocks in reading order (include blocks stay in the list, after the blocks of the
    /// files they include).
    pub blocks: Vec<Block>,
    /// The files read, in order.
    pub files: Vec<FileRef>,
    /// Template files (`content file:`) read with the interview, by reference
    /// (`docassemble.pkg:data/templates/x.md`): the engine itself does no I/O.
    pub template_files: std::collections::BTreeMap<String, String>,
    /// DOCX and PDF templates (`docx template file:`, `pdf template file:`) read with the
    /// interview, by reference, as bytes: the documents made from them need no I/O.
    pub binary_files: std::collections::BTreeMap<String, Vec<u8>>,
    /// What each DOCX template uses, by reference, in document order: Python expressions
    /// (printed expressions, conditions, loop iterables, comprehensions over loops), each with
    /// whether the template prints its text. The engine cannot read a DOCX: the host fills
    /// this in after loading (see the `documents` crate). When it assembles the attachment the
    /// engine evaluates them in order, so that what they need is asked for as docassemble's
    /// rendering would ask, and hands back the printed texts (docassemble's functions and
    /// methods: `today()`, `user.address_block()`).
    pub template_uses: std::collections::BTreeMap<String, Vec<(String, bool)>>,
    /// The data files `objects_from_file()` and `objects from file` blocks read (YAML and
    /// JSON of the packages' `data/sources` folders), by reference
    /// (`docassemble.pkg:data/sources/x.yml`), read with the interview when it uses them.
    pub source_files: std::collections::BTreeMap<String, String>,
    /// The interview's own Python modules (package `.py` files its `modules`/`imports`
    /// blocks name, and those they import), as (dotted name, source), dependencies first.
    pub python_modules: Vec<(String, String)>,
    /// The dotted names of the modules its `modules` blocks name, in order (their exports
    /// are globals: `from module import *`).
    pub star_modules: Vec<String>,
}

impl Interview {
    /// The blocks in docassemble's question list (questions, code, objects, …), in order.
    pub fn questions(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| b.in_question_list)
    }

    /// The text of the template file `name` as written in `from` (`content file:`), if it was
    /// read with the interview.
    pub fn template_file(&self, from: &FileRef, name: &str) -> Option<&str> {
        let r = crate::source::template::template_ref(from, name).ok()?;
        self.template_files.get(&r.to_string()).map(String::as_str)
    }

    /// The bytes of the DOCX/PDF template `reference` (as
    /// [`crate::source::template::template_ref`] gives it), if it was read with the interview.
    pub fn binary_file(&self, reference: &str) -> Option<&[u8]> {
        self.binary_files.get(reference).map(Vec::as_slice)
    }

    /// The block with `id`, if any (the last one wins, as in docassemble).
    pub fn by_id(&self, id: &str) -> Option<&Block> {
        self.blocks
            .iter()
            .rev()
            .find(|b| b.id.as_deref() == Some(id))
    }
}

struct Loader<'s> {
    source: &'s dyn Source,
    included: HashSet<FileRef>,
    interview: Interview,
    errors: Vec<Error>,
    question_index: usize,
    block_index: usize,
}

/// Loads the interview `root` from `source`.
///
/// Parsing goes on after a block with an error, so that every problem is reported.
///
/// # Errors
/// Every problem found, each with its file and line.
pub fn load(source: &dyn Source, root: &FileRef) -> Result<Interview, Vec<Error>> {
    let mut loader = Loader {
        source,
        included: HashSet::new(),
        interview: Interview {
            root: Some(root.clone()),
            ..Interview::default()
        },
        errors: Vec::new(),
        question_index: 0,
        block_index: 0,
    };
    match source.read(root) {
        Ok(text) => loader.read_file(root, &text),
        Err(e) => loader.errors.push(source_error(root, &e)),
    }
    loader.read_templates();
    let data_modules = loader.read_sources();
    loader.read_modules(&data_modules);
    if loader.errors.is_empty() {
        Ok(loader.interview)
    } else {
        Err(loader.errors)
    }
}

/// Loads an interview from text, as if it were the file `name` (includes are read from
/// `source`).
///
/// # Errors
/// As [`load`].
pub fn load_str(source: &dyn Source, name: &FileRef, text: &str) -> Result<Interview, Vec<Error>> {
    let mut loader = Loader {
        source,
        included: HashSet::new(),
        interview: Interview {
            root: Some(name.clone()),
            ..Interview::default()
        },
        errors: Vec::new(),
        question_index: 0,
        block_index: 0,
    };
    loader.read_file(name, text);
    loader.read_templates();
    let data_modules = loader.read_sources();
    loader.read_modules(&data_modules);
    if loader.errors.is_empty() {
        Ok(loader.interview)
    } else {
        Err(loader.errors)
    }
}

fn source_error(r: &FileRef, e: &SourceError) -> Error {
    Error::new(r.to_string(), 0, e.to_string())
}

impl Loader<'_> {
    /// Reads the package modules the `modules` and `imports` blocks name (and the package
    /// modules those import), for the engine to run when it compiles the interview. A module
    /// that is not there is left out, as the runtime's own library modules are.
    /// Reads the data files of the packages' `data/sources` folders when a block reads them
    /// (`objects_from_file()` in code, an `objects from file` block); returns the package
    /// modules their objects name (`module: .fish`).
    fn read_sources(&mut self) -> Vec<String> {
        use crate::runtime::modules::resolve_module_name;
        let mut packages: Vec<String> = Vec::new();
        for block in &self.interview.blocks {
            let uses = match &block.kind {
                BlockKind::ObjectsFromFile(_) => true,
                BlockKind::Code(py) => py.source.contains("objects_from_file"),
                _ => false,
            };
            if let (true, FileRef::Package { package, .. }) = (uses, &*block.file)
                && !packages.contains(package)
            {
                packages.push(package.clone());
            }
        }
        let mut modules = Vec::new();
        for package in packages {
            let dir = FileRef::Package {
                package: package.clone(),
                path: "data/sources".to_string(),
            };
            for name in self.source.list(&dir) {
                let lower = name.to_ascii_lowercase();
                if !(lower.ends_with(".yml")
                    || lower.ends_with(".yaml")
                    || lower.ends_with(".json"))
                {
                    continue;
                }
                let r = FileRef::Package {
                    package: package.clone(),
                    path: format!("data/sources/{name}"),
                };
                let Ok(text) = self.source.read(&r) else {
                    continue;
                };
                for line in text.lines() {
                    let Some(m) = line.trim().strip_prefix("module:") else {
                        continue;
                    };
                    let m = m.trim().trim_matches(|c| c == '"' || c == '\'');
                    if let Some(full) = resolve_module_name(m, Some(&package))
                        && !modules.contains(&full)
                    {
                        modules.push(full);
                    }
                }
                self.interview.source_files.insert(r.to_string(), text);
            }
        }
        modules
    }

    fn read_modules(&mut self, data_modules: &[String]) {
        use crate::runtime::modules::resolve_module_name;
        let mut wanted: Vec<(String, bool)> =
            data_modules.iter().map(|m| (m.clone(), false)).collect();
        for block in &self.interview.blocks {
            let (names, star) = match &block.kind {
                BlockKind::Modules(n) => (n, true),
                BlockKind::Imports(n) => (n, false),
                _ => continue,
            };
            let package = match &*block.file {
                FileRef::Package { package, .. } => Some(package.as_str()),
                FileRef::Path(_) => None,
            };
            for n in names {
                if let Some(full) = resolve_module_name(n, package) {
                    wanted.push((full, star));
                }
            }
        }
        let mut loaded: Vec<(String, String)> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for (name, star) in wanted {
            if star && !self.interview.star_modules.contains(&name) {
                self.interview.star_modules.push(name.clone());
            }
            self.read_module(&name, &mut seen, &mut loaded, 0);
        }
        self.interview.python_modules = loaded;
    }

    /// Reads module `name` after the package modules it imports.
    fn read_module(
        &mut self,
        name: &str,
        seen: &mut HashSet<String>,
        loaded: &mut Vec<(String, String)>,
        depth: usize,
    ) {
        use crate::runtime::modules::{module_file, resolve_module_name};
        if depth > 16 || !seen.insert(name.to_string()) {
            return;
        }
        let Some((package, path)) = module_file(name) else {
            return;
        };
        let Ok(text) = self.source.read(&FileRef::Package { package, path }) else {
            return;
        };
        for line in text.lines() {
            let line = line.trim_start();
            let imported = line
                .strip_prefix("from ")
                .and_then(|r| r.split_whitespace().next())
                .or_else(|| {
                    line.strip_prefix("import ")
                        .and_then(|r| r.split([',', ' ']).next())
                });
            if let Some(m) = imported.and_then(|m| resolve_module_name(m, None)) {
                self.read_module(&m, seen, loaded, depth + 1);
            }
        }
        loaded.push((name.to_string(), text));
    }

    /// Reads the template files the blocks name (`content file:` of templates and attachments);
    /// when a file name is computed by code, every text file of the package's templates folder.
    fn read_templates(&mut self) {
        use crate::block::{AttachmentContent, Attachments, FileSpec, TemplateContent};
        use crate::source::template::{
            is_binary_template, is_text_template, template_ref, templates_dir,
        };
        let mut named: Vec<(Arc<FileRef>, String, u32, bool)> = Vec::new();
        let mut dirs: Vec<FileRef> = Vec::new();
        let mut binary_named: Vec<(Arc<FileRef>, String)> = Vec::new();
        let mut binary_dirs: Vec<FileRef> = Vec::new();
        for block in &self.interview.blocks {
            let mut add_dir = |from: &FileRef| {
                if let Some(d) = templates_dir(from) {
                    if !dirs.contains(&d) {
                        dirs.push(d);
                    }
                }
            };
            if let BlockKind::Template(t) = &block.kind {
                match &t.content {
                    TemplateContent::File(names) => {
                        for n in names {
                            named.push((block.file.clone(), n.source.clone(), n.line, true));
                        }
                    }
                    TemplateContent::FileCode(_) => add_dir(&block.file),
                    TemplateContent::Inline(_) => {}
                }
            }
            let attachments = match &block.kind {
                BlockKind::Attachments(a) => Some(a),
                BlockKind::Question(q) => q.attachments.as_ref(),
                _ => None,
            };
            match attachments {
                Some(Attachments::List(list)) => {
                    for a in list {
                        match &a.content {
                            AttachmentContent::ContentFile(FileSpec::Files(names)) => {
                                for n in names {
                                    named.push((
                                        block.file.clone(),
                                        n.source.clone(),
                                        n.line,
                                        false,
                                    ));
                                }
                            }
                            AttachmentContent::ContentFile(FileSpec::Code(_)) => {
                                add_dir(&block.file)
                            }
                            AttachmentContent::Docx(FileSpec::Files(names))
                            | AttachmentContent::Pdf(FileSpec::Files(names)) => {
                                for n in names {
                                    binary_named.push((block.file.clone(), n.source.clone()));
                                }
                            }
                            AttachmentContent::Docx(FileSpec::Code(_))
                            | AttachmentContent::Pdf(FileSpec::Code(_)) => {
                                if let Some(d) = templates_dir(&block.file) {
                                    if !binary_dirs.contains(&d) {
                                        binary_dirs.push(d);
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                // `attachment code` may name any of the package's templates.
                Some(Attachments::Code(_)) => add_dir(&block.file),
                None => {}
            }
        }
        for (from, name, line, required) in named {
            let read = template_ref(&from, &name)
                .map_err(|e| e.to_string())
                .and_then(|r| {
                    self.source
                        .read(&r)
                        .map(|text| (r, text))
                        .map_err(|e| e.to_string())
                });
            match read {
                Ok((r, text)) => {
                    self.interview.template_files.insert(r.to_string(), text);
                }
                Err(e) if required => self.errors.push(Error::new(
                    from.to_string(),
                    line,
                    format!("unable to read the content file {} ({e})", name.trim()),
                )),
                Err(_) => {}
            }
        }
        for (from, name) in binary_named {
            if name.contains("${") || name.contains("% ") {
                // A name computed by Mako: any template of the package may be meant.
                if let Some(d) = templates_dir(&from) {
                    if !binary_dirs.contains(&d) {
                        binary_dirs.push(d);
                    }
                }
                continue;
            }
            let read = template_ref(&from, &name)
                .map_err(|e| e.to_string())
                .and_then(|r| {
                    self.source
                        .read_bytes(&r)
                        .map(|bytes| (r, bytes))
                        .map_err(|e| e.to_string())
                })
                .ok();
            // A missing template is reported when the document is made (docassemble fails
            // then too), so the rest of the interview still runs.
            if let Some((r, bytes)) = read {
                self.interview.binary_files.insert(r.to_string(), bytes);
            }
        }
        for dir in binary_dirs {
            for name in self.source.list(&dir) {
                if !is_binary_template(&name) {
                    continue;
                }
                let Ok(r) = template_ref(&dir, &name) else {
                    continue;
                };
                if let Ok(bytes) = self.source.read_bytes(&r) {
                    self.interview.binary_files.insert(r.to_string(), bytes);
                }
            }
        }
        for dir in dirs {
            for name in self.source.list(&dir) {
                if !is_text_template(&name) {
                    continue;
                }
                let Ok(r) = template_ref(&dir, &name) else {
                    continue;
                };
                if let Ok(text) = self.source.read(&r) {
                    self.interview.template_files.insert(r.to_string(), text);
                }
            }
        }
    }

    fn read_file(&mut self, file: &FileRef, text: &str) {
        if !self.included.insert(file.clone()) {
            return;
        }
        self.interview.files.push(file.clone());
        let name = file.to_string();
        if text
            .lines()
            .next()
            .is_some_and(|l| l.trim_end() == "# use jinja")
        {
            self.errors.push(Error::new(
                &name,
                1,
                "unsupported: this file starts with '# use jinja' and needs Jinja2 rendering \
                 before it can be read",
            ));
            return;
        }
        let file_arc = Arc::new(file.clone());
        for chunk in split_chunks(text) {
            let offset = chunk.start_line.saturating_sub(1);
            let doc = match parse_document(&chunk.text) {
                Ok(Some(doc)) => doc,
                Ok(None) => continue,
                Err(e) => {
                    self.errors.push(Error::new(
                        &name,
                        e.line.saturating_add(offset),
                        format!("YAML error: {}", e.message),
                    ));
                    continue;
                }
            };
            let doc = shift_lines(doc, offset);
            match parse_block(&doc, &file_arc) {
                Ok(mut block) => {
                    if let BlockKind::Include(items) = &mut block.kind {
                        let mut items = std::mem::take(items);
                        for item in &mut items {
                            self.include(file, &name, item);
                        }
                        block.kind = BlockKind::Include(items);
                    }
                    self.number(&mut block);
                    self.interview.blocks.push(block);
                }
                Err(e) => self.errors.push(e.in_file(&name)),
            }
        }
    }

    fn include(&mut self, from: &FileRef, from_name: &str, item: &mut crate::block::IncludeItem) {
        let spec = item.reference.trim();
        let target = if spec.contains(':') {
            FileRef::package(spec)
        } else {
            match from.sibling(spec) {
                Ok(sib) if self.source.exists(&sib) => Ok(sib),
                _ => FileRef::standard(spec),
            }
        };
        let target = match target {
            Ok(t) => t,
            Err(e) => {
                self.errors
                    .push(Error::new(from_name, item.line, e.to_string()));
                return;
            }
        };
        item.resolved = Some(target.clone());
        if self.included.contains(&target) {
            return;
        }
        match self.source.read(&target) {
            Ok(text) => self.read_file(&target, &text),
            Err(e) => self.errors.push(Error::new(
                from_name,
                item.line,
                format!("an include section could not find the file {spec} ({e})"),
            )),
        }
    }

    /// Numbers a block (and, first, the blocks embedded in it), as docassemble does.
    fn number(&mut self, block: &mut Block) {
        self.number_embedded(block);
        block.in_question_list = in_question_list(&block.kind);
        if block.in_question_list {
            block.number = self.question_index;
            self.question_index += 1;
            block.name = match &block.id {
                Some(id) => format!("ID {id}"),
                None => format!("Question_{}", block.number),
            };
        } else {
            block.number = self.block_index;
            self.block_index += 1;
            block.name = format!("Block_{}", block.number);
        }
    }

    fn number_embedded(&mut self, block: &mut Block) {
        match &mut block.kind {
            BlockKind::Question(q) => {
                if let QuestionInput::MultipleChoice { choices, .. } = &mut q.input {
                    for c in &mut choices.items {
                        match &mut c.action {
                            ChoiceAction::Block(b) => {
                                b.file = Arc::clone(&block.file);
                                self.number(b);
                                // Embedded blocks are numbered but not in the question list.
                                b.in_question_list = false;
                            }
                            // A special button is an embedded command question.
                            ChoiceAction::Special(_) => self.question_index += 1,
                            _ => {}
                        }
                    }
                }
            }
            BlockKind::Require(r) => {
                r.orelse.file = Arc::clone(&block.file);
                self.number(&mut r.orelse);
                r.orelse.in_question_list = false;
            }
            _ => {}
        }
    }
}

/// Whether docassemble appends a block of this kind to its question list.
fn in_question_list(kind: &BlockKind) -> bool {
    matches!(
        kind,
        BlockKind::Question(_)
            | BlockKind::Code(_)
            | BlockKind::Objects(_)
            | BlockKind::ObjectsFromFile(_)
            | BlockKind::Data(_)
            | BlockKind::DataFromCode(_)
            | BlockKind::Template(_)
            | BlockKind::Table(_)
            | BlockKind::Attachments(_)
            | BlockKind::Require(_)
            | BlockKind::Modules(_)
            | BlockKind::Imports(_)
            | BlockKind::Reset(_)
    )
}

/// Adds `offset` to every line of a node tree (chunk lines → file lines).
fn shift_lines(mut node: crate::source::yaml::Node, offset: u32) -> crate::source::yaml::Node {
    fn walk(n: &mut crate::source::yaml::Node, offset: u32) {
        use crate::source::yaml::Value;
        n.line = n.line.saturating_add(offset);
        match &mut n.value {
            Value::Seq(items) => items.iter_mut().for_each(|i| walk(i, offset)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                walk(k, offset);
                walk(v, offset);
            }),
            _ => {}
        }
    }
    if offset > 0 {
        walk(&mut node, offset);
    }
    node
}
