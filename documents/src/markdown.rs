//! Markdown (after Mako) with docassemble's document markup tokens → [`Doc`].
//!
//! docassemble hands `content` to Pandoc; the tokens it understands in documents are turned
//! into private-use sentinels before the Markdown is parsed and interpreted afterwards:
//! `[PAGEBREAK]`, `[BOLDCENTER]`, `[CENTER]`, `[FLUSHLEFT]`, `[FLUSHRIGHT]`, `[INDENTBY …]`,
//! `[NEWLINE]`, `[BR]`, `[TAB]`, `[SKIPLINE]`, `[NEWPAR]`, `[NBSP]`, `[ENDASH]`, `[EMDASH]`,
//! `[HYPHEN]`, `[BLANK]`, `[BLANKFILL]`; spacing and numbering tokens are dropped, as is
//! `[FILE …]` (images are not embedded).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::model::{Align, Block, Cell, Doc, Inline, Metadata, Para, Style};

const PAGEBREAK: char = '\u{E000}';
const CENTER: char = '\u{E001}';
const BOLDCENTER: char = '\u{E002}';
const FLUSHRIGHT: char = '\u{E003}';
const FLUSHLEFT: char = '\u{E004}';
const NEWLINE: char = '\u{E005}';
const TAB: char = '\u{E006}';
const INDENT_OPEN: char = '\u{E007}';
const INDENT_CLOSE: char = '\u{E008}';
const SKIPLINE: char = '\u{E009}';
const IMAGE_OPEN: char = '\u{E00C}';
const IMAGE_CLOSE: char = '\u{E00D}';

/// Parses `markdown` into a document with `meta`.
pub fn parse(markdown: &str, meta: Metadata) -> Doc {
    let text = tokens(markdown);
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_SMART_PUNCTUATION);
    let mut b = Builder::default();
    for ev in Parser::new_ext(&text, opts) {
        b.event(ev);
    }
    b.flush_para();
    let blocks = match b.frames.pop() {
        Some(Frame::Blocks(blocks)) => blocks,
        _ => Vec::new(),
    };
    Doc { meta, blocks }
}

/// An inch, in points.
const INCH: f32 = 72.0;

fn length_points(amount: &str, unit: &str) -> f32 {
    let n: f32 = amount.trim().parse().unwrap_or(0.0);
    match unit.trim().to_ascii_lowercase().as_str() {
        "in" | "inch" | "inches" => n * INCH,
        "cm" => n * INCH / 2.54,
        "mm" => n * INCH / 25.4,
        "pt" => n,
        "em" => n * 12.0,
        _ => n * INCH,
    }
}

/// A `[FILE …]` width (`2in`, `300px`, `50%` of the measure; `None`) in points.
pub(crate) fn image_width(w: &str) -> Option<f32> {
    let w = w.trim();
    if w.is_empty() || w == "None" {
        return None;
    }
    if let Some(p) = w.strip_suffix('%') {
        return p.trim().parse::<f32>().ok().map(|p| p / 100.0 * 6.5 * INCH);
    }
    if let Some(px) = w.strip_suffix("px") {
        return px.trim().parse::<f32>().ok().map(|n| n * 0.75);
    }
    let split = w.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(w.len());
    let (n, unit) = w.split_at(split);
    n.trim().parse::<f32>().ok()?;
    Some(length_points(n, if unit.is_empty() { "pt" } else { unit }))
}

/// Replaces the markup tokens with sentinels (or their text).
fn tokens(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(at) = rest.find('[') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(end) = tail.find(']') else {
            out.push_str(tail);
            return out;
        };
        let inner = &tail[1..end];
        let word = inner.split_whitespace().next().unwrap_or("");
        let mut skip_spaces = true;
        let replaced: Option<String> = match word {
            "PAGEBREAK" if inner == word => Some(format!("\n\n{PAGEBREAK}\n\n")),
            "NEWPAR" if inner == word => Some("\n\n".into()),
            "CENTER" if inner == word => Some(CENTER.to_string()),
            "BOLDCENTER" if inner == word => Some(BOLDCENTER.to_string()),
            "FLUSHRIGHT" if inner == word => Some(FLUSHRIGHT.to_string()),
            "FLUSHLEFT" if inner == word => Some(FLUSHLEFT.to_string()),
            "NEWLINE" | "BR" if inner == word => Some(NEWLINE.to_string()),
            "TAB" if inner == word => Some(TAB.to_string()),
            "SKIPLINE" if inner == word => Some(format!("\n\n{SKIPLINE}\n\n")),
            "NBSP" if inner == word => Some('\u{a0}'.to_string()),
            "ENDASH" if inner == word => Some('\u{2013}'.to_string()),
            "EMDASH" if inner == word => Some('\u{2014}'.to_string()),
            "HYPHEN" if inner == word => Some("-".into()),
            "BLANK" if inner == word => {
                skip_spaces = false;
                Some("\\_".repeat(20))
            }
            "BLANKFILL" if inner == word => {
                skip_spaces = false;
                Some("\\_".repeat(40))
            }
            "INDENTBY" => {
                let args = inner["INDENTBY".len()..].trim();
                let split = args
                    .find(|c: char| c.is_ascii_alphabetic())
                    .unwrap_or(args.len());
                let (amount, unit) = args.split_at(split);
                let unit = unit.split_whitespace().next().unwrap_or("in");
                Some(format!(
                    "{INDENT_OPEN}{}{INDENT_CLOSE}",
                    length_points(amount, unit)
                ))
            }
            "BORDER" | "NOINDENT" | "TIGHTSPACING" | "SINGLESPACING" | "DOUBLESPACING"
            | "ONEANDAHALFSPACING" | "TRIPLESPACING" | "START_INDENTATION" | "STOP_INDENTATION"
            | "PAGENUM" | "SECTIONNUM" | "BEGIN_TWOCOL" | "BREAK" | "END_TWOCOL"
            | "BEGIN_CAPTION" | "VERTICAL_LINE" | "END_CAPTION"
                if inner == word =>
            {
                Some(String::new())
            }
            "FILE" => {
                skip_spaces = false;
                let mut args = inner["FILE".len()..].split(',').map(str::trim);
                let key = args.next().unwrap_or("");
                let width = args.next().unwrap_or("None");
                Some(format!("{IMAGE_OPEN}{key}|{width}{IMAGE_CLOSE}"))
            }
            _ => None,
        };
        match replaced {
            Some(r) => {
                out.push_str(&r);
                rest = &tail[end + 1..];
                if skip_spaces {
                    rest = rest.trim_start_matches(' ');
                }
            }
            None => {
                out.push('[');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

enum Frame {
    Blocks(Vec<Block>),
    Quote(Vec<Block>),
    List(Option<u64>, Vec<Vec<Block>>),
    Item(Vec<Block>),
    Table {
        header: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
        row: Vec<Cell>,
        in_head: bool,
    },
}

#[derive(Default)]
struct Builder {
    frames: Vec<Frame>,
    /// The paragraph being filled, and its heading level.
    para: Option<(Vec<Inline>, Option<u8>)>,
    /// The cell being filled.
    cell: Option<Vec<Inline>>,
    bold: u32,
    italic: u32,
    code_block: Option<String>,
}

impl Builder {
    fn style(&self) -> Style {
        Style {
            bold: self.bold > 0,
            italic: self.italic > 0,
            code: false,
            underline: false,
        }
    }

    fn push_block(&mut self, b: Block) {
        if self.frames.is_empty() {
            self.frames.push(Frame::Blocks(Vec::new()));
        }
        match self.frames.last_mut() {
            Some(Frame::Blocks(v) | Frame::Quote(v) | Frame::Item(v)) => v.push(b),
            Some(Frame::List(_, items)) => items.push(vec![b]),
            Some(Frame::Table { .. }) | None => {}
        }
    }

    fn inlines(&mut self) -> &mut Vec<Inline> {
        if let Some(cell) = self.cell.as_mut() {
            return cell;
        }
        &mut self.para.get_or_insert_with(|| (Vec::new(), None)).0
    }

    fn text(&mut self, t: &str, mut style: Style) {
        if t.is_empty() {
            return;
        }
        let bold_all = t.contains(BOLDCENTER);
        if bold_all {
            style.bold = true;
        }
        let mut buf = String::new();
        let mut chars = t.chars().peekable();
        let mut pieces: Vec<Inline> = Vec::new();
        let flush = |buf: &mut String, pieces: &mut Vec<Inline>| {
            if !buf.is_empty() {
                pieces.push(Inline::Text(std::mem::take(buf), style));
            }
        };
        while let Some(c) = chars.next() {
            match c {
                NEWLINE => {
                    flush(&mut buf, &mut pieces);
                    pieces.push(Inline::Break);
                }
                TAB => {
                    flush(&mut buf, &mut pieces);
                    pieces.push(Inline::Tab);
                }
                INDENT_OPEN => {
                    flush(&mut buf, &mut pieces);
                    let mut n = String::new();
                    for d in chars.by_ref() {
                        if d == INDENT_CLOSE {
                            break;
                        }
                        n.push(d);
                    }
                    // Kept as a sentinel text for the paragraph to read.
                    pieces.push(Inline::Text(
                        format!("{INDENT_OPEN}{n}{INDENT_CLOSE}"),
                        style,
                    ));
                }
                IMAGE_OPEN => {
                    flush(&mut buf, &mut pieces);
                    let mut n = String::new();
                    for d in chars.by_ref() {
                        if d == IMAGE_CLOSE {
                            break;
                        }
                        n.push(d);
                    }
                    pieces.push(Inline::Text(format!("{IMAGE_OPEN}{n}{IMAGE_CLOSE}"), style));
                }
                CENTER | BOLDCENTER | FLUSHRIGHT | FLUSHLEFT | PAGEBREAK | SKIPLINE => {
                    flush(&mut buf, &mut pieces);
                    pieces.push(Inline::Text(c.to_string(), style));
                }
                c => buf.push(c),
            }
        }
        flush(&mut buf, &mut pieces);
        self.inlines().extend(pieces);
    }

    fn flush_para(&mut self) {
        let Some((inlines, level)) = self.para.take() else {
            return;
        };
        let (para, breaks) = finish_para(inlines);
        if let Some(p) = para {
            match level {
                Some(l) => self.push_block(Block::Heading(l, p)),
                None => self.push_block(Block::Para(p)),
            }
        }
        for b in breaks {
            self.push_block(b);
        }
    }

    fn event(&mut self, ev: Event<'_>) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if let Some(code) = self.code_block.as_mut() {
                    code.push_str(&t);
                } else {
                    let style = self.style();
                    self.text(&t, style);
                }
            }
            Event::Code(t) => {
                let mut style = self.style();
                style.code = true;
                self.text(&t, style);
            }
            Event::SoftBreak => {
                let style = self.style();
                self.text(" ", style);
            }
            Event::HardBreak => self.inlines().push(Inline::Break),
            Event::Rule => {
                self.flush_para();
                self.push_block(Block::Rule);
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                // Raw HTML: only line breaks mean something in a document.
                let lower = h.to_ascii_lowercase();
                if lower.starts_with("<br") {
                    self.inlines().push(Inline::Break);
                }
            }
            Event::FootnoteReference(_)
            | Event::TaskListMarker(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.flush_para();
                self.para = Some((Vec::new(), None));
            }
            Tag::Heading { level, .. } => {
                self.flush_para();
                let l = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.para = Some((Vec::new(), Some(l)));
            }
            Tag::BlockQuote(_) => {
                self.flush_para();
                self.frames.push(Frame::Quote(Vec::new()));
            }
            Tag::CodeBlock(_) => {
                self.flush_para();
                self.code_block = Some(String::new());
            }
            Tag::List(start) => {
                self.flush_para();
                self.frames.push(Frame::List(start, Vec::new()));
            }
            Tag::Item => {
                self.flush_para();
                self.frames.push(Frame::Item(Vec::new()));
            }
            Tag::Table(_) => {
                self.flush_para();
                self.frames.push(Frame::Table {
                    header: Vec::new(),
                    rows: Vec::new(),
                    row: Vec::new(),
                    in_head: false,
                });
            }
            Tag::TableHead => {
                if let Some(Frame::Table { in_head, .. }) = self.frames.last_mut() {
                    *in_head = true;
                }
            }
            Tag::TableCell => self.cell = Some(Vec::new()),
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.flush_para(),
            TagEnd::CodeBlock => {
                if let Some(code) = self.code_block.take() {
                    self.push_block(Block::Code(code.trim_end_matches('\n').to_string()));
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush_para();
                if let Some(Frame::Quote(blocks)) = self.frames.pop() {
                    self.push_block(Block::Quote(blocks));
                }
            }
            TagEnd::Item => {
                self.flush_para();
                if let Some(Frame::Item(blocks)) = self.frames.pop() {
                    if let Some(Frame::List(_, items)) = self.frames.last_mut() {
                        items.push(blocks);
                    }
                }
            }
            TagEnd::List(_) => {
                self.flush_para();
                if let Some(Frame::List(start, items)) = self.frames.pop() {
                    self.push_block(Block::List { start, items });
                }
            }
            TagEnd::TableCell => {
                let cell = self.cell.take().unwrap_or_default();
                if let Some(Frame::Table { row, .. }) = self.frames.last_mut() {
                    row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(Frame::Table {
                    header,
                    row,
                    in_head,
                    ..
                }) = self.frames.last_mut()
                {
                    *header = std::mem::take(row);
                    *in_head = false;
                }
            }
            TagEnd::TableRow => {
                if let Some(Frame::Table { rows, row, .. }) = self.frames.last_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::Table => {
                if let Some(Frame::Table { header, rows, .. }) = self.frames.pop() {
                    self.push_block(Block::Table { header, rows });
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            _ => {}
        }
    }
}

/// Reads the paragraph-level sentinels out of a paragraph: its alignment, indentation, bold
/// (for `[BOLDCENTER]`), and the page breaks or blank lines it stands for.
fn finish_para(inlines: Vec<Inline>) -> (Option<Para>, Vec<Block>) {
    let mut para = Para::default();
    let mut after = Vec::new();
    let mut images = Vec::new();
    let mut bold_all = false;
    for i in inlines {
        if let Inline::Text(t, style) = &i {
            let mut chars = t.chars();
            match (chars.next(), chars.next()) {
                (Some(PAGEBREAK), None) => {
                    after.push(Block::PageBreak);
                    continue;
                }
                (Some(SKIPLINE), None) => {
                    after.push(Block::Skip);
                    continue;
                }
                (Some(CENTER), None) => {
                    para.align = Align::Center;
                    continue;
                }
                (Some(BOLDCENTER), None) => {
                    para.align = Align::Center;
                    bold_all = true;
                    continue;
                }
                (Some(FLUSHRIGHT), None) => {
                    para.align = Align::Right;
                    continue;
                }
                (Some(FLUSHLEFT), None) => {
                    para.align = Align::Left;
                    continue;
                }
                _ => {}
            }
            if let Some(n) = t
                .strip_prefix(INDENT_OPEN)
                .and_then(|r| r.strip_suffix(INDENT_CLOSE))
            {
                para.indent = n.parse().unwrap_or(0.0);
                continue;
            }
            if let Some(n) = t
                .strip_prefix(IMAGE_OPEN)
                .and_then(|r| r.strip_suffix(IMAGE_CLOSE))
            {
                let (key, width) = n.split_once('|').unwrap_or((n, "None"));
                images.push(Block::Image {
                    key: key.to_string(),
                    width: image_width(width),
                });
                continue;
            }
            let _ = style;
        }
        para.inlines.push(i);
    }
    if bold_all {
        for i in &mut para.inlines {
            if let Inline::Text(_, s) = i {
                s.bold = true;
            }
        }
    }
    // Leading spaces left by removed tokens.
    if let Some(Inline::Text(t, _)) = para.inlines.first_mut() {
        *t = t.trim_start().to_string();
    }
    para.inlines
        .retain(|i| !matches!(i, Inline::Text(t, _) if t.is_empty()));
    // Images come after the paragraph's text, each on its own line.
    images.extend(after);
    let after = images;
    if para
        .inlines
        .iter()
        .all(|i| matches!(i, Inline::Text(t, _) if t.trim().is_empty()))
    {
        return (None, after);
    }
    if !after.is_empty() && matches!(after.first(), Some(Block::PageBreak)) {
        // A break written inside a paragraph comes after its text.
        return (Some(para), after);
    }
    (Some(para), after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(md: &str) -> Doc {
        parse(md, Metadata::default())
    }

    #[test]
    fn headings_paragraphs_and_styles() {
        let d = doc("# Title\n\nSome **bold** and *italic* text.\n");
        assert!(matches!(&d.blocks[0], Block::Heading(1, p) if p.plain() == "Title"));
        let Block::Para(p) = &d.blocks[1] else {
            panic!("not a paragraph: {:?}", d.blocks[1])
        };
        assert_eq!(p.plain(), "Some bold and italic text.");
        assert!(
            p.inlines
                .iter()
                .any(|i| matches!(i, Inline::Text(t, s) if t == "bold" && s.bold && !s.italic))
        );
        assert!(
            p.inlines
                .iter()
                .any(|i| matches!(i, Inline::Text(t, s) if t == "italic" && s.italic))
        );
    }

    #[test]
    fn docassemble_tokens() {
        let d = doc(
            "[BOLDCENTER] Notice\n\nOne [NEWLINE] two [TAB] three\n\n[PAGEBREAK]\n\n[CENTER] Middle\n\n[INDENTBY 1in] In\n\n[FLUSHRIGHT] Right",
        );
        let Block::Para(p) = &d.blocks[0] else {
            panic!("{:?}", d.blocks)
        };
        assert_eq!(p.align, Align::Center);
        assert!(matches!(&p.inlines[0], Inline::Text(t, s) if t == "Notice" && s.bold));
        let Block::Para(p) = &d.blocks[1] else {
            panic!("{:?}", d.blocks)
        };
        assert_eq!(p.plain(), "One \ntwo \tthree");
        assert_eq!(d.blocks[2], Block::PageBreak);
        assert!(
            matches!(&d.blocks[3], Block::Para(p) if p.align == Align::Center && p.plain() == "Middle")
        );
        assert!(matches!(&d.blocks[4], Block::Para(p) if (p.indent - 72.0).abs() < 0.01));
        assert!(matches!(&d.blocks[5], Block::Para(p) if p.align == Align::Right));
    }

    #[test]
    fn lists_and_tables() {
        let d = doc("- a\n- b\n  1. c\n\n| H1 | H2 |\n|----|----|\n| x | y |\n| z | w |\n");
        let Block::List { start, items } = &d.blocks[0] else {
            panic!("{:?}", d.blocks)
        };
        assert_eq!(*start, None);
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[1][1], Block::List { start: Some(1), .. }));
        let Block::Table { header, rows } = &d.blocks[1] else {
            panic!("{:?}", d.blocks)
        };
        assert_eq!(crate::model::plain(&header[1]), "H2");
        assert_eq!(rows.len(), 2);
        assert_eq!(crate::model::plain(&rows[1][0]), "z");
    }

    #[test]
    fn unknown_brackets_stay() {
        let d = doc("a [link] and [FILE foo.png] b [BLANK] c\n\n[FILE 3, 2in, None]");
        assert_eq!(d.plain_text(), "a [link] and  b ____________________ c\n");
        assert_eq!(
            d.blocks[1],
            Block::Image {
                key: "foo.png".into(),
                width: None
            }
        );
        assert_eq!(
            d.blocks[2],
            Block::Image {
                key: "3".into(),
                width: Some(144.0)
            }
        );
    }
}
