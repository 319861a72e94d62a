//! Runs the checker over docassemble-base 1.10.5's 803 example interviews, when the corpus is
//! available (`bash ../shared/checks/corpus.sh` fetches it). Set `COLLOQUY_CORPUS_ROOT` to the
//! packages root, or let the test find the cache at
//! `${XDG_CACHE_HOME:-$HOME/.cache}/colloquy-corpus/docassemble-base-1.10.5`.

use engine::check::check;
use engine::{FileRef, FsSource};
use std::path::PathBuf;
use std::time::Instant;

fn corpus_root() -> Option<PathBuf> {
    if let Ok(root) = std::env::var("COLLOQUY_CORPUS_ROOT") {
        return Some(PathBuf::from(root));
    }
    let cache = std::env::var("COLLOQUY_CORPUS_CACHE")
        .map(PathBuf::from)
        .or_else(|_| {
            std::env::var("XDG_CACHE_HOME").map(|c| PathBuf::from(c).join("colloquy-corpus"))
        })
        .or_else(|_| std::env::var("HOME").map(|h| PathBuf::from(h).join(".cache/colloquy-corpus")))
        .ok()?;
    let root = cache.join("docassemble-base-1.10.5");
    root.join(".complete").exists().then_some(root)
}

#[test]
fn all_base_examples_load() {
    let Some(root) = corpus_root() else {
        eprintln!(
            "SKIPPED: corpus not found; run `bash ../shared/checks/corpus.sh` or set COLLOQUY_CORPUS_ROOT"
        );
        return;
    };
    let dir = root.join("docassemble/base/data/questions/examples");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("examples directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yml"))
        .collect();
    names.sort();
    let refs: Vec<FileRef> = names
        .iter()
        .map(|n| {
            FileRef::package(&format!("docassemble.base:data/questions/examples/{n}")).expect("ref")
        })
        .collect();
    let source = FsSource::new(Some(root));
    let start = Instant::now();
    let report = check(&source, &refs);
    let elapsed = start.elapsed();
    let blocks: usize = report.files.iter().map(|f| f.blocks).sum();
    // Files that include another package's interviews (e.g. `docassemble.demo:…`) cannot load
    // from docassemble-base alone; they are reported but not counted as parser failures.
    let external = |e: &engine::Error| {
        e.message.contains("could not find the file docassemble.")
            && !e
                .message
                .contains("could not find the file docassemble.base:")
    };
    // Python outside the sandboxed subset (`import`, `with`, `breakpoint()`) is refused with a
    // clear message; such files need a full Python runtime.
    let unsupported_python = |e: &engine::Error| {
        e.message.contains("is not allowed")
            || e.message.contains("is not supported")
            || e.message.contains("is not available in this sandbox")
    };
    let mut failures = 0;
    let mut missing_package = 0;
    let mut needs_python = 0;
    for f in &report.files {
        if f.errors.is_empty() {
            continue;
        }
        if f.errors.iter().all(unsupported_python) {
            needs_python += 1;
            for e in &f.errors {
                eprintln!("unsupported (needs a full Python runtime): {e}");
            }
        } else if f.errors.iter().all(external) {
            missing_package += 1;
            for e in &f.errors {
                eprintln!("unsupported (needs a package outside the corpus): {e}");
            }
        } else {
            failures += 1;
            for e in &f.errors {
                eprintln!("{e}");
            }
        }
    }
    eprintln!("{} ({blocks} blocks in {elapsed:?})", report.summary());
    eprintln!(
        "{} of {} load; {missing_package} need a package outside the corpus; {needs_python} need a full Python runtime; {failures} fail",
        report.ok_count(),
        report.files.len()
    );
    assert_eq!(report.files.len(), 803, "expected the 803 base examples");
    assert_eq!(failures, 0, "{}", report.summary());
    assert!(missing_package <= 1, "{}", report.summary());
    assert!(needs_python <= 10, "{}", report.summary());
}
