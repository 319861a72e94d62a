//! The document model every writer lays out: blocks of styled text, the common ground of
//! Markdown (with docassemble's markup tokens) and the PDF, RTF and DOCX writers.

/// Document properties (`metadata:` of an attachment).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Metadata {
    /// `title`.
    pub title: Option<String>,
    /// `author`.
    pub author: Option<String>,
    /// `subject`.
    pub subject: Option<String>,
    /// `keywords`.
    pub keywords: Option<String>,
}

impl Metadata {
    /// Reads the known keys of a `metadata:` map (other keys, which Pandoc uses for its LaTeX
    /// templates, are ignored).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut m = Metadata::default();
        for (k, v) in pairs {
            let v = Some(v.trim().to_string()).filter(|v| !v.is_empty());
            match k.trim().to_ascii_lowercase().as_str() {
                "title" => m.title = v,
                "author" => m.author = v,
                "subject" => m.subject = v,
                "keywords" => m.keywords = v,
                _ => {}
            }
        }
        m
    }
}

/// How a paragraph's lines are placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left (the default).
    #[default]
    Left,
    /// Centred (`[CENTER]`, `[BOLDCENTER]`).
    Center,
    /// Flush right (`[FLUSHRIGHT]`).
    Right,
}

/// The style of a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// `**bold**`.
    pub bold: bool,
    /// `*italic*`.
    pub italic: bool,
    /// `` `code` `` (a monospaced font).
    pub code: bool,
    /// Underlined (blanks, links).
    pub underline: bool,
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Text in one style.
    Text(String, Style),
    /// A line break inside the paragraph (`[NEWLINE]`, `[BR]`, two trailing spaces).
    Break,
    /// A tab (`[TAB]`).
    Tab,
}

/// A paragraph: its text and how it is placed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Para {
    /// The text.
    pub inlines: Vec<Inline>,
    /// Alignment.
    pub align: Align,
    /// Left indentation in points (`[INDENTBY 1in]`).
    pub indent: f32,
}

impl Para {
    /// The paragraph's text without styles (breaks as newlines, tabs as tabs).
    pub fn plain(&self) -> String {
        plain(&self.inlines)
    }
}

/// The text of `inlines` without styles.
pub fn plain(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text(t, _) => s.push_str(t),
            Inline::Break => s.push('\n'),
            Inline::Tab => s.push('\t'),
        }
    }
    s
}

/// A table cell: its text.
pub type Cell = Vec<Inline>;

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Para(Para),
    /// A heading of level 1–6.
    Heading(u8, Para),
    /// A list: `start` is the first number of an ordered list, `None` for bullets. Each item
    /// is a list of blocks.
    List {
        /// The first number, for an ordered list.
        start: Option<u64>,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// A table: the header row (if any) and the body rows.
    Table {
        /// The header cells.
        header: Vec<Cell>,
        /// The rows.
        rows: Vec<Vec<Cell>>,
    },
    /// A block quote.
    Quote(Vec<Block>),
    /// Preformatted text.
    Code(String),
    /// A horizontal rule.
    Rule,
    /// A page break (`[PAGEBREAK]`).
    PageBreak,
    /// An empty line (`[SKIPLINE]`).
    Skip,
    /// An image on its own line (`[FILE ref, width]`): the reference of its bytes and its
    /// width in points, if given. Only PDF places images; other formats leave them out.
    Image {
        /// The file reference.
        key: String,
        /// The width in points.
        width: Option<f32>,
    },
}

/// A document: metadata and blocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Doc {
    /// Properties.
    pub meta: Metadata,
    /// The content.
    pub blocks: Vec<Block>,
}

impl Doc {
    /// All the text of the document, one block a line (for checks and tests).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        blocks_text(&self.blocks, &mut out);
        out
    }
}

fn blocks_text(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match b {
            Block::Para(p) | Block::Heading(_, p) => {
                out.push_str(&p.plain());
                out.push('\n');
            }
            Block::List { items, .. } => {
                for item in items {
                    blocks_text(item, out);
                }
            }
            Block::Table { header, rows } => {
                for row in std::iter::once(header).chain(rows.iter()) {
                    let cells: Vec<String> = row.iter().map(|c| plain(c)).collect();
                    if !cells.is_empty() {
                        out.push_str(&cells.join("\t"));
                        out.push('\n');
                    }
                }
            }
            Block::Quote(inner) => blocks_text(inner, out),
            Block::Code(t) => {
                out.push_str(t);
                out.push('\n');
            }
            Block::Rule | Block::PageBreak | Block::Skip | Block::Image { .. } => {}
        }
    }
}
