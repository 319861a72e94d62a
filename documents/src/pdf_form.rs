//! Filling a PDF form (docassemble's `pdf template file`): AcroForm fields are set from the
//! `fields:` map. Text fields get the value and an appearance stream (Helvetica, the field's
//! size or one that fits), check boxes their on-state or `Off`, radio groups the kid whose
//! export value matches, choice fields the value. `NeedAppearances` is set so viewers may
//! redraw fields in their own style.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use crate::error::DocumentError;
use crate::fonts::{Font, win_ansi};
use crate::image::{Encoding, Images, Picture};

/// What a form field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `/Tx`.
    Text,
    /// `/Btn`, a check box.
    CheckBox,
    /// `/Btn` with the radio flag.
    Radio,
    /// `/Btn` with the push-button flag.
    PushButton,
    /// `/Ch`.
    Choice,
    /// `/Sig` or unknown.
    Other,
}

/// A field of a form: its full name, kind, current value and export values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInfo {
    /// The full name (`parent.child`).
    pub name: String,
    /// The kind.
    pub kind: FieldKind,
    /// The value (`/V`) as text.
    pub value: Option<String>,
    /// For buttons: the on-state names of the widgets.
    pub on_states: Vec<String>,
}

struct Field {
    id: ObjectId,
    info: FieldInfo,
    widgets: Vec<ObjectId>,
    multiline: bool,
}

fn bad(reason: impl Into<String>) -> DocumentError {
    DocumentError::BadFile {
        kind: "PDF",
        reason: reason.into(),
    }
}

fn load(bytes: &[u8]) -> Result<Document, DocumentError> {
    if !bytes.starts_with(b"%PDF") {
        return Err(bad("it does not start with %PDF"));
    }
    Document::load_mem(bytes).map_err(|e| bad(e.to_string()))
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    let mut o = o;
    for _ in 0..8 {
        match o {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(next) => o = next,
                Err(_) => return o,
            },
            _ => return o,
        }
    }
    o
}

/// PDF text (UTF-16BE with a byte order mark, or PDFDocEncoding ≈ Latin-1).
fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    bytes.iter().map(|b| char::from(*b)).collect()
}

fn encode_text(s: &str) -> Object {
    if s.chars().all(|c| (c as u32) < 0x80) {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xfe, 0xff];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn acroform(doc: &Document) -> Result<Option<Dictionary>, DocumentError> {
    let catalog = doc.catalog().map_err(|e| bad(e.to_string()))?;
    let Ok(af) = catalog.get(b"AcroForm") else {
        return Ok(None);
    };
    Ok(deref(doc, af).as_dict().ok().cloned())
}

fn collect(doc: &Document) -> Result<Vec<Field>, DocumentError> {
    let Some(af) = acroform(doc)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let Ok(fields) = af.get(b"Fields") else {
        return Ok(out);
    };
    let Ok(list) = deref(doc, fields).as_array() else {
        return Ok(out);
    };
    for f in list {
        if let Object::Reference(id) = f {
            walk(doc, *id, "", None, 0, 0, &mut out);
        }
    }
    Ok(out)
}

fn walk(
    doc: &Document,
    id: ObjectId,
    parent: &str,
    ft: Option<Vec<u8>>,
    flags: i64,
    depth: u32,
    out: &mut Vec<Field>,
) {
    if depth > 32 {
        return;
    }
    let Ok(dict) = doc.get_dictionary(id) else {
        return;
    };
    let part = dict
        .get(b"T")
        .ok()
        .and_then(|t| deref(doc, t).as_str().ok())
        .map(decode_text);
    let name = match (&part, parent.is_empty()) {
        (Some(p), true) => p.clone(),
        (Some(p), false) => format!("{parent}.{p}"),
        (None, _) => parent.to_string(),
    };
    let ft = dict
        .get(b"FT")
        .ok()
        .and_then(|o| o.as_name().ok())
        .map(<[u8]>::to_vec)
        .or(ft);
    let flags = dict
        .get(b"Ff")
        .ok()
        .and_then(|o| deref(doc, o).as_i64().ok())
        .unwrap_or(flags);
    let kids: Vec<ObjectId> = dict
        .get(b"Kids")
        .ok()
        .and_then(|k| deref(doc, k).as_array().ok())
        .map(|a| a.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default();
    let child_fields: Vec<ObjectId> = kids
        .iter()
        .copied()
        .filter(|k| doc.get_dictionary(*k).is_ok_and(|d| d.has(b"T")))
        .collect();
    if !child_fields.is_empty() {
        for k in child_fields {
            walk(doc, k, &name, ft.clone(), flags, depth + 1, out);
        }
        return;
    }
    let widgets = if kids.is_empty() { vec![id] } else { kids };
    let kind = match ft.as_deref() {
        Some(b"Tx") => FieldKind::Text,
        Some(b"Btn") if flags & (1 << 16) != 0 => FieldKind::PushButton,
        Some(b"Btn") if flags & (1 << 15) != 0 => FieldKind::Radio,
        Some(b"Btn") => FieldKind::CheckBox,
        Some(b"Ch") => FieldKind::Choice,
        _ => FieldKind::Other,
    };
    let value = dict.get(b"V").ok().map(|v| match deref(doc, v) {
        Object::Name(n) => String::from_utf8_lossy(n).to_string(),
        Object::String(s, _) => decode_text(s),
        other => format!("{other:?}"),
    });
    let mut on_states = Vec::new();
    for w in &widgets {
        for s in on_states_of(doc, *w) {
            if !on_states.contains(&s) {
                on_states.push(s);
            }
        }
    }
    out.push(Field {
        id,
        info: FieldInfo {
            name,
            kind,
            value,
            on_states,
        },
        widgets,
        multiline: flags & (1 << 12) != 0,
    });
}

fn on_states_of(doc: &Document, widget: ObjectId) -> Vec<String> {
    let Ok(w) = doc.get_dictionary(widget) else {
        return Vec::new();
    };
    let Some(ap) = w.get(b"AP").ok().and_then(|a| deref(doc, a).as_dict().ok()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in [b"N".as_slice(), b"D".as_slice()] {
        if let Some(n) = ap.get(key).ok().and_then(|n| deref(doc, n).as_dict().ok()) {
            for (k, _) in n.iter() {
                let name = String::from_utf8_lossy(k).to_string();
                if name != "Off" && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}

/// The fields of the form `bytes`.
///
/// # Errors
/// Not a PDF that can be read.
pub fn fields(bytes: &[u8]) -> Result<Vec<FieldInfo>, DocumentError> {
    let doc = load(bytes)?;
    Ok(collect(&doc)?.into_iter().map(|f| f.info).collect())
}

/// Does `v` check a box? (docassemble: `True`, `Yes`, `yes`, `on`, `X`, …, or the export
/// value itself.)
fn checked(v: &str, on: &[String]) -> bool {
    let t = v.trim();
    on.iter().any(|o| o == t)
        || matches!(
            t.to_ascii_lowercase().as_str(),
            "true" | "yes" | "y" | "on" | "1" | "x" | "checked"
        )
}

/// Fills the form `template` with `values` (field name → text). Names the form lacks are
/// ignored, as docassemble does.
///
/// # Errors
/// Not a PDF that can be read or written.
pub fn fill(template: &[u8], values: &BTreeMap<String, String>) -> Result<Vec<u8>, DocumentError> {
    fill_with(template, values, &Images::new(), true)
}

/// [`fill`], stamping an image in the fields whose value names one of `images` (`[FILE 3,
/// …]`: a signature), fitted to the field's box; not `editable`, the form is flattened.
///
/// # Errors
/// As [`fill`].
pub fn fill_with(
    template: &[u8],
    values: &BTreeMap<String, String>,
    images: &Images,
    editable: bool,
) -> Result<Vec<u8>, DocumentError> {
    let mut doc = load(template)?;
    let fields = collect(&doc)?;
    let font_id = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type1".to_vec())),
        ("BaseFont", Object::Name(b"Helvetica".to_vec())),
        ("Encoding", Object::Name(b"WinAnsiEncoding".to_vec())),
    ]));
    for f in &fields {
        let Some(v) = values.get(&f.info.name) else {
            continue;
        };
        if let Some(r) = crate::image::file_reference(v) {
            let picture = images.get(r).and_then(|b| crate::image::decode(b).ok());
            if let Some(p) = picture {
                for w in &f.widgets {
                    stamp(&mut doc, *w, &p);
                }
            }
            continue;
        }
        match f.info.kind {
            FieldKind::Text | FieldKind::Choice | FieldKind::Other => {
                set(&mut doc, f.id, "V", encode_text(v));
                if f.info.kind == FieldKind::Text {
                    for w in &f.widgets {
                        appearance(&mut doc, *w, v, f.multiline, font_id);
                    }
                }
            }
            FieldKind::CheckBox => {
                let on = checked(v, &f.info.on_states);
                let state = match (on, f.info.on_states.first()) {
                    (true, Some(s)) => s.clone(),
                    (true, None) => "Yes".to_string(),
                    (false, _) => "Off".to_string(),
                };
                set(
                    &mut doc,
                    f.id,
                    "V",
                    Object::Name(state.clone().into_bytes()),
                );
                for w in &f.widgets {
                    let own = on_states_of(&doc, *w);
                    let s = if on {
                        own.first().cloned().unwrap_or_else(|| state.clone())
                    } else {
                        "Off".to_string()
                    };
                    set(&mut doc, *w, "AS", Object::Name(s.into_bytes()));
                }
            }
            FieldKind::Radio => {
                let pick = v.trim();
                let matched = f.info.on_states.iter().any(|s| s == pick);
                let value = if matched { pick } else { "Off" };
                set(&mut doc, f.id, "V", Object::Name(value.as_bytes().to_vec()));
                for w in &f.widgets {
                    let own = on_states_of(&doc, *w);
                    let s = if own.iter().any(|s| s == pick) {
                        pick
                    } else {
                        "Off"
                    };
                    set(&mut doc, *w, "AS", Object::Name(s.as_bytes().to_vec()));
                }
            }
            FieldKind::PushButton => {}
        }
    }
    if editable {
        need_appearances(&mut doc)?;
    } else {
        // Fields drawn from their (new) appearances.
        let fields = collect(&doc)?;
        flatten(&mut doc, &fields);
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| DocumentError::Write {
        format: "PDF",
        reason: e.to_string(),
    })?;
    Ok(out)
}

fn set(doc: &mut Document, id: ObjectId, key: &str, value: Object) {
    if let Ok(d) = doc.get_dictionary_mut(id) {
        d.set(key, value);
    }
}

fn need_appearances(doc: &mut Document) -> Result<(), DocumentError> {
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| bad(e.to_string()))?;
    let af = doc
        .get_dictionary(root)
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .cloned();
    match af {
        Some(Object::Reference(id)) => set(doc, id, "NeedAppearances", Object::Boolean(true)),
        Some(Object::Dictionary(mut d)) => {
            d.set("NeedAppearances", Object::Boolean(true));
            set(doc, root, "AcroForm", Object::Dictionary(d));
        }
        _ => {}
    }
    Ok(())
}

/// The page that holds the widget `widget` (its `/P`, or the page listing it in `/Annots`).
fn page_of(doc: &Document, widget: ObjectId) -> Option<ObjectId> {
    if let Some(p) = doc
        .get_dictionary(widget)
        .ok()
        .and_then(|w| w.get(b"P").ok())
        .and_then(|p| p.as_reference().ok())
    {
        return Some(p);
    }
    doc.get_pages().into_values().find(|page| {
        doc.get_dictionary(*page)
            .ok()
            .and_then(|d| d.get(b"Annots").ok())
            .and_then(|a| deref(doc, a).as_array().ok())
            .is_some_and(|a| a.iter().any(|o| o.as_reference().ok() == Some(widget)))
    })
}

/// Draws `p` in the box of `widget`, keeping its proportions, on the widget's page.
fn stamp(doc: &mut Document, widget: ObjectId, p: &Picture) {
    let Some(page) = page_of(doc, widget) else {
        return;
    };
    let rect: Vec<f32> = doc
        .get_dictionary(widget)
        .ok()
        .and_then(|w| w.get(b"Rect").ok())
        .and_then(|r| deref(doc, r).as_array().ok())
        .map(|a| a.iter().filter_map(|o| number(deref(doc, o))).collect())
        .unwrap_or_default();
    if rect.len() != 4 {
        return;
    }
    let (x0, y0) = (rect[0].min(rect[2]), rect[1].min(rect[3]));
    let (bw, bh) = ((rect[2] - rect[0]).abs(), (rect[3] - rect[1]).abs());
    let scale = (bw / p.width as f32).min(bh / p.height as f32);
    let (w, h) = (p.width as f32 * scale, p.height as f32 * scale);
    let (x, y) = (x0 + (bw - w) / 2.0, y0 + (bh - h) / 2.0);
    let image_dict = |components: u8| {
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Image".to_vec())),
            ("Width", Object::Integer(i64::from(p.width))),
            ("Height", Object::Integer(i64::from(p.height))),
            (
                "ColorSpace",
                Object::Name(if components == 1 {
                    b"DeviceGray".to_vec()
                } else {
                    b"DeviceRGB".to_vec()
                }),
            ),
            ("BitsPerComponent", Object::Integer(8)),
        ])
    };
    let mut dict = image_dict(p.components);
    dict.set(
        "Filter",
        Object::Name(match p.encoding {
            Encoding::Flate => b"FlateDecode".to_vec(),
            Encoding::Jpeg => b"DCTDecode".to_vec(),
        }),
    );
    if let Some(alpha) = &p.alpha {
        let mut m = image_dict(1);
        m.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let mask = doc.add_object(Stream::new(m, alpha.clone()));
        dict.set("SMask", Object::Reference(mask));
    }
    let image = doc.add_object(Stream::new(dict, p.data.clone()));
    let name = format!("ColloquyIm{}", image.0);
    draw_on_page(
        doc,
        page,
        &name,
        image,
        &format!("{w} 0 0 {h} {x} {y} cm /{name} Do"),
    );
}

/// Adds the XObject `xobject` to the resources of `page` as `name` and draws it with `ops`
/// after the page's own content (which is wrapped in `q … Q` so its state cannot leak).
fn draw_on_page(doc: &mut Document, page: ObjectId, name: &str, xobject: ObjectId, ops: &str) {
    let before = doc.add_object(Stream::new(Dictionary::new(), b"q".to_vec()));
    let after = doc.add_object(Stream::new(
        Dictionary::new(),
        format!("Q q {ops} Q").into_bytes(),
    ));
    // The page's resources, made its own (they may be inherited or shared).
    let resources = {
        let Ok(pd) = doc.get_dictionary(page) else {
            return;
        };
        match pd.get(b"Resources").map(|r| deref(doc, r)) {
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => doc
                .get_page_resources(page)
                .ok()
                .and_then(|(d, _)| d.cloned())
                .unwrap_or_default(),
        }
    };
    let mut resources = resources;
    let mut xobjects = match resources.get(b"XObject").map(|x| deref(doc, x)) {
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    xobjects.set(name, Object::Reference(xobject));
    resources.set("XObject", Object::Dictionary(xobjects));
    let contents = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Contents").ok())
        .cloned();
    let mut list = vec![Object::Reference(before)];
    match contents {
        Some(Object::Array(a)) => list.extend(a),
        Some(Object::Reference(r)) => match doc.get_object(r) {
            Ok(Object::Array(a)) => list.extend(a.clone()),
            _ => list.push(Object::Reference(r)),
        },
        _ => {}
    }
    list.push(Object::Reference(after));
    if let Ok(pd) = doc.get_dictionary_mut(page) {
        pd.set("Resources", Object::Dictionary(resources));
        pd.set("Contents", Object::Array(list));
    }
}

/// `editable: False`: every widget's appearance is drawn into its page, the widgets are
/// removed and the form is gone, so the values can no longer be changed.
fn flatten(doc: &mut Document, fields: &[Field]) {
    for f in fields {
        for w in &f.widgets {
            flatten_widget(doc, *w);
        }
    }
    if let Ok(root) = doc.trailer.get(b"Root").and_then(Object::as_reference) {
        if let Ok(c) = doc.get_dictionary_mut(root) {
            c.remove(b"AcroForm");
        }
    }
}

fn flatten_widget(doc: &mut Document, widget: ObjectId) {
    let Some(page) = page_of(doc, widget) else {
        return;
    };
    let (rect, stream) = {
        let Ok(w) = doc.get_dictionary(widget) else {
            return;
        };
        let rect: Vec<f32> = w
            .get(b"Rect")
            .ok()
            .and_then(|r| deref(doc, r).as_array().ok())
            .map(|a| a.iter().filter_map(|o| number(deref(doc, o))).collect())
            .unwrap_or_default();
        let state = w
            .get(b"AS")
            .ok()
            .and_then(|a| a.as_name().ok())
            .map(<[u8]>::to_vec);
        let normal = w
            .get(b"AP")
            .ok()
            .and_then(|a| deref(doc, a).as_dict().ok())
            .and_then(|ap| ap.get(b"N").ok());
        // The normal appearance: a stream, or (for a button) the stream of its state.
        let stream = match normal {
            Some(Object::Reference(r)) => match doc.get_object(*r) {
                Ok(Object::Stream(_)) => Some(*r),
                Ok(Object::Dictionary(d)) => state
                    .as_deref()
                    .and_then(|s| d.get(s).ok())
                    .and_then(|o| o.as_reference().ok()),
                _ => None,
            },
            Some(Object::Dictionary(d)) => state
                .as_deref()
                .and_then(|s| d.get(s).ok())
                .and_then(|o| o.as_reference().ok()),
            _ => None,
        };
        (rect, stream)
    };
    if let (Some(id), 4) = (stream, rect.len()) {
        let bbox: Vec<f32> = doc
            .get_object(id)
            .ok()
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| s.dict.get(b"BBox").ok())
            .and_then(|b| deref(doc, b).as_array().ok())
            .map(|a| a.iter().filter_map(|o| number(deref(doc, o))).collect())
            .unwrap_or_default();
        let (x0, y0) = (rect[0].min(rect[2]), rect[1].min(rect[3]));
        let (rw, rh) = ((rect[2] - rect[0]).abs(), (rect[3] - rect[1]).abs());
        let (bx, by, bw, bh) = match bbox.as_slice() {
            [a, b, c, d] => (a.min(*c), b.min(*d), (c - a).abs(), (d - b).abs()),
            _ => (0.0, 0.0, rw, rh),
        };
        let (sx, sy) = (
            if bw > 0.0 { rw / bw } else { 1.0 },
            if bh > 0.0 { rh / bh } else { 1.0 },
        );
        if let Ok(Object::Stream(st)) = doc.get_object_mut(id) {
            st.dict.set("Type", Object::Name(b"XObject".to_vec()));
            st.dict.set("Subtype", Object::Name(b"Form".to_vec()));
        }
        let name = format!("ColloquyFm{}", id.0);
        let ops = format!(
            "{sx} 0 0 {sy} {} {} cm /{name} Do",
            x0 - bx * sx,
            y0 - by * sy
        );
        draw_on_page(doc, page, &name, id, &ops);
    }
    // The widget goes from its page.
    let annots = doc
        .get_dictionary(page)
        .ok()
        .and_then(|d| d.get(b"Annots").ok())
        .cloned();
    let kept = |a: &Vec<Object>| -> Vec<Object> {
        a.iter()
            .filter(|o| o.as_reference().ok() != Some(widget))
            .cloned()
            .collect()
    };
    match annots {
        Some(Object::Array(a)) => {
            let k = kept(&a);
            if let Ok(pd) = doc.get_dictionary_mut(page) {
                pd.set("Annots", Object::Array(k));
            }
        }
        Some(Object::Reference(r)) => {
            if let Ok(Object::Array(a)) = doc.get_object(r).cloned() {
                let k = kept(&a);
                if let Ok(pd) = doc.get_dictionary_mut(page) {
                    pd.set("Annots", Object::Array(k));
                }
            }
        }
        _ => {}
    }
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// A simple appearance for a text widget: the value in Helvetica, wrapped when multi-line.
fn appearance(doc: &mut Document, widget: ObjectId, value: &str, multiline: bool, font: ObjectId) {
    let (rect, da) = {
        let Ok(w) = doc.get_dictionary(widget) else {
            return;
        };
        let rect: Vec<f32> = w
            .get(b"Rect")
            .ok()
            .and_then(|r| deref(doc, r).as_array().ok())
            .map(|a| a.iter().filter_map(|o| number(deref(doc, o))).collect())
            .unwrap_or_default();
        let da = w
            .get(b"DA")
            .ok()
            .and_then(|d| deref(doc, d).as_str().ok())
            .map(|b| String::from_utf8_lossy(b).to_string());
        (rect, da)
    };
    if rect.len() != 4 {
        return;
    }
    let (w, h) = ((rect[2] - rect[0]).abs(), (rect[3] - rect[1]).abs());
    let da_size = da.as_deref().and_then(|d| {
        let parts: Vec<&str> = d.split_whitespace().collect();
        let k = parts.iter().position(|p| *p == "Tf")?;
        parts.get(k.checked_sub(1)?)?.parse::<f32>().ok()
    });
    let font_m = Font::Regular;
    let mut size = match da_size {
        Some(s) if s > 0.0 => s,
        _ if multiline => 10.0,
        _ => (h * 0.7).clamp(4.0, 12.0),
    };
    if !multiline {
        while size > 4.0 && font_m.width(value, size) > w - 4.0 {
            size -= 0.5;
        }
    }
    let mut lines: Vec<String> = Vec::new();
    if multiline {
        for para in value.split('\n') {
            let mut line = String::new();
            for word in para.split(' ') {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if font_m.width(&candidate, size) > w - 4.0 && !line.is_empty() {
                    lines.push(std::mem::replace(&mut line, word.to_string()));
                } else {
                    line = candidate;
                }
            }
            lines.push(line);
        }
    } else {
        lines.push(value.replace('\n', " "));
    }
    let mut content = Vec::new();
    content.extend_from_slice(b"/Tx BMC q BT 0 g ");
    content.extend_from_slice(format!("/Helv {size} Tf ").as_bytes());
    let lead = size * 1.15;
    let first_y = if multiline {
        h - 2.0 - size
    } else {
        ((h - size) / 2.0 + size * 0.22).max(1.0)
    };
    content.extend_from_slice(format!("2 {first_y} Td {lead} TL ").as_bytes());
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            content.extend_from_slice(b"T* ");
        }
        content.push(b'(');
        for b in win_ansi(l) {
            if matches!(b, b'(' | b')' | b'\\') {
                content.push(b'\\');
            }
            content.push(b);
        }
        content.extend_from_slice(b") Tj ");
    }
    content.extend_from_slice(b"ET Q EMC");
    let resources = Dictionary::from_iter(vec![(
        "Font",
        Object::Dictionary(Dictionary::from_iter(vec![(
            "Helv",
            Object::Reference(font),
        )])),
    )]);
    let dict = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Form".to_vec())),
        (
            "BBox",
            Object::Array(vec![
                Object::Integer(0),
                Object::Integer(0),
                Object::Real(w),
                Object::Real(h),
            ]),
        ),
        ("Resources", Object::Dictionary(resources)),
    ]);
    let stream = doc.add_object(Stream::new(dict, content));
    set(
        doc,
        widget,
        "AP",
        Object::Dictionary(Dictionary::from_iter(vec![(
            "N",
            Object::Reference(stream),
        )])),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_pdf_is_an_error() {
        assert!(fill(b"hello", &BTreeMap::new()).is_err());
        assert!(fields(b"%PDF-1.4 garbage").is_err());
    }

    #[test]
    fn check_values() {
        let on = vec!["Yes".to_string()];
        assert!(checked("True", &on));
        assert!(checked("Yes", &on));
        assert!(!checked("False", &on));
        assert!(!checked("No", &on));
        assert!(!checked("", &on));
        assert!(checked("On", &["On".to_string()]));
    }
}
