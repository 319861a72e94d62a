//! Navigation: the interview's `sections`, the current section (`section:` on questions,
//! `nav.set_section()`), and whether the section list is shown (`nav.hide()` …), as
//! docassemble's `DANav` keeps them.
//!
//! The current section lives in the session (`_internal`); the `nav` object's methods
//! record their requests in the runtime's effects, which the engine applies after each
//! evaluation.

use super::eval::{Ctx, Eval};
use super::screen::{NavSection, Screen};
use crate::block::BlockKind;
use crate::block::config::Section;
use crate::text::{self, NoResolver};

/// The key of a section: its `key`, or its title's source.
fn key_of(s: &Section) -> String {
    s.key
        .clone()
        .unwrap_or_else(|| s.title.source.trim().to_string())
}

impl Ctx<'_> {
    /// The last `sections` block of the interview.
    fn sections_block(&self) -> Option<&crate::block::config::Sections> {
        self.iv
            .interview
            .blocks
            .iter()
            .rev()
            .find_map(|b| match &b.kind {
                BlockKind::Sections(s) => Some(s),
                _ => None,
            })
    }

    /// The key of the first section, the current one before any question sets another.
    fn first_section(&self) -> Option<String> {
        self.sections_block()
            .and_then(|s| s.sections.first())
            .map(key_of)
    }

    /// Makes `key` the current section (`section:` on a question, `nav.set_section()`).
    pub(crate) fn set_section(&mut self, key: &str) {
        self.st.internal.section = Some(key.trim().to_string());
    }

    fn nav_list(&mut self, list: &[Section], file: &str) -> Vec<NavSection> {
        let mut out = Vec::new();
        for s in list {
            let title = match self.render(&s.title, file, "sections") {
                Ok(t) => t,
                Err(_) => s.title.source.clone(),
            };
            out.push(NavSection {
                key: key_of(s),
                title: text::to_inline_html(title.trim(), &NoResolver),
                subsections: self.nav_list(&s.subsections, file),
            });
        }
        out
    }

    /// Fills in the screen's sections and current section.
    pub(crate) fn add_sections(&mut self, screen: &mut Screen) -> Eval<()> {
        let Some(block) = self.sections_block().cloned() else {
            return Ok(());
        };
        let file = self
            .iv
            .interview
            .blocks
            .iter()
            .find(|b| matches!(b.kind, BlockKind::Sections(_)))
            .map(|b| b.file.to_string())
            .unwrap_or_default();
        screen.section = self
            .st
            .internal
            .section
            .clone()
            .or_else(|| self.first_section());
        screen.sections = self.nav_list(&block.sections, &file);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::Text;

    #[test]
    fn a_section_without_a_key_is_known_by_its_title() {
        let s = Section {
            key: None,
            title: Text {
                source: " About you ".into(),
                line: 1,
            },
            subsections: Vec::new(),
        };
        assert_eq!(key_of(&s), "About you");
        let k = Section {
            key: Some("about".into()),
            ..s
        };
        assert_eq!(key_of(&k), "about");
    }
}
