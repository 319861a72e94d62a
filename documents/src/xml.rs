//! A small, forgiving XML tokenizer for WordprocessingML: enough to find elements and text
//! by position without building a tree (the template filler rewrites the text in place).

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `<w:p …>`.
    Open,
    /// `</w:p>`.
    Close,
    /// `<w:br/>`.
    Empty,
    /// Text between tags (still escaped).
    Text,
    /// `<?xml …?>`, comments, CDATA, doctype.
    Other,
}

/// A token: its kind, the element name (for tags) and its byte range in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The kind.
    pub kind: Kind,
    /// The element name, `""` for text and others.
    pub name: &'a str,
    /// Start offset.
    pub start: usize,
    /// End offset (exclusive).
    pub end: usize,
}

/// Splits `s` into tokens.
///
/// # Errors
/// An unterminated tag, comment or CDATA section.
pub fn tokenize(s: &str) -> Result<Vec<Token<'_>>, String> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            let end = s[i..].find('<').map_or(s.len(), |k| i + k);
            out.push(Token {
                kind: Kind::Text,
                name: "",
                start: i,
                end,
            });
            i = end;
            continue;
        }
        let rest = &s[i..];
        let (close_pat, kind) = if rest.starts_with("<!--") {
            ("-->", Kind::Other)
        } else if rest.starts_with("<![CDATA[") {
            ("]]>", Kind::Other)
        } else if rest.starts_with("<?") {
            ("?>", Kind::Other)
        } else if rest.starts_with("<!") {
            (">", Kind::Other)
        } else {
            (">", Kind::Open)
        };
        let Some(k) = rest.find(close_pat) else {
            return Err(format!("unterminated markup at byte {i}"));
        };
        let end = i + k + close_pat.len();
        let raw = &s[i..end];
        if kind == Kind::Other {
            out.push(Token {
                kind,
                name: "",
                start: i,
                end,
            });
        } else {
            let (kind, body) = if let Some(b) = raw.strip_prefix("</") {
                (Kind::Close, b)
            } else if raw.ends_with("/>") {
                (Kind::Empty, &raw[1..])
            } else {
                (Kind::Open, &raw[1..])
            };
            let name_end = body
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(body.len());
            let name = &body[..name_end];
            if name.is_empty() {
                return Err(format!("a tag without a name at byte {i}"));
            }
            out.push(Token {
                kind,
                name,
                start: i,
                end,
            });
        }
        i = end;
    }
    Ok(out)
}

/// XML text → characters (the five entities and numeric references).
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(semi) = tail.find(';').filter(|k| *k <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let ent = &tail[1..semi];
        let c = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The value of attribute `name` in the tag text `raw` (`<w:jc w:val="center"/>`).
pub fn attr<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = raw;
    while let Some(at) = rest.find(name) {
        let before_ok = at > 0 && rest.as_bytes()[at - 1].is_ascii_whitespace();
        let after = &rest[at + name.len()..];
        let after_trim = after.trim_start();
        if before_ok && after_trim.starts_with('=') {
            let v = after_trim[1..].trim_start();
            let quote = v.chars().next()?;
            if quote == '"' || quote == '\'' {
                let body = &v[1..];
                let end = body.find(quote)?;
                return Some(&body[..end]);
            }
        }
        rest = &rest[at + name.len()..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_entities() {
        let s = r#"<?xml version="1.0"?><w:p a="1"><w:r><w:t>a &amp; b</w:t><w:br/></w:r></w:p>"#;
        let t = tokenize(s).unwrap();
        let kinds: Vec<(Kind, &str)> = t.iter().map(|t| (t.kind, t.name)).collect();
        assert_eq!(
            kinds,
            vec![
                (Kind::Other, ""),
                (Kind::Open, "w:p"),
                (Kind::Open, "w:r"),
                (Kind::Open, "w:t"),
                (Kind::Text, ""),
                (Kind::Close, "w:t"),
                (Kind::Empty, "w:br"),
                (Kind::Close, "w:r"),
                (Kind::Close, "w:p"),
            ]
        );
        assert_eq!(unescape(&s[t[4].start..t[4].end]), "a & b");
        assert_eq!(unescape("&#65;&#x42;&bogus;&"), "AB&bogus;&");
        assert_eq!(attr(r#"<w:jc w:val="center"/>"#, "w:val"), Some("center"));
        assert!(tokenize("<w:p").is_err());
    }
}
