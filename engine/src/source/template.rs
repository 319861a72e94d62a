//! Template files (`content file:`), found like docassemble's `package_template_filename`:
//! a bare name is in the `data/templates/` folder of the package of the interview file that
//! names it; `pkg:name` is in `pkg`'s `data/templates/` (a path starting with `data/` is kept).

use super::{FileRef, ReferenceError};

/// The folder inside a package that holds templates.
pub const TEMPLATES_DIR: &str = "data/templates";

/// Extensions of the template files read ahead of time for `content file: {code: …}` (the text
/// formats a template can be written in).
pub const TEXT_EXTENSIONS: &[&str] = &["md", "markdown", "txt", "html", "htm", "tex"];

/// The file a `content file` name written in `from` refers to. For an interview that is not
/// in a package the name is relative to the interview's folder.
///
/// # Errors
/// When the name is not a valid path.
pub fn template_ref(from: &FileRef, name: &str) -> Result<FileRef, ReferenceError> {
    let name = name.trim();
    let in_package = |package: &str, path: &str| {
        let path = if path.starts_with("data/") {
            path.to_string()
        } else {
            format!("{TEMPLATES_DIR}/{path}")
        };
        if path.split('/').any(|s| s.is_empty() || s == "..") {
            return Err(ReferenceError {
                reference: name.to_string(),
                reason: "the path is not valid",
            });
        }
        Ok(FileRef::Package {
            package: package.to_string(),
            path,
        })
    };
    if let Some((package, path)) = name.split_once(':') {
        return in_package(package.trim(), path.trim());
    }
    match from {
        FileRef::Package { package, .. } => in_package(package, name),
        FileRef::Path(_) => from.sibling(name),
    }
}

/// The templates folder of the package of `from` (`None` for an interview outside a package).
pub fn templates_dir(from: &FileRef) -> Option<FileRef> {
    match from {
        FileRef::Package { package, .. } => Some(FileRef::Package {
            package: package.clone(),
            path: TEMPLATES_DIR.to_string(),
        }),
        FileRef::Path(_) => None,
    }
}

/// Is `name` a text file a template can be read from?
pub fn is_text_template(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| TEXT_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Is `name` a DOCX or PDF template?
pub fn is_binary_template(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| matches!(ext.to_ascii_lowercase().as_str(), "docx" | "pdf"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(path: &str) -> FileRef {
        FileRef::Package {
            package: "docassemble.demo".into(),
            path: path.into(),
        }
    }

    #[test]
    fn bare_names_are_in_the_packages_templates() {
        let from = pkg("data/questions/a.yml");
        assert_eq!(
            template_ref(&from, "disclaimer.md").unwrap(),
            pkg("data/templates/disclaimer.md")
        );
        assert_eq!(
            template_ref(&from, "data/static/x.md").unwrap(),
            pkg("data/static/x.md")
        );
        assert_eq!(
            template_ref(&from, "docassemble.other:x.md")
                .unwrap()
                .to_string(),
            "docassemble.other:data/templates/x.md"
        );
        assert!(template_ref(&from, "../x.md").is_err());
    }

    #[test]
    fn local_interviews_use_their_folder() {
        let from = FileRef::Path("dir/a.yml".into());
        assert_eq!(
            template_ref(&from, "t.md").unwrap(),
            FileRef::Path("dir/t.md".into())
        );
        assert!(templates_dir(&from).is_none());
        assert!(is_text_template("a.MD") && !is_text_template("a.docx"));
    }
}
