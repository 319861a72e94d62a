//! Engine time per screen on the benchmark interviews (`cargo bench -p engine --bench screens`).
//!
//! Runs each of `../shared/bench/interviews/{linear,branching,lists}.yml` to completion with its
//! answer file through the headless runner (no server, no storage) and prints the mean time
//! per screen. docassemble's engine takes 1.0 / 1.5 / 2.1 ms per screen on these; the target
//! here is ≤20 µs.
//!
//! Besides wall-clock time it prints the thread's CPU time per screen (Linux), which is what
//! to compare on a machine shared with other work. Each figure is the best of five rounds.
//! `COLLOQUY_BENCH_ONLY=NAME` runs one interview and `COLLOQUY_BENCH_RUNS=N` sets the runs per
//! round (200), e.g. for counting instructions under callgrind. `COLLOQUY_BENCH_TRANSCRIPTS=DIR`
//! writes each interview's transcript (as `colloquy run` prints it) to `DIR/NAME.json`, to check
//! that a speed change left the screens as they were.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::time::Instant;

use engine::run::CompiledInterview;
use engine::run::headless::{self, RunOptions, RunStatus};
use engine::runtime::{DaHost, RuntimeConfig};
use engine::{FileRef, FsSource};

/// The allocator the `colloquy` binary runs with (server/src/main.rs), so that the figures
/// are those of what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/interviews");
    if dir.is_dir() {
        return dir;
    }
    PathBuf::from(std::env::var("COLLOQUY_BENCH_DIR").unwrap_or_else(|_| "bench/interviews".into()))
}

fn main() {
    let dir = bench_dir();
    println!(
        "{:<10} {:>8} {:>10} {:>14} {:>14}",
        "interview", "screens", "runs", "µs per screen", "CPU µs/screen"
    );
    // `COLLOQUY_BENCH_ONLY=lists` runs one interview (e.g. under callgrind).
    let only = std::env::var("COLLOQUY_BENCH_ONLY").ok();
    for name in ["linear", "branching", "lists"] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let yml = dir.join(format!("{name}.yml"));
        let answers: serde_json::Map<String, serde_json::Value> =
            match std::fs::read_to_string(dir.join(format!("{name}.answers.json"))) {
                Ok(t) => serde_json::from_str(&t).unwrap(),
                Err(_) => {
                    println!("{name}: skipped ({} not found)", yml.display());
                    continue;
                }
            };
        let source = FsSource::new(None);
        let iv = engine::load(&source, &FileRef::Path(yml.to_string_lossy().into_owned())).unwrap();
        let iv = CompiledInterview::new(iv).unwrap();
        let opts = RunOptions::default();
        let host = DaHost::new(RuntimeConfig::default());
        // Warm up (compiles the texts once) and check the run completes.
        let t = headless::run(&iv, &host, &answers, &opts);
        assert_eq!(t.status, RunStatus::Completed, "{name}: {t:?}");
        if let Some(dir) = std::env::var_os("COLLOQUY_BENCH_TRANSCRIPTS") {
            let path = PathBuf::from(dir).join(format!("{name}.json"));
            std::fs::write(&path, serde_json::to_string_pretty(&t).unwrap()).unwrap();
        }
        let screens = t.screens.len() + 1;
        let runs = std::env::var("COLLOQUY_BENCH_RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(200);
        let mut wall = f64::MAX;
        let mut cpu = f64::MAX;
        for _ in 0..5 {
            let cpu_start = thread_cpu_us();
            let start = Instant::now();
            for _ in 0..runs {
                let host = DaHost::new(RuntimeConfig::default());
                let t = headless::run(&iv, &host, &answers, &opts);
                assert_eq!(t.status, RunStatus::Completed);
            }
            wall = wall.min(start.elapsed().as_secs_f64() * 1e6 / (runs * screens) as f64);
            if let (Some(a), Some(b)) = (cpu_start, thread_cpu_us()) {
                cpu = cpu.min((b - a) / (runs * screens) as f64);
            }
        }
        let cpu = if cpu == f64::MAX {
            "-".to_string()
        } else {
            format!("{cpu:.1}")
        };
        println!("{name:<10} {screens:>8} {runs:>10} {wall:>14.1} {cpu:>14}");
    }
}

/// CPU time used by this thread so far, in µs (Linux only).
fn thread_cpu_us() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e3)
}
