//! docassemble's conversion of posted text answers (protocol spec §3.5, §9 item 7): for text-like
//! datatypes (`text`, `area`, `email`, `password`, custom types …) the value's HTML is stripped
//! (BeautifulSoup's `get_text('\n')`: tags removed, text pieces joined by newlines, entities
//! decoded, `<script>`/`<style>` contents dropped) and every backslash is removed.
//!
//! Colloquy always knows the datatypes (the server, not the client, decides them), so the
//! conversion applies to every text-like field of the screen being answered. Numbers, dates,
//! booleans, choices, checkboxes, files and `raw` fields are left alone.
//!
//! This belongs with the engine's value conversion (`engine::run::answer::convert`); until the
//! engine does it, the server applies it to the submission on the engine thread, where the
//! pending screen is known. It is idempotent on its own output, so doing it twice is harmless.

use engine::run::{Screen, ScreenField};

/// Datatypes whose answers are not text and are never converted.
const NOT_TEXT: &[&str] = &[
    "boolean",
    "threestate",
    "yesno",
    "noyes",
    "yesnoradio",
    "noyesradio",
    "yesnowide",
    "noyeswide",
    "yesnomaybe",
    "noyesmaybe",
    "checkboxes",
    "multiselect",
    "integer",
    "number",
    "float",
    "currency",
    "range",
    "date",
    "datetime",
    "datetime-local",
    "time",
    "object",
    "object_radio",
    "object_checkboxes",
    "object_multiselect",
    "file",
    "files",
    "camera",
    "user",
    "environment",
    "camcorder",
    "microphone",
    "ml",
    "mlarea",
    "raw",
];

fn is_text_field(f: &ScreenField) -> bool {
    let dt = f.datatype.as_deref().unwrap_or("text");
    f.choices.is_empty() && !NOT_TEXT.contains(&dt)
}

/// Converts the values posted for text-like fields of `screen`, in place.
pub fn convert_text_answers(screen: &Screen, values: &mut [(String, String)]) {
    for (name, value) in values.iter_mut() {
        let text_field = screen
            .fields
            .iter()
            .any(|f| f.variable_name.as_deref() == Some(name.as_str()) && is_text_field(f));
        if text_field {
            *value = docassemble_text(value);
        }
    }
}

/// HTML stripped and backslashes removed.
pub fn docassemble_text(v: &str) -> String {
    strip_html(v).replace('\\', "")
}

/// BeautifulSoup `get_text('\n')`, close enough: a `<` starts a tag only when followed by a
/// letter, `/`, `!` or `?` (so `a < b` stays text).
pub fn strip_html(v: &str) -> String {
    if !v.contains('<') && !v.contains('&') {
        return v.to_string();
    }
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut rest = v;
    let mut skip_until: Option<&'static str> = None;
    while let Some(pos) = rest.find('<') {
        let after = &rest[pos + 1..];
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        if !starts_tag {
            if skip_until.is_none() {
                current.push_str(&rest[..=pos]);
            }
            rest = after;
            continue;
        }
        if skip_until.is_none() {
            current.push_str(&rest[..pos]);
        }
        let end = if after.starts_with("!--") {
            after.find("-->").map(|e| e + 3)
        } else {
            after.find('>').map(|e| e + 1)
        };
        let Some(end) = end else {
            // An unclosed tag: BeautifulSoup drops it.
            rest = "";
            break;
        };
        let tag = after[..end].to_ascii_lowercase();
        match skip_until {
            Some(close) if tag.starts_with(close) => skip_until = None,
            Some(_) => {}
            None => {
                if !current.is_empty() {
                    pieces.push(std::mem::take(&mut current));
                }
                if tag.starts_with("script") && !tag.ends_with("/>") {
                    skip_until = Some("/script");
                } else if tag.starts_with("style") && !tag.ends_with("/>") {
                    skip_until = Some("/style");
                }
            }
        }
        rest = &after[end..];
    }
    if skip_until.is_none() {
        current.push_str(rest);
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    decode_entities(&pieces.join("\n"))
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let decoded = after.find(';').filter(|e| *e <= 10).and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docassemble_examples() {
        assert_eq!(docassemble_text("<b>hi</b>"), "hi");
        assert_eq!(docassemble_text("C:\\temp"), "C:temp");
        assert_eq!(docassemble_text("plain"), "plain");
        assert_eq!(docassemble_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(docassemble_text("x<br>y"), "x\ny");
        assert_eq!(docassemble_text("Tom &amp; Jerry"), "Tom & Jerry");
        assert_eq!(docassemble_text("<script>alert(1)</script>ok"), "ok");
        assert_eq!(docassemble_text("<!-- c -->t"), "t");
        assert_eq!(docassemble_text("<p>a</p><p>b</p>"), "a\nb");
        assert_eq!(docassemble_text("&#65;&#x42;"), "AB");
        assert_eq!(docassemble_text("AT&T"), "AT&T");
        assert_eq!(docassemble_text("<b unclosed"), "");
    }

    #[test]
    fn idempotent_on_its_output() {
        for s in [
            "<b>hi</b>",
            "C:\\temp",
            "a < b",
            "x<br>y",
            "Tom &amp; Jerry",
        ] {
            let once = docassemble_text(s);
            assert_eq!(docassemble_text(&once), once, "{s}");
        }
    }
}
