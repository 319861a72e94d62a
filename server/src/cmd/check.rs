//! `colloquy check`: load interview files and report every problem as `file:line: message`.

use std::path::PathBuf;
use std::process::ExitCode;

use engine::{FileRef, FsSource};

/// Arguments of `colloquy check`.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Interview files: paths, or package references such as
    /// `docassemble.base:data/questions/examples/hello.yml`.
    #[arg(required = true, value_name = "PATH_OR_REF")]
    pub files: Vec<String>,
    /// The packages root (unpacked wheels: `<DIR>/docassemble/base/data/questions/…`), used for
    /// package references and for includes that fall back to `docassemble.base`.
    #[arg(long, value_name = "DIR", env = "COLLOQUY_PACKAGES")]
    pub packages: Option<PathBuf>,
}

/// Runs the check; exit code 1 when any file has problems.
pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let refs: Vec<FileRef> = args
        .files
        .iter()
        .map(|f| {
            if std::path::Path::new(f).exists() {
                FileRef::Path(f.clone())
            } else {
                FileRef::parse(f)
            }
        })
        .collect();
    let source = FsSource::new(args.packages);
    let report = engine::check::check(&source, &refs);
    print!("{report}");
    Ok(if report.error_count() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
