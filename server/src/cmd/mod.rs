//! One module per `colloquy` subcommand.

pub mod serve;
