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
    let transcript = transcript(&args.interview, &args.packages, &answers, &opts);
    println!("{}", serde_json::to_string_pretty(&transcript)?);
    Ok(ExitCode::from(transcript.status.exit_code()))
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
    headless::run(&compiled, &*host, answers, opts)
}

fn load_path(
    path: &str,
    packages: &[PathBuf],
) -> Result<std::rc::Rc<engine::run::CompiledInterview>, String> {
    let source = engine::FsSource::new(packages.first().cloned());
    let iv = engine::load(&source, &engine::FileRef::Path(path.to_string())).map_err(|errs| {
        errs.iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    engine::run::CompiledInterview::new(iv)
        .map(std::rc::Rc::new)
        .map_err(|errs| {
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
}
