//! Finding, loading and caching interviews from the package roots.
//!
//! Interviews are referenced docassemble-style (`docassemble.pkg:data/questions/x.yml`). Each is
//! parsed and compiled once per engine thread and reused until its file changes (or a request
//! asks for `cache=0`). The compiled form holds the evaluator's reference-counted IR, so the
//! cache is per thread: engine work runs on the blocking pool, one thread per request.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::SystemTime;

use engine::run::CompiledInterview;
use engine::source::SourceError;
use engine::{FileRef, FsSource, Source};
use thiserror::Error;

/// Why an interview cannot be used.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum InterviewError {
    /// The `i` parameter is malformed.
    #[error("invalid interview name {reference:?}: {reason}")]
    BadReference {
        /// What was given.
        reference: String,
        /// Why it is invalid.
        reason: String,
    },
    /// No package root holds it.
    #[error("interview {0} not found")]
    NotFound(String),
    /// It does not load or compile.
    #[error("interview {reference} has errors:\n{errors}")]
    Invalid {
        /// The interview.
        reference: String,
        /// `file:line: message` lines.
        errors: String,
    },
}

/// Parses and checks an `i` parameter (protocol spec §0): `docassemble.pkg:path`.
pub fn parse_reference(i: &str) -> Result<FileRef, InterviewError> {
    let bad = |reason: &str| InterviewError::BadReference {
        reference: i.chars().take(300).collect(),
        reason: reason.to_string(),
    };
    if i.len() > 268 {
        return Err(bad("it is longer than 268 characters"));
    }
    if !i.contains(':') {
        return Err(bad(
            "expected package:path, e.g. docassemble.demo:data/questions/questions.yml",
        ));
    }
    let r = FileRef::package(i).map_err(|e| bad(&e.to_string()))?;
    match &r {
        FileRef::Package { package, path } => {
            if !package.starts_with("docassemble.") {
                return Err(bad("the package name must start with docassemble."));
            }
            if path.contains("..") || path.starts_with('/') {
                return Err(bad("the path must stay inside the package"));
            }
            if !path.ends_with(".yml") && !path.ends_with(".yaml") {
                return Err(bad("the path must name a .yml file"));
            }
        }
        FileRef::Path(_) => return Err(bad("expected package:path")),
    }
    Ok(r)
}

/// Reads package files from several package roots: the first root that has a file wins.
#[derive(Debug, Clone)]
pub struct PackageRoots {
    roots: Vec<FsSource>,
}

impl PackageRoots {
    /// Roots in priority order.
    pub fn new(roots: &[PathBuf]) -> Self {
        PackageRoots {
            roots: roots
                .iter()
                .map(|r| FsSource::new(Some(r.clone())))
                .collect(),
        }
    }

    /// The file path of `r` in the first root that has it.
    pub fn path_of(&self, r: &FileRef) -> Option<PathBuf> {
        self.roots
            .iter()
            .filter_map(|s| s.path_of(r))
            .find(|p| p.is_file())
    }
}

impl Source for PackageRoots {
    fn read(&self, r: &FileRef) -> Result<String, SourceError> {
        for root in &self.roots {
            if root.exists(r) {
                return root.read(r);
            }
        }
        Err(SourceError::NotFound(r.to_string()))
    }

    fn read_bytes(&self, r: &FileRef) -> Result<Vec<u8>, SourceError> {
        for root in &self.roots {
            if root.exists(r) {
                return root.read_bytes(r);
            }
        }
        Err(SourceError::NotFound(r.to_string()))
    }

    fn exists(&self, r: &FileRef) -> bool {
        self.roots.iter().any(|s| s.exists(r))
    }

    fn list(&self, dir: &FileRef) -> Vec<String> {
        let mut names: Vec<String> = self.roots.iter().flat_map(|s| s.list(dir)).collect();
        names.sort();
        names.dedup();
        names
    }
}

struct Cached {
    interview: Rc<CompiledInterview>,
    files: Vec<(PathBuf, Option<SystemTime>)>,
}

thread_local! {
    static CACHE: RefCell<HashMap<String, Cached>> = RefCell::new(HashMap::new());
}

fn mtime(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// Loads (or takes from this thread's cache) the compiled interview `r`.
pub fn load(
    roots: &PackageRoots,
    r: &FileRef,
    use_cache: bool,
) -> Result<Rc<CompiledInterview>, InterviewError> {
    let key = r.to_string();
    if use_cache {
        let hit = CACHE.with(|c| {
            let c = c.borrow();
            let cached = c.get(&key)?;
            let fresh = cached.files.iter().all(|(p, t)| mtime(p) == *t);
            fresh.then(|| cached.interview.clone())
        });
        if let Some(iv) = hit {
            return Ok(iv);
        }
    }
    if !roots.exists(r) {
        return Err(InterviewError::NotFound(key));
    }
    let mut interview = engine::load(roots, r).map_err(|errors| InterviewError::Invalid {
        reference: key.clone(),
        errors: errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    })?;
    crate::documents::add_template_uses(&mut interview);
    let templates: Vec<FileRef> = interview
        .template_files
        .keys()
        .chain(interview.binary_files.keys())
        .map(|k| match k.split_once(':') {
            Some((package, path)) => FileRef::Package {
                package: package.to_string(),
                path: path.to_string(),
            },
            None => FileRef::Path(k.clone()),
        })
        .collect();
    let files: Vec<(PathBuf, Option<SystemTime>)> = interview
        .files
        .iter()
        .chain(&templates)
        .filter_map(|f| roots.path_of(f))
        .map(|p| {
            let t = mtime(&p);
            (p, t)
        })
        .collect();
    let compiled = CompiledInterview::new(interview).map_err(|errors| InterviewError::Invalid {
        reference: key.clone(),
        errors: errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    })?;
    let compiled = Rc::new(compiled);
    CACHE.with(|c| {
        c.borrow_mut().insert(
            key,
            Cached {
                interview: compiled.clone(),
                files,
            },
        );
    });
    Ok(compiled)
}

/// One interview offered by `/list`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Listed {
    /// The reference (`i`).
    pub i: String,
    /// `metadata: title`, else the file name.
    pub title: String,
    /// `metadata: short title` or `documentation`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// `metadata: tags`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// Every interview under the package roots (`docassemble/<pkg>/data/questions/*.yml`), with
/// its metadata title, sorted by title. Files that do not load are left out.
pub fn list(roots: &[PathBuf]) -> Vec<Listed> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for root in roots {
        let Ok(namespace) = std::fs::read_dir(root.join("docassemble")) else {
            continue;
        };
        for pkg in namespace.flatten() {
            let pkg_name = pkg.file_name().to_string_lossy().to_string();
            let questions = pkg.path().join("data").join("questions");
            let Ok(files) = std::fs::read_dir(&questions) else {
                continue;
            };
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().to_string();
                if !name.ends_with(".yml") {
                    continue;
                }
                let i = format!("docassemble.{pkg_name}:data/questions/{name}");
                if !seen.insert(i.clone()) {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(f.path()) else {
                    continue;
                };
                let meta = metadata_of(&text);
                out.push(Listed {
                    i,
                    title: meta
                        .title
                        .unwrap_or_else(|| name.trim_end_matches(".yml").to_string()),
                    subtitle: meta.subtitle,
                    tags: meta.tags,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        a.title
            .to_lowercase()
            .cmp(&b.title.to_lowercase())
            .then(a.i.cmp(&b.i))
    });
    out
}

/// The `title` and `short title` of the first `metadata` block of a file.
pub fn metadata_title(text: &str) -> (Option<String>, Option<String>) {
    let m = metadata_of(text);
    (m.title, m.subtitle)
}

/// What the first `metadata` block of an interview file says about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// `title`.
    pub title: Option<String>,
    /// `short title`.
    pub subtitle: Option<String>,
    /// `tags` (a list, or one text).
    pub tags: Vec<String>,
}

/// The first `metadata` block of a file.
pub fn metadata_of(text: &str) -> Metadata {
    use engine::source::yaml::Value;
    let src = engine::MemSource::new();
    let Ok(iv) = engine::load_str(&src, &FileRef::Path("x.yml".into()), text) else {
        return Metadata::default();
    };
    for b in &iv.blocks {
        if let engine::BlockKind::Metadata(raw) = &b.kind {
            let Value::Map(pairs) = &raw.0.value else {
                return Metadata::default();
            };
            let node = |key: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| k.python_str().as_deref() == Some(key))
                    .map(|(_, v)| v)
            };
            let text = |key: &str| {
                node(key)
                    .and_then(|v| v.python_str())
                    .map(|s| s.trim().to_string())
            };
            let tags = match node("tags").map(|n| &n.value) {
                Some(Value::Seq(items)) => items
                    .iter()
                    .filter_map(|i| i.python_str().map(|s| s.trim().to_string()))
                    .collect(),
                Some(_) => text("tags").into_iter().collect(),
                None => Vec::new(),
            };
            return Metadata {
                title: text("title"),
                subtitle: text("short title"),
                tags,
            };
        }
    }
    Metadata::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_checked_like_docassemble() {
        assert!(parse_reference("docassemble.demo:data/questions/questions.yml").is_ok());
        assert!(parse_reference("docassemble.demo:questions.yml").is_ok());
        for bad in [
            "questions.yml",
            "demo:data/questions/q.yml",
            "docassemble.demo:../../etc/passwd.yml",
            "docassemble.demo:/etc/x.yml",
            "docassemble.demo:data/questions/q.txt",
            "docassemble.de mo:q.yml",
        ] {
            assert!(parse_reference(bad).is_err(), "{bad}");
        }
        assert!(parse_reference(&format!("docassemble.a:{}.yml", "x".repeat(300))).is_err());
    }

    #[test]
    fn titles_come_from_metadata() {
        let (t, s) =
            metadata_title("metadata:\n  title: Hello\n  short title: Hi\n---\nquestion: x\n");
        assert_eq!(t.as_deref(), Some("Hello"));
        assert_eq!(s.as_deref(), Some("Hi"));
        assert_eq!(metadata_title("question: x\n"), (None, None));
        let m = metadata_of("metadata:\n  tags:\n    - legal\n    - housing\n---\nquestion: x\n");
        assert_eq!(m.tags, vec!["legal".to_string(), "housing".to_string()]);
        assert_eq!(
            metadata_of("metadata:\n  tags: one\n").tags,
            vec!["one".to_string()]
        );
    }
}
