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
