//! `colloquy user`: create accounts, change roles, list users (no server needed).

use std::io::{BufRead as _, IsTerminal as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::accounts::service::{self, AccountError};
use crate::accounts::{Email, Role};
use crate::config::{CliOverrides, Config};
use crate::store::Store;
use crate::store::api_keys::KeyMethod;

/// Where the accounts live.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Data directory (the SQLite database and the server key).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Database URL: sqlite:PATH or postgres://… (default: SQLite in the data directory).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// Configuration file (see CONFIG.md); COLLOQUY_* variables apply too.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Options of `colloquy user`.
#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

/// The `user` subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an active account. The password is asked for on a terminal; otherwise one line
    /// is read from standard input.
    Create {
        #[command(flatten)]
        store: StoreArgs,
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
        /// admin, developer, advocate or user.
        #[arg(long, default_value = "user")]
        role: Role,
    },
    /// Make an API key for an account (printed once; only its digest is kept).
    ApiKey {
        #[command(flatten)]
        store: StoreArgs,
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
        /// A name for the key (unique per account).
        #[arg(long)]
        name: String,
        /// Where the key may be used from: none, ip or referer.
        #[arg(long, default_value = "none")]
        method: String,
        /// An allowed address/network (ip) or URL pattern with `*` (referer); repeatable.
        #[arg(long = "allow", value_name = "ALLOWED")]
        allowed: Vec<String>,
    },
    /// Change an account's role.
    SetRole {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        email: String,
        /// admin, developer, advocate or user.
        #[arg(long)]
        role: Role,
    },
    /// List the accounts.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
}

fn open(args: &StoreArgs) -> anyhow::Result<(Config, tokio::runtime::Runtime, Store)> {
    let config = Config::load(CliOverrides {
        config: args.config.clone(),
        data: args.data.clone(),
        database: args.database.clone(),
        ..CliOverrides::default()
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let database = config.database()?;
    let store = runtime
        .block_on(Store::open_in(&database, &config.data))
        .with_context(|| format!("cannot open {}", database.describe()))?;
    Ok((config, runtime, store))
}

fn read_password() -> anyhow::Result<zeroize::Zeroizing<String>> {
    if std::io::stdin().is_terminal() {
        let first = zeroize::Zeroizing::new(rpassword::prompt_password("Password: ")?);
        let again = zeroize::Zeroizing::new(rpassword::prompt_password("Password again: ")?);
        if *first != *again {
            anyhow::bail!("the passwords differ");
        }
        return Ok(first);
    }
    let mut line = zeroize::Zeroizing::new(String::new());
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let trimmed = zeroize::Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_string());
    if trimmed.is_empty() {
        anyhow::bail!("no password on standard input");
    }
    Ok(trimmed)
}

/// Runs a `user` subcommand.
pub fn run(args: UserArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        UserCommand::Create { store, email, role } => {
            let email = Email::parse(&email)?;
            let password = read_password()?;
            let (config, rt, store) = open(&store)?;
            let made = rt.block_on(service::create_account(
                &store,
                &config,
                email.as_str(),
                &password,
                role,
                true,
            ));
            let id = match made {
                Ok(id) => id,
                Err(AccountError::WeakPassword(p)) => {
                    anyhow::bail!("the password is too weak: {}", p.join(" "))
                }
                Err(e) => return Err(e.into()),
            };
            rt.block_on(store.audit(
                "user_created",
                Some(id),
                Some(email.as_str()),
                None,
                Some(&format!("role {role} (command line)")),
            ))?;
            println!("created user {id} {email} ({role})");
            rt.block_on(store.close());
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::ApiKey {
            store,
            email,
            name,
            method,
            allowed,
        } => {
            let email = Email::parse(&email)?;
            let method = KeyMethod::build(&method, allowed).map_err(anyhow::Error::msg)?;
            let (_config, rt, store) = open(&store)?;
            let user = rt
                .block_on(store.user_by_email(email.as_str()))?
                .ok_or_else(|| anyhow::anyhow!("no user {email}"))?;
            let key = rt
                .block_on(store.create_api_key(user.id, &name, &method))?
                .ok_or_else(|| anyhow::anyhow!("{email} already has an API key named {name:?}"))?;
            rt.block_on(store.audit(
                "api_key_created",
                Some(user.id),
                Some(email.as_str()),
                None,
                Some(&format!("{name} (command line)")),
            ))?;
            println!("{}", key.expose());
            rt.block_on(store.close());
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::SetRole { store, email, role } => {
            let email = Email::parse(&email)?;
            let (_config, rt, store) = open(&store)?;
            let user = rt
                .block_on(store.user_by_email(email.as_str()))?
                .ok_or_else(|| anyhow::anyhow!("no user {email}"))?;
            rt.block_on(store.set_role(user.id, role.as_str()))?;
            rt.block_on(store.audit(
                "role_change",
                Some(user.id),
                Some(email.as_str()),
                None,
                Some(&format!("{} -> {role} (command line)", user.role)),
            ))?;
            println!("{email}: {} -> {role}", user.role);
            rt.block_on(store.close());
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::List { store } => {
            let (_config, rt, store) = open(&store)?;
            for u in rt.block_on(store.list_users())? {
                let state = if u.active { "active" } else { "inactive" };
                let mfa = if u.has_totp { " 2fa" } else { "" };
                println!("{}\t{}\t{}\t{state}{mfa}", u.id, u.email, u.role);
            }
            rt.block_on(store.close());
            Ok(ExitCode::SUCCESS)
        }
    }
}
