//! The typed block model: one [`Block`] per YAML chunk of an interview file.
//!
//! Text that docassemble renders (Mako + Markdown) is kept as [`Text`]; Python source is kept
//! as [`Python`]; variable names as [`Var`]. Each carries the file line it came from so that
//! the renderer and the Python evaluator can report errors in place.

pub mod attachment;
pub mod choice;
pub mod config;
pub mod field;
pub mod keys;
pub mod parse;
pub mod question;
pub mod read;
pub mod review;

pub use attachment::{Attachment, AttachmentContent, Attachments, FileSpec, ValidFormats};
pub use choice::{Choice, ChoiceAction, ChoiceList, ChoiceValue, SpecialButton};
pub use config::*;
pub use field::{Datatype, Field, FieldItem, InputType, ShowIf};
pub use parse::parse_block;
pub use question::{MultipleChoiceStyle, Question, QuestionInput, YesNoKind};
pub use review::ReviewItem;

use crate::source::FileRef;
use crate::source::yaml::Node;
use std::sync::Arc;

/// Mako/Markdown source text, rendered later.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The template source (Python's `str()` of the YAML value).
    pub source: String,
    /// The file line of the value.
    pub line: u32,
}

/// Python source code (an expression or statements), compiled later by `pyeval`.
#[derive(Debug, Clone, PartialEq)]
pub struct Python {
    /// The source.
    pub source: String,
    /// The file line of the value. For block scalars (`code: |`) this is the line of the
    /// indicator; the first source line is the next one.
    pub line: u32,
}

/// A variable name (an assignable Python expression such as `a.b[i]`), as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Var {
    /// The name, trimmed.
    pub name: String,
    /// The file line.
    pub line: u32,
}

/// A value that is either a constant true/false or a Python expression
/// (`mandatory`, `initial`, `required`, `show if: code`, …).
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// A YAML `true`/`false` (or null, meaning false).
    Const(bool),
    /// A Python expression.
    Code(Python),
}

/// A YAML value kept as it is where docassemble itself treats the content as free-form
/// (`metadata`, `data`, custom attachment options).
#[derive(Debug, Clone, PartialEq)]
pub struct Raw(pub Node);

/// One block of an interview.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The block's name: `ID <id>`, `Question_<n>` or `Block_<n>` (spec §3.1).
    pub name: String,
    /// For blocks in the question list, `n` of `Question_<n>`; for the others, `n` of `Block_<n>`.
    pub number: usize,
    /// True when docassemble appends the block to its question list (questions, code,
    /// objects, templates, …); false for configuration blocks (`metadata`, `features`, …).
    pub in_question_list: bool,
    /// The file the block comes from.
    pub file: Arc<FileRef>,
    /// The file line where the block's YAML starts.
    pub line: u32,
    /// The `id`, if any.
    pub id: Option<String>,
    /// What the block is.
    pub kind: BlockKind,
    /// Modifiers shared by all kinds of blocks.
    pub modifiers: Modifiers,
}

/// What a block is: its primary directive.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// A screen shown to the user (`question:`), with whatever input it takes.
    Question(Box<Question>),
    /// A `code` block.
    Code(Python),
    /// An `objects` block.
    Objects(Vec<ObjectDecl>),
    /// An `objects from file` block.
    ObjectsFromFile(ObjectsFromFile),
    /// A `data` block (`variable name` + literal data).
    Data(DataBlock),
    /// A `data from code` block (`variable name` + data whose leaves are Python expressions).
    DataFromCode(DataBlock),
    /// A `template` block.
    Template(Box<Template>),
    /// A `table` block.
    Table(Box<Table>),
    /// An attachment block without a `question` (documents assembled for `variable name`).
    Attachments(Attachments),
    /// A `require` / `orelse` block.
    Require(Require),
    /// A `metadata` block (free-form; used by the documentation site and the interview list).
    Metadata(Raw),
    /// A `features` block.
    Features(Box<Features>),
    /// A `modules` block.
    Modules(Vec<String>),
    /// An `imports` block.
    Imports(Vec<String>),
    /// A `reset` block (variables deleted at the start of every request).
    Reset(Vec<String>),
    /// An `include` block, with the files it names (their blocks follow it in the interview).
    Include(Vec<IncludeItem>),
    /// A `sections` block.
    Sections(Sections),
    /// An `interview help` block.
    InterviewHelp(Help),
    /// A `default screen parts` block.
    DefaultScreenParts(Vec<(String, Option<Text>)>),
    /// An `image sets` or `images` block.
    Images(Vec<ImageSet>),
    /// A `def` block (named Mako definitions for `usedefs`).
    Def(MakoDef),
    /// A `terms` block without a question (interview-wide glossary).
    Terms(Vec<Term>),
    /// An `auto terms` block without a question.
    AutoTerms(Vec<Term>),
    /// An `order` block (block ids in priority order).
    Order(Vec<String>),
    /// An `on change` block: code run when a variable changes.
    OnChange(Vec<(Var, Python)>),
    /// A `default role` block.
    DefaultRole(Vec<String>),
    /// A `translations` block (translation files).
    Translations(Vec<String>),
    /// A `default language` block.
    DefaultLanguage(String),
    /// A `default validation messages` block.
    DefaultValidationMessages(Vec<(String, Text)>),
    /// A `machine learning storage` block.
    MachineLearningStorage(String),
    /// An `attachment options` block (free-form options for document assembly).
    AttachmentOptions(Raw),
    /// A block holding only a `comment`.
    Comment,
}

/// Modifiers that may appear on many kinds of blocks (spec §3.7).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Modifiers {
    /// `mandatory`.
    pub mandatory: Option<Cond>,
    /// `initial` (code blocks only).
    pub initial: Option<Cond>,
    /// `need` (both `pre` and plain names are in `pre`).
    pub need: Need,
    /// `if`: the block is a candidate only when every expression is true.
    pub condition: Vec<Python>,
    /// `generic object` (or `generic list object`): the class name `x` is an instance of.
    pub generic_object: Option<String>,
    /// `reconsider`.
    pub reconsider: Reconsider,
    /// `undefine`.
    pub undefine: Vec<Var>,
    /// `depends on`.
    pub depends_on: Vec<Var>,
    /// `sets`.
    pub sets: Vec<Var>,
    /// `only sets` (replaces the scanned names and disables scanning).
    pub only_sets: Option<Vec<Var>>,
    /// `scan for variables` (default true).
    pub scan_for_variables: bool,
    /// `event`: the action/event names this block handles.
    pub events: Vec<Var>,
    /// `supersedes`: ids of blocks this one takes priority over.
    pub supersedes: Vec<String>,
    /// `language`.
    pub language: Option<String>,
    /// `role`.
    pub role: Vec<String>,
    /// `usedefs`: names of `def` blocks whose Mako definitions prefix this block's text.
    pub usedefs: Vec<String>,
    /// `comment` (documentation only).
    pub comment: Option<Raw>,
    /// `prevent going back`.
    pub prevent_going_back: Option<Cond>,
    /// `back button`.
    pub back_button: Option<Cond>,
    /// `allowed to set` (a list of names or an expression).
    pub allowed_to_set: Option<AllowedToSet>,
    /// `validation code`.
    pub validation_code: Option<Python>,
}

/// `need`: names to evaluate before (`pre`) or after (`post`) the block runs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Need {
    /// Evaluated before.
    pub pre: Vec<Var>,
    /// Evaluated after.
    pub post: Vec<Var>,
}

/// `reconsider`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Reconsider {
    /// Not given (or `False`).
    #[default]
    No,
    /// `reconsider: True` (on a code block): its variables are deleted at every request.
    All,
    /// `reconsider: [v…]`: re-seek these before the block runs.
    Vars(Vec<Var>),
}

/// `allowed to set`.
#[derive(Debug, Clone, PartialEq)]
pub enum AllowedToSet {
    /// A list of variable names.
    Names(Vec<Var>),
    /// An expression giving the list.
    Code(Python),
}

/// One `objects` entry: `name: Class` or `name: Class.using(...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectDecl {
    /// The variable to create.
    pub name: Var,
    /// The class expression, as written (`DAList.using(object_type=Individual)`).
    pub class: Python,
}

impl ObjectDecl {
    /// The class name: the part of [`ObjectDecl::class`] before `.using(` or `(`.
    pub fn class_name(&self) -> &str {
        let s = self.class.source.trim();
        let end = s.find(".using(").or_else(|| s.find('(')).unwrap_or(s.len());
        s[..end].trim()
    }
}

/// `objects from file`.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectsFromFile {
    /// Variable name → file name (Mako text).
    pub items: Vec<(Var, Text)>,
    /// `use objects`.
    pub use_objects: Option<Cond>,
}

/// A `data` or `data from code` block.
#[derive(Debug, Clone, PartialEq)]
pub struct DataBlock {
    /// `variable name`.
    pub variable: Var,
    /// `data` / `data from code`, as written.
    pub data: Raw,
    /// `use objects` (`objects`, true/false).
    pub use_objects: Option<Raw>,
    /// `gathered`.
    pub gathered: Option<Cond>,
}

/// A `template` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// `template`: the variable name.
    pub name: Var,
    /// `subject`.
    pub subject: Option<Text>,
    /// `content` or `content file`.
    pub content: TemplateContent,
    /// `target`: the `[TARGET name]` area of the screen this template fills when a check-in
    /// event seeks it (plain text).
    pub target: Option<String>,
}

/// The body of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateContent {
    /// Inline `content` (Mako + Markdown).
    Inline(Text),
    /// `content file`: one or more file names (or `code:` giving them).
    File(Vec<Text>),
    /// `content file: {code: ...}`.
    FileCode(Python),
}

/// A `table` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// `table`: the variable name.
    pub name: Var,
    /// `rows`: an expression giving the rows (`row_item`, `row_index` are bound per row).
    pub rows: Python,
    /// `columns`.
    pub columns: Vec<Column>,
    /// `edit`: attributes to offer editing for (or false), plus `delete buttons` etc.
    pub edit: Option<Raw>,
    /// `require gathered`, `allow reordering`, `delete buttons`, `confirm`, `read only`,
    /// `show if empty`, `not available label`, `sort key`, `sort reverse`, `filter`,
    /// `show incomplete`, `edit header`, `indent`: kept by name.
    pub options: Vec<(String, Raw)>,
}

/// One table column: header text and a cell expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header (Mako).
    pub header: Text,
    /// The cell expression.
    pub cell: Python,
}

/// `require` + `orelse`.
#[derive(Debug, Clone, PartialEq)]
pub struct Require {
    /// Expressions that must all be true.
    pub require: Vec<Python>,
    /// The block used otherwise.
    pub orelse: Box<Block>,
}

/// One `include` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct IncludeItem {
    /// The reference as written.
    pub reference: String,
    /// The file it resolved to (set by the loader).
    pub resolved: Option<FileRef>,
    /// The file line.
    pub line: u32,
}

impl Block {
    /// The variables this block can define, known statically (spec §3.2): question targets,
    /// `sets`/`only sets`, `objects` keys, template/table names, attachment `variable name`,
    /// `data` variable names and `event` names.
    ///
    /// For code blocks this is what `sets`/`only sets` say; the assignment targets found in the
    /// code itself come from `pyeval`'s assignment scan, which the engine adds on top of this.
    /// When `scan for variables` is false only `sets`/`only sets` count (the other names are
    /// used for dependency tracking only).
    pub fn defines(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if let Some(only) = &self.modifiers.only_sets {
            out.extend(only.iter().map(|v| v.name.clone()));
        } else if self.modifiers.scan_for_variables {
            self.intrinsic_defines(&mut out);
        }
        out.extend(self.modifiers.sets.iter().map(|v| v.name.clone()));
        out.extend(self.modifiers.events.iter().map(|v| v.name.clone()));
        let mut seen = std::collections::HashSet::new();
        out.retain(|v| seen.insert(v.clone()));
        out
    }

    /// The names the block's own directives set (without `sets`/`events`).
    fn intrinsic_defines(&self, out: &mut Vec<String>) {
        match &self.kind {
            BlockKind::Question(q) => q.defines(out),
            BlockKind::Objects(objs) => out.extend(objs.iter().map(|o| o.name.name.clone())),
            BlockKind::ObjectsFromFile(o) => {
                out.extend(o.items.iter().map(|(v, _)| v.name.clone()))
            }
            BlockKind::Data(d) | BlockKind::DataFromCode(d) => out.push(d.variable.name.clone()),
            BlockKind::Template(t) => out.push(t.name.name.clone()),
            BlockKind::Table(t) => out.push(t.name.name.clone()),
            BlockKind::Attachments(a) => a.defines(out),
            BlockKind::Require(r) => r.orelse.intrinsic_defines(out),
            _ => {}
        }
    }

    /// True when the block is a `code` block.
    pub fn is_code(&self) -> bool {
        matches!(self.kind, BlockKind::Code(_))
    }
}
