//! Jinja2 for DOCX templates (minijinja), with docassemble's context and filters.
//!
//! The context is JSON made by the engine from the interview's variables. docassemble objects
//! arrive as JSON objects with a `__str__` key (their text), their attributes, and `__items__`
//! (the elements of a `DAList`/`DASet`, or the entries of a `DADict`): they print as their
//! text, and iterate and index like the list or dictionary they are.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};

/// How a template is rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `skip undefined`: undefined names print as nothing instead of failing.
    pub skip_undefined: bool,
    /// The text of printed expressions the host already evaluated (`{{ today() }}`,
    /// `{{ user.address_block() }}`; see [`uses`]), by expression: printed as given.
    pub values: BTreeMap<String, String>,
    /// Image files printed values may name (`[FILE 3, 2in]`, a signature): placed in the
    /// document body as pictures.
    pub images: crate::image::Images,
}

/// An image a template placed: its reference, file bytes and extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The relationship id the drawing uses.
    pub rel_id: String,
    /// The file.
    pub bytes: Vec<u8>,
    /// `png` or `jpeg`.
    pub extension: &'static str,
}

/// The pictures a rendering placed, shared with the formatter.
type Sink = std::sync::Arc<std::sync::Mutex<Vec<(String, Placed)>>>;

/// An inline Word drawing of `cx`×`cy` EMU showing relationship `rel`, closing and reopening
/// the text run around it.
fn drawing(rel: &str, n: usize, cx: u64, cy: u64) -> String {
    let id = 9000 + n;
    format!(
        r#"</w:t></w:r><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{id}" name="Picture {id}"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="{id}" name="image{id}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="{rel}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve">"#
    )
}

/// The drawing for `[FILE ref, width, …]` markup whose image is in `images`, recording it in
/// `sink`; `None` when there is no such image.
fn place_image(markup: &str, images: &crate::image::Images, sink: &Sink) -> Option<String> {
    let r = crate::image::file_reference(markup)?;
    let bytes = images.get(r)?;
    let pic = crate::image::decode(bytes).ok()?;
    let width_arg = markup
        .trim()
        .trim_start_matches("[FILE ")
        .trim_end_matches(']')
        .split(',')
        .nth(1)
        .unwrap_or("None")
        .to_string();
    let natural = pic.width as f32 * 0.75;
    let w = crate::markdown::image_width(&width_arg)
        .unwrap_or_else(|| natural.min(216.0))
        .clamp(1.0, 468.0);
    let h = w * pic.height as f32 / pic.width as f32;
    let mut placed = sink.lock().ok()?;
    let n = match placed.iter().position(|(k, _)| k == r) {
        Some(n) => n,
        None => {
            let next = placed.len();
            placed.push((
                r.to_string(),
                Placed {
                    rel_id: format!("rIdColloquyImg{next}"),
                    bytes: bytes.clone(),
                    extension: if pic.encoding == crate::image::Encoding::Jpeg {
                        "jpeg"
                    } else {
                        "png"
                    },
                },
            ));
            placed.len() - 1
        }
    };
    let rel = placed[n].1.rel_id.clone();
    Some(drawing(&rel, n, (w * 12700.0) as u64, (h * 12700.0) as u64))
}

/// The key of the context that holds the texts of [`Options::values`].
const PRECOMPUTED: &str = "__colloquy_precomputed__";

/// Something a template uses, in document order: an expression to evaluate before the
/// document is made (so that what it needs is asked for), and whether its text is printed
/// as it is (then the host may hand the text back in [`Options::values`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// A Python-compatible expression: a printed expression, a condition, a loop's iterable,
    /// or, for one inside loops, a list comprehension over the loops
    /// (`[currency(p.income[t]) for t in types]`).
    pub expr: String,
    /// The text of `expr` is what the template prints.
    pub printed: bool,
}

/// The part of `expr` before its first filter (`x | f` → `x`), and whether it had one.
fn before_filters(expr: &str) -> (&str, bool) {
    let mut quote: Option<char> = None;
    let mut depth = 0i32;
    for (i, c) in expr.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, '|') if depth == 0 => return (expr[..i].trim(), true),
            _ => {}
        }
    }
    (expr.trim(), false)
}

/// What the prepared XML `source` uses, in document order (see [`Use`]).
pub fn uses(source: &str) -> Vec<Use> {
    // Enclosing loops: their targets and iterables (None when a loop cannot be unrolled).
    let mut loops: Vec<Option<(Vec<String>, String)>> = Vec::new();
    let mut set_names: Vec<String> = vec!["loop".into(), "caller".into(), "self".into()];
    let mut out: Vec<Use> = Vec::new();
    let push = |out: &mut Vec<Use>, u: Use| {
        if !u.expr.is_empty() && !out.contains(&u) {
            out.push(u);
        }
    };
    let mut rest = source;
    loop {
        let next_print = rest.find("{{");
        let next_stmt = rest.find("{%");
        let (at, is_print) = match (next_print, next_stmt) {
            (Some(p), Some(s)) if p < s => (p, true),
            (Some(p), None) => (p, true),
            (_, Some(s)) => (s, false),
            (None, None) => break,
        };
        let tail = &rest[at + 2..];
        let closer = if is_print { "}}" } else { "%}" };
        let Some(end) = tail.find(closer) else { break };
        let inner = tail[..end].trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        rest = &tail[end + 2..];
        // An expression at this point of the template, made evaluable outside it.
        let place = |expr: &str,
                     loops: &[Option<(Vec<String>, String)>],
                     set_names: &[String]|
         -> Option<String> {
            let ids = identifiers(expr);
            if ids.iter().any(|i| set_names.contains(i)) {
                return None;
            }
            let bound: Vec<&String> = loops.iter().flatten().flat_map(|(t, _)| t.iter()).collect();
            if !ids.iter().any(|i| bound.contains(&i)) {
                return Some(expr.to_string());
            }
            if loops.iter().any(Option::is_none) {
                return None;
            }
            let fors: Vec<String> = loops
                .iter()
                .flatten()
                .map(|(t, it)| format!("for {} in {it}", t.join(", ")))
                .collect();
            Some(format!("[{expr} {}]", fors.join(" ")))
        };
        if is_print {
            let (expr, filtered) = before_filters(inner);
            if let Some(e) = place(expr, &loops, &set_names) {
                let printed = !filtered && e == expr;
                push(&mut out, Use { expr: e, printed });
            }
            continue;
        }
        let mut words = inner.splitn(2, char::is_whitespace);
        let keyword = words.next().unwrap_or("");
        let args = words.next().unwrap_or("").trim();
        match keyword {
            "for" => {
                let (targets, iter) = match args.split_once(" in ") {
                    Some((t, i)) => (t, i),
                    None => {
                        loops.push(None);
                        continue;
                    }
                };
                let (iter, filtered) = before_filters(iter);
                let iter = iter.split(" if ").next().unwrap_or(iter).trim();
                let placed = place(iter, &loops, &set_names);
                if let Some(e) = &placed {
                    push(
                        &mut out,
                        Use {
                            expr: e.clone(),
                            printed: false,
                        },
                    );
                }
                let targets: Vec<String> = targets
                    .split([',', '(', ')'])
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect();
                if filtered || placed.is_none() {
                    // A loop over a filtered or unknown value cannot be unrolled: its names
                    // stay bound to it.
                    set_names.extend(targets);
                    loops.push(None);
                } else {
                    loops.push(Some((targets, iter.to_string())));
                }
            }
            "endfor" => {
                loops.pop();
            }
            "if" | "elif" => {
                let (cond, _) = before_filters(args);
                if let Some(e) = place(cond, &loops, &set_names) {
                    push(
                        &mut out,
                        Use {
                            expr: e,
                            printed: false,
                        },
                    );
                }
            }
            "set" | "macro" => {
                if let Some(name) = args.split(['=', '(', ' ']).next() {
                    set_names.push(name.trim().to_string());
                }
            }
            _ => {}
        }
    }
    out
}

/// The identifiers of an expression (outside string literals).
fn identifiers(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut prev_dot = false;
    for c in expr.chars() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            cur.push(c);
            continue;
        }
        if !cur.is_empty() {
            // An attribute after a dot is not a name of its own.
            if !prev_dot && !cur.starts_with(|d: char| d.is_ascii_digit()) {
                out.push(std::mem::take(&mut cur));
            }
            cur.clear();
        }
        prev_dot = c == '.';
    }
    if !cur.is_empty() && !prev_dot {
        out.push(cur);
    }
    out
}

/// Replaces the printed expressions the host evaluated with references to their text.
fn substitute(source: &str, values: &BTreeMap<String, String>) -> (String, Vec<String>) {
    if values.is_empty() {
        return (source.to_string(), Vec::new());
    }
    let mut texts: Vec<String> = Vec::new();
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        let Some(end) = tail.find("}}") else {
            out.push_str(&rest[at..]);
            return (out, texts);
        };
        let expr = tail[..end].trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        match values.get(expr) {
            Some(v) => {
                out.push_str(&format!("{{{{ {PRECOMPUTED}[{}] }}}}", texts.len()));
                texts.push(v.clone());
            }
            None => {
                out.push_str("{{");
                out.push_str(&tail[..end]);
                out.push_str("}}");
            }
        }
        rest = &tail[end + 2..];
    }
    out.push_str(rest);
    (out, texts)
}

/// A docassemble object in the context.
#[derive(Debug)]
struct DaObject {
    text: String,
    attrs: BTreeMap<String, Value>,
    items: Items,
}

#[derive(Debug)]
enum Items {
    None,
    Seq(Vec<Value>),
    Map(Vec<(Value, Value)>),
}

impl Object for DaObject {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        match self.items {
            Items::Seq(_) => ObjectRepr::Seq,
            Items::Map(_) => ObjectRepr::Map,
            Items::None => ObjectRepr::Plain,
        }
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match &self.items {
            Items::Seq(v) => {
                if let Some(i) = key.as_i64() {
                    let i = if i < 0 { v.len() as i64 + i } else { i };
                    return usize::try_from(i).ok().and_then(|i| v.get(i).cloned());
                }
            }
            Items::Map(m) => {
                if let Some((_, v)) = m.iter().find(|(k, _)| k == key) {
                    return Some(v.clone());
                }
            }
            Items::None => {}
        }
        key.as_str().and_then(|k| self.attrs.get(k).cloned())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match &self.items {
            Items::Seq(v) => Enumerator::Values(v.clone()),
            Items::Map(m) => Enumerator::Values(m.iter().map(|(k, _)| k.clone()).collect()),
            Items::None => Enumerator::NonEnumerable,
        }
    }

    fn is_true(self: &Arc<Self>) -> bool {
        match &self.items {
            Items::Seq(v) => !v.is_empty(),
            Items::Map(m) => !m.is_empty(),
            Items::None => true,
        }
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// JSON → a template value.
pub fn value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Object(m) => {
            let Some(text) = m.get("__str__") else {
                return Value::from_pairs(m.iter().map(|(k, v)| (k.clone(), value(v))));
            };
            let text = match text {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let items = match m.get("__items__") {
                Some(serde_json::Value::Array(a)) => Items::Seq(a.iter().map(value).collect()),
                Some(serde_json::Value::Object(o)) => Items::Map(
                    o.iter()
                        .map(|(k, v)| (Value::from(k.clone()), value(v)))
                        .collect(),
                ),
                _ => Items::None,
            };
            let attrs = m
                .iter()
                .filter(|(k, _)| !k.starts_with("__"))
                .map(|(k, v)| (k.clone(), value(v)))
                .collect();
            Value::from_object(DaObject { text, attrs, items })
        }
        serde_json::Value::Array(items) => Value::from(items.iter().map(value).collect::<Vec<_>>()),
        serde_json::Value::String(s) => Value::from(s.clone()),
        serde_json::Value::Bool(b) => Value::from(*b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::from(i),
            (None, Some(f)) => Value::from(f),
            _ => Value::from(n.to_string()),
        },
        serde_json::Value::Null => Value::from(()),
    }
}

/// The text of `v` as docassemble prints it (`True`/`False`/`None` for Python's constants).
fn text_of(v: &Value) -> String {
    if v.is_none() || v.is_undefined() {
        return String::new();
    }
    if v.kind() == minijinja::value::ValueKind::Bool {
        return if v.is_true() {
            "True".into()
        } else {
            "False".into()
        };
    }
    v.to_string()
}

/// XML text for a printed value: escaped, with newlines as Word line breaks.
fn xml_text(s: &str) -> String {
    crate::docx::xml_escape(s)
        .replace("\r\n", "\n")
        .replace('\n', r#"</w:t><w:br/><w:t xml:space="preserve">"#)
}

fn items_of(v: &Value) -> Result<Vec<Value>, Error> {
    Ok(v.try_iter()?.collect())
}

/// docassemble's `comma_and_list`.
fn comma_and(items: &[String], and: &str) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        2 => format!("{} {and} {}", items[0], items[1]),
        n => format!("{}, {and} {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn number_text(n: f64, places: usize) -> String {
    let s = format!("{:.*}", places, n.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if n < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

fn as_number(v: &Value) -> Result<f64, Error> {
    if let Ok(f) = f64::try_from(v.clone()) {
        return Ok(f);
    }
    text_of(v)
        .replace([',', '$'], "")
        .trim()
        .parse::<f64>()
        .map_err(|_| Error::new(ErrorKind::InvalidOperation, format!("{v} is not a number")))
}

/// Plain text of Markdown (for `inline_markdown`/`markdown` in a DOCX: the words, no markup).
fn markdown_text(s: &str) -> String {
    let doc = crate::markdown::parse(s, crate::model::Metadata::default());
    doc.plain_text().trim_end().to_string()
}

fn environment(opts: &Options, sink: Option<Sink>) -> Environment<'static> {
    let images = std::sync::Arc::new(opts.images.clone());
    let mut env = Environment::new();
    env.set_undefined_behavior(if opts.skip_undefined {
        UndefinedBehavior::Chainable
    } else {
        UndefinedBehavior::Strict
    });
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    env.set_formatter(move |out, _state, v| {
        let text = text_of(v);
        let t = text.trim();
        // A file (`[FILE …]`, a signature): its picture where it can be placed, else nothing.
        if t.starts_with("[FILE ") && t.ends_with(']') {
            if let Some(xml) = sink.as_ref().and_then(|s| place_image(t, &images, s)) {
                out.write_str(&xml).map_err(|_| {
                    Error::new(ErrorKind::WriteFailure, "the output could not be written")
                })?;
            }
            return Ok(());
        }
        out.write_str(&xml_text(&text))
            .map_err(|_| Error::new(ErrorKind::WriteFailure, "the output could not be written"))
    });
    env.add_filter("add_separators", |v: Value| -> Result<Vec<String>, Error> {
        let items: Vec<String> = items_of(&v)?.iter().map(text_of).collect();
        let n = items.len();
        Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, s)| match n - i {
                1 => format!("{s}."),
                2 if n > 1 => format!("{s}; and"),
                _ => format!("{s};"),
            })
            .collect())
    });
    env.add_filter("comma_and_list", |v: Value| -> Result<String, Error> {
        let items: Vec<String> = items_of(&v)?.iter().map(text_of).collect();
        Ok(comma_and(&items, "and"))
    });
    env.add_filter("comma_list", |v: Value| -> Result<String, Error> {
        let items: Vec<String> = items_of(&v)?.iter().map(text_of).collect();
        Ok(items.join(", "))
    });
    env.add_filter("inline_markdown", |v: Value| markdown_text(&text_of(&v)));
    env.add_filter("markdown", |v: Value| markdown_text(&text_of(&v)));
    env.add_filter("manual_line_breaks", |v: Value| text_of(&v));
    env.add_filter("paragraphs", |v: Value| text_of(&v));
    env.add_filter("fix_punctuation", |v: Value| {
        let s = text_of(&v);
        let t = s.trim_end();
        if t.ends_with(['.', '?', '!']) || t.is_empty() {
            s
        } else {
            format!("{t}.")
        }
    });
    env.add_filter("nice_number", |v: Value| -> Result<String, Error> {
        let n = as_number(&v)?;
        Ok(if n.fract() == 0.0 {
            number_text(n, 0)
        } else {
            number_text(n, 2)
        })
    });
    env.add_function("currency", |v: Value| -> Result<String, Error> {
        let n = as_number(&v)?;
        Ok(format!("${}", number_text(n, 2)))
    });
    env.add_filter("currency", |v: Value| -> Result<String, Error> {
        let n = as_number(&v)?;
        Ok(format!("${}", number_text(n, 2)))
    });
    env.add_function("comma_and_list", |v: Value| -> Result<String, Error> {
        let items: Vec<String> = items_of(&v)?.iter().map(text_of).collect();
        Ok(comma_and(&items, "and"))
    });
    env
}

/// Renders the prepared XML `source` of a DOCX part with `context`.
///
/// # Errors
/// The Jinja error, with its line when known.
pub fn render_xml(
    source: &str,
    context: &serde_json::Value,
    opts: &Options,
) -> Result<String, String> {
    render(source, context, opts, None)
}

/// [`render_xml`] for a part whose relationships can take pictures: also the pictures placed.
///
/// # Errors
/// As [`render_xml`].
pub fn render_xml_with_images(
    source: &str,
    context: &serde_json::Value,
    opts: &Options,
) -> Result<(String, Vec<Placed>), String> {
    let sink: Sink = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let out = render(source, context, opts, Some(sink.clone()))?;
    let placed = sink
        .lock()
        .map(|p| p.iter().map(|(_, pl)| pl.clone()).collect())
        .unwrap_or_default();
    Ok((out, placed))
}

fn render(
    source: &str,
    context: &serde_json::Value,
    opts: &Options,
    sink: Option<Sink>,
) -> Result<String, String> {
    let env = environment(opts, sink);
    let (source, texts) = substitute(source, &opts.values);
    let tmpl = env.template_from_str(&source).map_err(describe)?;
    let mut ctx = value(context);
    if !texts.is_empty() {
        let mut pairs: Vec<(String, Value)> = match context {
            serde_json::Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), value(v))).collect(),
            _ => Vec::new(),
        };
        pairs.push((
            PRECOMPUTED.to_string(),
            Value::from(texts.into_iter().map(Value::from).collect::<Vec<_>>()),
        ));
        ctx = Value::from_pairs(pairs);
    }
    tmpl.render(ctx).map_err(describe)
}

fn describe(e: Error) -> String {
    let mut msg = match e.detail() {
        Some(d) => format!("{}: {d}", e.kind()),
        None => e.kind().to_string(),
    };
    if let Some(src) = e.template_source() {
        if let Some(range) = e.range() {
            let start = range.start.min(src.len());
            let end = range.end.min(src.len()).max(start);
            if let Some(snippet) = src.get(start..end) {
                let snippet: String = snippet.chars().take(80).collect();
                msg.push_str(&format!(" (at {snippet:?})"));
            }
        }
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(src: &str, ctx: serde_json::Value) -> String {
        render_xml(src, &ctx, &Options::default()).unwrap()
    }

    #[test]
    fn objects_print_as_their_text_and_iterate() {
        let ctx = json!({
            "client": {"__str__": "Jane Doe", "name": {"__str__": "Jane Doe", "first": "Jane"},
                       "child": {"__str__": "Ann and Bob", "__items__": [
                            {"__str__": "Ann"}, {"__str__": "Bob"}]}},
            "fruit": {"__str__": "apples", "__items__": {"apple": true, "pear": false}},
        });
        assert_eq!(
            r("{{ client }} / {{ client.name.first }}", ctx.clone()),
            "Jane Doe / Jane"
        );
        assert_eq!(
            r(
                "{% for c in client.child %}[{{ c }}]{% endfor %} {{ client.child[1] }}",
                ctx.clone()
            ),
            "[Ann][Bob] Bob"
        );
        assert_eq!(
            r(
                "{% for k in fruit %}{% if fruit[k] %}{{ k }}{% endif %}{% endfor %}",
                ctx.clone()
            ),
            "apple"
        );
        assert_eq!(r("{{ 'abc'.upper() }}", ctx), "ABC");
    }

    #[test]
    fn filters_and_escaping() {
        let ctx = json!({"xs": ["a", "b", "c"], "n": 1234.5, "t": "x < y\nz", "b": true});
        assert_eq!(
            r(
                "{% for i in xs | add_separators %}{{ i }} {% endfor %}",
                ctx.clone()
            ),
            "a; b; and c. "
        );
        assert_eq!(
            r("{{ currency(n) }} {{ xs | comma_and_list }}", ctx.clone()),
            "$1,234.50 a, b, and c"
        );
        assert_eq!(
            r("{{ t }}", ctx.clone()),
            "x &lt; y</w:t><w:br/><w:t xml:space=\"preserve\">z"
        );
        assert_eq!(r("{{ b }}", ctx), "True");
    }

    #[test]
    fn values_given_by_the_host_are_printed() {
        let mut values = BTreeMap::new();
        values.insert("today()".to_string(), "January 2, 2024".to_string());
        values.insert(
            "user.address_block()".to_string(),
            "1 Main St\nTown & Co".to_string(),
        );
        let out = render_xml(
            "[{{ today() }}][{{- user.address_block() -}}][{{ other }}][{{ sig }}]",
            &json!({"other": "o", "sig": {"__str__": "[FILE 3, None, None]"}}),
            &Options {
                values,
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(
            out,
            "[January 2, 2024][1 Main St</w:t><w:br/><w:t xml:space=\"preserve\">Town &amp; Co][o][]"
        );
    }

    #[test]
    fn uses_in_document_order_with_loops_unrolled() {
        let src = "{{ a.b() }}{% if sky %}{% for t in types %}{{ currency(p.income[t]) }}{{ t }}{% endfor %}{% endif %}{% for k, v in d.items() %}{{ v | upper }}{% endfor %}{% for x in xs | sort %}{{ x.y }}{% endfor %}{{ n | nice }}{{ loop.index }}";
        let got: Vec<(String, bool)> = uses(src).into_iter().map(|u| (u.expr, u.printed)).collect();
        let want: Vec<(String, bool)> = vec![
            ("a.b()".into(), true),
            ("sky".into(), false),
            ("types".into(), false),
            ("[currency(p.income[t]) for t in types]".into(), false),
            ("[t for t in types]".into(), false),
            ("d.items()".into(), false),
            ("[v for k, v in d.items()]".into(), false),
            ("xs".into(), false),
            ("n".into(), false),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn undefined_names_fail_unless_skipped() {
        assert!(render_xml("{{ nope }}", &json!({}), &Options::default()).is_err());
        assert_eq!(
            render_xml(
                "[{{ nope.x }}]",
                &json!({}),
                &Options {
                    skip_undefined: true,
                    ..Options::default()
                }
            )
            .unwrap(),
            "[]"
        );
        assert!(render_xml("{% if %}", &json!({}), &Options::default()).is_err());
    }
}
