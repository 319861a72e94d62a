//! Filling a DOCX template (docassemble's `docx template file`, docxtpl semantics).
//!
//! For each part that holds text (`word/document.xml`, headers, footers, footnotes):
//! 1. Word splits text into runs wherever formatting or editing history changed, so a tag like
//!    `{{ name }}` may be spread over several `<w:t>` elements. The characters of every Jinja
//!    tag are gathered into the text element where the tag starts (the runs after it lose
//!    them), entities are decoded inside tags and Word's curly quotes become straight ones.
//! 2. docxtpl's tags act on the element around them: `{%p … %}` replaces its paragraph,
//!    `{%tr … %}` its table row, `{%tc … %}` its cell, `{%r … %}` its run; `{{p …}}` and
//!    `{{r …}}` print like `{{ … }}`.
//! 3. The part is rendered with Jinja2 (see [`crate::jinja`]): printed values are XML-escaped
//!    and their newlines become line breaks.

use crate::archive;
use crate::error::DocumentError;
use crate::jinja::{self, Options};
use crate::xml::{self, Kind};

/// Is `name` a part whose text may hold template tags?
fn is_text_part(name: &str) -> bool {
    name == "word/document.xml"
        || (name.starts_with("word/header") && name.ends_with(".xml"))
        || (name.starts_with("word/footer") && name.ends_with(".xml"))
        || name == "word/footnotes.xml"
        || name == "word/endnotes.xml"
}

/// Fills the DOCX `template` with `context` (JSON of the interview's variables).
///
/// # Errors
/// Not a DOCX, malformed XML in a part, or a Jinja error (syntax, undefined name, failing
/// filter), each naming the part.
pub fn fill(
    template: &[u8],
    context: &serde_json::Value,
    opts: &Options,
) -> Result<Vec<u8>, DocumentError> {
    let mut parts = archive::read(template, "DOCX")?;
    if !parts.iter().any(|(n, _)| n == "word/document.xml") {
        return Err(DocumentError::BadFile {
            kind: "DOCX",
            reason: "it has no word/document.xml".into(),
        });
    }
    let mut placed = Vec::new();
    for (name, bytes) in &mut parts {
        if !is_text_part(name) {
            continue;
        }
        let text = std::str::from_utf8(bytes).map_err(|_| DocumentError::BadFile {
            kind: "DOCX",
            reason: format!("{name} is not UTF-8"),
        })?;
        let prepared = prepare(text).map_err(|reason| DocumentError::Template {
            part: name.clone(),
            reason,
        })?;
        let err = |reason| DocumentError::Template {
            part: name.clone(),
            reason,
        };
        if name == "word/document.xml" {
            let (rendered, pics) =
                jinja::render_xml_with_images(&prepared, context, opts).map_err(err)?;
            placed = pics;
            *bytes = rendered.into_bytes();
        } else {
            *bytes = jinja::render_xml(&prepared, context, opts)
                .map_err(err)?
                .into_bytes();
        }
    }
    if !placed.is_empty() {
        add_pictures(&mut parts, &placed);
    }
    archive::write(&parts)
}

/// Adds the placed pictures to the package: their files under `word/media/`, their
/// relationships from the document, and their content types.
fn add_pictures(parts: &mut Vec<(String, Vec<u8>)>, placed: &[jinja::Placed]) {
    const RELS: &str = "word/_rels/document.xml.rels";
    let mut rels = String::new();
    for (n, p) in placed.iter().enumerate() {
        let file = format!("media/colloquy{n}.{}", p.extension);
        parts.push((format!("word/{file}"), p.bytes.clone()));
        rels.push_str(&format!(
            r#"<Relationship Id="{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{file}"/>"#,
            p.rel_id
        ));
    }
    match parts.iter_mut().find(|(n, _)| n == RELS) {
        Some((_, bytes)) => {
            let text = String::from_utf8_lossy(bytes).to_string();
            let updated = match text.rfind("</Relationships>") {
                Some(at) => format!("{}{rels}{}", &text[..at], &text[at..]),
                None => text,
            };
            *bytes = updated.into_bytes();
        }
        None => parts.push((
            RELS.to_string(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
            )
            .into_bytes(),
        )),
    }
    if let Some((_, bytes)) = parts.iter_mut().find(|(n, _)| n == "[Content_Types].xml") {
        let mut text = String::from_utf8_lossy(bytes).to_string();
        for (ext, mime) in [("png", "image/png"), ("jpeg", "image/jpeg")] {
            let has = text
                .to_ascii_lowercase()
                .contains(&format!("extension=\"{ext}\""));
            if !has && placed.iter().any(|p| p.extension == ext) {
                if let Some(at) = text.rfind("</Types>") {
                    text.insert_str(
                        at,
                        &format!(r#"<Default Extension="{ext}" ContentType="{mime}"/>"#),
                    );
                }
            }
        }
        *bytes = text.into_bytes();
    }
}

/// What the DOCX `template` uses, in document order over its parts (see [`jinja::uses`]).
///
/// # Errors
/// As [`fill`], without rendering.
pub fn uses(template: &[u8]) -> Result<Vec<jinja::Use>, DocumentError> {
    let parts = archive::read(template, "DOCX")?;
    let mut out: Vec<jinja::Use> = Vec::new();
    // The body first, then headers and footers, as a reader meets them.
    let mut names: Vec<&String> = parts
        .iter()
        .map(|(n, _)| n)
        .filter(|n| is_text_part(n))
        .collect();
    names.sort_by_key(|n| (n.as_str() != "word/document.xml", n.to_string()));
    for name in names {
        let Some((_, bytes)) = parts.iter().find(|(n, _)| n == name) else {
            continue;
        };
        let text = String::from_utf8_lossy(bytes);
        let prepared = prepare(&text).map_err(|reason| DocumentError::Template {
            part: name.clone(),
            reason,
        })?;
        for u in jinja::uses(&prepared) {
            if !out.contains(&u) {
                out.push(u);
            }
        }
    }
    Ok(out)
}

/// The text of the part `xml` made ready for Jinja: tags merged, docxtpl tags expanded.
///
/// # Errors
/// Malformed XML, or a docxtpl tag outside the element it must replace.
pub fn prepare(xml_text: &str) -> Result<String, String> {
    let merged = merge_tags(xml_text)?;
    expand_docxtpl(&merged)
}

/// Where a Jinja tag is open while scanning text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    /// Inside `{{`/`{%`/`{#` until the closer.
    Tag(char),
}

fn merge_tags(src: &str) -> Result<String, String> {
    let toks = xml::tokenize(src)?;
    // The text tokens inside <w:t>, with their decoded text.
    let mut texts: Vec<(usize, String)> = Vec::new();
    let mut in_t = false;
    for (k, t) in toks.iter().enumerate() {
        match t.kind {
            Kind::Open if t.name == "w:t" => in_t = true,
            Kind::Close if t.name == "w:t" => in_t = false,
            Kind::Text if in_t => texts.push((k, xml::unescape(&src[t.start..t.end]))),
            _ => {}
        }
    }
    // New text per token: characters outside tags stay where they are, the characters of a
    // tag go to the token where it started. `raw` marks characters that belong to tags (kept
    // unescaped for Jinja).
    let mut out_text: Vec<Vec<(char, bool)>> = vec![Vec::new(); texts.len()];
    let mut open = Open::None;
    let mut owner = 0usize;
    let all: Vec<(usize, char)> = texts
        .iter()
        .enumerate()
        .flat_map(|(n, (_, s))| s.chars().map(move |c| (n, c)))
        .collect();
    let mut i = 0;
    while i < all.len() {
        let (n, c) = all[i];
        let next = all.get(i + 1).map(|p| p.1);
        match open {
            Open::None => {
                if c == '{' && matches!(next, Some('{' | '%' | '#')) {
                    let kind = next.unwrap_or('{');
                    open = Open::Tag(kind);
                    owner = n;
                    out_text[owner].push(('{', true));
                    out_text[owner].push((kind, true));
                    i += 2;
                    continue;
                }
                out_text[n].push((c, false));
            }
            Open::Tag(kind) => {
                let closer = if kind == '{' { '}' } else { kind };
                let c2 = straight(c);
                out_text[owner].push((c2, true));
                if c == closer && next == Some('}') {
                    out_text[owner].push(('}', true));
                    open = Open::None;
                    i += 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    if open != Open::None {
        return Err("a Jinja tag is not closed before the end of the part".into());
    }
    let mut out = String::with_capacity(src.len());
    let mut next_text = 0usize;
    for (k, t) in toks.iter().enumerate() {
        let raw = &src[t.start..t.end];
        if next_text < texts.len() && texts[next_text].0 == k {
            for (c, is_tag) in &out_text[next_text] {
                if *is_tag {
                    out.push(*c);
                } else {
                    match c {
                        '&' => out.push_str("&amp;"),
                        '<' => out.push_str("&lt;"),
                        '>' => out.push_str("&gt;"),
                        c => out.push(*c),
                    }
                }
            }
            next_text += 1;
            continue;
        }
        if t.kind == Kind::Open && t.name == "w:t" && !raw.contains("xml:space") {
            out.push_str(r#"<w:t xml:space="preserve">"#);
            continue;
        }
        out.push_str(raw);
    }
    Ok(out)
}

/// Word's typographic quotes inside a tag are the straight ones Jinja expects.
fn straight(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' => '\'',
        '\u{201c}' | '\u{201d}' => '"',
        '\u{a0}' => ' ',
        c => c,
    }
}

/// Finds the start of the element `name` that encloses `at` (`<w:p>` or `<w:p …>`).
fn enclosing_start(s: &str, at: usize, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let mut end = at;
    loop {
        let k = s[..end].rfind(&open)?;
        let after = s.as_bytes().get(k + open.len()).copied();
        if matches!(after, Some(b'>' | b' ' | b'/' | b'\t' | b'\n' | b'\r')) {
            return Some(k);
        }
        end = k;
    }
}

fn expand_docxtpl(s: &str) -> Result<String, String> {
    let mut out = s.replace("{{p ", "{{ ").replace("{{r ", "{{ ");
    for (prefix, element) in [
        ("{%p", "w:p"),
        ("{%tr", "w:tr"),
        ("{%tc", "w:tc"),
        ("{%r", "w:r"),
    ] {
        let mut from = 0;
        while let Some(k) = out[from..].find(prefix) {
            let at = from + k;
            let after = out.as_bytes().get(at + prefix.len()).copied();
            if !matches!(after, Some(b' ' | b'-' | b'\t')) {
                from = at + prefix.len();
                continue;
            }
            let Some(tag_end) = out[at..].find("%}").map(|e| at + e + 2) else {
                return Err(format!("{prefix} … is not closed with %}}"));
            };
            let inner = out[at + prefix.len()..tag_end - 2].to_string();
            let start = enclosing_start(&out, at, element)
                .ok_or_else(|| format!("{prefix}{inner}%}} is not inside a <{element}> element"))?;
            let close = format!("</{element}>");
            let end = out[tag_end..]
                .find(&close)
                .map(|e| tag_end + e + close.len())
                .ok_or_else(|| format!("{prefix}{inner}%}}: the <{element}> is not closed"))?;
            let replacement = format!("{{%{inner}%}}");
            out.replace_range(start..end, &replacement);
            from = start + replacement.len();
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const P: &str = r#"<w:document><w:body>"#;

    fn render(xml: &str, ctx: serde_json::Value) -> String {
        let prepared = prepare(xml).unwrap();
        jinja::render_xml(&prepared, &ctx, &Options::default()).unwrap()
    }

    #[test]
    fn split_runs_are_merged() {
        let xml = format!(
            "{P}<w:p><w:r><w:t>Hello {{</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{{ na</w:t></w:r><w:r><w:t>me }}}}!</w:t></w:r></w:p></w:body></w:document>"
        );
        let out = render(&xml, json!({"name": "Jane & <Co>"}));
        assert!(out.contains("Hello Jane &amp; &lt;Co&gt;"), "{out}");
        assert!(out.contains("<w:t xml:space=\"preserve\">!</w:t>"), "{out}");
    }

    #[test]
    fn paragraph_and_row_tags() {
        let xml = format!(
            "{P}<w:p><w:r><w:t>{{%p for x in items %}}</w:t></w:r></w:p><w:p><w:r><w:t>{{{{ x }}}}</w:t></w:r></w:p><w:p><w:r><w:t>{{%p endfor %}}</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>{{%tr for k in d %}}</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>{{{{ k }}}}={{{{ d[k] }}}}</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>{{%tr endfor %}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
        );
        let out = render(&xml, json!({"items": ["a", "b"], "d": {"x": 1, "y": 2}}));
        assert_eq!(out.matches("<w:p>").count(), 2 + 2, "{out}");
        assert!(
            out.contains(">a</w:t>") && out.contains(">b</w:t>"),
            "{out}"
        );
        assert_eq!(out.matches("<w:tr>").count(), 2, "{out}");
        assert!(
            out.contains(">x=1</w:t>") && out.contains(">y=2</w:t>"),
            "{out}"
        );
        assert!(!out.contains("{%"), "{out}");
    }

    #[test]
    fn entities_and_curly_quotes_inside_tags() {
        let xml = format!(
            "{P}<w:p><w:r><w:t>{{% if n &gt; 1 and s == \u{201c}a\u{201d} %}}many{{% endif %}}</w:t></w:r></w:p></w:body></w:document>"
        );
        assert!(render(&xml, json!({"n": 2, "s": "a"})).contains(">many</w:t>"));
    }

    #[test]
    fn errors_are_reported_not_panicked() {
        assert!(prepare("<w:p><w:t>{{ open").is_err());
        assert!(prepare("<w:t>{%p if x %}</w:t>").is_err());
        let xml =
            format!("{P}<w:p><w:r><w:t>{{{{ missing }}}}</w:t></w:r></w:p></w:body></w:document>");
        let prepared = prepare(&xml).unwrap();
        let e = jinja::render_xml(&prepared, &json!({}), &Options::default()).unwrap_err();
        assert!(e.contains("missing"), "{e}");
        assert!(fill(b"nope", &json!({}), &Options::default()).is_err());
    }
}
