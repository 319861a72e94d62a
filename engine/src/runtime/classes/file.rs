//! Minimal files: `DAFile`, `DAStaticFile`, `DAFileList`, `DAFileCollection` show as
//! docassemble's `[FILE …]` markup (which the engine's markup layer resolves) and have
//! placeholder URLs; there is no file storage in the engine. Also `DAEmpty`, the blank object
//! returned by `item()` for missing entries.

use pyeval::{Args, Flow, Interp, ObjId, PyResult, Value};

use super::super::functions::json::quote as web_quote;
use super::super::functions::web;
use super::super::host::DaHost;
use super::super::support::{self, s};

/// A new `DAEmpty`.
pub fn empty(cx: &mut Interp<'_>) -> Value {
    Value::Ref(cx.heap_mut().new_instance("DAEmpty", None))
}

/// Every method of DAEmpty returns a DAEmpty.
pub fn empty_method(name: &str) -> Option<Value> {
    let _ = name;
    None
}

fn opt(cx: &mut Interp<'_>, v: Option<&Value>) -> PyResult<String> {
    match v {
        None | Some(Value::None) => Ok("None".into()),
        Some(v) => Ok(cx.to_str(v)?.replace(']', "")),
    }
}

fn reference(cx: &mut Interp<'_>, id: ObjId, class: &str) -> PyResult<String> {
    if class == "DAStaticFile" {
        let f = support::get(cx, id, "filename")?;
        return cx.to_str(&f);
    }
    let n = support::get(cx, id, "number")?;
    cx.to_str(&n)
}

/// A `DAFileCollection`'s first file (docassemble's `_first_file`): its PDF, else DOCX, RTF,
/// TeX or HTML file, whichever the document was made in.
fn first_file(cx: &Interp<'_>, id: ObjId) -> Option<Value> {
    ["pdf", "docx", "rtf", "tex", "html"]
        .into_iter()
        .find_map(|ext| support::raw(cx, id, ext).filter(|v| v.as_ref_id().is_some()))
}

/// `show(width=None, alt_text=None)`: `[FILE ref, width, alt]`.
fn show(cx: &mut Interp<'_>, id: ObjId, class: &str, args: &Args) -> PyResult<String> {
    if class == "DAFileCollection"
        && let Some(f) = first_file(cx, id)
    {
        let r = cx.call_method(&f, "show", args.clone())?;
        return cx.to_str(&r);
    }
    if matches!(class, "DAFileList" | "DAFileCollection") {
        let el = support::get(cx, id, "elements")?;
        let items = cx.collect(&el)?;
        let mut out = Vec::new();
        for f in items {
            let r = cx.call_method(&f, "show", args.clone())?;
            out.push(cx.to_str(&r)?);
        }
        return Ok(out.join(" "));
    }
    // An upload carries its download URL: with its file name the markup can tell an image
    // from another file. docassemble shows the file number here and resolves it later.
    let r = match (
        support::raw(cx, id, "url"),
        support::raw(cx, id, "filename"),
    ) {
        (Some(Value::Str(url)), Some(Value::Str(name))) if !url.is_empty() => {
            format!("{url}/{}", web_quote(&name))
        }
        _ => reference(cx, id, class)?,
    };
    let w = opt(cx, args.get(0, "width"))?;
    let alt = match args.get(1, "alt_text") {
        Some(v) => opt(cx, Some(v))?,
        None => opt(cx, support::raw(cx, id, "alt_text").as_ref())?,
    };
    Ok(format!("[FILE {r}, {w}, {alt}]"))
}

/// `str(file)`.
pub fn to_str(_h: &DaHost, cx: &mut Interp<'_>, id: ObjId, class: &str) -> PyResult<String> {
    show(cx, id, class, &Args::default())
}

/// File methods.
pub fn method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        "show" => s(show(cx, id, class, args)?),
        "url_for" => {
            if let Some(f) = (class == "DAFileCollection")
                .then(|| first_file(cx, id))
                .flatten()
            {
                cx.call_method(&f, "url_for", args.clone())?
            } else if matches!(class, "DAFileList" | "DAFileCollection") {
                let el = support::get(cx, id, "elements")?;
                let items = cx.collect(&el)?;
                match items.first() {
                    Some(f) => cx.call_method(f, "url_for", args.clone())?,
                    None => Value::None,
                }
            } else if class == "DAStaticFile" {
                let f = support::get(cx, id, "filename")?;
                let f = cx.to_str(&f)?;
                s(web::static_url(h, &f))
            } else if let Some(url) = support::raw(cx, id, "url") {
                // Files uploaded through the server carry their download URL.
                url
            } else {
                let n = reference(cx, id, class)?;
                let fname = match support::raw(cx, id, "filename") {
                    Some(v) => format!("/{}", cx.to_str(&v)?),
                    None => String::new(),
                };
                s(format!("/uploadedfile/{n}{fname}"))
            }
        }
        "set_alt_text" => {
            let v = support::req(args, 0, "alt_text", name)?.clone();
            support::set(cx, id, "alt_text", v);
            Value::None
        }
        "get_alt_text" => support::raw(cx, id, "alt_text").unwrap_or(Value::None),
        "path" | "slurp" | "readlines" | "write" | "copy_into" | "make_pngs" | "fix_up"
        | "retrieve" | "set_attributes" | "user_access" | "num_pages" | "extract_pages"
        | "convert_to" | "bates_number" => {
            return Err(Flow::raise(
                "NotImplementedError",
                format!("{class}.{name}() is not supported in this runtime (no file storage)"),
            ));
        }
        _ => return Ok(None),
    }))
}
