//! The parts of a screen.

pub mod attachments;
pub mod buttons;
pub mod collect;
pub mod errors;
pub mod fetched;
pub mod fields;
pub mod help;
pub mod menu;
pub mod progress;
pub mod question;
pub mod review;
pub mod signature;
