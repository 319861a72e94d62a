//! The `colloquy` binary's command line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn colloquy(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_colloquy"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn help_lists_the_subcommands() {
    let out = colloquy(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("serve"), "{text}");
}

#[test]
fn each_subcommand_has_help() {
    let out = colloquy(&["serve", "--help"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for flag in ["--listen", "--data", "--packages", "--dist"] {
        assert!(text.contains(flag), "missing {flag} in {text}");
    }
}

#[test]
fn version_is_printed() {
    let out = colloquy(&["--version"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(env!("CARGO_PKG_VERSION")), "{text}");
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let out = colloquy(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stderr).unwrap();
    assert!(text.contains("frobnicate"), "{text}");
}

#[test]
fn a_bad_listen_address_is_a_clear_error() {
    let out = colloquy(&["serve", "--listen", "not-an-address"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stderr).unwrap();
    assert!(text.contains("--listen"), "{text}");
}

#[test]
fn scenarios_play_the_demo_feature_by_visible_text() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let feature = format!("{root}/interviews/docassemble/colloquydemo/data/sources/demo.feature");
    let packages = format!("{root}/interviews");
    let out = colloquy(&["scenarios", &feature, "--packages", &packages, "--verbose"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("5 of 5 scenarios passed"), "{stderr}");

    // A wrong expectation, an unknown button and an unknown step each fail with the line.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.feature");
    std::fs::write(
        &bad,
        "Feature: bad\n  Scenario: wrong phrase\n    Given I start the interview \"docassemble.colloquydemo:data/questions/hello.yml\"\n    Then I should see the phrase \"Goodbye\"\n  Scenario: wrong button\n    Given I start the interview \"docassemble.colloquydemo:data/questions/hello.yml\"\n    When I click the button \"Launch\"\n  Scenario: unknown step\n    Given I start the interview \"docassemble.colloquydemo:data/questions/hello.yml\"\n    When I juggle\n  Scenario: missing interview\n    Given I start the interview \"docassemble.colloquydemo:data/questions/nope.yml\"\n",
    )
    .unwrap();
    let out = colloquy(&["scenarios", bad.to_str().unwrap(), "--packages", &packages]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stderr.contains("0 of 4 scenarios passed"), "{stderr}");
    assert!(
        stdout.contains("line 4: I should see the phrase \"Goodbye\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("no button \"Launch\" on the page (it has \"Continue\")"),
        "{stdout}"
    );
    assert!(
        stdout.contains("step not supported headless: I juggle"),
        "{stdout}"
    );
    assert!(stdout.contains("the interview does not load"), "{stdout}");
}

#[test]
fn user_create_set_role_and_list() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let create = |email: &str, password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_colloquy"))
            .args([
                "user", "create", "--data", data, "--email", email, "--role", "admin",
            ])
            .env("COLLOQUY_ARGON2_MEMORY_KIB", "64")
            .env("COLLOQUY_ARGON2_ITERATIONS", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The command may refuse (a malformed address) before it reads the password: then the
        // pipe is closed and the write fails, which is fine.
        if let Err(e) = writeln!(child.stdin.take().unwrap(), "{password}") {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
        child.wait_with_output().unwrap()
    };
    let out = create("Boss@Example.org", "Correct horse 42");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("boss@example.org (admin)"));
    // A weak password, a taken address, a malformed address: clear errors.
    for (email, pw, needle) in [
        ("b@example.org", "weak", "too weak"),
        ("boss@example.org", "Correct horse 42", "exists already"),
        ("not-an-address", "Correct horse 42", "@"),
    ] {
        let out = create(email, pw);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{email}: {err}");
    }
    let out = colloquy(&[
        "user",
        "set-role",
        "--data",
        data,
        "--email",
        "boss@example.org",
        "--role",
        "developer",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = colloquy(&[
        "user",
        "set-role",
        "--data",
        data,
        "--email",
        "boss@example.org",
        "--role",
        "root",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = colloquy(&["user", "list", "--data", data]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("boss@example.org\tdeveloper\tactive"),
        "{text}"
    );
    // An API key: printed once; the same name again, a bad method or address are refused.
    let key = |extra: &[&str]| {
        let mut args = vec![
            "user",
            "api-key",
            "--data",
            data,
            "--email",
            "boss@example.org",
        ];
        args.extend_from_slice(extra);
        colloquy(&args)
    };
    let out = key(&["--name", "ci"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let printed = printed.trim();
    assert!(
        printed.len() == 32 && printed.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{printed}"
    );
    for (extra, needle) in [
        (&["--name", "ci"][..], "already has an API key"),
        (
            &["--name", "x", "--method", "carrier-pigeon"][..],
            "Invalid security method",
        ),
        (
            &["--name", "y", "--method", "ip", "--allow", "here"][..],
            "Invalid IP address",
        ),
    ] {
        let out = key(extra);
        assert!(!out.status.success(), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{extra:?}: {err}");
    }
}
