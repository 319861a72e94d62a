//! One component per route.

pub mod interview;
pub mod list;
pub mod not_found;
pub mod sessions;
