//! DOCX → [`Doc`], to make the PDF of a filled DOCX template (docassemble converts it with
//! LibreOffice): paragraphs with their alignment, indentation, heading level and page breaks,
//! bold/italic/underline runs, tabs and line breaks, tables. Images, fields and floating
//! shapes are not drawn.

use crate::archive;
use crate::error::DocumentError;
use crate::model::{Align, Block, Cell, Doc, Inline, Metadata, Para, Style};
use crate::xml::{self, Kind};

/// Reads the body of the DOCX `bytes`.
///
/// # Errors
/// Not a DOCX, or its document part is not XML.
pub fn read(bytes: &[u8]) -> Result<Doc, DocumentError> {
    let parts = archive::read(bytes, "DOCX")?;
    let doc = parts
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .ok_or_else(|| DocumentError::BadFile {
            kind: "DOCX",
            reason: "it has no word/document.xml".into(),
        })?;
    let text = String::from_utf8_lossy(&doc.1);
    let meta = parts
        .iter()
        .find(|(n, _)| n == "docProps/core.xml")
        .map(|(_, b)| core_meta(&String::from_utf8_lossy(b)))
        .unwrap_or_default();
    let blocks = body(&text).map_err(|reason| DocumentError::BadFile {
        kind: "DOCX",
        reason,
    })?;
    Ok(Doc { meta, blocks })
}

fn core_meta(xml_text: &str) -> Metadata {
    let get = |tag: &str| {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        let s = xml_text.find(&open)? + open.len();
        let e = xml_text[s..].find(&close)? + s;
        Some(xml::unescape(&xml_text[s..e]))
    };
    Metadata {
        title: get("dc:title"),
        author: get("dc:creator"),
        subject: get("dc:subject"),
        keywords: get("cp:keywords"),
    }
}

#[derive(Default)]
struct ParaState {
    para: Para,
    heading: Option<u8>,
    page_break: bool,
}

/// A table being read: its rows, the open row's cells, the open cell.
type OpenTable = (Vec<Vec<Cell>>, Vec<Cell>, Option<Cell>);

fn body(src: &str) -> Result<Vec<Block>, String> {
    let toks = xml::tokenize(src)?;
    let mut blocks: Vec<Block> = Vec::new();
    let mut para: Option<ParaState> = None;
    let mut style = Style::default();
    let mut in_rpr = false;
    let mut in_t = false;
    // Tables: the rows of each open table, the cells of the open row, the open cell.
    let mut tables: Vec<OpenTable> = Vec::new();
    for t in &toks {
        let raw = &src[t.start..t.end];
        match (t.kind, t.name) {
            (Kind::Open, "w:p") => para = Some(ParaState::default()),
            (Kind::Empty, "w:p") if tables.is_empty() => blocks.push(Block::Skip),
            (Kind::Close, "w:p") => {
                if let Some(p) = para.take() {
                    if let Some((_, _, Some(cell))) = tables.last_mut() {
                        if !cell.is_empty() && !p.para.inlines.is_empty() {
                            cell.push(Inline::Break);
                        }
                        cell.extend(p.para.inlines);
                    } else {
                        if p.para.inlines.is_empty() {
                            blocks.push(Block::Skip);
                        } else if let Some(l) = p.heading {
                            blocks.push(Block::Heading(l, p.para));
                        } else {
                            blocks.push(Block::Para(p.para));
                        }
                        if p.page_break {
                            blocks.push(Block::PageBreak);
                        }
                    }
                }
            }
            (Kind::Empty, "w:pStyle") => {
                if let (Some(p), Some(v)) = (para.as_mut(), xml::attr(raw, "w:val")) {
                    let lower = v.to_ascii_lowercase();
                    if let Some(n) = lower.strip_prefix("heading") {
                        p.heading = n.trim().parse().ok().filter(|n| (1..=6).contains(n));
                    } else if lower == "title" {
                        p.heading = Some(1);
                    }
                }
            }
            (Kind::Empty, "w:jc") => {
                if let (Some(p), Some(v)) = (para.as_mut(), xml::attr(raw, "w:val")) {
                    if !in_rpr {
                        p.para.align = match v {
                            "center" => Align::Center,
                            "right" | "end" => Align::Right,
                            _ => Align::Left,
                        };
                    }
                }
            }
            (Kind::Empty, "w:ind") => {
                if let Some(p) = para.as_mut() {
                    let left = xml::attr(raw, "w:left").or_else(|| xml::attr(raw, "w:start"));
                    if let Some(tw) = left.and_then(|v| v.parse::<f32>().ok()) {
                        p.para.indent = (tw / 20.0).max(0.0);
                    }
                }
            }
            (Kind::Open, "w:r") => style = Style::default(),
            (Kind::Open, "w:rPr") => in_rpr = true,
            (Kind::Close, "w:rPr") => in_rpr = false,
            (Kind::Empty, "w:b") if in_rpr => style.bold = !is_off(raw),
            (Kind::Empty, "w:i") if in_rpr => style.italic = !is_off(raw),
            (Kind::Empty, "w:u") if in_rpr => {
                style.underline = xml::attr(raw, "w:val").is_none_or(|v| v != "none");
            }
            (Kind::Open, "w:t") => in_t = true,
            (Kind::Close, "w:t") => in_t = false,
            (Kind::Text, _) if in_t => {
                let text = xml::unescape(raw);
                if let Some(p) = para.as_mut() {
                    p.para.inlines.push(Inline::Text(text, style));
                }
            }
            (Kind::Empty, "w:tab") if !in_rpr => {
                if let Some(p) = para.as_mut() {
                    p.para.inlines.push(Inline::Tab);
                }
            }
            (Kind::Empty, "w:br" | "w:cr") => {
                if let Some(p) = para.as_mut() {
                    if xml::attr(raw, "w:type") == Some("page") {
                        p.page_break = true;
                    } else {
                        p.para.inlines.push(Inline::Break);
                    }
                }
            }
            (Kind::Open, "w:tbl") => tables.push((Vec::new(), Vec::new(), None)),
            (Kind::Close, "w:tbl") => {
                if let Some((rows, _, _)) = tables.pop() {
                    let block = Block::Table {
                        header: Vec::new(),
                        rows,
                    };
                    match tables.last_mut() {
                        // A table in a table: its text joins the outer cell.
                        Some((_, _, Some(cell))) => {
                            let mut text = String::new();
                            if let Block::Table { rows, .. } = &block {
                                for r in rows {
                                    let cells: Vec<String> =
                                        r.iter().map(|c| crate::model::plain(c)).collect();
                                    text.push_str(&cells.join(" "));
                                    text.push('\n');
                                }
                            }
                            cell.push(Inline::Text(text, Style::default()));
                        }
                        _ => blocks.push(block),
                    }
                }
            }
            (Kind::Open, "w:tr") => {
                if let Some((_, row, _)) = tables.last_mut() {
                    row.clear();
                }
            }
            (Kind::Close, "w:tr") => {
                if let Some((rows, row, _)) = tables.last_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            (Kind::Open, "w:tc") => {
                if let Some((_, _, cell)) = tables.last_mut() {
                    *cell = Some(Vec::new());
                }
            }
            (Kind::Close, "w:tc") => {
                if let Some((_, row, cell)) = tables.last_mut() {
                    row.push(cell.take().unwrap_or_default());
                }
            }
            _ => {}
        }
    }
    Ok(blocks)
}

fn is_off(raw: &str) -> bool {
    matches!(xml::attr(raw, "w:val"), Some("0" | "false" | "off"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_docx_reads_back() {
        let d = crate::markdown::parse(
            "# Head\n\n[CENTER] Hello **world**\n\n[PAGEBREAK]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            Metadata::default(),
        );
        let bytes = crate::docx::write(&d).unwrap();
        let back = read(&bytes).unwrap();
        assert!(matches!(&back.blocks[0], Block::Heading(1, p) if p.plain() == "Head"));
        assert!(
            matches!(&back.blocks[1], Block::Para(p) if p.align == Align::Center && p.plain() == "Hello world")
        );
        assert!(back.blocks.contains(&Block::PageBreak));
        assert!(back.plain_text().contains("1\t2"));
    }
}
