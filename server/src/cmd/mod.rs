//! One module per `colloquy` subcommand.

pub mod check;
pub mod serve;
