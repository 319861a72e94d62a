//! One module per `colloquy` subcommand.

pub mod backup;
pub mod check;
pub mod maintenance;
pub mod migrate;
pub mod restore;
pub mod run;
pub mod scenarios;
pub mod serve;
pub mod store_args;
pub mod test;
pub mod user;
