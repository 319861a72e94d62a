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

    /// Makes `key` the current section (`section:` on a question).
    pub(crate) fn set_section(&mut self, key: &str) {
        let key = key.trim().to_string();
        if self.has_nav() {
            let _ = self.assign("nav.current", pyeval::Value::str(&key), "sections");
        }
        self.st.internal.section = Some(key);
    }

    /// Whether the session has docassemble's `nav` object.
    fn has_nav(&mut self) -> bool {
        self.value_of("nav").is_some_and(|v| {
            let cx = self.interp();
            cx.class_name(&v).is_some_and(|c| &*c == "DANav")
        })
    }

    /// Creates the `nav` object when the runtime has `DANav` (docassemble's initial
    /// `user_dict`), and gives it the interview's sections.
    pub(crate) fn ensure_nav(&mut self) -> Eval<()> {
        if self.host.lookup_global("DANav").is_none() {
            return Ok(());
        }
        if !self.defined("nav") {
            self.exec_src("nav = DANav('nav')", "sections")?;
        }
        if !self.has_nav() {
            return Ok(());
        }
        let Some(block) = self.sections_block().cloned() else {
            return Ok(());
        };
        let list = serde_json::Value::Array(block.sections.iter().map(da_form).collect());
        let v = {
            let mut cx = self.interp();
            super::values::from_json(&mut cx, &list)
                .map_err(|f| super::eval::flow(f, "sections"))?
        };
        self.assign("nav._default_sections", v, "sections")
    }

    /// What `nav` says: the current section, whether the list is hidden, and the sections
    /// `set_sections()` gave (docassemble form, as JSON).
    fn nav_state(&mut self) -> (Option<String>, bool, Option<serde_json::Value>) {
        if !self.has_nav() {
            return (None, false, None);
        }
        let current = match self.value_of("nav.current") {
            Some(pyeval::Value::Str(s)) => Some(s.to_string()),
            _ => None,
        };
        let hidden = matches!(self.value_of("nav.hidden"), Some(pyeval::Value::Bool(true)));
        let custom = match self.value_of("nav.sections") {
            Some(v) if !v.is_none() => {
                let mut cx = self.interp();
                plain_json(&mut cx, &v, 0)
            }
            _ => None,
        };
        (current, hidden, custom)
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
        // Without a `sections` block or sections the interview set (`nav.set_sections`) there
        // is nothing to show: one lookup instead of reading all of `nav` on every screen.
        if self.sections_block().is_none()
            && self.value_of("nav.sections").is_none_or(|v| v.is_none())
        {
            return Ok(());
        }
        let (current, hidden, custom) = self.nav_state();
        if hidden {
            return Ok(());
        }
        if let Some(list) = custom {
            screen.sections = from_da_form(&list);
            screen.section = current.or_else(|| screen.sections.first().map(|s| s.key.clone()));
            return Ok(());
        }
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
        screen.section = current
            .or_else(|| self.st.internal.section.clone())
            .or_else(|| self.first_section());
        screen.sections = self.nav_list(&block.sections, &file);
        screen.auto_open = block.auto_open.unwrap_or(false);
        Ok(())
    }
}

/// Texts, lists and dicts as JSON (what a section list holds); `None` for anything else.
fn plain_json(
    cx: &mut pyeval::Interp<'_>,
    v: &pyeval::Value,
    depth: usize,
) -> Option<serde_json::Value> {
    use pyeval::{ObjKind, Value as V};
    use serde_json::Value as J;
    if depth > 16 {
        return None;
    }
    match v {
        V::Str(s) => Some(J::String(s.to_string())),
        V::Ref(id) => {
            let is_dict = matches!(cx.heap().get(*id).map(|o| &o.kind), Some(ObjKind::Dict(_)));
            let items = cx.collect(v).ok()?;
            if is_dict {
                let mut m = serde_json::Map::new();
                for k in items {
                    let key = cx.to_str(&k).ok()?;
                    let val = cx.get_item(v, &k).ok()?;
                    m.insert(key, plain_json(cx, &val, depth + 1)?);
                }
                Some(J::Object(m))
            } else {
                let mut out = Vec::new();
                for item in items {
                    out.push(plain_json(cx, &item, depth + 1)?);
                }
                Some(J::Array(out))
            }
        }
        _ => None,
    }
}

/// A section in docassemble's list form (what `nav.get_sections()` returns).
fn da_form(s: &Section) -> serde_json::Value {
    use serde_json::{Value as J, json};
    let title = J::String(s.title.source.trim().to_string());
    let subs: Vec<J> = s.subsections.iter().map(da_form).collect();
    match (&s.key, subs.is_empty()) {
        (Some(k), true) => json!({ k: title }),
        (Some(k), false) => json!({ k: title, "subsections": subs }),
        (None, true) => title,
        (None, false) => json!({ s.title.source.trim(): subs }),
    }
}

/// Sections from docassemble's list form (`nav.set_sections()`).
fn from_da_form(list: &serde_json::Value) -> Vec<NavSection> {
    use serde_json::Value as J;
    let mut out: Vec<NavSection> = Vec::new();
    for item in list.as_array().map(Vec::as_slice).unwrap_or_default() {
        match item {
            J::String(t) => out.push(NavSection {
                key: t.clone(),
                title: text::to_inline_html(t, &NoResolver),
                subsections: Vec::new(),
            }),
            J::Object(m) => {
                let first = out.len();
                for (k, v) in m {
                    match v {
                        J::Array(_) if k == "subsections" && out.len() > first => {
                            if let Some(last) = out.last_mut() {
                                last.subsections = from_da_form(v);
                            }
                        }
                        J::Array(_) => out.push(NavSection {
                            key: k.clone(),
                            title: text::to_inline_html(k, &NoResolver),
                            subsections: from_da_form(v),
                        }),
                        other => {
                            let t = other
                                .as_str()
                                .map_or_else(|| other.to_string(), String::from);
                            out.push(NavSection {
                                key: k.clone(),
                                title: text::to_inline_html(&t, &NoResolver),
                                subsections: Vec::new(),
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
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

    #[test]
    fn docassemble_section_lists_are_read() {
        let list = serde_json::json!([
            "Intro",
            {"about": "About you", "subsections": [{"contact": "Contact info"}]},
            {"More": ["Extra"]}
        ]);
        let s = from_da_form(&list);
        let keys: Vec<&str> = s.iter().map(|x| x.key.as_str()).collect();
        assert_eq!(keys, ["Intro", "about", "More"]);
        assert_eq!(s[1].title, "About you");
        assert_eq!(s[1].subsections[0].key, "contact");
        assert_eq!(s[2].subsections[0].key, "Extra");
    }
}
