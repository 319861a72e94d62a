//! `colloquy test DIR`: interview tests without a server. Every `NAME.answers.json` beside a
//! `NAME.yml` is run and its transcript compared with `NAME.expected.json`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use engine::run::headless::RunOptions;

/// Options of `colloquy test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Directories holding `NAME.yml` + `NAME.answers.json` (+ `NAME.expected.json`).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Package roots for includes. Repeatable.
    #[arg(long = "packages", env = "COLLOQUY_PACKAGES", value_delimiter = ',')]
    pub packages: Vec<PathBuf>,
    /// Write the transcripts as the new expected results.
    #[arg(long)]
    pub update: bool,
}

/// Runs every test; exit 1 when any transcript differs from its expected one.
pub fn run(args: TestArgs) -> anyhow::Result<ExitCode> {
    let mut cases = Vec::new();
    for dir in &args.dirs {
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if let Some(stem) = name.strip_suffix(".answers.json") {
                cases.push((dir.clone(), stem.to_string()));
            }
        }
    }
    cases.sort();
    let (mut passed, mut failed, mut written) = (0, 0, 0);
    for (dir, stem) in &cases {
        let yml = dir.join(format!("{stem}.yml"));
        let expected_path = dir.join(format!("{stem}.expected.json"));
        let answers = super::run::read_answers(&dir.join(format!("{stem}.answers.json")))?;
        let t = super::run::transcript(
            &yml.to_string_lossy(),
            &args.packages,
            &answers,
            &RunOptions::default(),
        );
        let actual = serde_json::to_value(&t)?;
        if args.update {
            write(&expected_path, &actual)?;
            written += 1;
            println!("updated {}", expected_path.display());
            continue;
        }
        let expected: Option<serde_json::Value> = std::fs::read_to_string(&expected_path)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok());
        match expected {
            Some(e) if e == actual => {
                passed += 1;
                println!("ok   {stem}");
            }
            Some(_) => {
                failed += 1;
                println!(
                    "FAIL {stem}: the transcript differs from {}",
                    expected_path.display()
                );
                println!("{}", serde_json::to_string_pretty(&actual)?);
            }
            None => {
                failed += 1;
                println!(
                    "FAIL {stem}: no {} (run with --update to create it)",
                    expected_path.display()
                );
            }
        }
    }
    if args.update {
        println!("{written} expected transcripts written");
        return Ok(ExitCode::SUCCESS);
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn write(path: &Path, v: &serde_json::Value) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(v)?;
    text.push('\n');
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
