//! docassemble's runtime library for the engine: the object classes (`DAObject`, `DAList`,
//! `DADict`, `Individual`, `Address`, `DADateTime` …) and the function library
//! (`comma_and_list`, `ordinal`, `currency`, `today`, `force_ask`, `url_action` …), as a
//! [`pyeval::Host`] implementation, [`DaHost`].
//!
//! * [`host`]: [`DaHost`], configured by the caller with a [`RuntimeConfig`] (the clock, the
//!   currency symbol, URLs, the language); the engine has no clock of its own.
//! * [`signals`]: what library functions ask of the engine (`force_ask`, `validation_error`,
//!   `message`, `set_progress` …): typed exception kinds plus the [`Effects`] record.
//! * [`classes`]: the classes, with docassemble's attribute auto-creation, instance names and
//!   list/dict gathering ([`classes::list`], [`classes::dict`]).
//! * [`objects`]: creating the object of an `objects:` block entry.
//! * [`functions`]: the function library.
//! * [`using`]: `Class.using(...)` (through [`pyeval::Host::call_class_method`]);
//!   [`prepare_source`] is no longer needed (it returns the source unchanged).
//!
//! All gathering state lives on the objects (`elements`, `there_are_any`, `_necessary_length`,
//! `gathered`, `revisit`), so the engine can restart evaluation from the top after every answer.

pub mod classes;
pub mod config;
pub mod functions;
pub mod host;
pub mod modules;
pub mod objects;
pub mod signals;
mod support;
pub mod using;

pub use config::RuntimeConfig;
pub use host::{DaHost, TemplateSource, TemplateSources};
pub use signals::{Effects, Signal};
pub use using::prepare_source;

#[cfg(test)]
mod tests;
