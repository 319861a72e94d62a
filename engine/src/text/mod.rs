//! Interview text: docassemble's Mako subset, its markup tokens, and Markdown.
//!
//! The pipeline for screen text is the one docassemble uses: Mako ([`mako`]) renders the
//! template against the interview's answers, then the markup tokens ([`markup`]) and Markdown
//! ([`markdown`]) turn it into HTML, which is sanitised so that neither an author nor an answer
//! can inject script.

pub mod cache;
pub mod mako;
pub mod markdown;
pub mod markup;

pub use markup::{MarkupResolver, NoResolver};

/// Markdown with docassemble markup tokens → sanitised HTML (for `subquestion`, `help`, notes).
pub fn to_html(rendered: &str, resolver: &dyn MarkupResolver) -> String {
    markdown::to_html(&markup::apply(rendered, resolver))
}

/// The same for a title or a label: one outer paragraph is removed (docassemble's `trim`).
pub fn to_inline_html(rendered: &str, resolver: &dyn MarkupResolver) -> String {
    markdown::to_inline_html(&markup::apply(rendered, resolver))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pipeline_applies_tokens_then_markdown() {
        assert_eq!(
            to_html("[BOLDCENTER] **Notice**\n\nSee [BR] below", &NoResolver),
            "<p class=\"dacenter dabold\"><strong>Notice</strong></p>\n<p>See <br>below</p>\n"
        );
        assert_eq!(
            to_inline_html("What's *your* name?", &NoResolver),
            "What\u{2019}s <em>your</em> name?"
        );
    }
}
