//! The function library: dispatch to [`text`], [`dates`], [`logic`], [`web`], [`geo`].
//! Functions docassemble has but this runtime cannot provide (server, e-mail, OCR, files,
//! background tasks …) resolve to host functions that raise `NotImplementedError`, so an
//! interview calling them fails clearly instead of asking for a variable of that name.
//! `defined()`, `value()` and `showifdef()` are pyeval builtins.

pub mod address_formats;
pub mod background;
pub mod countries;
pub mod data_files;
pub mod datefmt;
pub mod dates;
pub mod geo;
pub mod json;
pub mod logic;
pub mod phone;
pub mod random;
pub mod server;
pub mod subdivisions;
pub mod text;
pub mod timezones;
pub mod us;
pub mod web;
pub mod words;

use std::collections::HashMap;
use std::sync::LazyLock;

use pyeval::{Args, Flow, Interp, PyResult, Value};

use super::host::DaHost;

/// Every function the runtime implements.
pub const FUNCTIONS: &[&str] = &[
    "_da_using",
    "a_in_the_b",
    "a_preposition_b",
    "action_argument",
    "action_arguments",
    "action_button_html",
    "action_menu_item",
    "add_separators",
    "alpha",
    "are_word",
    "are_you",
    "as_datetime",
    "bold",
    "capitalize",
    "comma_and_list",
    "comma_list",
    "command",
    "countries_list",
    "country_name",
    "currency",
    "currency_symbol",
    "current_datetime",
    "date_difference",
    "date_interval",
    "day_of",
    "define",
    "device",
    "did_a_b",
    "did_i",
    "did_you",
    "do_i",
    "do_you",
    "does_a_b",
    "dow_of",
    "fix_punctuation",
    "force_ask",
    "force_gather",
    "forget_result_of",
    "format_date",
    "format_datetime",
    "format_time",
    "get_config",
    "get_country",
    "get_default_timezone",
    "get_dialect",
    "get_language",
    "get_locale",
    "get_progress",
    "get_voice",
    "has_a_b",
    "have_you",
    "her",
    "his",
    "in_the",
    "indefinite_article",
    "indent",
    "interface",
    "interview_url",
    "interview_url_action",
    "invalidate",
    "is_word",
    "iso_country",
    "italic",
    "its",
    "json_response",
    "log",
    "message",
    "month_of",
    "my_possessive",
    "name_suffix",
    "need",
    "nice_number",
    "noun_plural",
    "noun_singular",
    "noyes",
    "number_to_word",
    "of_the",
    "ordinal",
    "ordinal_number",
    "our_possessive",
    "period_list",
    "plain",
    "possessify",
    "possessify_long",
    "explain",
    "clear_explanations",
    "logic_explanation",
    "prevent_dependency_satisfaction",
    "prevent_going_back",
    "process_action",
    "quantity_noun",
    "quote_paragraphs",
    "re_run_logic",
    "reconsider",
    "redact",
    "referring_url",
    "response",
    "roman",
    "set_language",
    "set_parts",
    "set_progress",
    "set_save_status",
    "single_paragraph",
    "single_to_double_newlines",
    "some",
    "space_to_underscore",
    "state_name",
    "states_list",
    "subdivision_type",
    "the",
    "their",
    "these",
    "this",
    "title_case",
    "today",
    "undefine",
    "url_action",
    "url_of",
    "user_has_privilege",
    "user_logged_in",
    "user_privileges",
    "validation_error",
    "verb_past",
    "verb_present",
    "was_a_b",
    "were_you",
    "word",
    "year_of",
    "yesno",
    "your",
    "your_plural",
];

/// docassemble functions that are not available in this runtime.
pub const UNSUPPORTED: &[&str] = &[
    "DAWeb",
    "create_session",
    "create_user",
    "decode_name",
    "delete_record",
    "docx_concatenate",
    "encode_name",
    "from_b64_json",
    "get_chat_log",
    "get_default_timezone_list",
    "get_emails",
    "get_question_data",
    "get_session_variables",
    "get_user_info",
    "get_user_list",
    "go_back_in_session",
    "include_docx_template",
    "interview_email",
    "interview_menu",
    "interview_url_action_as_qr",
    "interview_url_as_qr",
    "invite_user",
    "location_known",
    "location_returned",
    "manage_privileges",
    "map_of",
    "ocr_file",
    "ocr_file_in_background",
    "overlay_pdf",
    "path_and_mimetype",
    "pdf_concatenate",
    "raw",
    "read_qr",
    "read_records",
    "run_action_in_session",
    "send_email",
    "send_fax",
    "send_sms",
    "set_session_variables",
    "set_user_info",
    "set_variables",
    "store_variables_snapshot",
    "user_lat_lon",
    "variables_as_json",
    "write_record",
    "zip_file",
];

/// Every library function name, and whether it is unsupported (built once).
static NAMES: LazyLock<HashMap<&'static str, bool>> = LazyLock::new(|| {
    let mut names = HashMap::new();
    for name in FUNCTIONS
        .iter()
        .chain(server::NAMES)
        .chain(phone::NAMES)
        .chain(background::NAMES)
        .chain(data_files::NAMES)
    {
        names.insert(*name, false);
    }
    for name in UNSUPPORTED {
        names.insert(*name, true);
    }
    names
});

/// Whether `name` is a library function (implemented or known-unsupported).
pub fn is_function(name: &str) -> bool {
    NAMES.contains_key(name)
}

/// Calls library function `name`.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: Args) -> PyResult<Value> {
    // a module's function bound by `from module import name` or a `modules` block
    if let Some((module, function)) = name.split_once('.')
        && server::module_has(module, function)
        && let Some(v) = server::module_call(h, cx, module, function, &args)?
    {
        return Ok(v);
    }
    if NAMES.get(name).copied().unwrap_or(false) {
        return Err(Flow::raise(
            "NotImplementedError",
            format!("{name} is not supported in this runtime"),
        ));
    }
    if let Some(v) = text::call(h, cx, name, &args)? {
        return Ok(v);
    }
    if let Some(v) = dates::call(h, cx, name, &args)? {
        return Ok(v);
    }
    if let Some(v) = logic::call(h, cx, name, &args)? {
        return Ok(v);
    }
    if let Some(v) = web::call(h, cx, name, &args)? {
        return Ok(v);
    }
    if let Some(v) = geo::call(h, cx, name, &args)? {
        return Ok(v);
    }
    if let Some(v) = phone::call(h, cx, name, &args)? {
        return Ok(v);
    }
    if let Some(v) = server::call(h, cx, name, &args)? {
        return Ok(v);
    }
    if let Some(v) = background::call(h, cx, name, &args)? {
        return Ok(v);
    }
    if let Some(v) = data_files::call(h, cx, name, &args)? {
        return Ok(v);
    }
    Err(Flow::raise(
        "NameError",
        format!("name '{name}' is not defined"),
    ))
}

/// Equality for membership tests done by the runtime (`list.remove`, `filter`, `union` …), as
/// Python's containers compare: identity first, then `==` (values, and the classes' own
/// equality: DADateTimes by value, DAObjects by identity).
pub fn values_equal(cx: &mut Interp<'_>, a: &Value, b: &Value) -> PyResult<bool> {
    if let (Value::Ref(x), Value::Ref(y)) = (a, b)
        && x == y
    {
        return Ok(true);
    }
    cx.eq(a, b)
}

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn every_listed_name_is_a_function() {
        for name in FUNCTIONS
            .iter()
            .chain(server::NAMES)
            .chain(phone::NAMES)
            .chain(background::NAMES)
            .chain(UNSUPPORTED)
        {
            assert!(is_function(name), "{name}");
        }
        assert!(!is_function("no_such_function"));
        assert!(!is_function(""));
    }
}
