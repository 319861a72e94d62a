//! The Colloquy interview language and engine.
//!
//! * [`source`]: reading interview files (`---` splitting, YAML 1.2, file references).
//! * [`block`]: the typed block model.
//! * [`interview`]: loading a file with its includes into an [`Interview`].
//! * [`check`]: the `colloquy check` logic.
//! * [`text`]: Mako + Markdown text.
//! * `run`: the next-question algorithm, screens and answers (feature `parser`).

pub mod block;
pub mod check;
pub mod error;
pub mod interview;
#[cfg(feature = "parser")]
pub mod run;
pub mod runtime;
pub mod source;
pub mod text;

pub use block::{Block, BlockKind};
pub use error::Error;
pub use interview::{Interview, load, load_str};
pub use source::{FileRef, FsSource, MemSource, Source};
