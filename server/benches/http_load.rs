//! HTTP load benchmark: the real server (`colloquy serve`, SQLite in a temporary directory) in
//! its own process, driven over loopback HTTP by reqwest clients in this process, each its own
//! browser (cookie jar), through the three bench interviews of `/work/shared/bench/interviews`
//! (or `$COLLOQUY_BENCH_DIR`) at 1, 10 and 100 concurrent sessions. Prints p50/p99 latency per
//! step (one POST of answers), steps/s, the CPU time per step of the server process and of
//! this client process separately, and the server's idle and peak RSS.
//!
//! `cargo bench -p server --bench http_load` (release). `COLLOQUY_BENCH_SECS` sets the seconds per
//! (interview, concurrency) cell (default 4; the whole run stays under a minute).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use engine::run::headless::{plain_text, take};
use engine::run::values::json_str;
use engine::run::{QuestionType, Screen};
use serde::Deserialize;
use serde_json::Value as Json;

const INTERVIEWS: &[&str] = &["linear", "branching", "lists"];
const CONCURRENCY: &[usize] = &[1, 10, 100];

fn bench_dir() -> PathBuf {
    std::env::var_os("COLLOQUY_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/bench/interviews"))
}

/// CPU time (user + system) used so far by process `pid` (`"self"`: this one), in µs, which
/// a busy shared machine distorts far less than wall-clock time.
fn process_cpu_us(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which ends with the last ')'): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Linux reports these in clock ticks of 1/100 s.
    (ticks(11) + ticks(12)) * 10_000.0
}

/// The resident set size of process `pid` now and at its peak, in KiB.
fn rss(pid: &str) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The end of an interview: nothing to answer.
fn is_end(s: &Screen) -> bool {
    match s.question_type {
        QuestionType::Deadend => true,
        QuestionType::MultipleChoice => s.fields.first().is_some_and(|f| {
            f.variable_name.is_none()
                && !f.choices.is_empty()
                && f.choices
                    .iter()
                    .all(|c| c.command.as_deref().is_some_and(|c| c != "continue"))
        }),
        _ => false,
    }
}

/// The form for `s`: `(encoded name, value)` pairs.
fn form_for(
    s: &Screen,
    answers: &serde_json::Map<String, Json>,
    used: &mut HashMap<String, usize>,
) -> Vec<(String, String)> {
    let enc = engine::run::encode_name;
    let mut values: Vec<(String, String)> = Vec::new();
    let mut plain: Vec<(String, String)> = Vec::new();
    for f in &s.fields {
        if f.active == Some(false) || engine::run::answer::hidden_by_show_if(f, s, &plain) {
            continue;
        }
        let Some(var) = &f.variable_name else {
            if !f.choices.is_empty() && s.question_type == QuestionType::MultipleChoice {
                let wanted = answers.get(&s.question_name).map(json_str);
                let choice = f
                    .choices
                    .iter()
                    .find(|c| {
                        wanted.as_deref().is_some_and(|w| {
                            plain_text(&c.label) == w
                                || c.value.as_ref().map(json_str).as_deref() == Some(w)
                        })
                    })
                    .or_else(|| f.choices.iter().find(|c| c.command.is_none()))
                    .unwrap_or_else(|| panic!("no button to press on {}", s.question_name));
                values.push((
                    "_multiple_choice".into(),
                    choice.value.as_ref().map(json_str).unwrap_or_default(),
                ));
            }
            continue;
        };
        let datatype = f.datatype.as_deref().unwrap_or("text");
        let multiple = matches!(datatype, "checkboxes" | "multiselect");
        let Some(value) = take(var, answers, used, multiple) else {
            if f.required == Some(false) {
                continue;
            }
            panic!("no answer for {var} on {}", s.question_name);
        };
        if multiple {
            let chosen: Vec<String> = match &value {
                Json::Array(items) => items.iter().map(json_str).collect(),
                other => vec![json_str(other)],
            };
            for c in &f.choices {
                if let Some(sub) = &c.variable_name {
                    let on = chosen.contains(&plain_text(&c.label))
                        || chosen.iter().any(|k| sub.ends_with(&format!("['{k}']")));
                    values.push((enc(sub), if on { "True" } else { "False" }.into()));
                }
            }
            continue;
        }
        plain.push((var.clone(), json_str(&value)));
        values.push((enc(var), json_str(&value)));
    }
    values
}

struct Cell {
    latencies: Vec<Duration>,
    steps: usize,
    interviews: usize,
    wall: Duration,
    /// CPU time of the server process during the cell, in µs.
    server_cpu_us: f64,
    /// CPU time of this (client) process during the cell, in µs.
    client_cpu_us: f64,
}

/// One browser going through interview `i` repeatedly until `until`.
async fn browser_loop(
    base: Arc<String>,
    i: Arc<String>,
    answers: Arc<serde_json::Map<String, Json>>,
    until: Instant,
) -> (Vec<Duration>, usize) {
    let mut latencies = Vec::new();
    let mut done = 0;
    while Instant::now() < until {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let first: Json = client
            .get(format!("{base}/interview?i={i}&json=1"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut doc = first;
        let mut used = HashMap::new();
        for _ in 0..200 {
            let screen =
                Screen::deserialize(&doc).unwrap_or_else(|e| panic!("not a screen ({e}): {doc}"));
            if is_end(&screen) {
                break;
            }
            let mut form = vec![
                ("json".to_string(), "1".to_string()),
                (
                    "csrf_token".to_string(),
                    doc["csrf_token"].as_str().unwrap().to_string(),
                ),
                ("_question_name".to_string(), screen.question_name.clone()),
            ];
            form.extend(form_for(&screen, &answers, &mut used));
            let t = Instant::now();
            let resp = client
                .post(format!("{base}/interview?i={i}"))
                .form(&form)
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let next: Json = resp.json().await.unwrap();
            latencies.push(t.elapsed());
            assert!(status.is_success(), "{status}: {next}");
            assert!(
                next["errors"].as_array().is_none_or(Vec::is_empty),
                "rejected: {next}"
            );
            doc = next;
        }
        done += 1;
    }
    (latencies, done)
}

async fn run_cell(
    server_pid: &str,
    base: &str,
    i: &str,
    answers: &serde_json::Map<String, Json>,
    c: usize,
    secs: f64,
) -> Cell {
    let base = Arc::new(base.to_string());
    let i = Arc::new(i.to_string());
    let answers = Arc::new(answers.clone());
    let start = Instant::now();
    let server_start = process_cpu_us(server_pid);
    let client_start = process_cpu_us("self");
    let until = start + Duration::from_secs_f64(secs);
    let tasks: Vec<_> = (0..c)
        .map(|_| {
            tokio::spawn(browser_loop(
                base.clone(),
                i.clone(),
                answers.clone(),
                until,
            ))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut interviews = 0;
    for t in tasks {
        let (l, n) = t.await.unwrap();
        latencies.extend(l);
        interviews += n;
    }
    let wall = start.elapsed();
    let server_cpu_us = process_cpu_us(server_pid) - server_start;
    let client_cpu_us = process_cpu_us("self") - client_start;
    latencies.sort();
    Cell {
        steps: latencies.len(),
        latencies,
        interviews,
        wall,
        server_cpu_us,
        client_cpu_us,
    }
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx].as_secs_f64() * 1000.0
}

/// A free loopback port (the server binds it right after).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `colloquy serve` on `port` (its own process, logging warnings only).
fn start_server(port: u16, data: &Path, packages: &Path, dist: &Path) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_colloquy"));
    cmd.arg("serve")
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--data")
        .arg(data)
        .arg("--packages")
        .arg(packages)
        .arg("--dist")
        .arg(dist)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    // The server refuses unknown `COLLOQUY_*` variables (such as this benchmark's own).
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("COLLOQUY_") {
            cmd.env_remove(k);
        }
    }
    cmd.spawn().expect("cannot start colloquy serve")
}

/// Waits until the server answers `/health` (at most 30 s).
async fn wait_ready(base: &str) {
    let client = reqwest::Client::new();
    let until = Instant::now() + Duration::from_secs(30);
    while Instant::now() < until {
        if let Ok(r) = client.get(format!("{base}/health")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

/// Stops the server: SIGTERM (a graceful shutdown), then SIGKILL if it lingers.
fn stop_server(mut child: Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments are ignored.
    let secs: f64 = std::env::var("COLLOQUY_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4.0);
    let src = bench_dir();
    let tmp = tempfile::tempdir().unwrap();
    let packages = tmp.path().join("packages");
    let questions = packages.join("docassemble/bench/data/questions");
    std::fs::create_dir_all(&questions).unwrap();
    let mut answers = HashMap::new();
    for name in INTERVIEWS {
        std::fs::copy(
            src.join(format!("{name}.yml")),
            questions.join(format!("{name}.yml")),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", src.join(format!("{name}.yml")).display()));
        let a: serde_json::Map<String, Json> = serde_json::from_str(
            &std::fs::read_to_string(src.join(format!("{name}.answers.json"))).unwrap(),
        )
        .unwrap();
        answers.insert(*name, a);
    }
    let data = tmp.path().join("data");
    let dist = tmp.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let child = start_server(port, &data, &packages, &dist);
    let pid = child.id().to_string();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        wait_ready(&base).await;
        let (idle, _) = rss(&pid);
        println!(
            "http_load: {} s per cell, `colloquy serve` (pid {pid}) with SQLite in {}, {} cores",
            secs,
            data.display(),
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        );
        println!(
            "{:<10} {:>5} {:>9} {:>9} {:>9} {:>10} {:>11} {:>12} {:>12}",
            "interview",
            "conc",
            "steps",
            "p50 ms",
            "p99 ms",
            "steps/s",
            "interviews",
            "server µs/st",
            "client µs/st"
        );
        let (mut all_steps, mut all_server, mut all_client) = (0usize, 0f64, 0f64);
        for name in INTERVIEWS {
            let i = format!("docassemble.bench:data/questions/{name}.yml");
            // Warm up: compile the interview on the server's worker threads.
            let _ = run_cell(&pid, &base, &i, &answers[name], 4, 0.3).await;
            for &c in CONCURRENCY {
                let cell = run_cell(&pid, &base, &i, &answers[name], c, secs).await;
                all_steps += cell.steps;
                all_server += cell.server_cpu_us;
                all_client += cell.client_cpu_us;
                let steps = cell.steps.max(1) as f64;
                println!(
                    "{:<10} {:>5} {:>9} {:>9.3} {:>9.3} {:>10.0} {:>11} {:>12.0} {:>12.0}",
                    name,
                    c,
                    cell.steps,
                    pct(&cell.latencies, 0.50),
                    pct(&cell.latencies, 0.99),
                    cell.steps as f64 / cell.wall.as_secs_f64(),
                    cell.interviews,
                    cell.server_cpu_us / steps,
                    cell.client_cpu_us / steps
                );
            }
        }
        let steps = all_steps.max(1) as f64;
        println!(
            "CPU per step over all cells: server {:.0} µs, client {:.0} µs (the GET that starts \
             each interview is counted in its first step)",
            all_server / steps,
            all_client / steps
        );
        let (now, peak) = rss(&pid);
        println!(
            "server RSS: idle {:.1} MiB after start, {:.1} MiB now, peak {:.1} MiB",
            idle as f64 / 1024.0,
            now as f64 / 1024.0,
            peak as f64 / 1024.0
        );
        println!("targets: p50 <= 1 ms, p99 <= 5 ms, >= 5000 steps/s");
    });
    stop_server(child);
}
