//! The pyeval integration tests, one binary: each module was a test target of its own; one
//! binary links the crate once instead of once per file (disk and link time).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

mod difftest;
mod docassemble;
mod host_ops;
mod props;
