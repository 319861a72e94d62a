//! The server integration tests, one binary: each module was a test target of its own; one
//! binary links the crate once instead of once per file (disk and link time).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

#[macro_use]
mod store_support;
#[macro_use]
mod common;
mod accounts;
mod accounts_bad_input;
mod api;
mod backup_restore;
mod cli;
mod config_load;
mod documents;
mod http_basics;
mod protocol;
mod protocol_back_errors;
mod protocol_checkin;
mod protocol_compat;
mod protocol_nav;
mod protocol_navbar;
mod robustness;
mod store_accounts;
mod store_crypto;
mod store_keyfile;
mod store_migrate;
mod store_steps;
