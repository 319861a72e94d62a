//! `objects_from_file()` and `objects_from_data()`: docassemble's objects from YAML or JSON
//! data (`object: Halibut`, `module: .fish`, `items: [...]`), read from the package's
//! `data/sources` folder (the files were read with the interview: the engine does no I/O).

use pyeval::{Args, Dict, Flow, Interp, Key, Name, ObjKind, Path, PyResult, Value};

use super::super::classes;
use super::super::host::DaHost;
use super::super::modules::resolve_module_name;
use super::super::support::{arg_str, kw_bool, req, type_err};

/// The names this module answers.
pub const NAMES: &[&str] = &["objects_from_file", "objects_from_data"];

/// Calls `name`.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    let documents = match name {
        "objects_from_file" => {
            let file = arg_str(cx, args, 0, "file_ref")?
                .ok_or_else(|| Flow::raise("DAError", "objects_from_file: no file referenced"))?;
            read_documents(h, cx, &file)?
        }
        "objects_from_data" => vec![req(args, 0, "data", name)?.clone()],
        _ => return Ok(None),
    };
    let recursive = kw_bool(cx, args, "recursive", true)?;
    let gathered = kw_bool(cx, args, "gathered", true)?;
    let use_objects = name == "objects_from_data" || kw_bool(cx, args, "use_objects", false)?;
    let package = package_of(h);
    let conv = Convert {
        h,
        package: &package,
        recursive,
        use_objects,
    };
    let mut items = Vec::new();
    let mut singular = true;
    for doc in documents {
        let v = conv.value(cx, &doc, 0)?;
        match list_items(cx, &v) {
            Some(list) => {
                singular = false;
                items.extend(list);
            }
            None => items.push(v),
        }
    }
    let result = if singular && items.len() == 1 {
        items.remove(0)
    } else {
        let el = cx.heap_mut().new_list(items);
        let kw = vec![(Name::from("elements"), el)];
        Value::Ref(classes::new_object(h, cx, "DAList", None, kw)?)
    };
    if let Some(the_name) = arg_str(cx, args, 3, "name")? {
        let path = Path::parse(&the_name).map_err(|e| type_err(e.0))?;
        if let Value::Ref(id) = &result {
            super::super::classes::object::name_recursively(cx, *id, &path, 0);
        }
    }
    if !gathered && let Value::Ref(id) = &result {
        reset_gathered(cx, *id, 0)?;
    }
    Ok(Some(result))
}

/// The interview's package (`docassemble.demo`).
fn package_of(h: &DaHost) -> String {
    let name = &h.config().interview_name;
    name.split_once(':').map_or("", |(p, _)| p).to_string()
}

/// The documents of data file `file` (`fishes.yml`, `docassemble.demo:fishes.yml`,
/// `docassemble.demo:data/sources/fishes.yml`), as Python values.
fn read_documents(h: &DaHost, cx: &mut Interp<'_>, file: &str) -> PyResult<Vec<Value>> {
    let (package, path) = match file.split_once(':') {
        Some((p, rest)) => (p.to_string(), rest.to_string()),
        None => (package_of(h), file.to_string()),
    };
    let path = if path.starts_with("data/sources/") {
        path
    } else {
        format!("data/sources/{path}")
    };
    let reference = format!("{package}:{path}");
    let Some(text) = h.source_file(&reference) else {
        return Err(Flow::raise(
            "SystemError",
            format!("objects_from_file: file reference {file} not found"),
        ));
    };
    let bad = |e: String| Flow::raise("DAError", format!("objects_from_file: {file}: {e}"));
    if path.to_ascii_lowercase().ends_with(".json") {
        let j: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        return Ok(vec![super::server::from_json(cx, &j, 0)?]);
    }
    let mut out = Vec::new();
    for chunk in crate::source::split::split_chunks(&text) {
        let node =
            crate::source::yaml::parse_document(&chunk.text).map_err(|e| bad(e.to_string()))?;
        if let Some(node) = node {
            let j = node.to_json();
            out.push(super::server::from_json(cx, &j, 0)?);
        }
    }
    Ok(out)
}

/// The items of a plain list value.
fn list_items(cx: &Interp<'_>, v: &Value) -> Option<Vec<Value>> {
    let id = v.as_ref_id()?;
    cx.heap().list(id).cloned()
}

/// docassemble's `recurse_obj`.
#[derive(Clone, Copy)]
struct Convert<'a> {
    h: &'a DaHost,
    package: &'a str,
    recursive: bool,
    use_objects: bool,
}

impl Convert<'_> {
    fn value(&self, cx: &mut Interp<'_>, v: &Value, depth: u32) -> PyResult<Value> {
        if depth > 32 {
            return Err(Flow::raise(
                "DAError",
                "objects_from_file: data nested too deeply",
            ));
        }
        let Some(id) = v.as_ref_id() else {
            return Ok(v.clone());
        };
        let kind = cx.heap().get(id).map(|o| o.kind.clone());
        match kind {
            Some(ObjKind::List(items)) => {
                let items = if self.recursive {
                    let mut out = Vec::with_capacity(items.len());
                    for x in &items {
                        out.push(self.value(cx, x, depth + 1)?);
                    }
                    out
                } else {
                    items
                };
                self.list(cx, items)
            }
            Some(ObjKind::Dict(d)) => {
                let get = |k: &str| d.get(&Key::Str(k.into())).cloned();
                if let Some(class) = get("object")
                    && (get("item").is_some() || get("items").is_some())
                {
                    let class = cx.to_str(&class)?;
                    let module = match get("module") {
                        Some(m) => Some(cx.to_str(&m)?),
                        None => None,
                    };
                    let class = self.class(cx, &class, module.as_deref())?;
                    if let Some(items) = get("items") {
                        let items = cx.collect(&items)?;
                        let mut out = Vec::with_capacity(items.len());
                        for item in &items {
                            out.push(self.construct(cx, &class, item, depth)?);
                        }
                        return self.list(cx, out);
                    }
                    let item = get("item").unwrap_or(Value::None);
                    return self.construct(cx, &class, &item, depth);
                }
                let mut nd = Dict::new();
                for (k, x) in d.iter() {
                    let nv = if self.recursive {
                        self.value(cx, x, depth + 1)?
                    } else {
                        x.clone()
                    };
                    let key = Key::from_value(k, cx.heap())?;
                    nd.insert(key, k.clone(), nv);
                }
                let dv = cx.heap_mut().new_dict(nd);
                if self.use_objects {
                    let kw = vec![(Name::from("elements"), dv)];
                    return Ok(Value::Ref(classes::new_object(
                        self.h, cx, "DADict", None, kw,
                    )?));
                }
                Ok(dv)
            }
            _ => Ok(v.clone()),
        }
    }

    fn list(&self, cx: &mut Interp<'_>, items: Vec<Value>) -> PyResult<Value> {
        let lv = cx.heap_mut().new_list(items);
        if self.use_objects {
            let kw = vec![(Name::from("elements"), lv)];
            return Ok(Value::Ref(classes::new_object(
                self.h, cx, "DAList", None, kw,
            )?));
        }
        Ok(lv)
    }

    /// The class `name` of `module` (a docassemble module, or one of the interview's
    /// package modules, `.fish`).
    fn class(&self, cx: &mut Interp<'_>, name: &str, module: Option<&str>) -> PyResult<String> {
        let found = match module.and_then(|m| resolve_module_name(m, Some(self.package))) {
            Some(m) => {
                let qualname = format!("{m}.{name}");
                cx.user_class(&qualname).is_some().then_some(qualname)
            }
            None => match pyeval::Host::lookup_global(self.h, name) {
                Some(Value::Class(c)) => Some(c.to_string()),
                _ => match cx.lookup(name) {
                    Ok(Value::Class(c)) => Some(c.to_string()),
                    _ => None,
                },
            },
        };
        found.ok_or_else(|| {
            Flow::raise(
                "SystemError",
                format!(
                    "recurse_obj: found an object for which the object declaration, {name} could not be found"
                ),
            )
        })
    }

    /// `Class(**item)`.
    fn construct(
        &self,
        cx: &mut Interp<'_>,
        class: &str,
        item: &Value,
        depth: u32,
    ) -> PyResult<Value> {
        let is_dict = item
            .as_ref_id()
            .is_some_and(|id| matches!(cx.heap().get(id).map(|o| &o.kind), Some(ObjKind::Dict(_))));
        if !is_dict {
            let shown = cx.repr(item)?;
            return Err(Flow::raise(
                "SystemError",
                format!(
                    "recurse_obj: found an item, {shown} that was not expressed as a dictionary"
                ),
            ));
        }
        // the item's values are converted, not the item itself (its keys are the arguments)
        let item = if self.recursive {
            self.dict_values(cx, item, depth + 1)?
        } else {
            item.clone()
        };
        let mut kw = Vec::new();
        if let Some(id) = item.as_ref_id()
            && let Some(ObjKind::Dict(d)) = cx.heap().get(id).map(|o| o.kind.clone())
        {
            for (k, v) in d.iter() {
                let k = cx.to_str(k)?;
                kw.push((Name::from(k.as_str()), v.clone()));
            }
        }
        classes::construct(
            self.h,
            cx,
            class,
            Args {
                pos: Vec::new(),
                kw,
            },
        )
    }

    /// A dict with its values converted (the keyword arguments of a constructor).
    fn dict_values(&self, cx: &mut Interp<'_>, item: &Value, depth: u32) -> PyResult<Value> {
        let Some(ObjKind::Dict(d)) = item
            .as_ref_id()
            .and_then(|id| cx.heap().get(id))
            .map(|o| o.kind.clone())
        else {
            return Ok(item.clone());
        };
        let mut nd = Dict::new();
        for (k, x) in d.iter() {
            let nv = self.value(cx, x, depth)?;
            let key = Key::from_value(k, cx.heap())?;
            nd.insert(key, k.clone(), nv);
        }
        Ok(cx.heap_mut().new_dict(nd))
    }
}

/// `gathered=False`: the collections are marked not gathered (so more items are asked).
fn reset_gathered(cx: &mut Interp<'_>, id: pyeval::ObjId, depth: u32) -> PyResult<()> {
    if depth > 32 {
        return Ok(());
    }
    let Some(inst) = cx.heap().instance(id).cloned() else {
        return Ok(());
    };
    if classes::family(&inst.class) != classes::Family::Object {
        cx.call_method(&Value::Ref(id), "reset_gathered", Args::default())?;
        for item in classes::list::items(cx, id).unwrap_or_default() {
            if let Value::Ref(r) = item {
                reset_gathered(cx, r, depth + 1)?;
            }
        }
    }
    for v in inst.attrs.values() {
        if let Value::Ref(r) = v
            && cx.heap().instance(*r).is_some()
        {
            reset_gathered(cx, *r, depth + 1)?;
        }
    }
    Ok(())
}
