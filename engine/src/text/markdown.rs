//! Markdown to sanitised HTML, the last step of docassemble's text pipeline.
//!
//! pulldown-cmark with smart punctuation (straight quotes become curly, `--` an en dash, `---`
//! an em dash, `...` an ellipsis, as Python-Markdown's `smarty` does), tables and footnotes; then
//! docassemble's post-processing (Bootstrap table and blockquote classes, paragraph classes from
//! markup tokens); then ammonia, so interview text can never inject script: no `<script>`, no
//! event handlers, no `javascript:` URLs, whatever the author or an answer contains.

use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html};

use super::markup::PARA_MARK_OPEN;

/// Markdown (already through Mako and the markup tokens) to safe HTML.
pub fn to_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_SMART_PUNCTUATION);
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    let parser = Parser::new_ext(markdown, options);
    let mut out = String::with_capacity(markdown.len() * 3 / 2 + 16);
    html::push_html(&mut out, parser);
    let out = post_process(&out);
    sanitize(&out)
}

/// Like [`to_html`], for a title: one outer `<p>…</p>` is removed and paragraph breaks become
/// spaces (docassemble's `trim=True`).
pub fn to_inline_html(markdown: &str) -> String {
    let html = to_html(markdown);
    let html = html.trim_end_matches('\n');
    match html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
    {
        Some(inner) => join_paragraphs(inner),
        None => html.to_string(),
    }
}

fn join_paragraphs(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(pos) = rest.find("</p>") {
        let after = &rest[pos + 4..];
        let trimmed = after.trim_start();
        if let Some(next) = trimmed.strip_prefix("<p>") {
            out.push_str(&rest[..pos]);
            out.push(' ');
            rest = next;
        } else {
            out.push_str(&rest[..pos + 4]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// docassemble's HTML post-processing.
fn post_process(html: &str) -> String {
    let mut out = html
        .replace(
            "<table>",
            "<div class=\"table-responsive\"><table class=\"table table-striped\">",
        )
        .replace("</table>", "</table></div>")
        .replace("<blockquote>", "<blockquote class=\"blockquote\">")
        .replace(
            "<th style=\"text-align: left\">",
            "<th class=\"text-left\">",
        )
        .replace(
            "<th style=\"text-align: right\">",
            "<th class=\"text-right\">",
        )
        .replace(
            "<th style=\"text-align: center\">",
            "<th class=\"text-center\">",
        )
        .replace(
            "<td style=\"text-align: left\">",
            "<td class=\"text-left\">",
        )
        .replace(
            "<td style=\"text-align: right\">",
            "<td class=\"text-right\">",
        )
        .replace(
            "<td style=\"text-align: center\">",
            "<td class=\"text-center\">",
        );
    if out.contains("}</t") {
        out = cell_attributes(&out);
    }
    // `<p><i class="visually-hidden X" style="…"></i>` → `<p class="X" style="…">`.
    let marker = format!("<p>{PARA_MARK_OPEN}");
    while let Some(start) = out.find(&marker) {
        let attrs_start = start + marker.len();
        let Some(close) = out[attrs_start..].find("></i>") else {
            break;
        };
        let attrs = out[attrs_start..attrs_start + close].to_string();
        out.replace_range(
            start..attrs_start + close + 5,
            &format!("<p class=\"{attrs}>"),
        );
    }
    out
}

/// Python-Markdown's `attr_list` on table cells: a cell ending in `{ .class #id }` (or
/// `{: … }`) gets those classes and that id instead of the text.
fn cell_attributes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(close) = rest.find("}</t") {
        let (before, after) = rest.split_at(close);
        // The cell's start tag: the last `<td`/`<th` before the brace.
        let open = before.rfind("<td").max(before.rfind("<th"));
        let brace = before.rfind('{');
        let (Some(open), Some(brace)) = (open, brace) else {
            out.push_str(&rest[..close + 1]);
            rest = &rest[close + 1..];
            continue;
        };
        let tag_end = before[open..].find('>').map(|e| open + e);
        let attrs = before[brace + 1..].trim_start_matches(':').trim();
        let tokens: Vec<&str> = attrs.split_whitespace().collect();
        let valid = |t: &&str| {
            (t.starts_with('.') || t.starts_with('#'))
                && t.len() > 1
                && t[1..]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        let Some(tag_end) = tag_end.filter(|&e| e < brace && !tokens.is_empty()) else {
            out.push_str(&rest[..close + 1]);
            rest = &rest[close + 1..];
            continue;
        };
        if !tokens.iter().all(valid) || before[tag_end..brace].contains("</t") {
            out.push_str(&rest[..close + 1]);
            rest = &rest[close + 1..];
            continue;
        }
        let start_tag = &before[open..tag_end];
        let name = &start_tag[..3];
        let mut classes: Vec<String> = Vec::new();
        if let Some(c) = start_tag
            .split("class=\"")
            .nth(1)
            .and_then(|c| c.split('"').next())
        {
            classes.extend(c.split_whitespace().map(str::to_string));
        }
        classes.extend(
            tokens
                .iter()
                .filter(|t| t.starts_with('.'))
                .map(|t| t[1..].to_string()),
        );
        let id = tokens
            .iter()
            .rev()
            .find(|t| t.starts_with('#'))
            .map(|t| &t[1..]);
        out.push_str(&before[..open]);
        out.push_str(name);
        if let Some(id) = id {
            out.push_str(&format!(" id=\"{id}\""));
        }
        if !classes.is_empty() {
            out.push_str(&format!(" class=\"{}\"", classes.join(" ")));
        }
        out.push('>');
        out.push_str(before[tag_end + 1..brace].trim_end());
        rest = &after[1..];
    }
    out.push_str(rest);
    out
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        // an author's own controls in `raw html` (an accordion's section buttons); a button
        // does nothing by itself, and no event handler attribute survives
        "button",
        "iframe",
        "u",
        "s",
        "mark",
        "small",
        "section",
        "figure",
        "figcaption",
    ]);
    b.add_generic_attributes([
        "class",
        "id",
        // Bootstrap's collapse and accordion (the page toggles them), and their accessibility
        "data-bs-toggle",
        "data-bs-target",
        "data-bs-parent",
        "aria-expanded",
        "aria-controls",
        "aria-labelledby",
        "aria-hidden",
    ]);
    b.add_tag_attributes("button", ["type"]);
    b.add_tag_attributes("iframe", ["src", "allowfullscreen"]);
    b.add_tag_attributes("p", ["style"]);
    b.add_tag_attributes("img", ["width", "height"]);
    // a table's reorder buttons (`allow reordering`) name their list and row
    b.add_tag_attributes("a", ["data-tablename", "data-tableitem"]);
    b.attribute_filter(|element, attribute, value| {
        match (element, attribute) {
            // Only embedded players from the two video sites docassemble's markup produces.
            ("iframe", "src") => {
                let ok = value.starts_with("https://www.youtube.com/embed/")
                    || value.starts_with("https://player.vimeo.com/video/");
                ok.then(|| value.into())
            }
            // Paragraph styles come only from the markup tokens: lengths, nothing else.
            (_, "style") => {
                let ok = value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | ';' | '.' | ' '));
                ok.then(|| value.into())
            }
            _ => Some(value.into()),
        }
    });
    b
});

/// Removes anything that could run script or break out of the page.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Does a [`FRAGMENT_BREAK`] stand inside a tag (in an attribute's value) of `html`, the
/// serialiser's output? (There text never holds a raw `<`, and attribute values are quoted
/// with `"`, which they hold only as `&quot;`.)
fn breaks_inside_a_tag(html: &str) -> bool {
    let (mut in_tag, mut in_quote) = (false, false);
    for c in html.chars() {
        match c {
            FRAGMENT_BREAK if in_tag => return true,
            '<' if !in_tag => in_tag = true,
            '"' if in_tag => in_quote = !in_quote,
            '>' if in_tag && !in_quote => in_tag = false,
            _ => {}
        }
    }
    false
}

/// Marks where one fragment ends and the next begins in [`sanitize_fragments`] (a character
/// of Unicode's private use area, which the sanitiser keeps as text).
const FRAGMENT_BREAK: char = '\u{e000}';

/// Sanitises pieces of HTML that make one structure together, with other content between
/// them (docassemble's `raw html` items that open `<div>`s one closes later, around the
/// fields between them): the pieces are cleaned as one document and cut where they met, so
/// that an element one piece opens stays open for the next instead of being closed at the
/// end of its own piece. The pieces come back in order, and `true` when that differs from
/// cleaning each on its own (they span one another). Pieces that cannot be cut again (one
/// leaves an attribute or a table open, which swallows or moves the break) are cleaned
/// each on its own.
pub fn sanitize_fragments(pieces: &[&str]) -> (Vec<String>, bool) {
    let alone = || pieces.iter().map(|p| sanitize(p)).collect::<Vec<_>>();
    if pieces.len() < 2 || pieces.iter().any(|p| p.contains(FRAGMENT_BREAK)) {
        return (alone(), false);
    }
    let joined = pieces.join(&FRAGMENT_BREAK.to_string());
    let cleaned = sanitize(&joined);
    let cut: Vec<String> = cleaned.split(FRAGMENT_BREAK).map(str::to_string).collect();
    if cut.len() != pieces.len() || breaks_inside_a_tag(&cleaned) {
        return (alone(), false);
    }
    let each = alone();
    if cut == each {
        (each, false)
    } else {
        (cut, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_that_span_each_other_stay_open() {
        let (pieces, spans) = sanitize_fragments(&[
            "<div class=\"accordion\"><div class=\"collapse show\" data-bs-parent=\"#a\">",
            "</div><div class=\"collapse\" onclick=\"x()\">",
            "</div></div><script>bad()</script>",
        ]);
        assert!(spans);
        assert_eq!(
            pieces,
            [
                "<div class=\"accordion\"><div class=\"collapse show\" data-bs-parent=\"#a\">",
                "</div><div class=\"collapse\">",
                "</div></div>",
            ]
        );
        // Balanced pieces are what cleaning each gives.
        let (pieces, spans) = sanitize_fragments(&["<b>a</b>", "<i>b</i><img src=x onerror=y>"]);
        assert!(!spans);
        assert_eq!(pieces, ["<b>a</b>", "<i>b</i><img src=\"x\">"]);
        // A piece that leaves an attribute open swallows the break: each is cleaned alone.
        let (pieces, spans) = sanitize_fragments(&["<div title=\"", "\">x</div>"]);
        assert!(!spans);
        assert_eq!(pieces.len(), 2);
        // An author's button keeps its type and collapse target, not its handlers.
        assert_eq!(
            sanitize(
                "<button type=\"button\" data-bs-toggle=\"collapse\" data-bs-target=\"#c\" aria-expanded=\"false\" onclick=\"x()\">Food</button>"
            ),
            "<button type=\"button\" data-bs-toggle=\"collapse\" data-bs-target=\"#c\" aria-expanded=\"false\">Food</button>"
        );
    }

    #[test]
    fn smart_punctuation_like_smarty() {
        assert_eq!(
            to_html("\"Hello\" -- it's... done --- ok"),
            "<p>\u{201c}Hello\u{201d} \u{2013} it\u{2019}s\u{2026} done \u{2014} ok</p>\n"
        );
    }

    #[test]
    fn emphasis_lists_and_links() {
        assert_eq!(
            to_html("*a* **b**"),
            "<p><em>a</em> <strong>b</strong></p>\n"
        );
        assert_eq!(
            to_html("* one\n* two"),
            "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        );
        assert!(to_html("[x](https://example.org)").contains("<a href=\"https://example.org\""));
    }

    #[test]
    fn table_cells_take_attribute_lists() {
        let html = to_html(
            "Vegetable { .text-center } | How many\n---|---:\nPotato | *4* { .text-end #n }\nBeet | {6}\n",
        );
        assert!(
            html.contains("<th class=\"text-center\">Vegetable</th>"),
            "{html}"
        );
        assert!(
            html.contains("<td id=\"n\" class=\"text-right text-end\"><em>4</em></td>"),
            "{html}"
        );
        // not an attribute list: left as text
        assert!(html.contains(">{6}</td>"), "{html}");
    }

    #[test]
    fn tables_get_bootstrap_classes() {
        let html = to_html("| a | b |\n|---|--:|\n| 1 | 2 |");
        assert!(
            html.contains("<div class=\"table-responsive\"><table class=\"table table-striped\">"),
            "{html}"
        );
        assert!(html.contains("</table></div>"), "{html}");
        assert!(html.contains("<td class=\"text-right\">2</td>"), "{html}");
    }

    #[test]
    fn script_never_survives() {
        for evil in [
            "<script>alert(1)</script>hi",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example/\"></iframe>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
            "<svg onload=alert(1)>",
        ] {
            let html = to_html(evil);
            let lower = html.to_lowercase();
            assert!(!lower.contains("<script"), "{evil} -> {html}");
            assert!(!lower.contains("onerror"), "{evil} -> {html}");
            assert!(!lower.contains("onload"), "{evil} -> {html}");
            assert!(!lower.contains("javascript:"), "{evil} -> {html}");
            assert!(!lower.contains("evil.example"), "{evil} -> {html}");
        }
    }

    #[test]
    fn paragraph_markers_become_classes() {
        let md = super::super::markup::apply("[CENTER] Title", &super::super::markup::NoResolver);
        assert_eq!(to_html(&md), "<p class=\"dacenter\">Title</p>\n");
    }

    #[test]
    fn videos_from_the_markup_survive() {
        let md = super::super::markup::apply("[YOUTUBE abc]", &super::super::markup::NoResolver);
        assert!(to_html(&md).contains("src=\"https://www.youtube.com/embed/abc?rel=0\""));
    }

    #[test]
    fn titles_are_trimmed() {
        assert_eq!(to_inline_html("Hello *world*"), "Hello <em>world</em>");
        assert_eq!(to_inline_html("One\n\nTwo"), "One Two");
        assert_eq!(to_inline_html("* a"), "<ul>\n<li>a</li>\n</ul>");
    }
}
