//! The Colloquy server: HTTP front end, storage and the `colloquy` command line.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod http;
pub mod store;
pub mod telemetry;
