//! The engine integration tests, one binary: each module was a test target of its own; one
//! binary links the crate once instead of once per file (disk and link time).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

#[macro_use]
mod common;
mod corpus;
mod lang;
mod no_panic;
mod rules;
mod run_attachment_options;
mod run_background;
mod run_buttons;
mod run_check_in;
mod run_choices;
mod run_combobox;
mod run_currency;
mod run_documents;
mod run_error_action;
mod run_flow;
mod run_forget;
mod run_gather_retry;
mod run_headless_auto;
mod run_html_items;
mod run_images;
mod run_language;
mod run_modules;
mod run_nav;
mod run_orderings;
mod run_others;
mod run_parts;
mod run_python_modules;
mod run_store;
mod run_tables;
mod run_templates;
mod run_terms;
mod run_variables;
mod runtime_gather;
mod runtime_library;
mod runtime_ops;
mod scenario_steps;
