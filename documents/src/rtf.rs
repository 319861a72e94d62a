//! [`Doc`] → RTF (what docassemble's Pandoc produces for `rtf`): paragraphs with alignment and
//! indentation, headings, bold/italic, lists, tables, page breaks; text outside ASCII as `\u`.

use crate::model::{Align, Block, Cell, Doc, Inline, Para};

/// Writes `doc` as RTF.
pub fn write(doc: &Doc) -> Vec<u8> {
    let mut out = String::from(
        "{\\rtf1\\ansi\\ansicpg1252\\deff0\n{\\fonttbl{\\f0\\froman Times New Roman;}{\\f1\\fmodern Courier New;}}\n",
    );
    let meta = &doc.meta;
    if meta.title.is_some() || meta.author.is_some() || meta.subject.is_some() {
        out.push_str("{\\info");
        for (key, v) in [
            ("title", &meta.title),
            ("author", &meta.author),
            ("subject", &meta.subject),
            ("keywords", &meta.keywords),
        ] {
            if let Some(v) = v {
                out.push_str(&format!("{{\\{key} {}}}", escape(v)));
            }
        }
        out.push_str("}\n");
    }
    out.push_str("\\paperw12240\\paperh15840\\margl1440\\margr1440\\margt1440\\margb1440\n");
    blocks(&doc.blocks, 0, &mut out);
    out.push('}');
    out.into_bytes()
}

/// RTF text: `\`, `{`, `}` escaped; non-ASCII as `\uN?`; newlines as `\line`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '\n' => out.push_str("\\line "),
            '\t' => out.push_str("\\tab "),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    // RTF wants a signed 16-bit number.
                    out.push_str(&format!("\\u{}?", *unit as i16));
                }
            }
        }
    }
    out
}

fn inlines(items: &[Inline], out: &mut String) {
    for i in items {
        match i {
            Inline::Text(t, s) => {
                out.push('{');
                if s.bold {
                    out.push_str("\\b");
                }
                if s.italic {
                    out.push_str("\\i");
                }
                if s.underline {
                    out.push_str("\\ul");
                }
                if s.code {
                    out.push_str("\\f1");
                }
                out.push(' ');
                out.push_str(&escape(t));
                out.push('}');
            }
            Inline::Break => out.push_str("\\line "),
            Inline::Tab => out.push_str("\\tab "),
        }
    }
}

fn para(p: &Para, indent_twips: i64, prefix: &str, extra: &str, out: &mut String) {
    out.push_str("\\pard\\plain\\f0\\fs24\\sa160");
    out.push_str(match p.align {
        Align::Left => "\\ql",
        Align::Center => "\\qc",
        Align::Right => "\\qr",
    });
    let li = indent_twips + (p.indent * 20.0) as i64;
    if li > 0 {
        out.push_str(&format!("\\li{li}"));
    }
    out.push_str(extra);
    out.push(' ');
    out.push_str(prefix);
    inlines(&p.inlines, out);
    out.push_str("\\par\n");
}

fn blocks(items: &[Block], indent: i64, out: &mut String) {
    for b in items {
        match b {
            Block::Para(p) => para(p, indent, "", "", out),
            Block::Heading(level, p) => {
                let size = match level {
                    1 => 40,
                    2 => 32,
                    3 => 28,
                    _ => 24,
                };
                let mut bold = p.clone();
                for i in &mut bold.inlines {
                    if let Inline::Text(_, s) = i {
                        s.bold = true;
                    }
                }
                para(&bold, indent, "", &format!("\\fs{size}\\sb240\\keepn"), out);
            }
            Block::List { start, items: list } => {
                for (n, item) in list.iter().enumerate() {
                    let marker = match start {
                        Some(s) => format!("{}.\\tab ", s + n as u64),
                        None => "\\bullet\\tab ".to_string(),
                    };
                    let li = indent + 720;
                    let mut first = true;
                    for b in item {
                        match (first, b) {
                            (true, Block::Para(p)) => {
                                para(p, li, &marker, "\\fi-360\\tx720", out);
                            }
                            (true, other) => {
                                out.push_str(&format!(
                                    "\\pard\\plain\\f0\\fs24\\li{li}\\fi-360 {marker}\\par\n"
                                ));
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
                out.push_str("\\pard\\plain\\f1\\fs20\\sa160 ");
                out.push_str(&escape(t));
                out.push_str("\\par\n");
            }
            Block::Rule => out.push_str(
                "\\pard\\plain\\brdrb\\brdrs\\brdrw10\\brsp20 {\\fs4\\~}\\par\\pard\\plain\n",
            ),
            Block::PageBreak => out.push_str("\\page\n"),
            Block::Skip => out.push_str("\\pard\\plain\\f0\\fs24 \\par\n"),
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
    let width = 9360 / ncols as i64;
    let row_out = |cells: &[Cell], bold: bool, out: &mut String| {
        out.push_str("\\trowd\\trgaph108");
        for c in 1..=ncols {
            out.push_str(&format!(
                "\\clbrdrt\\brdrs\\clbrdrl\\brdrs\\clbrdrb\\brdrs\\clbrdrr\\brdrs\\cellx{}",
                width * c as i64
            ));
        }
        out.push('\n');
        for c in 0..ncols {
            out.push_str("\\pard\\plain\\intbl\\f0\\fs22 ");
            if bold {
                out.push_str("{\\b ");
            }
            if let Some(cell) = cells.get(c) {
                inlines(cell, out);
            }
            if bold {
                out.push('}');
            }
            out.push_str("\\cell\n");
        }
        out.push_str("\\row\n");
    };
    if !header.is_empty() {
        row_out(header, true, out);
    }
    for r in rows {
        row_out(r, false, out);
    }
    out.push_str("\\pard\\plain\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Metadata;

    #[test]
    fn rtf_has_the_text_and_the_structure() {
        let d = crate::markdown::parse(
            "# Head\n\n**Bold** café {x}\n\n[PAGEBREAK]\n\n- item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            Metadata {
                title: Some("T".into()),
                ..Metadata::default()
            },
        );
        let rtf = String::from_utf8(write(&d)).unwrap_or_default();
        assert!(rtf.starts_with("{\\rtf1"));
        assert!(rtf.ends_with('}'));
        assert!(rtf.contains("{\\title T}"));
        assert!(rtf.contains("Head"));
        assert!(rtf.contains("{\\b Bold}"));
        assert!(rtf.contains("caf\\u233?"));
        assert!(rtf.contains("\\{x\\}"));
        assert!(rtf.contains("\\page"));
        assert!(rtf.contains("\\bullet"));
        assert!(rtf.contains("\\cell"));
        assert_eq!(
            rtf.matches('{').count() - rtf.matches("\\{").count(),
            rtf.matches('}').count() - rtf.matches("\\}").count()
        );
    }
}
