//! [`Doc`] → PDF: real layout on US Letter pages with the standard Helvetica fonts: words
//! wrapped to the measure, new pages when one is full, headings, bold/italic, centred and
//! right-aligned paragraphs, indentation, lists, tables with borders, page breaks.

use std::collections::BTreeMap;

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::fonts::{Font, win_ansi};
use crate::image::{self, Encoding, Images, Picture};
use crate::model::{Align, Block, Cell, Doc, Inline, Para, Style};

const PAGE_W: f32 = 612.0;
const PAGE_H: f32 = 792.0;
const MARGIN: f32 = 72.0;
const BODY: f32 = 12.0;
const LEADING: f32 = 1.25;
const PARA_GAP: f32 = 8.0;
const TAB: f32 = 36.0;
const LIST_INDENT: f32 = 22.0;
const CELL_PAD: f32 = 4.0;

/// A piece of text placed on a line.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    x: f32,
    font: Font,
    size: f32,
    text: String,
    underline: bool,
}

/// A laid-out line: its runs (x relative to the line's start) and width.
#[derive(Debug, Clone, PartialEq, Default)]
struct Line {
    runs: Vec<Run>,
    width: f32,
}

enum Token {
    Word(String, Style),
    Space(Style),
    Tab,
    Break,
}

fn tokens(inlines: &[Inline]) -> Vec<Token> {
    let mut out = Vec::new();
    for i in inlines {
        match i {
            Inline::Text(t, s) => {
                let mut word = String::new();
                for c in t.chars() {
                    if c == ' ' || c == '\n' {
                        if !word.is_empty() {
                            out.push(Token::Word(std::mem::take(&mut word), *s));
                        }
                        out.push(Token::Space(*s));
                    } else {
                        word.push(c);
                    }
                }
                if !word.is_empty() {
                    out.push(Token::Word(word, *s));
                }
            }
            Inline::Break => out.push(Token::Break),
            Inline::Tab => out.push(Token::Tab),
        }
    }
    out
}

/// Wraps `inlines` into lines no wider than `max` at `size` points.
fn wrap(inlines: &[Inline], size: f32, max: f32, force_bold: bool) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut line = Line::default();
    let mut pending_space: Option<f32> = None;
    let max = max.max(size * 2.0);
    for tok in tokens(inlines) {
        match tok {
            Token::Break => {
                lines.push(std::mem::take(&mut line));
                pending_space = None;
            }
            Token::Space(s) => {
                if !line.runs.is_empty() {
                    let mut s = s;
                    s.bold |= force_bold;
                    pending_space = Some(Font::of(s).width(" ", size));
                }
            }
            Token::Tab => {
                let next = ((line.width / TAB).floor() + 1.0) * TAB;
                if next > max {
                    lines.push(std::mem::take(&mut line));
                } else {
                    line.width = next;
                    // An empty run keeps the line started, so spaces after a tab count.
                    line.runs.push(Run {
                        x: next,
                        font: Font::Regular,
                        size,
                        text: "\t".into(),
                        underline: false,
                    });
                }
                pending_space = None;
            }
            Token::Word(w, mut style) => {
                style.bold |= force_bold;
                let font = Font::of(style);
                let ww = font.width(&w, size);
                let space = pending_space.take().unwrap_or(0.0);
                if !line.runs.is_empty() && line.width + space + ww > max {
                    lines.push(std::mem::take(&mut line));
                    place_word(&mut lines, &mut line, w, font, size, max, style.underline);
                } else if line.runs.is_empty() {
                    place_word(&mut lines, &mut line, w, font, size, max, style.underline);
                } else {
                    let x = line.width + space;
                    match line.runs.last_mut() {
                        Some(last)
                            if last.font == font
                                && last.underline == style.underline
                                && last.text != "\t" =>
                        {
                            if space > 0.0 {
                                last.text.push(' ');
                            }
                            last.text.push_str(&w);
                        }
                        Some(last) => {
                            if space > 0.0 && last.text != "\t" {
                                // The space goes with the previous run (so text extraction
                                // sees it); the new run starts after it.
                                last.text.push(' ');
                            }
                            line.runs.push(Run {
                                x,
                                font,
                                size,
                                text: w,
                                underline: style.underline,
                            });
                        }
                        None => {}
                    }
                    line.width = x + ww;
                }
            }
        }
    }
    if !line.runs.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    for l in &mut lines {
        l.runs.retain(|r| r.text != "\t");
    }
    lines
}

/// Starts a line with `w`, cutting it into pieces when it alone is wider than the measure.
fn place_word(
    lines: &mut Vec<Line>,
    line: &mut Line,
    w: String,
    font: Font,
    size: f32,
    max: f32,
    underline: bool,
) {
    let start = line.width;
    let mut piece = String::new();
    let mut width = 0.0;
    for c in w.chars() {
        let cw = font.width(&c.to_string(), size);
        if start + width + cw > max && !piece.is_empty() {
            line.runs.push(Run {
                x: start,
                font,
                size,
                text: std::mem::take(&mut piece),
                underline,
            });
            line.width = start + width;
            lines.push(std::mem::take(line));
            width = 0.0;
        }
        piece.push(c);
        width += cw;
    }
    let x = line.width;
    line.runs.push(Run {
        x,
        font,
        size,
        text: piece,
        underline,
    });
    line.width = x + width;
}

/// Pages being filled, top-down.
struct Writer<'i> {
    pages: Vec<Content>,
    page: Content,
    /// The distance from the top of the page.
    y: f32,
    /// Whether anything was drawn on the current page.
    used: bool,
    /// The image files the document may name.
    images: &'i Images,
    /// The images placed, and their position by reference.
    pictures: Vec<Picture>,
    placed: BTreeMap<String, usize>,
}

impl<'i> Writer<'i> {
    fn new(images: &'i Images) -> Self {
        Writer {
            pages: Vec::new(),
            page: Content::new(),
            y: MARGIN,
            used: false,
            images,
            pictures: Vec::new(),
            placed: BTreeMap::new(),
        }
    }

    /// The picture of the file `key`, decoded once (`None` when there is no such file or it
    /// is not a PNG/JPEG).
    fn picture(&mut self, key: &str) -> Option<usize> {
        if let Some(i) = self.placed.get(key) {
            return Some(*i);
        }
        let p = image::decode(self.images.get(key)?).ok()?;
        self.pictures.push(p);
        let i = self.pictures.len() - 1;
        self.placed.insert(key.to_string(), i);
        Some(i)
    }

    fn image(&mut self, key: &str, width: Option<f32>, left: f32, right: f32) {
        let Some(i) = self.picture(key) else { return };
        let (pw, ph) = (
            self.pictures[i].width as f32,
            self.pictures[i].height as f32,
        );
        let w = width.unwrap_or(pw * 0.75).min(right - left).max(1.0);
        let mut h = w * ph / pw;
        let mut w = w;
        let max_h = PAGE_H - 2.0 * MARGIN;
        if h > max_h {
            w *= max_h / h;
            h = max_h;
        }
        self.room(h);
        let name = format!("Im{i}");
        self.page.save_state();
        self.page
            .transform([w, 0.0, 0.0, h, left, PAGE_H - self.y - h]);
        self.page.x_object(Name(name.as_bytes()));
        self.page.restore_state();
        self.used = true;
        self.y += h + PARA_GAP;
    }

    fn bottom() -> f32 {
        PAGE_H - MARGIN
    }

    fn new_page(&mut self) {
        let done = std::mem::replace(&mut self.page, Content::new());
        self.pages.push(done);
        self.y = MARGIN;
        self.used = false;
    }

    /// Makes room for `h` points (a new page when they do not fit, unless the page is empty).
    fn room(&mut self, h: f32) {
        if self.y + h > Self::bottom() && self.used {
            self.new_page();
        }
    }

    fn draw_line(&mut self, line: &Line, x0: f32, baseline: f32) {
        for r in &line.runs {
            if r.text.is_empty() {
                continue;
            }
            let x = x0 + r.x;
            let y = PAGE_H - baseline;
            self.page.begin_text();
            self.page.set_font(Name(r.font.resource()), r.size);
            self.page.next_line(x, y);
            self.page.show(Str(&win_ansi(&r.text)));
            self.page.end_text();
            if r.underline {
                let w = r.font.width(&r.text, r.size);
                self.rule(x, baseline + 1.5, x + w, 0.5);
            }
        }
        self.used = true;
    }

    fn rule(&mut self, x1: f32, y: f32, x2: f32, width: f32) {
        self.page.set_line_width(width);
        self.page.move_to(x1, PAGE_H - y);
        self.page.line_to(x2, PAGE_H - y);
        self.page.stroke();
        self.used = true;
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.page.set_line_width(0.5);
        self.page.rect(x, PAGE_H - y - h, w, h);
        self.page.stroke();
    }

    /// Lays out a paragraph between `left` and `right`.
    fn para(&mut self, p: &Para, size: f32, bold: bool, left: f32, right: f32) {
        let left = left + p.indent;
        let width = (right - left).max(size * 2.0);
        let lh = size * LEADING;
        for line in wrap(&p.inlines, size, width, bold) {
            self.room(lh);
            let x = match p.align {
                Align::Left => left,
                Align::Center => left + (width - line.width).max(0.0) / 2.0,
                Align::Right => left + (width - line.width).max(0.0),
            };
            let baseline = self.y + size;
            self.draw_line(&line, x, baseline);
            self.y += lh;
        }
    }

    fn blocks(&mut self, blocks: &[Block], left: f32, right: f32) {
        for b in blocks {
            self.block(b, left, right);
        }
    }

    fn block(&mut self, b: &Block, left: f32, right: f32) {
        match b {
            Block::Para(p) => {
                self.para(p, BODY, false, left, right);
                self.y += PARA_GAP;
            }
            Block::Heading(level, p) => {
                let size = match level {
                    1 => 20.0,
                    2 => 16.0,
                    3 => 14.0,
                    _ => 12.0,
                };
                // Keep a heading with the line after it.
                self.room(size * LEADING + 6.0 + BODY * LEADING * 2.0);
                if self.used {
                    self.y += 6.0;
                }
                self.para(p, size, true, left, right);
                self.y += 6.0;
            }
            Block::List { start, items } => {
                for (n, item) in items.iter().enumerate() {
                    let marker = match start {
                        Some(s) => format!("{}.", s + n as u64),
                        None => "\u{2022}".to_string(),
                    };
                    self.room(BODY * LEADING);
                    let mw = Font::Regular.width(&marker, BODY);
                    let inner = left + LIST_INDENT;
                    let line = Line {
                        runs: vec![Run {
                            x: 0.0,
                            font: Font::Regular,
                            size: BODY,
                            text: marker,
                            underline: false,
                        }],
                        width: mw,
                    };
                    let baseline = self.y + BODY;
                    self.draw_line(&line, inner - 6.0 - mw, baseline);
                    let mut first = true;
                    for b in item {
                        if first {
                            first = false;
                        } else if matches!(b, Block::Para(_)) {
                            self.y -= PARA_GAP / 2.0;
                        }
                        self.block(b, inner, right);
                    }
                    // Items sit closer than paragraphs.
                    self.y -= PARA_GAP / 2.0;
                }
                self.y += PARA_GAP / 2.0;
            }
            Block::Table { header, rows } => self.table(header, rows, left, right),
            Block::Quote(inner) => self.blocks(inner, left + 24.0, right - 24.0),
            Block::Code(text) => {
                let size = 10.0;
                for l in text.lines() {
                    let p = Para {
                        inlines: vec![Inline::Text(
                            l.to_string(),
                            Style {
                                code: true,
                                ..Style::default()
                            },
                        )],
                        ..Para::default()
                    };
                    self.para(&p, size, false, left, right);
                }
                self.y += PARA_GAP;
            }
            Block::Rule => {
                self.room(12.0);
                let y = self.y + 6.0;
                self.rule(left, y, right, 0.75);
                self.y += 12.0 + PARA_GAP;
            }
            Block::PageBreak => {
                if self.used {
                    self.new_page();
                }
            }
            Block::Skip => self.y += BODY * LEADING,
            Block::Image { key, width } => self.image(key, *width, left, right),
        }
    }

    fn table(&mut self, header: &[Cell], rows: &[Vec<Cell>], left: f32, right: f32) {
        let ncols = std::iter::once(header)
            .chain(rows.iter().map(Vec::as_slice))
            .map(<[Cell]>::len)
            .max()
            .unwrap_or(0);
        if ncols == 0 {
            return;
        }
        let avail = right - left;
        let size = BODY - 1.0;
        // Natural widths: the widest unbroken cell of each column.
        let mut natural = vec![0.0f32; ncols];
        for (i, row) in std::iter::once(header)
            .chain(rows.iter().map(Vec::as_slice))
            .enumerate()
        {
            for (c, cell) in row.iter().enumerate() {
                let lines = wrap(cell, size, f32::MAX / 4.0, i == 0 && !header.is_empty());
                let w = lines.iter().map(|l| l.width).fold(0.0, f32::max);
                natural[c] = natural[c].max(w + 2.0 * CELL_PAD);
            }
        }
        let total: f32 = natural.iter().sum();
        let widths: Vec<f32> = if total <= avail {
            natural
        } else {
            let even = avail / ncols as f32;
            // Columns narrower than an even share keep their width; the rest share what is left.
            let narrow: f32 = natural.iter().filter(|w| **w <= even).sum();
            let wide: f32 = natural.iter().filter(|w| **w > even).sum();
            natural
                .iter()
                .map(|w| {
                    if *w <= even {
                        *w
                    } else {
                        (avail - narrow) * w / wide.max(1.0)
                    }
                })
                .collect()
        };
        let lh = size * LEADING;
        let draw_row = |me: &mut Writer, row: &[Cell], bold: bool| {
            let cells: Vec<Vec<Line>> = (0..ncols)
                .map(|c| match row.get(c) {
                    Some(cell) => wrap(cell, size, widths[c] - 2.0 * CELL_PAD, bold),
                    None => Vec::new(),
                })
                .collect();
            let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = n as f32 * lh + 2.0 * CELL_PAD;
            me.room(h);
            let top = me.y;
            let mut x = left;
            for (c, lines) in cells.iter().enumerate() {
                me.rect(x, top, widths[c], h);
                for (k, line) in lines.iter().enumerate() {
                    let baseline = top + CELL_PAD + k as f32 * lh + size;
                    me.draw_line(line, x + CELL_PAD, baseline);
                }
                x += widths[c];
            }
            me.used = true;
            me.y = top + h;
        };
        if !header.is_empty() {
            draw_row(self, header, true);
        }
        for row in rows {
            draw_row(self, row, false);
        }
        self.y += PARA_GAP;
    }
}

/// Writes `doc` as a PDF.
pub fn write(doc: &Doc) -> Vec<u8> {
    write_with(doc, &Images::new())
}

/// Writes `doc` as a PDF, placing the images it names from `images`.
pub fn write_with(doc: &Doc, images: &Images) -> Vec<u8> {
    let mut w = Writer::new(images);
    w.blocks(&doc.blocks, MARGIN, PAGE_W - MARGIN);
    let last = std::mem::replace(&mut w.page, Content::new());
    w.pages.push(last);

    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree = alloc();
    let info = alloc();
    let fonts: Vec<(Font, Ref)> = Font::ALL.iter().map(|f| (*f, alloc())).collect();
    let page_refs: Vec<(Ref, Ref)> = w.pages.iter().map(|_| (alloc(), alloc())).collect();
    let picture_refs: Vec<(Ref, Ref)> = w.pictures.iter().map(|_| (alloc(), alloc())).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_refs.iter().map(|(p, _)| *p))
        .count(page_refs.len() as i32);
    for (content, (page_ref, content_ref)) in w.pages.into_iter().zip(&page_refs) {
        let mut page = pdf.page(*page_ref);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(*content_ref);
        {
            let mut res = page.resources();
            {
                let mut f = res.fonts();
                for (font, r) in &fonts {
                    f.pair(Name(font.resource()), *r);
                }
            }
            if !picture_refs.is_empty() {
                let mut x = res.x_objects();
                for (i, (r, _)) in picture_refs.iter().enumerate() {
                    let name = format!("Im{i}");
                    x.pair(Name(name.as_bytes()), *r);
                }
            }
        }
        page.finish();
        let bytes = content.finish();
        pdf.stream(*content_ref, &bytes);
    }
    for (p, (r, mask)) in w.pictures.iter().zip(&picture_refs) {
        let mut img = pdf.image_xobject(*r, &p.data);
        img.filter(match p.encoding {
            Encoding::Flate => Filter::FlateDecode,
            Encoding::Jpeg => Filter::DctDecode,
        });
        img.width(p.width as i32);
        img.height(p.height as i32);
        if p.components == 1 {
            img.color_space().device_gray();
        } else {
            img.color_space().device_rgb();
        }
        img.bits_per_component(8);
        if p.alpha.is_some() {
            img.s_mask(*mask);
        }
        img.finish();
        if let Some(alpha) = &p.alpha {
            let mut m = pdf.image_xobject(*mask, alpha);
            m.filter(Filter::FlateDecode);
            m.width(p.width as i32);
            m.height(p.height as i32);
            m.color_space().device_gray();
            m.bits_per_component(8);
            m.finish();
        }
    }
    for (font, r) in &fonts {
        let mut f = pdf.type1_font(*r);
        f.base_font(Name(font.base_name()));
        if *font != Font::Mono {
            f.encoding_predefined(Name(b"WinAnsiEncoding"));
        }
    }
    {
        let mut i = pdf.document_info(info);
        if let Some(t) = &doc.meta.title {
            i.title(TextStr(t));
        }
        if let Some(a) = &doc.meta.author {
            i.author(TextStr(a));
        }
        if let Some(s) = &doc.meta.subject {
            i.subject(TextStr(s));
        }
        if let Some(k) = &doc.meta.keywords {
            i.keywords(TextStr(k));
        }
        i.producer(TextStr("Colloquy"));
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::Text(s.into(), Style::default())]
    }

    #[test]
    fn lines_wrap_at_the_measure() {
        let lines = wrap(&text("one two three four five six"), 12.0, 60.0, false);
        assert!(lines.len() > 2, "{lines:?}");
        for l in &lines {
            assert!(l.width <= 60.0 + 0.01, "{l:?}");
        }
        let joined: Vec<String> = lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.clone()).collect::<String>())
            .collect();
        assert_eq!(joined.join(" "), "one two three four five six");
    }

    #[test]
    fn long_words_are_cut() {
        let lines = wrap(&text(&"x".repeat(100)), 12.0, 100.0, false);
        assert!(lines.len() >= 6);
        assert!(lines.iter().all(|l| l.width <= 100.01));
    }
}
