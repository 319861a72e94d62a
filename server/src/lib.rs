//! The Colloquy server: HTTP front end, storage and the `colloquy` command line.

pub mod accounts;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod documents;
pub mod host;
pub mod http;
pub mod interviews;
pub mod store;
pub mod telemetry;
