//! Reading interview files: references, file access, chunk splitting and YAML.

pub mod reference;
pub mod split;
pub mod template;
pub mod yaml;

pub use reference::{FileRef, ReferenceError};

use std::collections::HashMap;
use std::path::PathBuf;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The file does not exist.
    #[error("file not found: {0}")]
    NotFound(String),
    /// The file exists but could not be read.
    #[error("could not read {path}: {reason}")]
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

/// Where interview files come from. The engine does no I/O of its own: the server, the
/// command-line tool and the tests supply an implementation.
pub trait Source {
    /// Reads the text of the file `r`.
    ///
    /// # Errors
    /// [`SourceError::NotFound`] when there is no such file, or another [`SourceError`].
    fn read(&self, r: &FileRef) -> Result<String, SourceError>;

    /// Reads the bytes of the file `r` (DOCX and PDF templates). By default the text of
    /// [`Source::read`].
    ///
    /// # Errors
    /// As [`Source::read`].
    fn read_bytes(&self, r: &FileRef) -> Result<Vec<u8>, SourceError> {
        self.read(r).map(String::into_bytes)
    }

    /// Whether `r` exists (used for the include search order).
    fn exists(&self, r: &FileRef) -> bool {
        self.read(r).is_ok()
    }

    /// The names of the files directly in the folder `dir` (used to read the template files
    /// an interview may choose at run time). None by default.
    fn list(&self, dir: &FileRef) -> Vec<String> {
        let _ = dir;
        Vec::new()
    }
}

/// Files on disk. Packages live under `packages_root` with the layout of unpacked Python
/// wheels: `docassemble.base:data/questions/x.yml` is
/// `<packages_root>/docassemble/base/data/questions/x.yml`.
///
/// This type uses `std::fs`; it compiles for `wasm32-unknown-unknown` but fails there at run
/// time. The browser supplies its own [`Source`].
#[derive(Debug, Clone, Default)]
pub struct FsSource {
    /// The packages root, if any.
    pub packages_root: Option<PathBuf>,
}

impl FsSource {
    /// A source with the given packages root.
    pub fn new(packages_root: Option<PathBuf>) -> Self {
        Self { packages_root }
    }

    /// The filesystem path of `r`, if it can have one.
    pub fn path_of(&self, r: &FileRef) -> Option<PathBuf> {
        match r {
            FileRef::Path(p) => Some(PathBuf::from(p)),
            FileRef::Package { package, path } => {
                let mut full = self.packages_root.clone()?;
                for part in package.split('.') {
                    full.push(part);
                }
                for part in path.split('/') {
                    full.push(part);
                }
                Some(full)
            }
        }
    }
}

impl Source for FsSource {
    fn read(&self, r: &FileRef) -> Result<String, SourceError> {
        let Some(path) = self.path_of(r) else {
            return Err(SourceError::NotFound(format!(
                "{r} (no packages root was given)"
            )));
        };
        match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| SourceError::Unreadable {
                path: path.display().to_string(),
                reason: "the file is not UTF-8 text".into(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(SourceError::NotFound(path.display().to_string()))
            }
            Err(e) => Err(SourceError::Unreadable {
                path: path.display().to_string(),
                reason: e.to_string(),
            }),
        }
    }

    fn read_bytes(&self, r: &FileRef) -> Result<Vec<u8>, SourceError> {
        let Some(path) = self.path_of(r) else {
            return Err(SourceError::NotFound(format!(
                "{r} (no packages root was given)"
            )));
        };
        std::fs::read(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                SourceError::NotFound(path.display().to_string())
            } else {
                SourceError::Unreadable {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                }
            }
        })
    }

    fn exists(&self, r: &FileRef) -> bool {
        self.path_of(r).is_some_and(|p| p.is_file())
    }

    fn list(&self, dir: &FileRef) -> Vec<String> {
        let Some(path) = self.path_of(dir) else {
            return Vec::new();
        };
        let Ok(entries) = std::fs::read_dir(path) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        names
    }
}

/// Files held in memory, keyed by the display form of their [`FileRef`] (`a/b.yml` or
/// `docassemble.pkg:data/questions/x.yml`). For tests and for the browser.
#[derive(Debug, Clone, Default)]
pub struct MemSource {
    files: HashMap<String, String>,
    binary: HashMap<String, Vec<u8>>,
}

impl MemSource {
    /// An empty source.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file under `name` (a path or a `package:path` reference).
    pub fn insert(&mut self, name: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.files.insert(name.into(), text.into());
        self
    }

    /// Adds a binary file (a DOCX or PDF template) under `name`.
    pub fn insert_bytes(&mut self, name: impl Into<String>, bytes: Vec<u8>) -> &mut Self {
        self.binary.insert(name.into(), bytes);
        self
    }

    /// Builder form of [`MemSource::insert`].
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.insert(name, text);
        self
    }
}

impl Source for MemSource {
    fn read(&self, r: &FileRef) -> Result<String, SourceError> {
        self.files
            .get(&r.to_string())
            .cloned()
            .ok_or_else(|| SourceError::NotFound(r.to_string()))
    }

    fn read_bytes(&self, r: &FileRef) -> Result<Vec<u8>, SourceError> {
        let key = r.to_string();
        match self.binary.get(&key) {
            Some(b) => Ok(b.clone()),
            None => self.read(r).map(String::into_bytes),
        }
    }

    fn exists(&self, r: &FileRef) -> bool {
        let key = r.to_string();
        self.files.contains_key(&key) || self.binary.contains_key(&key)
    }

    fn list(&self, dir: &FileRef) -> Vec<String> {
        let prefix = format!("{dir}/");
        let mut names: Vec<String> = self
            .files
            .keys()
            .chain(self.binary.keys())
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter(|rest| !rest.contains('/'))
            .map(str::to_string)
            .collect();
        names.sort();
        names.dedup();
        names
    }
}
