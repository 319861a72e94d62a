//! `colloquy scenarios`: docassemble-style Gherkin scenarios (`I set "Name" to "Fred"`, `I click
//! the button "Continue"`, `I should see the phrase "Hello"`) played headless against the engine
//! by visible text — interview acceptance tests without a browser or a server.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

use anyhow::Context;
use clap::Args;
use engine::run::CompiledInterview;
use engine::run::scenario::{self, Outcome, Session, Step};
use indicatif::{ProgressBar, ProgressStyle};

use crate::interviews::{self, PackageRoots};

/// Options of `colloquy scenarios`.
#[derive(Debug, Args)]
pub struct ScenariosArgs {
    /// Feature files (Gherkin: `Scenario:` headers and `Given/When/Then/And` steps).
    #[arg(required = true)]
    pub features: Vec<PathBuf>,
    /// Package roots for the interviews the scenarios start. Repeatable.
    #[arg(long = "packages", env = "COLLOQUY_PACKAGES", value_delimiter = ',')]
    pub packages: Vec<PathBuf>,
    /// Only scenarios whose name or interview contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Print every scenario, not only failures.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print one JSON object per scenario instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs every scenario; exit 0 when all pass, 1 otherwise.
pub fn run(args: ScenariosArgs) -> anyhow::Result<ExitCode> {
    let roots = PackageRoots::new(&args.packages);
    let mut cache: HashMap<String, Result<Rc<CompiledInterview>, String>> = HashMap::new();
    let mut all = Vec::new();
    for path in &args.features {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        for s in scenario::parse_feature(&text) {
            all.push((path.clone(), s));
        }
    }
    let bar = ProgressBar::new(all.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("scenarios [{bar:30}] {pos}/{len} ({eta})")
            .unwrap_or(ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let (mut passed, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    for (path, sc) in &all {
        bar.inc(1);
        let start =
            sc.steps
                .iter()
                .enumerate()
                .find_map(|(i, st)| match scenario::parse_step(&st.text) {
                    Ok(Step::Start {
                        interview,
                        possibly_error,
                    }) => Some((i, interview, possibly_error)),
                    _ => None,
                });
        let Some((at, interview, possibly_error)) = start else {
            skipped += 1;
            continue;
        };
        if let Some(f) = &args.filter {
            if !sc.name.contains(f.as_str()) && !interview.contains(f.as_str()) {
                skipped += 1;
                continue;
            }
        }
        let compiled = cache
            .entry(interview.clone())
            .or_insert_with(|| {
                let reference = engine::FileRef::parse(&interview);
                interviews::load(&roots, &reference, false).map_err(|e| e.to_string())
            })
            .clone();
        let outcome = match compiled {
            Ok(iv) => {
                // A fresh host for each scenario (its language, its interview's name).
                let host = crate::host::host_for(&interview);
                let mut session = Session::start(&iv, &*host);
                scenario::play(&mut session, &sc.steps[at + 1..], possibly_error)
            }
            Err(e) => Outcome::Failed {
                line: sc.steps[at].line,
                step: sc.steps[at].text.clone(),
                reason: format!("the interview does not load: {e}"),
            },
        };
        let ok = outcome == Outcome::Passed;
        if ok {
            passed += 1;
        } else {
            failed += 1;
        }
        if args.json {
            let (line, step, reason) = match &outcome {
                Outcome::Passed => (None, None, None),
                Outcome::Failed { line, step, reason } => {
                    (Some(*line), Some(step.clone()), Some(reason.clone()))
                }
            };
            bar.suspend(|| {
                println!(
                    "{}",
                    serde_json::json!({
                        "feature": path.display().to_string(),
                        "line": sc.line,
                        "scenario": sc.name,
                        "interview": interview,
                        "passed": ok,
                        "failed_line": line,
                        "failed_step": step,
                        "reason": reason,
                    })
                )
            });
        } else if !ok || args.verbose {
            bar.suspend(|| match &outcome {
                Outcome::Passed => println!("pass {}:{} {}", path.display(), sc.line, sc.name),
                Outcome::Failed { line, step, reason } => println!(
                    "FAIL {}:{} {} ({interview})\n     line {line}: {step}\n     {reason}",
                    path.display(),
                    sc.line,
                    sc.name
                ),
            });
        }
    }
    bar.finish_and_clear();
    let total = passed + failed;
    eprintln!(
        "{passed} of {total} scenarios passed, {failed} failed{}",
        if skipped > 0 {
            format!(", {skipped} skipped")
        } else {
            String::new()
        }
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
