//! `DATemplate` (what `template` and `table` blocks define): `show()` and friends give the
//! rendered content. The engine renders it when the block runs; a template whose text needs
//! what is not defined yet, or shown with extra names (`show(company=…)`), is rendered when
//! shown, as docassemble's lazy templates always are. `export()` of a table to a
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

/// Renders the content (or the subject) of template `id` from its block now, with `vars` as
/// extra names (`None` when its block's content is not inline text the runtime keeps).
fn render_now(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    subject: bool,
    vars: Vec<(pyeval::Name, Value)>,
) -> PyResult<Option<String>> {
    let Some(path) = support::path(cx, id) else {
        return Ok(None);
    };
    h.render_template(cx, &path.to_string(), subject, vars)
}

/// The `content` or `subject` of a lazy template (one defined before its text could be
/// rendered, or whose block's text could not be rendered then), read as an attribute:
/// rendered now. A template rendered when its block ran has them as attributes.
pub fn lazy_part(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
) -> PyResult<Option<Value>> {
    let subject = match name {
        "content" => false,
        "subject" => true,
        _ => return Ok(None),
    };
    Ok(render_now(h, cx, id, subject, Vec::new())?.map(s))
}

/// Template methods.
pub fn method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        // Keyword arguments are extra names for rendering the content again (docassemble's
        // `show(**kwargs)`); a table's `editable=False` drops its actions column.
        "show" | "show_as_markdown" => {
            let vars: Vec<(pyeval::Name, Value)> = args
                .kw
                .iter()
                .filter(|(k, _)| k.as_ref() != "editable")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !vars.is_empty() {
                return match render_now(h, cx, id, false, vars)? {
                    Some(text) => Ok(Some(s(text))),
                    None => Err(Flow::raise(
                        "NotImplementedError",
                        format!(
                            "DATemplate.{name}() with variables needs a template block with \
                             inline content and a plain variable name"
                        ),
                    )),
                };
            }
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
