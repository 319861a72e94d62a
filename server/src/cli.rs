//! The `colloquy` command line: one binary, one subcommand per job (like Django's manage.py).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd;

/// Colloquy: guided interviews written in docassemble's YAML language.
#[derive(Debug, Parser)]
#[command(name = "colloquy", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server: the interview UI, docassemble's JSON protocol and the API.
    Serve(cmd::serve::ServeArgs),
    /// Load interviews and report every problem as `file:line: message`.
    Check(cmd::check::CheckArgs),
    /// Apply the database migrations and report what was done.
    Migrate(cmd::migrate::MigrateArgs),
    /// Run an interview without a browser, answers from a JSON file; print the transcript.
    Run(cmd::run::RunArgs),
    /// Run every NAME.answers.json beside NAME.yml and compare with NAME.expected.json.
    Test(cmd::test::TestArgs),
    /// Play docassemble-style Gherkin scenarios headless against the engine, by visible text.
    Scenarios(cmd::scenarios::ScenariosArgs),
    /// Write the whole store (and the server key) to one portable, compressed backup file.
    Backup(cmd::backup::BackupArgs),
    /// Load a backup into an empty database (SQLite or PostgreSQL).
    Restore(cmd::restore::RestoreArgs),
    /// Housekeeping: purge idle sessions, vacuum, verify.
    Maintenance(cmd::maintenance::MaintenanceArgs),
    /// Manage accounts: create, set-role, list.
    User(cmd::user::UserArgs),
}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => cmd::serve::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Migrate(args) => cmd::migrate::run(args),
        Command::Run(args) => cmd::run::run(args),
        Command::Test(args) => cmd::test::run(args),
        Command::Scenarios(args) => cmd::scenarios::run(args),
        Command::Backup(args) => cmd::backup::run(args),
        Command::Restore(args) => cmd::restore::run(args),
        Command::Maintenance(args) => cmd::maintenance::run(args),
        Command::User(args) => cmd::user::run(args),
    }
}
