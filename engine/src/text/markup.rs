//! docassemble's markup tokens (`[BR]`, `[CENTER]`, `[NBSP]`, `| ` lines …), applied after Mako
//! and before Markdown, as docassemble's `html_filter` does.
//!
//! Tokens that need the server (`[FILE …]`, `[QR …]`, `[FIELD …]`, `[MAP …]`) are resolved by a
//! [`MarkupResolver`]; without one they are left as they are.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// Resolves the tokens that refer to server-side things.
pub trait MarkupResolver {
    /// `[FILE name, width, alt]`: the HTML for a file reference, or `None` to leave it as text.
    fn file(&self, name: &str, width: Option<&str>, alt: Option<&str>) -> Option<String> {
        let _ = (name, width, alt);
        None
    }

    /// `:name:`: the HTML of the interview's image `name` (`images`/`image sets`), or `None`
    /// to leave the text as it is.
    fn icon(&self, name: &str) -> Option<String> {
        let _ = name;
        None
    }
}

/// Is `name` a URL (absolute, or a path on this server) rather than a file reference?
pub(crate) fn is_url(name: &str) -> bool {
    name.starts_with("http://") || name.starts_with("https://") || name.starts_with('/')
}

/// The URL of file `path` (under `data/static/`, which may be written) of package `package`:
/// `/packagestatic/PACKAGE/PATH`, if both are plain names (no `..`, no empty segments).
pub(crate) fn package_static_url(package: &str, path: &str) -> Option<String> {
    let plain = |t: &str| {
        !t.is_empty()
            && t.split('/')
                .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
    };
    let path = path.trim_start_matches("data/static/");
    (plain(package) && !package.contains('/') && plain(path))
        .then(|| format!("/packagestatic/{package}/{path}"))
}

/// `[FILE …]` of a package file (`docassemble.demo:data/static/x.png`) or of a URL (an
/// upload's `/uploadedfile/…`): an image for image files, a link for others, as docassemble
/// shows them. Bare names and file numbers need the server and stay as text.
fn default_file(name: &str, width: Option<&str>, alt: Option<&str>) -> Option<String> {
    let url = if is_url(name) {
        name.to_string()
    } else {
        let (pkg, path) = name.split_once(':')?;
        package_static_url(pkg, path)?
    };
    fn some(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty() && *v != "None")
    }
    let url_attr = escape_html(&url);
    let base = url.rsplit('/').next().unwrap_or(&url);
    let ext = base.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let image = matches!(
        ext.as_deref(),
        Some("png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "bmp" | "tif" | "tiff")
    );
    if !image {
        return Some(format!("<a href=\"{url_attr}\">{}</a>", escape_html(base)));
    }
    let style = some(width)
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '%')
        })
        .map(|w| format!(" style=\"width: {w};\""))
        .unwrap_or_default();
    Some(format!(
        "<img alt=\"{}\" class=\"daicon daimageref\"{style} src=\"{url_attr}\">",
        escape_html(some(alt).unwrap_or(""))
    ))
}

/// The class suffix of a `[TARGET name]` area (`datarget<suffix>`): the name's letters, digits
/// and `_`.
pub(crate) fn target_class(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// `t` with the characters special in HTML text and attributes escaped.
pub(crate) fn escape_html(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A resolver that resolves nothing.
pub struct NoResolver;

impl MarkupResolver for NoResolver {}

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| match Regex::new($pat) {
            Ok(re) => re,
            // The patterns are literals checked by the tests below.
            Err(_) => unreachable_regex(),
        });
    };
}

#[allow(clippy::panic)]
fn unreachable_regex() -> Regex {
    // Only reachable if a literal pattern in this file is invalid, which the tests rule out.
    panic!("invalid built-in markup pattern")
}

re!(PIPE_LINE, r"(?m)^[|] (.*)$");
re!(TARGET, r"\[TARGET ([^\]]+)\]");
re!(FILE3, r"\[FILE ([^,\]]+), *([0-9A-Za-z.%]+), *([^\]]*)\]");
re!(FILE2, r"\[FILE ([^,\]]+), *([0-9A-Za-z.%]+)\]");
re!(FILE1, r"\[FILE ([^,\]]+)\]");
re!(YOUTUBE, r"\[YOUTUBE(?:16:9)? ([A-Za-z0-9_-]+)\]");
re!(YOUTUBE43, r"\[YOUTUBE4:3 ([A-Za-z0-9_-]+)\]");
re!(VIMEO, r"\[VIMEO(?:16:9)? ([0-9]+)\]");
re!(VIMEO43, r"\[VIMEO4:3 ([0-9]+)\]");
re!(REDACTION_WORD, r"\[REDACTION_WORD ([^\]]+)\]");
re!(
    SIMPLE_TOKEN,
    r"\[(PAGEBREAK|PAGENUM|SECTIONNUM|SKIPLINE|NEWLINE|NEWPAR|BR|TAB)\] *"
);
re!(END, r" *\[END\] *");
re!(NO_EMOJIS, r"\[NO_EMOJIS\]\s*");
re!(ICON, r":([A-Za-z][A-Za-z0-9_\-]+):");
re!(
    REDACT_AS_X,
    r"\[(NBSP|ENDASH|EMDASH|HYPHEN|CHECKBOX|PAGENUM|TOTALPAGES|SECTIONNUM)\]"
);
re!(
    REDACT_KEEP,
    r"\[INDENTBY [^\]]*\]|\[(START_INDENTATION|STOP_INDENTATION|BEGIN_CAPTION|VERTICAL_LINE|END_CAPTION|BEGIN_TWOCOL|BREAK|END_TWOCOL|TIGHTSPACING|SINGLESPACING|DOUBLESPACING|ONEANDAHALFSPACING|TRIPLESPACING|BLANK|BLANKFILL|PAGEBREAK|SKIPLINE|VERTICALSPACE|NEWLINE|NEWPAR|BR|TAB|END|BORDER|NOINDENT|FLUSHLEFT|FLUSHRIGHT|CENTER|BOLDCENTER)\]"
);
re!(INDENTBY1, r"\[INDENTBY *([0-9.]+) *([A-Za-z]+)\]");
re!(
    INDENTBY2,
    r"\[INDENTBY *([0-9.]+) *([A-Za-z]+) *([0-9]+) *([A-Za-z]+)\]"
);
re!(
    PARA_TOKENS,
    r"\[(BORDER|NOINDENT|FLUSHLEFT|FLUSHRIGHT|BOLDCENTER|CENTER|TIGHTSPACING|SINGLESPACING|DOUBLESPACING|ONEANDAHALFSPACING|TRIPLESPACING|START_INDENTATION|STOP_INDENTATION)\] *"
);
re!(INDENTBY_ANY, r"\[INDENTBY[^\]]*\] *");

/// Marks a paragraph's classes and styles; turned into `<p class=… style=…>` after Markdown.
pub(crate) const PARA_MARK_OPEN: &str = "<i class=\"visually-hidden ";

/// docassemble's `redact()` outside DOCX and PDF forms: each word becomes a
/// `[REDACTION_WORD …]` token and each space `[REDACTION_SPACE]` (the markup draws them as
/// blocks); layout tokens (`[BR]`, `[INDENTBY …]` …), tabs and newlines stay.
pub fn redact(text: &str) -> String {
    let text = REDACT_AS_X.replace_all(text, "x");
    // Which characters are kept as they are.
    let mut keep = vec![false; text.len()];
    for m in REDACT_KEEP.find_iter(&text) {
        keep[m.start()..m.end()].iter_mut().for_each(|k| *k = true);
    }
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            out.push_str(&format!("[REDACTION_WORD {word}]"));
            word.clear();
        }
    };
    for (i, ch) in text.char_indices() {
        if keep[i] || matches!(ch, '\n' | '\r' | '\t') {
            flush(&mut word, &mut out);
            out.push(ch);
        } else if ch == ' ' {
            flush(&mut word, &mut out);
            out.push_str("[REDACTION_SPACE]");
        } else {
            word.push(if ch == ']' { '[' } else { ch });
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Applies the markup tokens.
///
/// Every step is guarded by a literal its pattern cannot match without (`[`, `[FILE `, a line
/// starting `| ` …), so plain text skips the regular expressions altogether.
pub fn apply(text: &str, resolver: &dyn MarkupResolver) -> String {
    let mut text = format!("{text}\n\n");
    if text.starts_with("| ") || text.contains("\n| ") {
        text = PIPE_LINE.replace_all(&text, "$1<br>").into_owned();
    }
    // `:name:`: an image of the interview's `image sets` (docassemble's emoji markup); names
    // that are not images stay text. `[NO_EMOJIS]` turns it off for the text.
    if text.contains(':') && !text.contains("[NO_EMOJIS]") {
        text = ICON
            .replace_all(&text, |c: &Captures| {
                resolver.icon(&c[1]).unwrap_or_else(|| c[0].to_string())
            })
            .into_owned();
    }
    if !text.contains('[') {
        return paragraphs(&text);
    }
    // `[NO_EMOJIS]` (which turned off `:name:` icons above) is removed with the space after it.
    if text.contains("[NO_EMOJIS]") {
        text = NO_EMOJIS.replace_all(&text, "").into_owned();
    }
    if text.contains("[TARGET ") {
        text = TARGET
            .replace_all(&text, |c: &Captures| {
                format!("<span class=\"datarget{}\"></span>", target_class(&c[1]))
            })
            .into_owned();
    }
    if text.contains("[FILE ") {
        for (re, groups) in [(&*FILE3, 3), (&*FILE2, 2), (&*FILE1, 1)] {
            text = re
                .replace_all(&text, |c: &Captures| {
                    let name = c[1].trim();
                    let width = (groups >= 2)
                        .then(|| c.get(2).map(|m| m.as_str()))
                        .flatten();
                    let alt = (groups >= 3)
                        .then(|| c.get(3).map(|m| m.as_str()))
                        .flatten();
                    resolver
                        .file(name, width, alt)
                        .or_else(|| default_file(name, width, alt))
                        .unwrap_or_else(|| c[0].to_string())
                })
                .into_owned();
        }
    }
    if text.contains("[YOUTUBE") {
        text = YOUTUBE43
            .replace_all(
                &text,
                video("davideo43", "https://www.youtube.com/embed/", "?rel=0"),
            )
            .into_owned();
        text = YOUTUBE
            .replace_all(
                &text,
                video("davideo169", "https://www.youtube.com/embed/", "?rel=0"),
            )
            .into_owned();
    }
    if text.contains("[VIMEO") {
        text = VIMEO43
            .replace_all(
                &text,
                video(
                    "davideo43",
                    "https://player.vimeo.com/video/",
                    "?byline=0&portrait=0",
                ),
            )
            .into_owned();
        text = VIMEO
            .replace_all(
                &text,
                video(
                    "davideo169",
                    "https://player.vimeo.com/video/",
                    "?byline=0&portrait=0",
                ),
            )
            .into_owned();
    }
    for (token, html) in SIMPLE_REPLACEMENTS.iter() {
        if text.contains(token) {
            text = text.replace(token, html);
        }
    }
    if text.contains("[REDACTION_WORD ") {
        text = REDACTION_WORD
            .replace_all(&text, |c: &Captures| {
                let word = &c[1];
                let mut out = String::new();
                for ch in word.chars() {
                    if ch == ' ' {
                        out.push_str("&#9608;&#8203;");
                    } else {
                        out.push_str("&#9608;");
                    }
                }
                out
            })
            .into_owned();
    }
    if text.contains('[') {
        text = SIMPLE_TOKEN
            .replace_all(&text, |c: &Captures| match &c[1] {
                "SKIPLINE" | "NEWLINE" | "BR" => "<br />".to_string(),
                "NEWPAR" => "<br /><br />".to_string(),
                "TAB" => "<span class=\"datab\"></span>".to_string(),
                _ => String::new(),
            })
            .into_owned();
    }
    if text.contains("[END]") {
        text = END.replace_all(&text, "\n").into_owned();
    }
    paragraphs(&text)
}

/// The plain token replacements, in the order docassemble applies them.
static SIMPLE_REPLACEMENTS: LazyLock<[(&'static str, String); 8]> = LazyLock::new(|| {
    let blank = |n: usize| format!("<span class=\"dablank\">{}</span>", "&nbsp;".repeat(n));
    [
        ("[NBSP]", "&nbsp;".to_string()),
        ("[REDACTION_SPACE]", "&#9608;&#8203;".to_string()),
        ("[ENDASH]", "&ndash;".to_string()),
        ("[EMDASH]", "&mdash;".to_string()),
        ("[HYPHEN]", "-".to_string()),
        ("[CHECKBOX]", blank(4)),
        ("[BLANKFILL]", blank(30)),
        ("[BLANK]", blank(12)),
    ]
});

/// Splits `text` at every `\n *\n` (what `PARAGRAPHS.split` does, without the regex).
fn split_paragraphs(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        let bytes = s.as_bytes();
        let mut from = 0;
        while let Some(pos) = s[from..].find('\n') {
            let start = from + pos;
            let mut end = start + 1;
            while bytes.get(end) == Some(&b' ') {
                end += 1;
            }
            if bytes.get(end) == Some(&b'\n') {
                rest = Some(&s[end + 1..]);
                return Some(&s[..start]);
            }
            from = start + 1;
        }
        rest = None;
        Some(s)
    })
}

fn video(
    class: &'static str,
    prefix: &'static str,
    suffix: &'static str,
) -> impl Fn(&Captures) -> String {
    move |c: &Captures| {
        format!(
            "<div class=\"davideo {class}\"><iframe src=\"{prefix}{}{suffix}\" \
             allowfullscreen></iframe></div>",
            &c[1]
        )
    }
}

/// The per-paragraph tokens: classes and indentation for the paragraph they appear in.
fn paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut spacing: Option<&'static str> = None;
    let mut indenting = false;
    for para in split_paragraphs(text) {
        let mut classes: Vec<&'static str> = Vec::new();
        let mut styles: Vec<String> = Vec::new();
        // Every paragraph token starts with `[`.
        let tokens = para.contains('[');
        for (token, class) in [
            ("[TIGHTSPACING]", "daspacingtight"),
            ("[SINGLESPACING]", "daspacingsingle"),
            ("[DOUBLESPACING]", "daspacingdouble"),
            ("[ONEANDAHALFSPACING]", "daspacingoneandahalf"),
            ("[TRIPLESPACING]", "daspacingtriple"),
        ] {
            if tokens && para.contains(token) {
                spacing = Some(class);
            }
        }
        if tokens && para.contains("[START_INDENTATION]") {
            indenting = true;
        }
        if tokens && para.contains("[STOP_INDENTATION]") {
            indenting = false;
        }
        if let Some(class) = spacing {
            classes.push(class);
        }
        if indenting && !(tokens && para.contains("[NOINDENT]")) {
            styles.push("text-indent:36px;".to_string());
        }
        for (token, class) in [
            ("[BORDER]", "daborder"),
            ("[FLUSHLEFT]", "daflushleft"),
            ("[FLUSHRIGHT]", "daflushright"),
        ] {
            if tokens && para.contains(token) {
                classes.push(class);
            }
        }
        if tokens && (para.contains("[CENTER]") || para.contains("[BOLDCENTER]")) {
            classes.push("dacenter");
        }
        if tokens && para.contains("[BOLDCENTER]") {
            classes.push("dabold");
        }
        if tokens && para.contains("[INDENTBY") {
            if let Some(c) = INDENTBY2.captures(para) {
                if let (Some(l), Some(r)) = (to_px(&c[1], &c[2]), to_px(&c[3], &c[4])) {
                    styles.push(format!("margin-left:{l}px;margin-right:{r}px;"));
                }
            } else if let Some(l) = INDENTBY1.captures(para).and_then(|c| to_px(&c[1], &c[2])) {
                styles.push(format!("padding-left:{l}px;"));
            }
        }
        let had_text = !para.is_empty();
        let cleaned = if tokens {
            let cleaned = PARA_TOKENS.replace_all(para, "");
            match INDENTBY_ANY.replace_all(&cleaned, "") {
                Cow::Borrowed(_) => cleaned,
                Cow::Owned(s) => Cow::Owned(s),
            }
        } else {
            Cow::Borrowed(para)
        };
        if had_text && cleaned.is_empty() {
            continue;
        }
        let mut line: &str = &cleaned;
        if let Some(rest) = line.strip_prefix('>') {
            line = rest.trim_start_matches(' ');
            out.push_str("> ");
        }
        if !classes.is_empty() || !styles.is_empty() {
            out.push_str(PARA_MARK_OPEN);
            out.push_str(&classes.join(" "));
            out.push('"');
            if !styles.is_empty() {
                out.push_str(" style=\"");
                out.push_str(&styles.concat());
                out.push('"');
            }
            out.push_str("></i>");
        }
        out.push_str(line);
        out.push_str("\n\n");
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

/// Converts a length with a unit to whole pixels (96 px per inch).
fn to_px(number: &str, unit: &str) -> Option<i64> {
    let n: f64 = number.parse().ok()?;
    let px = match unit.to_ascii_lowercase().as_str() {
        "px" => n,
        "in" => n * 96.0,
        "cm" => n * 96.0 / 2.54,
        "mm" => n * 96.0 / 25.4,
        "pt" => n * 96.0 / 72.0,
        "pc" => n * 16.0,
        "em" => n * 16.0,
        _ => return None,
    };
    if !px.is_finite() || px.abs() > 10_000.0 {
        return None;
    }
    Some(px.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        apply(s, &NoResolver)
    }

    #[test]
    fn all_patterns_compile() {
        for re in [
            &*PIPE_LINE,
            &*TARGET,
            &*FILE3,
            &*FILE2,
            &*FILE1,
            &*YOUTUBE,
            &*YOUTUBE43,
            &*VIMEO,
            &*VIMEO43,
            &*REDACTION_WORD,
            &*SIMPLE_TOKEN,
            &*END,
            &*INDENTBY1,
            &*INDENTBY2,
            &*PARA_TOKENS,
            &*INDENTBY_ANY,
            &*NO_EMOJIS,
            &*REDACT_AS_X,
            &*REDACT_KEEP,
        ] {
            assert!(!re.as_str().is_empty());
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn paragraphs_split_like_the_regex(s in "[a \\n\\[\\]]{0,24}") {
            let re = Regex::new(r"\n *\n").unwrap();
            let want: Vec<&str> = re.split(&s).collect();
            let got: Vec<&str> = split_paragraphs(&s).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn redact_marks_words_and_spaces() {
        assert_eq!(
            redact("123-45 6789[BR]x]y"),
            "[REDACTION_WORD 123-45][REDACTION_SPACE][REDACTION_WORD 6789][BR][REDACTION_WORD x[y]"
        );
        assert_eq!(
            redact("a\nb [NBSP]"),
            "[REDACTION_WORD a]\n[REDACTION_WORD b][REDACTION_SPACE][REDACTION_WORD x]"
        );
        assert!(!f(&redact("secret words")).contains("secret"));
    }

    #[test]
    fn no_emojis_is_removed() {
        assert_eq!(f("[NO_EMOJIS]\nWe sleep :bed:"), "We sleep :bed:");
    }

    #[test]
    fn tokens_after_plain_text_and_pipes() {
        assert_eq!(f("plain\n\ntext"), "plain\n\ntext");
        assert_eq!(f("| a [BR] b"), "a <br />b<br>");
        assert_eq!(
            f("x\n| [CENTER] y"),
            "<i class=\"visually-hidden dacenter\"></i>x\ny<br>"
        );
        assert_eq!(
            f("[START_INDENTATION] a\n\nb\n\n[STOP_INDENTATION] c"),
            "<i class=\"visually-hidden \" style=\"text-indent:36px;\"></i>a\n\n<i class=\"visually-hidden \" style=\"text-indent:36px;\"></i>b\n\nc"
        );
        assert_eq!(
            f("[DOUBLESPACING] a\n\nb"),
            "<i class=\"visually-hidden daspacingdouble\"></i>a\n\n<i class=\"visually-hidden daspacingdouble\"></i>b\n\n<i class=\"visually-hidden daspacingdouble\"></i>"
        );
        assert_eq!(
            f("a [END] b [BLANK]"),
            "a\nb <span class=\"dablank\">&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;</span>"
        );
    }

    #[test]
    fn line_breaks_and_spaces() {
        assert_eq!(f("a[BR]b"), "a<br />b");
        assert_eq!(f("a[NEWLINE] b"), "a<br />b");
        assert_eq!(f("a[NBSP]b"), "a&nbsp;b");
        assert_eq!(f("| one\n| two"), "one<br>\ntwo<br>");
        assert_eq!(f("x[PAGEBREAK] y"), "xy");
    }

    #[test]
    fn paragraph_classes() {
        assert_eq!(
            f("[CENTER] Title\n\nBody"),
            "<i class=\"visually-hidden dacenter\"></i>Title\n\nBody"
        );
        assert_eq!(
            f("[BOLDCENTER] T"),
            "<i class=\"visually-hidden dacenter dabold\"></i>T"
        );
        assert_eq!(
            f("[INDENTBY 1in] x"),
            "<i class=\"visually-hidden \" style=\"padding-left:96px;\"></i>x"
        );
    }

    #[test]
    fn package_files_and_urls_become_images_or_links() {
        assert_eq!(
            f("[FILE docassemble.base:data/static/court.svg, 300px]"),
            "<img alt=\"\" class=\"daicon daimageref\" style=\"width: 300px;\" \
             src=\"/packagestatic/docassemble.base/court.svg\">"
        );
        assert_eq!(
            f("[FILE /uploadedfile/abc/1, None, A \"photo\"]"),
            "<a href=\"/uploadedfile/abc/1\">1</a>"
        );
        assert_eq!(
            f("[FILE /uploadedfile/abc/1/me.PNG, None, A photo]"),
            "<img alt=\"A photo\" class=\"daicon daimageref\" src=\"/uploadedfile/abc/1/me.PNG\">"
        );
        assert_eq!(
            f("[FILE docassemble.base:data/static/form.pdf]"),
            "<a href=\"/packagestatic/docassemble.base/form.pdf\">form.pdf</a>"
        );
        // Traversal and odd characters are not turned into URLs.
        assert_eq!(f("[FILE pkg:../secret.png]"), "[FILE pkg:../secret.png]");
        assert_eq!(f("[FILE a\"b:x.png]"), "[FILE a\"b:x.png]");
    }

    #[test]
    fn unresolved_files_stay_as_text() {
        assert_eq!(f("[FILE logo.png, 100px]"), "[FILE logo.png, 100px]");
        assert_eq!(f("[FILE 1, None, None]"), "[FILE 1, None, None]");
        struct R;
        impl MarkupResolver for R {
            fn file(&self, name: &str, width: Option<&str>, _: Option<&str>) -> Option<String> {
                Some(format!(
                    "<img src=\"/f/{name}\" width=\"{}\">",
                    width.unwrap_or("")
                ))
            }
        }
        assert_eq!(
            apply("[FILE logo.png, 100px]", &R),
            "<img src=\"/f/logo.png\" width=\"100px\">"
        );
    }

    #[test]
    fn videos_only_take_ids() {
        assert!(f("[YOUTUBE abc_1-2]").contains("https://www.youtube.com/embed/abc_1-2?rel=0"));
        assert_eq!(f("[YOUTUBE a\"b]"), "[YOUTUBE a\"b]");
    }

    #[test]
    fn redaction() {
        assert_eq!(
            f("[REDACTION_WORD ab c]"),
            "&#9608;&#9608;&#9608;&#8203;&#9608;"
        );
    }
}
