//! The interview language and engine.
