//! The classes: the inheritance table, construction (`Class(instanceName, **kw)` and each
//! class's `init`), and the dispatch of the object protocol to the class modules.
//!
//! Instances are pyeval host instances whose class name is the base class (`DAList`, never the
//! parameterised `DAList.using(...)` name) and whose path is docassemble's `instanceName`.
//! Attributes that docassemble's `init` creates eagerly (`Individual.name`, `Person.address`,
//! `Address.location`) are created on first access instead, so they always get the path of
//! their parent as it is at that moment (an object created by `user = Individual()` is named
//! only when assigned).

pub mod address;
pub mod catchall;
pub mod datetime;
pub mod dict;
pub mod file;
pub mod individual;
pub mod legal;
pub mod link;
pub mod list;
pub mod nav;
pub mod object;
pub mod ops;
pub mod set;
pub mod store;
pub mod template;
pub mod time_of_day;

use std::collections::HashMap;
use std::sync::LazyLock;

use pyeval::{Args, Interp, Name, ObjId, Path, PyResult, Value};

use super::host::DaHost;
use super::support::{self, type_err};
use super::using;

/// Every class and its parent (`""` for a root).
pub const CLASSES: &[(&str, &str)] = &[
    ("DAObject", ""),
    ("DAList", "DAObject"),
    ("DADict", "DAObject"),
    ("DAOrderedDict", "DADict"),
    ("DAContext", "DADict"),
    ("DASet", "DAObject"),
    ("Person", "DAObject"),
    ("Individual", "Person"),
    ("Organization", "Person"),
    ("Name", "DAObject"),
    ("IndividualName", "Name"),
    ("Address", "DAObject"),
    ("City", "Address"),
    ("LatitudeLongitude", "DAObject"),
    ("Thing", "DAObject"),
    ("Event", "DAObject"),
    ("ChildList", "DAList"),
    ("DAFile", "DAObject"),
    ("DAFileList", "DAList"),
    ("DAFileCollection", "DAObject"),
    ("DAStaticFile", "DAObject"),
    ("DATemplate", "DAObject"),
    (template::LAZY_TABLE, "DATemplate"),
    ("DANav", "DAObject"),
    ("DASessionLocal", "DAObject"),
    ("DADeviceLocal", "DAObject"),
    ("DAUserLocal", "DAObject"),
    ("DAEmpty", ""),
    (catchall::CLASS, "DAObject"),
    (super::functions::background::TASK, ""),
    ("DADateTime", ""),
    (time_of_day::CLASS, ""),
    ("DateTimeDelta", ""),
    ("DateInterval", ""),
];

/// What the class table knows of one class (built once from [`CLASSES`] and
/// [`legal::CLASSES`]; the first entry of a name wins).
#[derive(Debug)]
struct ClassInfo {
    parent: Option<&'static str>,
    /// The class and its ancestors, most specific first.
    chain: Box<[&'static str]>,
    family: Family,
}

static TABLE: LazyLock<HashMap<&'static str, ClassInfo, pyeval::hash::FxBuild>> =
    LazyLock::new(|| {
        let entries = || {
            CLASSES
                .iter()
                .chain(legal::CLASSES)
                .chain(link::CLASSES)
                .chain(store::CLASSES)
                .chain(super::functions::server::CLASSES)
        };
        let parent_of = |c: &str| {
            entries()
                .find(|(n, _)| *n == c)
                .and_then(|(_, p)| (!p.is_empty()).then_some(*p))
        };
        let mut table = HashMap::default();
        for (name, _) in entries() {
            if table.contains_key(name) {
                continue;
            }
            let mut chain = vec![*name];
            while let Some(p) = chain.last().and_then(|c| parent_of(c)) {
                if chain.len() > 16 {
                    break;
                }
                chain.push(p);
            }
            let family = if chain.contains(&"DAList") {
                Family::List
            } else if chain.contains(&"DADict") {
                Family::Dict
            } else if chain.contains(&"DASet") {
                Family::Set
            } else {
                Family::Object
            };
            table.insert(
                *name,
                ClassInfo {
                    parent: parent_of(name),
                    chain: chain.into_boxed_slice(),
                    family,
                },
            );
        }
        table
    });

/// The Python module docassemble defines a runtime class in (`docassemble.base.legal` for
/// `PartyList`, `docassemble.base.util` for the others), for its qualified name.
pub fn module_of(class: &str) -> &'static str {
    if legal::CLASSES.iter().any(|(n, _)| *n == class) {
        "docassemble.base.legal"
    } else {
        "docassemble.base.util"
    }
}

/// Whether `name` is one of the runtime's classes.
pub fn is_class(name: &str) -> bool {
    TABLE.contains_key(name)
}

/// The parent of a (possibly parameterised) class name.
pub fn parent(class: &str) -> Option<&str> {
    if using::is_parameterised(class) {
        return Some(using::base_of(class));
    }
    TABLE.get(class).and_then(|i| i.parent)
}

/// A class and its ancestors, most specific first (see [`chain`]).
#[derive(Debug, Clone, Copy)]
pub struct Chain<'a> {
    /// A class the runtime does not know: its chain is itself.
    unknown: Option<&'a str>,
    known: &'a [&'a str],
}

impl<'a> Chain<'a> {
    /// Whether `class` is in the chain.
    pub fn contains(&self, class: &&str) -> bool {
        self.unknown == Some(*class) || self.known.contains(class)
    }
}

impl<'a> IntoIterator for Chain<'a> {
    type Item = &'a str;
    type IntoIter = std::iter::Chain<
        std::option::IntoIter<&'a str>,
        std::iter::Copied<std::slice::Iter<'a, &'a str>>,
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.unknown.into_iter().chain(self.known.iter().copied())
    }
}

/// `class` and its ancestors, most specific first.
pub fn chain(class: &str) -> Chain<'_> {
    let base = using::base_of(class);
    match TABLE.get(base) {
        Some(info) => Chain {
            unknown: None,
            known: &info.chain,
        },
        None => Chain {
            unknown: Some(base),
            known: &[],
        },
    }
}

/// Whether `class` is `base` or a subclass of it.
pub fn is_a(class: &str, base: &str) -> bool {
    chain(class).contains(&base)
}

/// Which container behaviour an instance has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `DAList` and subclasses.
    List,
    /// `DADict` and subclasses.
    Dict,
    /// `DASet`.
    Set,
    /// Everything else.
    Object,
}

/// The family of a class.
pub fn family(class: &str) -> Family {
    TABLE
        .get(using::base_of(class))
        .map_or(Family::Object, |i| i.family)
}

/// Whether instance `id` is a DAList/DADict/DASet (iterable).
pub(crate) fn is_collection(cx: &Interp<'_>, id: ObjId) -> bool {
    cx.heap()
        .instance(id)
        .is_some_and(|i| family(&i.class) != Family::Object)
}

/// `Class(*args, **kw)` where `class` may be parameterised (`DAList.using(...)`), or a user
/// class (a `class` statement's) deriving from one of these.
pub fn construct(h: &DaHost, cx: &mut Interp<'_>, class: &str, mut args: Args) -> PyResult<Value> {
    let spec = using::decode(cx, class)?;
    if !is_known(cx, &spec.base) {
        return Err(type_err(format!("unknown class {}", spec.base)));
    }
    match spec.base.as_str() {
        "DADateTime" => return datetime::construct(cx, &args),
        "DateInterval" => return datetime::interval(cx, &args),
        _ => {}
    }
    let path = take_instance_name(&mut args);
    let mut kw = spec.params;
    if spec.base == "DAContext" {
        kw.extend(context_texts(std::mem::take(&mut args.pos)));
    }
    for (k, v) in args.kw {
        match kw.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = v,
            None => kw.push((k, v)),
        }
    }
    let id = new_object(h, cx, &spec.base, path, kw)?;
    Ok(Value::Ref(id))
}

/// The positional texts of `DAContext(name, question_text, document_text)` as its items
/// (one text is both).
pub(crate) fn context_texts(pos: Vec<Value>) -> Vec<(Name, Value)> {
    let mut pos = pos.into_iter();
    let Some(q) = pos.next() else {
        return Vec::new();
    };
    let d = pos.next().unwrap_or_else(|| q.clone());
    vec![(Name::from("question"), q), (Name::from("document"), d)]
}

/// Whether `class` (a base class name) is one of the runtime's classes or a user class.
pub(crate) fn is_known(cx: &Interp<'_>, class: &str) -> bool {
    is_class(class) || cx.user_class(class).is_some()
}

/// Takes docassemble's instance name from the front of a constructor's arguments
/// (`DAList('people')`; `None` leaves the object unnamed).
pub(crate) fn take_instance_name(args: &mut Args) -> Option<Path> {
    match args.pos.first() {
        Some(Value::Str(s)) => {
            let p = Path::parse(s).ok();
            args.pos.remove(0);
            p
        }
        Some(Value::None) => {
            args.pos.remove(0);
            None
        }
        _ => None,
    }
}

/// Creates an instance of `class` (a base class name) named `path` and runs its `init`. For
/// a user class the instance is of its first host class, and pyeval runs the user class's
/// `init` (whose `super().init(...)` reaches [`init_object`]).
pub fn new_object(
    h: &DaHost,
    cx: &mut Interp<'_>,
    class: &str,
    path: Option<Path>,
    mut kw: Vec<(Name, Value)>,
) -> PyResult<ObjId> {
    if !is_class(class)
        && let Some(user) = cx.user_class(class)
    {
        let base = user
            .host_base()
            .map_or(pyeval::class::OBJECT, |b| b.as_ref());
        let id = cx.heap_mut().new_instance(base, path);
        cx.init_user_instance(
            id,
            class,
            Args {
                pos: Vec::new(),
                kw,
            },
        )?;
        return Ok(id);
    }
    let id = cx.heap_mut().new_instance(class, path);
    init_object(h, cx, id, class, &mut kw)?;
    Ok(id)
}

/// docassemble's `init` of `class` and its ancestors for instance `id`: each class's defaults
/// and the keyword arguments it takes; the others become attributes.
pub fn init_object(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
    kw: &mut Vec<(Name, Value)>,
) -> PyResult<()> {
    // a DAContext's keyword arguments are its items (question, document, docx …)
    let context_items = if is_a(class, "DAContext") {
        std::mem::take(kw)
    } else {
        Vec::new()
    };
    for c in chain(class) {
        match c {
            "DAList" => list::init(h, cx, id, kw)?,
            "DADict" => dict::init(h, cx, id, kw)?,
            "DASet" => set::init(h, cx, id, kw)?,
            "IndividualName" if !kw.iter().any(|(k, _)| &**k == "uses_parts") => {
                support::set(cx, id, "uses_parts", Value::Bool(true));
            }
            "Person" | "Thing" => individual::init_name_kw(h, cx, id, class, kw)?,
            "Address" => address::init(cx, id, kw),
            "LatitudeLongitude" => {
                support::set(cx, id, "gathered", Value::Bool(false));
                support::set(cx, id, "known", Value::Bool(false));
            }
            "DAEmailRecipientList" => link::init(c, kw),
            _ => legal::init(cx, c, kw),
        }
    }
    for (k, v) in kw.drain(..) {
        support::set(cx, id, &k, v);
    }
    for (k, v) in context_items {
        cx.set_item(&Value::Ref(id), &Value::Str(k), v)?;
    }
    Ok(())
}

/// Runs hook `name` (`hook_on_gather`, `hook_after_gather` …) of a collection whose user
/// class defines it; docassemble's own hooks do nothing.
pub(crate) fn hook(cx: &mut Interp<'_>, id: ObjId, name: &str, args: Vec<Value>) -> PyResult<()> {
    cx.call_user_method(id, name, args)?;
    Ok(())
}

/// Creates `class` (possibly parameterised, or a `Value::Class`) as attribute `name` of `parent`,
/// like docassemble's `initializeAttribute` (an existing attribute is returned unchanged).
pub fn initialize_attribute(
    h: &DaHost,
    cx: &mut Interp<'_>,
    parent: ObjId,
    name: &str,
    class: &str,
    extra: Vec<(Name, Value)>,
) -> PyResult<Value> {
    if let Some(v) = support::raw(cx, parent, name) {
        return Ok(v);
    }
    let spec = using::decode(cx, class)?;
    if !is_known(cx, &spec.base) {
        return Err(type_err(format!("unknown class {}", spec.base)));
    }
    let mut kw = spec.params;
    kw.extend(extra);
    let path = support::path(cx, parent).map(|p| p.attr(name));
    let id = new_object(h, cx, &spec.base, path, kw)?;
    support::set(cx, parent, name, Value::Ref(id));
    Ok(Value::Ref(id))
}

/// Extracts a class name from a `Value::Class` argument.
pub(crate) fn class_arg(v: &Value, func: &str) -> PyResult<Name> {
    match v {
        Value::Class(c) => Ok(c.clone()),
        _ => Err(type_err(format!("{func}: expected a class"))),
    }
}

/// Method dispatch along the class chain.
pub fn call_method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
    name: &str,
    args: Args,
) -> PyResult<Option<Value>> {
    // `init(**kw)`: what a user class's `super().init(...)` reaches
    if name == "init" && is_a(class, "DAObject") {
        let mut kw = args.kw;
        init_object(h, cx, id, class, &mut kw)?;
        return Ok(Some(Value::None));
    }
    for c in chain(class) {
        let r = match c {
            "IndividualName" => individual::individual_name_method(h, cx, id, name, &args)?,
            "Name" => individual::name_method(h, cx, id, name, &args)?,
            "Individual" => individual::individual_method(h, cx, id, name, &args)?,
            "Person" => individual::person_method(h, cx, id, name, &args)?,
            "Address" => address::method(h, cx, id, name, &args)?,
            "DAList" => list::method(h, cx, id, name, &args)?,
            "DADict" => dict::method(h, cx, id, name, &args)?,
            "DASet" => set::method(h, cx, id, name, &args)?,
            "DADateTime" => datetime::method(h, cx, id, name, &args)?,
            time_of_day::CLASS => time_of_day::method(cx, id, name, &args)?,
            "DateTimeDelta" => datetime::delta_method(h, cx, id, name, &args)?,
            "DAFile" | "DAStaticFile" | "DAFileList" | "DAFileCollection" => {
                file::method(h, cx, id, c, name, &args)?
            }
            "DAEmpty" => Some(file::empty(cx)),
            catchall::CLASS if name == "data_type_guess" => {
                Some(support::s(catchall::data_type_guess(cx, id)?))
            }
            "DALink" | "DAEmailRecipient" => link::method(cx, id, c, name, &args)?,
            template::LAZY_TABLE if matches!(name, "show" | "show_as_markdown" | "export") => {
                return Err(template::lazy_table_needs(cx, id));
            }
            "DATemplate" => template::method(h, cx, id, name, &args)?,
            "DANav" => nav::method(h, cx, id, name, &args)?,
            "DAStore" => store::store_method(h, cx, id, name, &args)?,
            "DARedis" => store::redis_method(h, cx, id, name, &args)?,
            store::BYTES => store::bytes_method(cx, id, name),
            super::functions::server::MATCH => {
                super::functions::server::match_method(cx, id, name, &args)?
            }
            super::functions::background::TASK => {
                super::functions::background::task_method(cx, id, name)?
            }
            "Value" | "FinancialList" | "Court" | "Case" => {
                legal::method(h, cx, id, c, class, name, &args)?
            }
            "DAObject" => object::method(h, cx, id, name, &args)?,
            _ => None,
        };
        if r.is_some() {
            return Ok(r);
        }
    }
    Ok(None)
}

/// Attributes that are computed or created on first access.
pub fn missing_attr(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
    name: &str,
) -> PyResult<Option<Value>> {
    for c in chain(class) {
        let r = match (c, name) {
            ("DATemplate", "content" | "subject") => template::lazy_part(h, cx, id, name)?,
            ("Individual", "name") => Some(initialize_attribute(
                h,
                cx,
                id,
                "name",
                "IndividualName",
                Vec::new(),
            )?),
            ("Person" | "Thing", "name") => {
                Some(initialize_attribute(h, cx, id, "name", "Name", Vec::new())?)
            }
            ("Person", "address") => Some(initialize_attribute(
                h,
                cx,
                id,
                "address",
                "Address",
                Vec::new(),
            )?),
            ("Event", "address") => Some(initialize_attribute(
                h,
                cx,
                id,
                "address",
                "City",
                Vec::new(),
            )?),
            ("Person" | "Address" | "Event", "location") => Some(initialize_attribute(
                h,
                cx,
                id,
                "location",
                "LatitudeLongitude",
                Vec::new(),
            )?),
            ("Case", _) => legal::missing_attr(h, cx, id, c, name)?,
            ("DADateTime", _) => datetime::attr(cx, id, name)?,
            (time_of_day::CLASS, _) => time_of_day::attr(cx, id, name)?,
            ("DateInterval", "weeks") => {
                let days = ops::fields(cx, &Value::Ref(id))?[2];
                Some(Value::Int((days / 7.0).trunc() as i64))
            }
            ("DateInterval", "leapdays") => Some(Value::Int(0)),
            ("DAEmpty", _) => Some(file::empty(cx)),
            ("DAObject", "instanceName") => Some(Value::str(&support::instance_name(cx, id))),
            ("DAObject", "has_nonrandom_instance_name") => {
                Some(Value::Bool(support::path(cx, id).is_some()))
            }
            _ => None,
        };
        if r.is_some() {
            return Ok(r);
        }
    }
    Ok(None)
}

/// `str(obj)`.
pub fn to_str(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, class: &str) -> PyResult<Option<String>> {
    for c in chain(class) {
        let r = match c {
            "IndividualName" => Some(individual::full_name(cx, id, &Args::default())?),
            "Name" => Some(individual::plain_full(cx, id)?),
            "Person" | "Thing" => Some(individual::person_str(cx, id)?),
            "Address" => Some(address::block(h, cx, id, &Args::default())?),
            "DAList" => Some(list::to_str(h, cx, id)?),
            // the text for questions (this runtime fills no DOCX or PDF fields)
            "DAContext" => {
                let q = cx.get_item(&Value::Ref(id), &Value::str("question"))?;
                Some(cx.to_str(&q)?)
            }
            "DADict" => Some(dict::to_str(h, cx, id)?),
            "DASet" => Some(set::to_str(h, cx, id)?),
            "DADateTime" => Some(datetime::to_str(h, cx, id)?),
            time_of_day::CLASS => Some(time_of_day::to_str(cx, id)?),
            "DateTimeDelta" => Some(datetime::describe(h, cx, id, &Args::default())?),
            "DateInterval" => Some(ops::interval_repr(cx, id)?),
            "DAFile" | "DAStaticFile" | "DAFileList" | "DAFileCollection" => {
                Some(file::to_str(h, cx, id, c)?)
            }
            template::LAZY_TABLE => return Err(template::lazy_table_needs(cx, id)),
            "DATemplate" => Some({
                let c = support::get(cx, id, "content")?;
                cx.to_str(&c)?
            }),
            "DAEmpty" => Some(String::new()),
            catchall::CLASS => {
                let v = catchall::value_for(cx, id, "str", None)?;
                Some(cx.to_str(&v)?)
            }
            "DALink" | "DAEmailRecipient" => link::to_str(cx, id, c)?,
            store::BYTES => Some(store::bytes_str(cx, id)),
            "Value" | "FinancialList" | "Court" | "Case" | "Document" => {
                legal::to_str(h, cx, id, c, class)?
            }
            "DAObject" => Some(object::to_str(h, cx, id)?),
            _ => None,
        };
        if r.is_some() {
            return Ok(r);
        }
    }
    Ok(None)
}

/// `repr(obj)`: collections show their elements (after gathering), as docassemble does.
pub fn to_repr(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
) -> PyResult<Option<String>> {
    match family(class) {
        Family::List | Family::Dict | Family::Set => {
            list::trigger_gather(h, cx, id, class)?;
            let el = support::get(cx, id, "elements")?;
            Ok(Some(cx.repr(&el)?))
        }
        Family::Object if is_a(class, "DADateTime") => {
            let inner = datetime::inner(cx, id)?;
            Ok(Some(format!(
                "DADateTime({}",
                cx.repr(&inner)?.trim_start_matches("datetime.datetime(")
            )))
        }
        Family::Object if class == "DateInterval" => Ok(Some(ops::interval_repr(cx, id)?)),
        Family::Object => Ok(None),
    }
}

/// Truthiness: collections by length (gathering), `DAEmpty` false, others true.
pub fn truthy(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, class: &str) -> PyResult<Option<bool>> {
    match family(class) {
        Family::Object if class == "DAEmpty" => Ok(Some(false)),
        Family::Object if class == catchall::CLASS => {
            let v = catchall::value_for(cx, id, "bool", None)?;
            cx.truthy(&v).map(Some)
        }
        Family::Object => Ok(None),
        _ => Ok(len(h, cx, id, class)?.map(|n| n > 0)),
    }
}

/// `len(obj)`.
pub fn len(h: &DaHost, cx: &mut Interp<'_>, id: ObjId, class: &str) -> PyResult<Option<i64>> {
    match family(class) {
        Family::List | Family::Dict | Family::Set => Ok(Some(list::len(h, cx, id, class)?)),
        Family::Object if class == "DAEmpty" => Ok(Some(0)),
        Family::Object if class == catchall::CLASS => {
            let v = catchall::value_for(cx, id, "len", None)?;
            cx.len(&v).map(Some)
        }
        Family::Object => Ok(None),
    }
}

/// Iteration: the elements (list items, dict keys, set items) after gathering.
pub fn iter(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
) -> PyResult<Option<Vec<Value>>> {
    match family(class) {
        Family::List | Family::Dict | Family::Set => {
            list::trigger_gather(h, cx, id, class)?;
            let el = support::get(cx, id, "elements")?;
            Ok(Some(cx.collect(&el)?))
        }
        Family::Object if class == "DAEmpty" => Ok(Some(Vec::new())),
        Family::Object if class == catchall::CLASS => {
            let v = catchall::value_for(cx, id, "iter", None)?;
            cx.collect(&v).map(Some)
        }
        Family::Object => Ok(None),
    }
}

/// `item in obj`.
pub fn contains(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
    item: &Value,
) -> PyResult<Option<bool>> {
    match family(class) {
        Family::List | Family::Dict | Family::Set => {
            list::trigger_gather(h, cx, id, class)?;
            let el = support::get(cx, id, "elements")?;
            Ok(Some(cx.contains(&el, item)?))
        }
        Family::Object if class == catchall::CLASS => {
            let v = catchall::value_for(cx, id, "contains", Some(item))?;
            cx.contains(&v, item).map(Some)
        }
        Family::Object => Ok(None),
    }
}

/// `obj[key]`.
pub fn get_item(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
    key: &Value,
) -> PyResult<Option<Value>> {
    match family(class) {
        Family::List => list::get_item(h, cx, id, key).map(Some),
        Family::Dict => dict::get_item(h, cx, id, key).map(Some),
        Family::Set | Family::Object if class == "DAEmpty" => Ok(Some(file::empty(cx))),
        Family::Object if class == catchall::CLASS => {
            let v = catchall::value_for(cx, id, "getitem", Some(key))?;
            cx.get_item(&v, key).map(Some)
        }
        _ => Ok(None),
    }
}

/// `obj[key] = value`.
pub fn set_item(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
    key: &Value,
    value: &Value,
) -> PyResult<bool> {
    match family(class) {
        Family::List => list::set_item(h, cx, id, key, value).map(|()| true),
        Family::Dict => dict::set_item(cx, id, key, value).map(|()| true),
        _ => Ok(false),
    }
}

/// `del obj[key]`.
pub fn del_item(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    class: &str,
    key: &Value,
) -> PyResult<bool> {
    match family(class) {
        Family::List => list::del_item(h, cx, id, key).map(|()| true),
        Family::Dict => dict::del_item(h, cx, id, key).map(|()| true),
        _ => Ok(false),
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;

    /// The chain as the parent links give it, one lookup at a time.
    fn walk(class: &str) -> Vec<&str> {
        let mut out = vec![using::base_of(class)];
        while let Some(p) = out.last().and_then(|c| {
            CLASSES
                .iter()
                .chain(legal::CLASSES)
                .chain(store::CLASSES)
                .chain(super::super::functions::server::CLASSES)
                .find(|(n, _)| n == c)
                .and_then(|(_, p)| (!p.is_empty()).then_some(*p))
        }) {
            out.push(p);
        }
        out
    }

    #[test]
    fn the_table_follows_the_parent_links() {
        for (name, _) in CLASSES
            .iter()
            .chain(legal::CLASSES)
            .chain(store::CLASSES)
            .chain(super::super::functions::server::CLASSES)
        {
            assert_eq!(chain(name).into_iter().collect::<Vec<_>>(), walk(name));
            assert!(is_class(name));
        }
        assert_eq!(
            chain("Individual").into_iter().collect::<Vec<_>>(),
            ["Individual", "Person", "DAObject"]
        );
        assert_eq!(
            chain("DAList.using(object_type=Individual)")
                .into_iter()
                .collect::<Vec<_>>(),
            ["DAList", "DAObject"]
        );
        assert_eq!(
            chain("Mystery").into_iter().collect::<Vec<_>>(),
            ["Mystery"]
        );
        assert!(!is_class("Mystery"));
        assert_eq!(parent("DAList.using(x=1)"), Some("DAList"));
        assert_eq!(parent("DAOrderedDict"), Some("DADict"));
        assert_eq!(parent("DAObject"), None);
        assert_eq!(family("Income"), Family::Dict);
        assert_eq!(family("PartyList"), Family::List);
        assert_eq!(family("DASet"), Family::Set);
        assert_eq!(family("Mystery"), Family::Object);
        assert!(is_a("LegalFiling", "DAObject"));
        assert!(!is_a("Individual", "DAList"));
    }
}
