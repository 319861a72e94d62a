//! A bounded memo of the text pipeline's last steps (markup tokens, Markdown, sanitising).
//!
//! Those steps are a pure function of the text Mako produced (and of the interview's images,
//! fixed for the cache's interview), so the HTML can be reused whenever the same text comes out
//! again: on every pass that shows the same screen and for every session that sees the same
//! words. Mako itself still runs each time (it reads the answers).

use std::collections::HashMap;
use std::sync::Mutex;

use super::MarkupResolver;

/// Cached HTML, keyed by the rendered text and what was made of it (a block, an inline text,
/// or html items cleaned together).
#[derive(Debug, Default)]
pub struct HtmlCache {
    inner: Mutex<Entries>,
    icons: Icons,
}

/// The interview's images for `:name:` markup: name → `<img>` HTML.
#[derive(Debug, Default, Clone)]
pub struct Icons(pub HashMap<String, String>);

impl MarkupResolver for Icons {
    fn icon(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<(Kind, String), String>,
    /// Bytes held by keys and values.
    bytes: usize,
}

/// What a cached HTML was made as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Block,
    Inline,
    Fragments,
}

/// Between the pieces of [`HtmlCache::sanitize_fragments`] in its key and value, and (first)
/// its `spans` flag: the private-use character the pieces may not hold.
const PIECE: char = '\u{e000}';

/// The cache is emptied when it holds more than this many bytes of text.
const MAX_BYTES: usize = 4 << 20;

/// Texts longer than this are converted without being cached.
const MAX_TEXT: usize = 64 << 10;

impl HtmlCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty cache for an interview with these images.
    pub fn with_icons(icons: Icons) -> Self {
        Self {
            icons,
            ..Self::default()
        }
    }

    /// [`super::to_html`] with the interview's images, memoised.
    pub fn to_html(&self, rendered: &str) -> String {
        self.get_or(Kind::Block, rendered, || {
            super::to_html(rendered, &self.icons)
        })
    }

    /// [`super::to_inline_html`] with the interview's images, memoised.
    pub fn to_inline_html(&self, rendered: &str) -> String {
        self.get_or(Kind::Inline, rendered, || {
            super::to_inline_html(rendered, &self.icons)
        })
    }

    /// [`super::markdown::sanitize_fragments`], memoised.
    pub fn sanitize_fragments(&self, pieces: &[&str]) -> (Vec<String>, bool) {
        if pieces.iter().any(|p| p.contains(PIECE)) {
            return super::markdown::sanitize_fragments(pieces);
        }
        // The count first: `[]` and `[""]` join alike.
        let key = format!("{}{PIECE}{}", pieces.len(), pieces.join(&PIECE.to_string()));
        let packed = self.get_or(Kind::Fragments, &key, || {
            let (clean, spans) = super::markdown::sanitize_fragments(pieces);
            let mut out = String::from(if spans { "1" } else { "0" });
            for c in clean {
                out.push(PIECE);
                out.push_str(&c);
            }
            out
        });
        let mut parts = packed.split(PIECE);
        let spans = parts.next() == Some("1");
        (parts.map(str::to_string).collect(), spans)
    }

    fn get_or(&self, kind: Kind, rendered: &str, make: impl FnOnce() -> String) -> String {
        if rendered.len() > MAX_TEXT {
            return make();
        }
        let key = (kind, rendered.to_string());
        if let Ok(entries) = self.inner.lock() {
            if let Some(html) = entries.map.get(&key) {
                return html.clone();
            }
        }
        let html = make();
        if let Ok(mut entries) = self.inner.lock() {
            let size = key.1.len() + html.len();
            if entries.bytes + size > MAX_BYTES {
                entries.map.clear();
                entries.bytes = 0;
            }
            entries.bytes += size;
            entries.map.insert(key, html.clone());
        }
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::NoResolver;

    #[test]
    fn fragments_are_memoised_as_made() {
        let cache = HtmlCache::new();
        for pieces in [
            vec!["<div class=\"a\">", "</div><b onclick=\"x\">b</b>"],
            vec!["<i>one</i>", "two"],
            vec![""],
            vec![],
        ] {
            let made = crate::text::markdown::sanitize_fragments(&pieces);
            assert_eq!(cache.sanitize_fragments(&pieces), made);
            assert_eq!(
                cache.sanitize_fragments(&pieces),
                made,
                "again, from the cache"
            );
        }
    }

    #[test]
    fn the_interviews_images_are_drawn() {
        let icons = Icons(
            [(
                "baby".to_string(),
                "<img class=\"daicon\" src=\"/b.svg\">".to_string(),
            )]
            .into(),
        );
        let cache = HtmlCache::with_icons(icons);
        assert_eq!(
            cache.to_inline_html("A :baby: and a :cat:"),
            "A <img class=\"daicon\" src=\"/b.svg\"> and a :cat:"
        );
        assert_eq!(cache.to_inline_html("[NO_EMOJIS] A :baby:"), "A :baby:");
    }

    #[test]
    fn cached_html_is_the_pipelines() {
        let cache = HtmlCache::new();
        for text in ["*a* [BR] b", "Hello \"you\"", "<script>x</script>y", ""] {
            for _ in 0..2 {
                assert_eq!(
                    cache.to_html(text),
                    super::super::to_html(text, &NoResolver)
                );
                assert_eq!(
                    cache.to_inline_html(text),
                    super::super::to_inline_html(text, &NoResolver)
                );
            }
        }
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = HtmlCache::new();
        let text = "x".repeat(MAX_TEXT / 2);
        for n in 0..100 {
            let t = format!("{n}{text}");
            assert_eq!(cache.to_html(&t), super::super::to_html(&t, &NoResolver));
        }
        let bytes = cache.inner.lock().map(|e| e.bytes).unwrap_or(0);
        assert!(bytes <= MAX_BYTES, "{bytes}");
    }
}
