//! Screen parts a question does not set itself (docassemble's `Question.ask`): the text of
//! `pre`, `post`, `submit`, `under`, `right`, `footer`, the Continue and help labels … comes
//! from, in this order, `set_parts()` (kept in the session), the `default screen parts`
//! blocks of the question's language and then of any language, and the `metadata` blocks.

use super::eval::{Ctx, Eval};
use crate::block::BlockKind;

/// The parts `set_parts()` records (docassemble's `functions.set_parts`), by their spaced
/// names; `short` and `tab` stand for `short title` and `tab title`.
const SETTABLE: &[&str] = &[
    "title",
    "logo",
    "exit link",
    "exit label",
    "exit url",
    "pre",
    "post",
    "submit",
    "continue button label",
    "help label",
    "under",
    "right",
    "tab title",
    "short title",
    "short logo",
    "back button label",
    "corner back button label",
    "resume button label",
    "date format",
    "time format",
    "datetime format",
    "footer",
    "title url",
    "css class",
    "table css class",
    "title url opens in other window",
    "navigation bar html",
    "subtitle",
];

/// A `set_parts()` keyword as the part it sets (`exit_link` → `exit link`, `short` →
/// `short title`); `None` for keywords docassemble ignores.
pub fn part_name(keyword: &str) -> Option<String> {
    let name = match keyword {
        "short" => "short title".to_string(),
        "tab" => "tab title".to_string(),
        other => other.replace('_', " "),
    };
    SETTABLE.contains(&name.as_str()).then_some(name)
}

impl Ctx<'_> {
    /// Records the parts `set_parts()` set since the last call (they last for the session).
    pub(crate) fn absorb_set_parts(&mut self) {
        for (keyword, value) in self.host.take_screen_parts() {
            if let Some(name) = part_name(&keyword) {
                self.st.internal.parts.insert(name, value);
            }
        }
    }

    /// The text of screen part `name` (docassemble's spaced name: `pre`, `continue button
    /// label` …), as Markdown, for a question in `language` that does not set it: `set_parts()`, then
    /// `default screen parts` (the question's language, then any language), then `metadata`.
    pub(crate) fn screen_part(&mut self, name: &str, language: &str) -> Eval<Option<String>> {
        if let Some(v) = self.st.internal.parts.get(name) {
            return Ok(Some(v.clone()));
        }
        let iv = self.iv;
        for wanted_any in [false, true] {
            for block in &iv.interview.blocks {
                let BlockKind::DefaultScreenParts(parts) = &block.kind else {
                    continue;
                };
                let lang = block.modifiers.language.as_deref().unwrap_or("*");
                let matches = if wanted_any {
                    lang == "*"
                } else {
                    lang != "*" && lang == language
                };
                if !matches {
                    continue;
                }
                let Some((_, text)) = parts.iter().rev().find(|(k, _)| k == name) else {
                    continue;
                };
                let Some(text) = text else {
                    return Ok(None);
                };
                let rendered = self.render(text, &block.file.to_string(), &block.name)?;
                return Ok(Some(rendered));
            }
        }
        Ok(self.metadata_part(name, language))
    }

    /// A screen part from the `metadata` blocks (later blocks win; a value may be a
    /// `{language: text}` mapping).
    fn metadata_part(&self, name: &str, language: &str) -> Option<String> {
        self.iv.metadata_text(name, language)
    }
}

#[cfg(test)]
mod tests {
    use super::part_name;

    #[test]
    fn set_parts_keywords_name_parts() {
        assert_eq!(part_name("pre").as_deref(), Some("pre"));
        assert_eq!(part_name("exit_link").as_deref(), Some("exit link"));
        assert_eq!(part_name("short").as_deref(), Some("short title"));
        assert_eq!(
            part_name("continue_button_label").as_deref(),
            Some("continue button label")
        );
        assert_eq!(part_name("colour"), None);
    }
}
