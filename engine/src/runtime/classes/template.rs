//! `DATemplate` (what `template` and `table` blocks define): `show()` and friends give the
//! rendered content; the engine renders it when the block runs. `export()` of a table to a
//! spreadsheet needs file storage and is refused clearly.

use pyeval::{Args, Flow, Interp, ObjId, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{self, s};

/// The class of a table named before its rows could be read (docassemble's tables are
/// lazy): showing it forgets it and asks for the table again, which is then built (or asks
/// for what its rows need).
pub const LAZY_TABLE: &str = "DALazyTable";

/// Shows a lazy table: it forgets itself and asks for itself.
pub fn lazy_table_needs(cx: &mut Interp<'_>, id: ObjId) -> Flow {
    match support::path(cx, id) {
        Some(p) => {
            let _ = super::super::functions::logic::undefine_var(cx, &p.to_string());
            support::needs_open(p)
        }
        None => Flow::raise("NameError", "the table has no name"),
    }
}

fn text(cx: &mut Interp<'_>, id: ObjId, name: &str) -> PyResult<String> {
    let v = support::get(cx, id, name)?;
    cx.to_str(&v)
}

/// Template methods.
pub fn method(
    _h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    if matches!(name, "show" | "show_as_markdown")
        && args.kw.iter().any(|(k, _)| k.as_ref() != "editable")
    {
        return Err(Flow::raise(
            "NotImplementedError",
            format!(
                "DATemplate.{name}() with variables is not supported in this runtime (templates \
                 are rendered once, when their block runs)"
            ),
        ));
    }
    Ok(Some(match name {
        // Keyword arguments would re-render the template with extra names; the engine renders
        // templates once, so they are not supported; a table's `editable=False` drops its
        // actions column.
        "show" | "show_as_markdown" => {
            let editable = match args.kw("editable") {
                Some(v) => cx.truthy(v)?,
                None => true,
            };
            match support::raw(cx, id, "content_readonly") {
                Some(v) if !editable => s(cx.to_str(&v)?),
                _ => s(text(cx, id, "content")?),
            }
        }
        "content_as_html" => s(crate::text::to_html(
            &text(cx, id, "content")?,
            &crate::text::NoResolver,
        )),
        "subject_as_html" => s(crate::text::to_inline_html(
            &text(cx, id, "subject")?,
            &crate::text::NoResolver,
        )),
        "export" | "export_safe" => {
            return Err(Flow::raise(
                "NotImplementedError",
                format!("DATemplate.{name}() is not supported in this runtime (no file storage)"),
            ));
        }
        _ => return Ok(None),
    }))
}
