//! `colloquy run`: an interview without a browser, answers from a JSON file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use engine::run::headless::{self, RunOptions};

use crate::interviews::{self, PackageRoots};

/// Options of `colloquy run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The interview: a file path or a `docassemble.pkg:data/questions/x.yml` reference.
    pub interview: String,
    /// Package roots for references and includes. Repeatable.
    #[arg(long = "packages", env = "COLLOQUY_PACKAGES", value_delimiter = ',')]
    pub packages: Vec<PathBuf>,
    /// A JSON object mapping variable names to answers (lists are consumed one item per ask).
    #[arg(long)]
    pub answers: Option<PathBuf>,
    /// Stop after this many screens.
    #[arg(long, default_value_t = 200)]
    pub max_screens: usize,
    /// Answer unknown fields with a type-appropriate value.
    #[arg(long)]
    pub auto: bool,
}

/// Prints the transcript as JSON; exit 0 completed, 3 needs_answer, 4 error, 5 limit.
pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let answers = match &args.answers {
        Some(path) => read_answers(path)?,
        None => serde_json::Map::new(),
    };
    let opts = RunOptions {
        max_screens: args.max_screens,
        auto: args.auto,
        ..RunOptions::default()
    };
    let mut made = Vec::new();
    let transcript = transcript_observed(
        &args.interview,
        &args.packages,
        &answers,
        &opts,
        &mut |iv, eng, st, screen| made.extend(make_documents(iv, eng, st, screen)),
    );
    let mut out = serde_json::to_value(&transcript)?;
    if let serde_json::Value::Object(m) = &mut out {
        if !made.is_empty() {
            m.insert("documents".into(), serde_json::Value::Array(made));
        }
    }
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(ExitCode::from(transcript.status.exit_code()))
}

/// Makes every document of `screen` in each of its formats: one record per file, with its
/// size and text (PDF/DOCX/RTF decoded loosely), or the error.
pub fn make_documents(
    iv: &engine::run::CompiledInterview,
    eng: &engine::run::Engine<'_>,
    st: &engine::run::SessionState,
    screen: &engine::run::Screen,
) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for att in &screen.attachments {
        for f in crate::documents::formats(att) {
            let images = documents::image::Images::new();
            let rec = match crate::documents::make(iv, || eng.document_context(st), att, f, &images)
            {
                Ok(m) => serde_json::json!({
                    "screen": screen.question_name,
                    "name": att.name,
                    "file": m.filename,
                    "bytes": m.bytes.len(),
                }),
                Err(e) => serde_json::json!({
                    "screen": screen.question_name,
                    "name": att.name,
                    "format": f.extension(),
                    "error": e.to_string(),
                }),
            };
            out.push(rec);
        }
    }
    out
}

/// Reads an answers file: a JSON object.
pub fn read_answers(
    path: &std::path::Path,
) -> anyhow::Result<serde_json::Map<String, serde_json::Value>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the answers file {}", path.display()))?;
    match serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", path.display()))?
    {
        serde_json::Value::Object(m) => Ok(m),
        _ => anyhow::bail!(
            "{} must hold a JSON object of variable names to answers",
            path.display()
        ),
    }
}

/// Loads and runs an interview; load problems become an `error` transcript.
pub fn transcript(
    interview: &str,
    packages: &[PathBuf],
    answers: &serde_json::Map<String, serde_json::Value>,
    opts: &RunOptions,
) -> headless::Transcript {
    transcript_observed(interview, packages, answers, opts, &mut |_, _, _, _| {})
}

/// A screen seen by a headless run, with the interview, engine and state it was shown with.
pub type Observer<'o> = dyn FnMut(
        &engine::run::CompiledInterview,
        &engine::run::Engine<'_>,
        &engine::run::SessionState,
        &engine::run::Screen,
    ) + 'o;

/// [`transcript`], calling `observe` with each screen.
pub fn transcript_observed(
    interview: &str,
    packages: &[PathBuf],
    answers: &serde_json::Map<String, serde_json::Value>,
    opts: &RunOptions,
    observe: &mut Observer<'_>,
) -> headless::Transcript {
    let error = |e: String| headless::Transcript {
        status: headless::RunStatus::Error,
        screens: Vec::new(),
        end: None,
        missing: None,
        error: Some(e),
    };
    let reference = engine::FileRef::parse(interview);
    let compiled = match &reference {
        engine::FileRef::Package { .. } => {
            let roots = PackageRoots::new(packages);
            interviews::load(&roots, &reference, false).map_err(|e| e.to_string())
        }
        engine::FileRef::Path(p) => load_path(p, packages),
    };
    let compiled = match compiled {
        Ok(c) => c,
        Err(e) => return error(e),
    };
    let host = crate::host::host_for(interview);
    let iv = &*compiled;
    headless::run_observed(iv, &*host, answers, opts, &mut |eng, st, screen| {
        observe(iv, eng, st, screen)
    })
}

fn load_path(
    path: &str,
    packages: &[PathBuf],
) -> Result<std::rc::Rc<engine::run::CompiledInterview>, String> {
    let source = engine::FsSource::new(packages.first().cloned());
    let mut iv =
        engine::load(&source, &engine::FileRef::Path(path.to_string())).map_err(|errs| {
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })?;
    crate::documents::add_template_uses(&mut iv);
    engine::run::CompiledInterview::new(iv)
        .map(std::rc::Rc::new)
        .map_err(|errs| {
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
}
