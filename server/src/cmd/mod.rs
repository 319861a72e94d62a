//! One module per `colloquy` subcommand.

pub mod check;
pub mod migrate;
pub mod run;
pub mod serve;
pub mod test;
pub mod user;
