//! References to interview files: `file.yml`, `dir/file.yml`, `docassemble.pkg:data/questions/x.yml`.

use std::fmt;

/// A resolved reference to an interview file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileRef {
    /// A plain path (relative to the working directory, or absolute), with `/` separators.
    Path(String),
    /// A file inside a Python package: `docassemble.base` + `data/questions/x.yml`.
    Package {
        /// The dotted package name.
        package: String,
        /// The path inside the package, always starting with `data/`.
        path: String,
    },
}

/// An invalid reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid file reference '{reference}': {reason}")]
pub struct ReferenceError {
    /// The reference as written.
    pub reference: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for FileRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileRef::Path(p) => f.write_str(p),
            FileRef::Package { package, path } => write!(f, "{package}:{path}"),
        }
    }
}

fn package_name_ok(p: &str) -> bool {
    !p.is_empty()
        && p.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

fn path_ok(p: &str) -> bool {
    !p.is_empty() && !p.starts_with('/') && p.split('/').all(|seg| !seg.is_empty() && seg != "..")
}

/// Lexically joins `dir` and `rel` (both `/`-separated), resolving `.` and `..`.
fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        vec![""]
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    let absolute = rel.starts_with('/') || dir.starts_with('/');
    if absolute && parts.first() == Some(&"") {
        parts.clear();
    }
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if matches!(parts.last(), Some(&s) if s != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

impl FileRef {
    /// Parses `package:path` (adding `data/questions/` when the path does not start with it, as
    /// docassemble's `package_question_filename` does).
    ///
    /// # Errors
    /// When the package name or path is malformed.
    pub fn package(reference: &str) -> Result<Self, ReferenceError> {
        let err = |reason| ReferenceError {
            reference: reference.to_string(),
            reason,
        };
        let mut parts = reference.split(':');
        let (Some(pkg), Some(path), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err("expected package:path"));
        };
        let pkg = pkg.trim();
        let path = path.trim();
        if !package_name_ok(pkg) {
            return Err(err("the package name is not valid"));
        }
        let path = if path.starts_with("data/questions/") {
            path.to_string()
        } else {
            format!("data/questions/{path}")
        };
        if !path_ok(&path) {
            return Err(err("the path is not valid"));
        }
        Ok(FileRef::Package {
            package: pkg.to_string(),
            path,
        })
    }

    /// Parses a reference given on a command line or to the loader: `pkg:path` when it has a
    /// colon and names a package, else a plain path.
    pub fn parse(reference: &str) -> Self {
        if reference.contains(':')
            && let Ok(r) = Self::package(reference)
        {
            return r;
        }
        FileRef::Path(reference.replace('\\', "/"))
    }

    /// The directory part of the reference (for finding sibling files).
    fn dir(&self) -> &str {
        let p = match self {
            FileRef::Path(p) => p.as_str(),
            FileRef::Package { path, .. } => path.as_str(),
        };
        p.rfind('/').map_or("", |i| &p[..i])
    }

    /// The file that a bare include name `rel` would be next to this one.
    ///
    /// # Errors
    /// When `rel` leaves the package.
    pub fn sibling(&self, rel: &str) -> Result<Self, ReferenceError> {
        match self {
            FileRef::Path(_) => Ok(FileRef::Path(join(self.dir(), rel))),
            FileRef::Package { package, .. } => {
                let path = join(self.dir(), rel);
                if !path_ok(&path) {
                    return Err(ReferenceError {
                        reference: rel.to_string(),
                        reason: "the path leaves its package",
                    });
                }
                Ok(FileRef::Package {
                    package: package.clone(),
                    path,
                })
            }
        }
    }

    /// The fallback for a bare include name: `docassemble.base:data/questions/<rel>` (with a
    /// leading `data/questions/` of `rel` removed first).
    ///
    /// # Errors
    /// When `rel` is not a valid path.
    pub fn standard(rel: &str) -> Result<Self, ReferenceError> {
        let rel = rel.strip_prefix("data/questions/").unwrap_or(rel);
        Self::package(&format!("docassemble.base:data/questions/{rel}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_refs_get_data_questions() {
        assert_eq!(
            FileRef::package("docassemble.base:x.yml")
                .unwrap()
                .to_string(),
            "docassemble.base:data/questions/x.yml"
        );
        assert_eq!(
            FileRef::package("docassemble.base:data/questions/x.yml")
                .unwrap()
                .to_string(),
            "docassemble.base:data/questions/x.yml"
        );
        assert!(FileRef::package("docassemble.base:../x.yml").is_err());
        assert!(FileRef::package("bad pkg:x.yml").is_err());
    }

    #[test]
    fn siblings_and_standard() {
        let r = FileRef::parse("docassemble.base:data/questions/examples/a.yml");
        assert_eq!(
            r.sibling("b.yml").unwrap().to_string(),
            "docassemble.base:data/questions/examples/b.yml"
        );
        let p = FileRef::parse("dir/sub/a.yml");
        assert_eq!(p.sibling("../b.yml").unwrap().to_string(), "dir/b.yml");
        assert_eq!(
            FileRef::standard("data/questions/basic-questions.yml")
                .unwrap()
                .to_string(),
            "docassemble.base:data/questions/basic-questions.yml"
        );
        assert_eq!(
            FileRef::parse("/abs/x.yml")
                .sibling("y.yml")
                .unwrap()
                .to_string(),
            "/abs/y.yml"
        );
    }
}
