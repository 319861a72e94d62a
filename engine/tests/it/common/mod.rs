//! Helpers shared by the integration tests: compile a YAML interview, make docassemble's
//! runtime host, show the first screen, post answers and actions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use chrono::NaiveDate;
use engine::run::{Action, Answered, CompiledInterview, Engine, Screen, SessionState, Submission};
use engine::runtime::{DaHost, RuntimeConfig};
use engine::{FileRef, MemSource};

/// Compiles `yaml` as `dir/test.yml`, reading other files from `src`.
pub fn compile_with(src: &MemSource, yaml: &str) -> CompiledInterview {
    let iv = engine::load_str(src, &FileRef::Path("dir/test.yml".into()), yaml).unwrap();
    CompiledInterview::new(iv).unwrap()
}

/// Compiles `yaml` (no other files).
pub fn compile(yaml: &str) -> CompiledInterview {
    compile_with(&MemSource::new(), yaml)
}

/// docassemble's runtime at 2024-03-15 10:30.
pub fn host() -> DaHost {
    let now = NaiveDate::from_ymd_opt(2024, 3, 15)
        .and_then(|d| d.and_hms_opt(10, 30, 0))
        .unwrap();
    DaHost::new(RuntimeConfig::at(now))
}

/// The screen shown now.
pub fn first(iv: &CompiledInterview, st: &mut SessionState) -> Screen {
    Engine::new(iv, &host()).screen(st).unwrap()
}

/// Posts `values` to `screen` and returns what the engine answered.
pub fn post(
    iv: &CompiledInterview,
    st: &mut SessionState,
    screen: &Screen,
    values: &[(&str, &str)],
) -> Answered {
    let sub = Submission {
        question_name: Some(screen.question_name.clone()),
        values: values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        files: Vec::new(),
        action: None,
    };
    Engine::new(iv, &host()).answer(st, &sub).unwrap()
}

/// Posts `values` to `screen`; the next screen.
pub fn submit(
    iv: &CompiledInterview,
    st: &mut SessionState,
    screen: &Screen,
    values: &[(&str, &str)],
) -> Screen {
    match post(iv, st, screen, values) {
        Answered::Next(s) => s,
        other => panic!("expected the next screen, got {other:?}"),
    }
}

/// Runs an action; what the engine answered.
pub fn act_result(
    iv: &CompiledInterview,
    st: &mut SessionState,
    action: Action,
) -> Result<Answered, engine::run::RunError> {
    let sub = Submission {
        action: Some(action),
        ..Submission::default()
    };
    Engine::new(iv, &host()).answer(st, &sub)
}

/// Runs an action; the next screen.
pub fn act(iv: &CompiledInterview, st: &mut SessionState, action: Action) -> Screen {
    match act_result(iv, st, action).unwrap() {
        Answered::Next(s) => s,
        other => panic!("expected the next screen, got {other:?}"),
    }
}

/// An action without arguments.
pub fn named(name: &str) -> Action {
    Action {
        action: name.to_string(),
        arguments: serde_json::Map::new(),
    }
}
