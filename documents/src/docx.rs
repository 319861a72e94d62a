//! [`Doc`] → DOCX (WordprocessingML in a zip): paragraphs with alignment and indentation,
//! Heading styles, bold/italic/underline runs, lists (indented, with their markers), tables
//! with borders, page breaks, tabs and line breaks; `metadata` in `docProps/core.xml`.

use crate::archive;
use crate::error::DocumentError;
use crate::model::{Align, Block, Cell, Doc, Inline, Para};

/// XML text: `&`, `<`, `>`, `"` escaped; characters XML forbids dropped.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

fn styles() -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="24"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>"#,
    );
    for (level, size) in [(1, 40), (2, 32), (3, 28), (4, 24), (5, 24), (6, 24)] {
        s.push_str(&format!(
            r#"<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="{}"/></w:pPr><w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr></w:style>"#,
            level - 1
        ));
    }
    s.push_str(r#"<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders></w:tblPr></w:style></w:styles>"#);
    s
}

fn core(doc: &Doc) -> String {
    let m = &doc.meta;
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    );
    for (tag, v) in [
        ("dc:title", &m.title),
        ("dc:creator", &m.author),
        ("dc:subject", &m.subject),
        ("cp:keywords", &m.keywords),
    ] {
        if let Some(v) = v {
            s.push_str(&format!("<{tag}>{}</{tag}>", xml_escape(v)));
        }
    }
    s.push_str("</cp:coreProperties>");
    s
}

fn runs(items: &[Inline], out: &mut String) {
    for i in items {
        match i {
            Inline::Text(t, s) => {
                out.push_str("<w:r>");
                if s.bold || s.italic || s.underline || s.code {
                    out.push_str("<w:rPr>");
                    if s.code {
                        out.push_str(r#"<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/>"#);
                    }
                    if s.bold {
                        out.push_str("<w:b/>");
                    }
                    if s.italic {
                        out.push_str("<w:i/>");
                    }
                    if s.underline {
                        out.push_str(r#"<w:u w:val="single"/>"#);
                    }
                    out.push_str("</w:rPr>");
                }
                out.push_str(r#"<w:t xml:space="preserve">"#);
                out.push_str(&xml_escape(t));
                out.push_str("</w:t></w:r>");
            }
            Inline::Break => out.push_str("<w:r><w:br/></w:r>"),
            Inline::Tab => out.push_str("<w:r><w:tab/></w:r>"),
        }
    }
}

fn para(
    p: &Para,
    style: Option<String>,
    indent_twips: i64,
    hanging: i64,
    prefix: Option<&str>,
    out: &mut String,
) {
    out.push_str("<w:p><w:pPr>");
    if let Some(s) = style {
        out.push_str(&format!(r#"<w:pStyle w:val="{s}"/>"#));
    }
    let left = indent_twips + (p.indent * 20.0) as i64;
    if left > 0 {
        if hanging > 0 {
            out.push_str(&format!(
                r#"<w:ind w:left="{left}" w:hanging="{hanging}"/>"#
            ));
        } else {
            out.push_str(&format!(r#"<w:ind w:left="{left}"/>"#));
        }
    }
    match p.align {
        Align::Left => {}
        Align::Center => out.push_str(r#"<w:jc w:val="center"/>"#),
        Align::Right => out.push_str(r#"<w:jc w:val="right"/>"#),
    }
    out.push_str("</w:pPr>");
    if let Some(m) = prefix {
        out.push_str(r#"<w:r><w:t xml:space="preserve">"#);
        out.push_str(&xml_escape(m));
        out.push_str("</w:t></w:r><w:r><w:tab/></w:r>");
    }
    runs(&p.inlines, out);
    out.push_str("</w:p>");
}

fn blocks(items: &[Block], indent: i64, out: &mut String) {
    for b in items {
        match b {
            Block::Para(p) => para(p, None, indent, 0, None, out),
            Block::Heading(l, p) => para(p, Some(format!("Heading{l}")), indent, 0, None, out),
            Block::List { start, items: list } => {
                for (n, item) in list.iter().enumerate() {
                    let marker = match start {
                        Some(s) => format!("{}.", s + n as u64),
                        None => "\u{2022}".to_string(),
                    };
                    let li = indent + 720;
                    let mut first = true;
                    for b in item {
                        match (first, b) {
                            (true, Block::Para(p)) => para(p, None, li, 360, Some(&marker), out),
                            (true, other) => {
                                para(&Para::default(), None, li, 360, Some(&marker), out);
                                blocks(std::slice::from_ref(other), li, out);
                            }
                            (false, other) => blocks(std::slice::from_ref(other), li, out),
                        }
                        first = false;
                    }
                }
            }
            Block::Table { header, rows } => table(header, rows, out),
            Block::Quote(inner) => blocks(inner, indent + 720, out),
            Block::Code(t) => {
                for line in t.lines() {
                    let p = Para {
                        inlines: vec![Inline::Text(
                            line.to_string(),
                            crate::model::Style {
                                code: true,
                                ..Default::default()
                            },
                        )],
                        ..Para::default()
                    };
                    para(&p, None, indent, 0, None, out);
                }
            }
            Block::Rule => out.push_str(
                r#"<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr></w:pPr></w:p>"#,
            ),
            Block::PageBreak => out.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#),
            Block::Skip => out.push_str("<w:p/>"),
            Block::Image { .. } => {}
        }
    }
}

fn table(header: &[Cell], rows: &[Vec<Cell>], out: &mut String) {
    let ncols = std::iter::once(header)
        .chain(rows.iter().map(Vec::as_slice))
        .map(<[Cell]>::len)
        .max()
        .unwrap_or(0);
    if ncols == 0 {
        return;
    }
    let w = 9360 / ncols;
    out.push_str(r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>"#);
    for _ in 0..ncols {
        out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    let row = |cells: &[Cell], bold: bool, out: &mut String| {
        out.push_str("<w:tr>");
        for c in 0..ncols {
            out.push_str(&format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p>"#
            ));
            let mut cell: Vec<Inline> = cells.get(c).cloned().unwrap_or_default();
            if bold {
                for i in &mut cell {
                    if let Inline::Text(_, s) = i {
                        s.bold = true;
                    }
                }
            }
            runs(&cell, out);
            out.push_str("</w:p></w:tc>");
        }
        out.push_str("</w:tr>");
    };
    if !header.is_empty() {
        row(header, true, out);
    }
    for r in rows {
        row(r, false, out);
    }
    out.push_str("</w:tbl><w:p/>");
}

/// The `word/document.xml` of `doc`.
pub fn document_xml(doc: &Doc) -> String {
    let mut body = String::new();
    blocks(&doc.blocks, 0, &mut body);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

/// Writes `doc` as a DOCX package.
///
/// # Errors
/// Only if the zip writer fails.
pub fn write(doc: &Doc) -> Result<Vec<u8>, DocumentError> {
    archive::write(&[
        (
            "[Content_Types].xml".into(),
            CONTENT_TYPES.as_bytes().to_vec(),
        ),
        ("_rels/.rels".into(), RELS.as_bytes().to_vec()),
        ("word/document.xml".into(), document_xml(doc).into_bytes()),
        (
            "word/_rels/document.xml.rels".into(),
            DOC_RELS.as_bytes().to_vec(),
        ),
        ("word/styles.xml".into(), styles().into_bytes()),
        ("docProps/core.xml".into(), core(doc).into_bytes()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Metadata;

    #[test]
    fn a_docx_is_a_zip_with_the_text() {
        let d = crate::markdown::parse(
            "# Head\n\nHello <b>&amp; **world**\n\n[PAGEBREAK]\n\n1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            Metadata {
                title: Some("My & title".into()),
                ..Metadata::default()
            },
        );
        let bytes = write(&d).unwrap();
        let parts = archive::read(&bytes, "DOCX").unwrap();
        let doc = parts
            .iter()
            .find(|(n, _)| n == "word/document.xml")
            .map(|(_, b)| String::from_utf8_lossy(b).to_string())
            .unwrap();
        assert!(doc.contains(r#"<w:pStyle w:val="Heading1"/>"#));
        assert!(doc.contains(">Head<"));
        assert!(doc.contains("<w:b/></w:rPr><w:t xml:space=\"preserve\">world</w:t>"));
        assert!(doc.contains(r#"<w:br w:type="page"/>"#));
        assert!(doc.contains(">2.<"));
        assert!(doc.contains("<w:tbl>"));
        assert!(!doc.contains("<b>"));
        let core = parts
            .iter()
            .find(|(n, _)| n == "docProps/core.xml")
            .map(|(_, b)| String::from_utf8_lossy(b).to_string())
            .unwrap();
        assert!(core.contains("<dc:title>My &amp; title</dc:title>"));
    }
}
