//! Vocabulary terms (`terms`, `auto terms`, `update_terms()`): phrases in screen texts that
//! show their definition in a popover when clicked.
//!
//! As in docassemble's `markdown_to_html`: before Markdown, `{phrase}` / `{phrase|label}`
//! (terms) and every whole-word occurrence of a phrase (auto terms) become `[[phrase|label]]`
//! markers, the question's own terms first, then the interview's (each phrase once); after
//! Markdown, each marker of a known phrase becomes
//! `<a href="#" class="daterm" data-bs-toggle="popover" … data-bs-content="definition">label</a>`.
//! The screen also carries the definitions ([`super::screen::Screen::terms`]), keyed by
//! phrase, so a front end need not read them back out of the HTML.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

/// One phrase and its definition, ready to apply.
#[derive(Debug, Clone)]
pub struct Term {
    /// The phrase, lower-cased, runs of whitespace collapsed.
    pub phrase: String,
    /// The definition as HTML.
    pub definition: String,
    /// An `auto terms` phrase (linked wherever it appears, braces or not).
    pub auto: bool,
    pattern: Option<Regex>,
}

impl Term {
    /// A term (`auto`: an auto term) whose definition is already HTML.
    pub fn new(phrase: &str, definition: String, auto: bool) -> Self {
        let phrase = phrase
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let words: Vec<String> = phrase.split(' ').map(regex::escape).collect();
        let body = words.join(r"\s+");
        let pattern = if auto {
            Regex::new(&format!(r"(?is)\{{?\b({body})\b\}}?"))
        } else {
            Regex::new(&format!(r"(?is)\{{({body})(\|[^\}}]*)?\}}"))
        }
        .ok();
        Term {
            phrase,
            definition,
            auto,
            pattern,
        }
    }
}

/// The terms of one screen, in the order they apply.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    terms: Vec<Term>,
}

static MARKER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?s)\[\[([^\[\]|]*)(\|[^\[\]]*)?\]\]").ok());

impl Terms {
    /// Adds a term unless its phrase is already there (the question's terms come first).
    pub fn add(&mut self, term: Term) {
        if !self.terms.iter().any(|t| t.phrase == term.phrase) {
            self.terms.push(term);
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The definitions by phrase, split into terms and auto terms (the screen's `terms` and
    /// `autoterms`).
    pub fn definitions(&self) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
        let mut terms = BTreeMap::new();
        let mut auto = BTreeMap::new();
        for t in &self.terms {
            let map = if t.auto { &mut auto } else { &mut terms };
            map.insert(t.phrase.clone(), t.definition.clone());
        }
        (terms, auto)
    }

    /// Rendered text (before Markdown) with each term occurrence marked `[[phrase|label]]`.
    pub fn mark(&self, text: &str) -> String {
        if self.terms.is_empty() {
            return text.to_string();
        }
        let mut out = text.to_string();
        for t in &self.terms {
            let Some(re) = &t.pattern else { continue };
            out = re
                .replace_all(&out, |c: &regex::Captures<'_>| {
                    let label = c.get(2).map_or("", |m| m.as_str());
                    format!("[[{}{label}]]", &c[1])
                })
                .into_owned();
        }
        out
    }

    /// HTML with the markers of known phrases turned into popover links (others are left as
    /// they are, as docassemble does).
    pub fn link(&self, html: &str) -> String {
        if self.terms.is_empty() || !html.contains("[[") {
            return html.to_string();
        }
        let Some(re) = MARKER.as_ref() else {
            return html.to_string();
        };
        re.replace_all(html, |c: &regex::Captures<'_>| {
            let written = &c[1];
            let key = written
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let Some(t) = self.terms.iter().find(|t| t.phrase == key) else {
                return c[0].to_string();
            };
            let label = c
                .get(2)
                .map_or(written, |m| m.as_str().trim_start_matches('|'));
            // A link (its name is its text, as on docassemble's page) that shows the
            // definition when clicked and hides it when it loses the focus.
            format!(
                "<a href=\"#\" class=\"daterm\" aria-haspopup=\"dialog\" \
                 data-bs-toggle=\"popover\" data-bs-container=\"body\" \
                 data-bs-placement=\"bottom\" data-bs-content=\"{}\">{label}</a>",
                attr(t.definition.trim()),
            )
        })
        .into_owned()
    }

    /// The definition (HTML) of the term a link reads `label`, for a front end.
    pub fn definition_of(&self, label: &str) -> Option<&str> {
        let key = label
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.terms
            .iter()
            .find(|t| t.phrase == key)
            .map(|t| t.definition.as_str())
    }
}

/// Text for a double-quoted HTML attribute (docassemble's `noquote`).
fn attr(text: &str) -> String {
    text.replace('\n', " ")
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> Terms {
        let mut t = Terms::default();
        t.add(Term::new("creeper", "<p>Green.</p>".into(), false));
        t.add(Term::new(
            "Zombie  Pigman",
            "A <em>nether</em> dweller".into(),
            true,
        ));
        t
    }

    #[test]
    fn braces_mark_terms_and_auto_terms_match_whole_words() {
        let t = set();
        assert_eq!(
            t.mark("Met a {creeper}? Or a creeper? A zombie pigman!"),
            "Met a [[creeper]]? Or a creeper? A [[zombie pigman]]!"
        );
        assert_eq!(t.mark("{Creeper|creepers}"), "[[Creeper|creepers]]");
        assert_eq!(t.mark("zombie pigmans"), "zombie pigmans");
    }

    #[test]
    fn markers_become_popover_links_with_the_definition() {
        let t = set();
        let html = t.link("<p>A [[Creeper|green thing]] and [[unknown]].</p>");
        assert!(html.contains("class=\"daterm\""), "{html}");
        assert!(
            html.contains("data-bs-content=\"&lt;p&gt;Green.&lt;/p&gt;\""),
            "{html}"
        );
        assert!(html.contains(">green thing</a>"), "{html}");
        assert!(html.contains("[[unknown]]"), "{html}");
        assert_eq!(
            t.definition_of("Zombie pigman"),
            Some("A <em>nether</em> dweller")
        );
    }

    #[test]
    fn the_first_definition_of_a_phrase_wins() {
        let mut t = set();
        t.add(Term::new("creeper", "other".into(), false));
        assert_eq!(t.definition_of("creeper"), Some("<p>Green.</p>"));
        let (terms, auto) = t.definitions();
        assert_eq!(terms.len(), 1);
        assert_eq!(auto.len(), 1);
    }
}
