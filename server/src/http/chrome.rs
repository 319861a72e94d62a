//! The page around an interview, as docassemble's navbar draws it: `show login`, `exit link`,
//! `exit label` and `exit url` (metadata), `hide standard menu`, `question help button` and
//! `debug` (features). The screen JSON carries them (`show_login`, `exit_link`, `exit_label`,
//! `exit_url` as docassemble's API names them, `hide_standard_menu`, `questionHelpButton`), so a
//! front end can offer the sign-in link or docassemble's Exit entry (`url_action('_da_exit')`,
//! see [`EXIT_ACTION`]) and put the question's help where docassemble does.

use engine::source::yaml::{Node, Value as Yaml};
use serde_json::{Map, Value, json};

/// The action of docassemble's Exit menu entry.
pub const EXIT_ACTION: &str = "_da_exit";

/// The interview's navbar settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chrome {
    /// `show login` (docassemble's default: shown).
    pub show_login: bool,
    /// `exit link`: what Exit does (`leave`, `exit`, `logout` or `exit_logout`).
    pub exit_link: String,
    /// `exit label` (default `Exit`).
    pub exit_label: String,
    /// `exit url`: where Exit (and an exit button without a URL) goes.
    pub exit_url: Option<String>,
    /// `hide standard menu` (features): no Exit entry beside the interview's menu items.
    pub hide_standard_menu: bool,
    /// `question help button` (features): the question's help is a button under the
    /// question, and the navbar's help tab shows only the interview's help.
    pub question_help_button: bool,
    /// `debug` (features): docassemble's debug mode, which among other things offers a
    /// document's Markdown source. On unless the interview turns it off.
    pub debug: bool,
}

impl Default for Chrome {
    fn default() -> Self {
        Chrome {
            show_login: true,
            exit_link: "leave".into(),
            exit_label: "Exit".into(),
            exit_url: None,
            hide_standard_menu: false,
            question_help_button: false,
            debug: true,
        }
    }
}

fn truthy(n: &Node) -> Option<bool> {
    match &n.value {
        Yaml::Bool(b) => Some(*b),
        Yaml::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => None,
        },
        Yaml::Int(i) => Some(*i != 0),
        _ => None,
    }
}

fn text(n: &Node) -> Option<String> {
    match &n.value {
        Yaml::Str(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        _ => None,
    }
}

impl Chrome {
    /// The settings of a compiled interview (later metadata blocks override earlier ones, as
    /// docassemble's consolidated metadata does).
    pub fn of(iv: &engine::run::CompiledInterview) -> Chrome {
        let mut c = Chrome::default();
        for b in &iv.interview.blocks {
            match &b.kind {
                engine::BlockKind::Metadata(raw) => {
                    let Yaml::Map(pairs) = &raw.0.value else {
                        continue;
                    };
                    for (k, v) in pairs {
                        match k.python_str().as_deref() {
                            Some("show login") => c.show_login = truthy(v).unwrap_or(true),
                            Some("exit link") => {
                                if let Some(l) = text(v).filter(|l| {
                                    matches!(
                                        l.as_str(),
                                        "leave" | "exit" | "logout" | "exit_logout"
                                    )
                                }) {
                                    c.exit_link = l;
                                }
                            }
                            Some("exit label") => {
                                if let Some(l) = text(v) {
                                    c.exit_label = l;
                                }
                            }
                            Some("exit url") => c.exit_url = text(v),
                            _ => {}
                        }
                    }
                }
                engine::BlockKind::Features(f) => {
                    if let Some(b) = f.question_help_button {
                        c.question_help_button = b;
                    }
                    if let Some(b) = f.debug {
                        c.debug = b;
                    }
                    for (k, v) in &f.other {
                        if k == "hide standard menu" {
                            c.hide_standard_menu = truthy(&v.0).unwrap_or(false);
                        }
                    }
                }
                _ => {}
            }
        }
        c
    }

    /// Adds the settings to a screen document.
    pub fn insert_into(&self, doc: &mut Map<String, Value>) {
        doc.insert("show_login".into(), json!(self.show_login));
        doc.insert("exit_link".into(), json!(self.exit_link));
        doc.insert("exit_label".into(), json!(self.exit_label));
        doc.insert("exit_url".into(), json!(self.exit_url));
        doc.insert("hide_standard_menu".into(), json!(self.hide_standard_menu));
        doc.insert(
            "questionHelpButton".into(),
            json!(self.question_help_button),
        );
        doc.insert("debug".into(), json!(self.debug));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(yaml: &str) -> engine::run::CompiledInterview {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yml");
        std::fs::write(&path, yaml).unwrap();
        let source = engine::FsSource::new(None);
        let iv = engine::load(
            &source,
            &engine::FileRef::Path(path.to_string_lossy().into_owned()),
        )
        .unwrap();
        engine::run::CompiledInterview::new(iv).unwrap()
    }

    #[test]
    fn metadata_and_features_set_the_navbar() {
        let c = Chrome::of(&compile(
            "metadata:\n  title: T\n---\nmetadata:\n  show login: False\n  exit link: exit\n  exit label: Leave now\n  exit url: https://example.org/\n---\nfeatures:\n  hide standard menu: True\n  question help button: True\n  debug: False\n---\nmandatory: True\nquestion: Hi\n",
        ));
        assert!(!c.show_login);
        assert_eq!(c.exit_link, "exit");
        assert_eq!(c.exit_label, "Leave now");
        assert_eq!(c.exit_url.as_deref(), Some("https://example.org/"));
        assert!(c.hide_standard_menu);
        assert!(c.question_help_button);
        assert!(!c.debug);
    }

    #[test]
    fn defaults_are_docassembles_and_bad_values_are_ignored() {
        let c = Chrome::of(&compile(
            "metadata:\n  exit link: somewhere\n---\nmandatory: True\nquestion: Hi\n",
        ));
        assert_eq!(c, Chrome::default());
        let mut doc = Map::new();
        c.insert_into(&mut doc);
        assert_eq!(doc["show_login"], json!(true));
        assert_eq!(doc["exit_label"], json!("Exit"));
        assert_eq!(doc["exit_url"], Value::Null);
        assert_eq!(doc["debug"], json!(true));
    }
}
