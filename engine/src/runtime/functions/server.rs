//! Functions that ask docassemble's server about the session, the user or the device, with
//! the answers a standalone (single-user, no database, no live help) runtime can give:
//! `set_info`/`get_info`, `user_info`, `device`, `current_context`, `returning_user`, tasks
//! (`task_performed`, `mark_task_as_performed` …), `session_tags`, `dispatch`,
//! `server_capabilities`, `interview_list`, `timezone_list`, `all_variables`,
//! `chat_partners_available`, `language_from_browser`, no-ops
//! (`explain`, `set_live_help_status`), `update_terms` (kept in `_da_internal` for the
//! engine's screens), and the `json` module
//! (`json.dumps`/`json.loads`, as a class whose methods are the module's functions).
//!
//! Tasks and session tags persist in the global `_da_internal` (a dict), so they survive
//! between requests with the rest of the interview answers.

use super::timezones::TIMEZONES;
use pyeval::{Args, Dict, Flow, Interp, Name, PathPattern, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{arg_str, closed, req, s, type_err, value_err};
use super::json;
use super::logic;

/// The functions of this module.
pub const NAMES: &[&str] = &[
    "all_variables",
    "chat_partners_available",
    "current_context",
    "dispatch",
    "explain",
    "get_info",
    "interview_list",
    "language_from_browser",
    "mark_task_as_not_performed",
    "mark_task_as_performed",
    "qr_code",
    "returning_user",
    "server_capabilities",
    "session_tags",
    "set_info",
    "set_live_help_status",
    "set_task_counter",
    "static_image",
    "task_not_yet_performed",
    "task_performed",
    "times_task_performed",
    "timezone_list",
    "update_terms",
    "user_info",
    "verbatim",
];

/// Modules exposed as classes whose class methods are the module's functions.
pub const MODULES: &[&str] = &[
    "json",
    "re",
    "random",
    "string",
    "us",
    "us.states",
    "math",
    "datetime",
];

/// The functions of Python's `math` module the runtime has.
const MATH: &[&str] = &[
    "ceil",
    "copysign",
    "exp",
    "fabs",
    "factorial",
    "floor",
    "fsum",
    "gcd",
    "hypot",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "log",
    "log10",
    "log2",
    "pow",
    "sqrt",
    "trunc",
];

/// A constant or class of `math` or `datetime` (`math.pi`, `datetime.date`): `datetime`'s
/// classes are the evaluator's builtins of those names.
pub fn module_attr(module: &str, name: &str) -> Option<Value> {
    match (module, name) {
        ("math", "pi") => Some(Value::Float(std::f64::consts::PI)),
        ("math", "e") => Some(Value::Float(std::f64::consts::E)),
        ("math", "tau") => Some(Value::Float(std::f64::consts::TAU)),
        ("math", "inf") => Some(Value::Float(f64::INFINITY)),
        ("math", "nan") => Some(Value::Float(f64::NAN)),
        ("datetime", "date" | "datetime" | "timedelta") => {
            Some(Value::Builtin(std::sync::Arc::from(name)))
        }
        _ => None,
    }
}

/// The class of what `re.search()`/`re.match()`/`re.fullmatch()` return.
pub const MATCH: &str = "re.Match";

/// The classes of this module and their parents.
pub const CLASSES: &[(&str, &str)] = &[(MATCH, "")];

/// `string.ascii_lowercase` and the other constants of Python's `string` module.
pub fn string_constant(name: &str) -> Option<&'static str> {
    Some(match name {
        "ascii_lowercase" => "abcdefghijklmnopqrstuvwxyz",
        "ascii_uppercase" => "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "ascii_letters" => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "digits" => "0123456789",
        "hexdigits" => "0123456789abcdefABCDEF",
        "octdigits" => "01234567",
        "punctuation" => "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
        "whitespace" => " \t\n\r\x0b\x0c",
        _ => return None,
    })
}

/// Whether module `module` (one of [`MODULES`]) has the function `name`.
pub fn module_has(module: &str, name: &str) -> bool {
    match module {
        "json" => matches!(name, "dumps" | "loads"),
        "re" => matches!(
            name,
            "sub" | "findall" | "split" | "escape" | "search" | "match" | "fullmatch"
        ),
        "random" => super::random::NAMES.contains(&name) || is_random_class(name),
        "math" => MATH.contains(&name),
        _ => false,
    }
}

/// A plain object (class `DAObject`, no instance name) with the given attributes.
fn object(cx: &mut Interp<'_>, attrs: Vec<(&str, Value)>) -> Value {
    let id = cx.heap_mut().new_instance("DAObject", None);
    for (k, v) in attrs {
        cx.heap_mut().set_attr(id, k, v);
    }
    Value::Ref(id)
}

fn dict(cx: &mut Interp<'_>, items: Vec<(Value, Value)>) -> PyResult<Value> {
    let mut d = Dict::new();
    for (k, v) in items {
        let key = pyeval::Key::from_value(&k, cx.heap())?;
        d.insert(key, k, v);
    }
    Ok(cx.heap_mut().new_dict(d))
}

/// The `_da_internal` dict, created on first use.
fn internal_root(cx: &mut Interp<'_>) -> Value {
    match cx.state().get("_da_internal") {
        Some(v @ Value::Ref(_)) => v.clone(),
        _ => {
            let d = cx.heap_mut().new_dict(Dict::new());
            cx.state_mut().set("_da_internal", d.clone());
            d
        }
    }
}

/// Sets `_da_internal[slot]`.
pub(crate) fn set_internal(cx: &mut Interp<'_>, slot: &str, v: Value) -> PyResult<()> {
    let root = internal_root(cx);
    cx.set_item(&root, &Value::str(slot), v)
}

/// `_da_internal[slot]`, if set (read by the engine's `run` module).
#[cfg(feature = "parser")]
pub(crate) fn get_internal(cx: &mut Interp<'_>, slot: &str) -> PyResult<Option<Value>> {
    // Reading creates nothing: without `_da_internal` no slot is set.
    let root = match cx.state().get("_da_internal") {
        Some(v @ Value::Ref(_)) => v.clone(),
        _ => return Ok(None),
    };
    let key = Value::str(slot);
    if cx.contains(&root, &key)? {
        cx.get_item(&root, &key).map(Some)
    } else {
        Ok(None)
    }
}

/// The value `_da_internal[slot]`, created on first use.
pub(crate) fn internal(
    cx: &mut Interp<'_>,
    slot: &str,
    make: fn(&mut Interp<'_>) -> PyResult<Value>,
) -> PyResult<Value> {
    let root = internal_root(cx);
    let key = Value::str(slot);
    if cx.contains(&root, &key)? {
        return cx.get_item(&root, &key);
    }
    let v = make(cx)?;
    cx.set_item(&root, &key, v.clone())?;
    Ok(v)
}

fn tasks(cx: &mut Interp<'_>) -> PyResult<Value> {
    internal(cx, "tasks", |cx| Ok(cx.heap_mut().new_dict(Dict::new())))
}

fn task_count(cx: &mut Interp<'_>, args: &Args, func: &str) -> PyResult<(Value, Value, i64)> {
    let task = Value::str(&cx.to_str(req(args, 0, "task", func)?)?);
    let t = tasks(cx)?;
    let n = if cx.contains(&t, &task)? {
        cx.get_item(&t, &task)?.as_int().unwrap_or(0)
    } else {
        0
    };
    Ok((t, task, n))
}

/// Calls one of [`NAMES`]; `None` if `name` is not one of them.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    let r = match name {
        "set_info" => {
            for (k, v) in &args.kw {
                h.set_info(k, v.clone());
            }
            Value::None
        }
        "get_info" => {
            let att = cx.to_str(req(args, 0, "att", name)?)?;
            h.info(&att).unwrap_or(Value::None)
        }
        "user_info" => {
            let c = h.config();
            let logged_in = c.logged_in;
            let privileges: Vec<Value> = if logged_in {
                c.privileges.iter().map(s).collect()
            } else {
                vec![s("user")]
            };
            let language = s(h.language());
            let timezone = s(&c.timezone);
            let country = s(&c.country);
            let privileges = cx.heap_mut().new_list(privileges);
            let session = s(&c.session_id);
            let filename = s(&c.interview_name);
            object(
                cx,
                vec![
                    ("id", Value::None),
                    ("first_name", s("")),
                    ("last_name", s("")),
                    ("email", Value::None),
                    ("login_method", Value::None),
                    ("phone_number", Value::None),
                    ("country", country),
                    ("subdivision_first", Value::None),
                    ("subdivision_second", Value::None),
                    ("subdivision_third", Value::None),
                    ("organization", Value::None),
                    ("language", language),
                    ("timezone", timezone),
                    ("privileges", privileges),
                    ("session", session),
                    ("filename", filename),
                ],
            )
        }
        "current_context" => {
            let c = h.config();
            let session = s(&c.session_id);
            let filename = s(&c.interview_name);
            let package = s(c.interview_name.split_once(':').map_or("", |(p, _)| p));
            object(
                cx,
                vec![
                    ("session", session),
                    ("filename", filename),
                    ("package", package),
                    ("question_id", Value::None),
                    ("variable", Value::None),
                    ("current_section", Value::None),
                    // docassemble's evaluation context: `docx`/`pdf` while it fills a
                    // template's fields, which this runtime does not do
                    ("inside_of", s("standard")),
                ],
            )
        }
        "returning_user" => Value::Bool(false),
        "verbatim" => {
            let t = cx.to_str(req(args, 0, "text", name)?)?;
            s(verbatim(&t))
        }
        "static_image" => {
            let f = cx.to_str(req(args, 0, "filereference", name)?)?;
            let f = if f.contains(':') {
                f
            } else {
                let pkg = h
                    .config()
                    .interview_name
                    .split_once(':')
                    .map_or("docassemble.base", |(p, _)| p)
                    .to_string();
                format!("{pkg}:data/static/{f}")
            };
            match arg_str(cx, args, 1, "width")? {
                Some(w) => s(format!("[FILE {f}, {w}]")),
                None => s(format!("[FILE {f}]")),
            }
        }
        "qr_code" => {
            let t = cx.to_str(req(args, 0, "string", name)?)?;
            let w = arg_str(cx, args, 1, "width")?;
            let alt = arg_str(cx, args, 2, "alt_text")?;
            s(match (w, alt) {
                (None, None) => format!("[QR {t}]"),
                (None, Some(a)) => format!("[QR {t}, None, {a}]"),
                (Some(w), None) => format!("[QR {t}, {w}]"),
                (Some(w), Some(a)) => format!("[QR {t}, {w}, {a}]"),
            })
        }
        "explain" | "set_live_help_status" => Value::None,
        "update_terms" => {
            update_terms(cx, args)?;
            Value::None
        }
        "language_from_browser" => Value::None,
        "chat_partners_available" => {
            object(cx, vec![("peer", Value::Int(0)), ("help", Value::Int(0))])
        }
        "server_capabilities" => {
            // docassemble 1.10's keys, in its order (all off: no server features here).
            let items = [
                "sms",
                "fax",
                "google_login",
                "facebook_login",
                "auth0_login",
                "keycloak_login",
                "authentik_login",
                "azure_login",
                "miniorange_login",
                "phone_login",
                "voicerss",
                "s3",
                "azure",
                "github",
                "pypi",
                "googledrive",
                "google_maps",
            ]
            .iter()
            .map(|k| (s(k), Value::Bool(false)))
            .collect();
            dict(cx, items)?
        }
        "interview_list" => {
            let empty = cx.heap_mut().new_list(Vec::new());
            Value::tuple(vec![empty, Value::None])?
        }
        "timezone_list" => {
            let items = TIMEZONES.iter().map(s).collect();
            cx.heap_mut().new_list(items)
        }
        // (The interview runner, and so docassemble's JSON form of the variables, comes with the
        // `parser` feature.)
        #[cfg(feature = "parser")]
        "all_variables" if crate::runtime::support::kw_bool(cx, args, "simplify", true)? => {
            // docassemble's serializable_dict: JSON-like values (objects as dicts with
            // `_class` and `instanceName`), without `nav`.
            let mut json = crate::run::variables::serializable(cx.state());
            if let Some(m) = json.as_object_mut() {
                m.shift_remove("nav");
            }
            crate::run::values::from_json(cx, &json)?
        }
        "all_variables" => {
            let names: Vec<(Name, Value)> = cx
                .state()
                .globals
                .iter()
                .filter(|(k, _)| !k.starts_with('_'))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let mut items = Vec::new();
            for (k, v) in names {
                if matches!(
                    v,
                    Value::Func(_) | Value::HostFn(_) | Value::Builtin(_) | Value::Class(_)
                ) {
                    continue;
                }
                items.push((Value::Str(k), v));
            }
            dict(cx, items)?
        }
        "task_performed" | "task_not_yet_performed" | "times_task_performed" => {
            let (_, _, n) = task_count(cx, args, name)?;
            match name {
                "task_performed" => Value::Bool(n > 0),
                "task_not_yet_performed" => Value::Bool(n == 0),
                _ => Value::Int(n),
            }
        }
        "mark_task_as_performed" | "mark_task_as_not_performed" | "set_task_counter" => {
            let (t, task, n) = task_count(cx, args, name)?;
            let new = match name {
                "mark_task_as_performed" => n.saturating_add(1),
                "mark_task_as_not_performed" => 0,
                _ => req(args, 1, "times", name)?
                    .as_int()
                    .ok_or_else(|| type_err("set_task_counter: times must be an integer"))?,
            };
            cx.set_item(&t, &task, Value::Int(new))?;
            if name == "mark_task_as_performed" {
                Value::Int(new)
            } else {
                Value::None
            }
        }
        "session_tags" => internal(cx, "tags", |cx| {
            let empty = cx.heap_mut().new_list(Vec::new());
            cx.call_value(&Value::Builtin(Name::from("set")), Args::new(vec![empty]))
        })?,
        "dispatch" => {
            let var = match req(args, 0, "var", name)? {
                Value::Str(v) => v.to_string(),
                _ => {
                    return Err(super::super::support::da_err(
                        "dispatch() must be given a string",
                    ));
                }
            };
            let pat = PathPattern::parse(&var).map_err(|e| value_err(e.0))?;
            for _ in 0..1000 {
                let v = cx.eval_pattern(&pat).map_err(closed)?;
                let target = cx.to_str(&v)?;
                if target == "None" {
                    break;
                }
                let tp = PathPattern::parse(&target).map_err(|e| value_err(e.0))?;
                cx.eval_pattern(&tp).map_err(closed)?;
                logic::undefine_var(cx, &target)?;
                logic::undefine_var(cx, &var)?;
            }
            logic::undefine_var(cx, &var)?;
            Value::Bool(true)
        }
        _ => return Ok(None),
    };
    Ok(Some(r))
}

/// `verbatim(text)` for web output: HTML-escaped, Markdown characters as entities, blank
/// lines as `<br>`, in a `<span>`.
pub fn verbatim(text: &str) -> String {
    let t = text.trim();
    let b: Vec<char> = t.chars().collect();
    let mut out = String::from("<span>");
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            '&' => {
                // an entity (`&amp;`, `&#42;`) stays
                let mut j = i + 1;
                if b.get(j) == Some(&'#') {
                    j += 1;
                }
                let st = j;
                while j < b.len() && b[j].is_ascii_alphanumeric() {
                    j += 1;
                }
                if j > st && b.get(j) == Some(&';') {
                    out.push('&');
                } else {
                    out.push_str("&amp;");
                }
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' => out.push_str("&#42;"),
            '_' => out.push_str("&#95;"),
            '#' if i == 0 || b[i - 1] != '&' => out.push_str("&#35;"),
            '=' => out.push_str("&#61;"),
            '+' => out.push_str("&#43;"),
            '-' => out.push_str("&#45;"),
            '.' if i > 0 && b[i - 1].is_ascii_digit() => out.push_str("&#46;"),
            '\r' | '\n' => {
                // \r?\n(\r?\n)+ → <br>; a single newline stays
                let mut j = i;
                let mut newlines = 0;
                while j < b.len() && (b[j] == '\n' || (b[j] == '\r' && b.get(j + 1) == Some(&'\n')))
                {
                    if b[j] == '\r' {
                        j += 1;
                    }
                    j += 1;
                    newlines += 1;
                }
                if newlines >= 2 {
                    out.push_str("<br>");
                    i = j;
                    continue;
                }
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out.push_str("</span>");
    out
}

/// `device()`: a desktop browser (`is_pc`; the runtime does not see the user agent);
/// `device(ip=True)` is the IP address (unknown: `127.0.0.1`).
pub fn device(cx: &mut Interp<'_>, args: &Args) -> Value {
    if matches!(args.kw("ip"), Some(Value::Bool(true))) {
        return s("127.0.0.1");
    }
    let browser = object(cx, vec![("family", s("Other")), ("version_string", s(""))]);
    let os = object(cx, vec![("family", s("Other")), ("version_string", s(""))]);
    let dev = object(
        cx,
        vec![
            ("family", s("Other")),
            ("brand", Value::None),
            ("model", Value::None),
        ],
    );
    object(
        cx,
        vec![
            ("is_mobile", Value::Bool(false)),
            ("is_tablet", Value::Bool(false)),
            ("is_pc", Value::Bool(true)),
            ("is_bot", Value::Bool(false)),
            ("is_touch_capable", Value::Bool(false)),
            ("is_email_client", Value::Bool(false)),
            ("browser", browser),
            ("os", os),
            ("device", dev),
            ("ua_string", s("")),
        ],
    )
}

/// `module.function(...)` for the modules in [`MODULES`]; `None` if unknown.
pub fn module_call(
    h: &DaHost,
    cx: &mut Interp<'_>,
    module: &str,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    match (module, name) {
        ("json", "dumps") => {
            let v = req(args, 0, "obj", name)?.clone();
            let indent = match args.kw("indent") {
                Some(Value::Int(n)) => Some(usize::try_from(*n).unwrap_or(0)),
                Some(Value::None) | None => None,
                Some(_) => return Err(type_err("json.dumps: indent must be an integer")),
            };
            let sort_keys = match args.kw("sort_keys") {
                Some(v) => cx.truthy(&v.clone())?,
                None => false,
            };
            let out = json::dumps_with(cx, &v, json::DumpOptions { indent, sort_keys })?;
            Ok(Some(s(out)))
        }
        ("json", "loads") => {
            let t = cx.to_str(req(args, 0, "s", name)?)?;
            let j: serde_json::Value = serde_json::from_str(&t)
                .map_err(|e| Flow::raise("JSONDecodeError", format!("{e}")))?;
            from_json(cx, &j, 0).map(Some)
        }
        ("re", "sub" | "findall" | "split" | "escape") => re_call(cx, name, args).map(Some),
        ("re", "search" | "match" | "fullmatch") => re_match(cx, name, args).map(Some),
        // `random.SystemRandom()`: a generator with the module's methods (`r.choice(…)`)
        ("random", n) if is_random_class(n) => Ok(Some(Value::Class(pyeval::Name::from("random")))),
        ("random", _) => super::random::call(h, cx, name, args),
        ("us.states", _) => super::us::states_call(cx, name, args),
        ("math", _) => math_call(cx, name, args).map(Some),
        _ => Ok(None),
    }
}

/// A number argument of a `math` function.
fn float_arg(cx: &mut Interp<'_>, args: &Args, i: usize, name: &str) -> PyResult<f64> {
    match args.pos.get(i) {
        Some(Value::Int(n)) => Ok(*n as f64),
        Some(Value::Bool(b)) => Ok(f64::from(u8::from(*b))),
        Some(Value::Float(f)) => Ok(*f),
        Some(Value::Decimal(d)) => d
            .to_string()
            .parse()
            .map_err(|_| type_err(format!("math.{name}: not a number"))),
        Some(v) => {
            let t = pyeval::type_name(v, cx.heap());
            Err(type_err(format!("must be real number, not {t}")))
        }
        None => Err(type_err(format!(
            "math.{name}() missing a required argument"
        ))),
    }
}

/// An integer argument of a `math` function (`factorial`, `gcd`).
fn int_arg(args: &Args, i: usize, name: &str) -> PyResult<i64> {
    match args.pos.get(i) {
        Some(Value::Int(n)) => Ok(*n),
        Some(Value::Bool(b)) => Ok(i64::from(*b)),
        _ => Err(type_err(format!("math.{name}() takes integers"))),
    }
}

/// `floor`, `ceil` and `trunc` give ints, as in Python.
fn to_int(f: f64) -> PyResult<Value> {
    if f.is_finite() && f.abs() < 9.2e18 {
        Ok(Value::Int(f as i64))
    } else {
        Err(Flow::raise(
            "OverflowError",
            "cannot convert float infinity or NaN to integer",
        ))
    }
}

fn math_call(cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Value> {
    let domain = || Flow::raise("ValueError", "math domain error");
    let x = |cx: &mut Interp<'_>| float_arg(cx, args, 0, name);
    let y = |cx: &mut Interp<'_>| float_arg(cx, args, 1, name);
    let f = |v: f64| Ok(Value::Float(v));
    match name {
        "ceil" => to_int(x(cx)?.ceil()),
        "floor" => to_int(x(cx)?.floor()),
        "trunc" => to_int(x(cx)?.trunc()),
        "fabs" => f(x(cx)?.abs()),
        "sqrt" => match x(cx)? {
            v if v < 0.0 => Err(domain()),
            v => f(v.sqrt()),
        },
        "exp" => f(x(cx)?.exp()),
        "pow" => f(x(cx)?.powf(y(cx)?)),
        "copysign" => f(x(cx)?.copysign(y(cx)?)),
        "hypot" => {
            let mut sum = 0.0;
            for i in 0..args.pos.len() {
                let v = float_arg(cx, args, i, name)?;
                sum += v * v;
            }
            f(sum.sqrt())
        }
        "log" | "log10" | "log2" => {
            let v = x(cx)?;
            if v <= 0.0 {
                return Err(domain());
            }
            match (name, args.pos.len()) {
                ("log", 2) => {
                    let base = y(cx)?;
                    if base <= 0.0 || base == 1.0 {
                        return Err(domain());
                    }
                    f(v.ln() / base.ln())
                }
                ("log", _) => f(v.ln()),
                ("log10", _) => f(v.log10()),
                _ => f(v.log2()),
            }
        }
        "isfinite" => Ok(Value::Bool(x(cx)?.is_finite())),
        "isinf" => Ok(Value::Bool(x(cx)?.is_infinite())),
        "isnan" => Ok(Value::Bool(x(cx)?.is_nan())),
        "isclose" => {
            let (a, b) = (x(cx)?, y(cx)?);
            let kw = |cx: &mut Interp<'_>, k: &str, d: f64| -> PyResult<f64> {
                match args.kw(k) {
                    Some(v) => {
                        let v = v.clone();
                        float_arg(cx, &Args::new(vec![v]), 0, name)
                    }
                    None => Ok(d),
                }
            };
            let rel = kw(cx, "rel_tol", 1e-9)?;
            let abs = kw(cx, "abs_tol", 0.0)?;
            Ok(Value::Bool(
                a == b || (a - b).abs() <= (rel * a.abs().max(b.abs())).max(abs),
            ))
        }
        "fsum" => {
            let items = cx.collect(args.pos.first().unwrap_or(&Value::None))?;
            let mut sum = 0.0;
            for v in items {
                sum += float_arg(cx, &Args::new(vec![v]), 0, name)?;
            }
            f(sum)
        }
        "factorial" => {
            let n = int_arg(args, 0, name)?;
            if n < 0 {
                return Err(Flow::raise(
                    "ValueError",
                    "factorial() not defined for negative values",
                ));
            }
            let mut out: i64 = 1;
            for k in 2..=n {
                out = out
                    .checked_mul(k)
                    .ok_or_else(|| Flow::raise("OverflowError", "factorial() result too large"))?;
            }
            Ok(Value::Int(out))
        }
        "gcd" => {
            let mut g: i64 = 0;
            for i in 0..args.pos.len() {
                let mut b = int_arg(args, i, name)?.unsigned_abs();
                let mut a = g.unsigned_abs();
                while b != 0 {
                    (a, b) = (b, a % b);
                }
                g = i64::try_from(a).map_err(|_| Flow::raise("OverflowError", "gcd too large"))?;
            }
            Ok(Value::Int(g))
        }
        _ => Err(Flow::raise(
            "AttributeError",
            format!("module 'math' has no attribute '{name}'"),
        )),
    }
}

fn is_random_class(name: &str) -> bool {
    matches!(name, "SystemRandom" | "Random")
}

/// `re.search`, `re.match` (anchored at the start) and `re.fullmatch` (the whole string):
/// a [`MATCH`] object, or `None`.
fn re_match(cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Value> {
    let p = cx.to_str(req(args, 0, "pattern", name)?)?;
    let p = match name {
        "match" => format!("^(?:{p})"),
        "fullmatch" => format!("^(?:{p})$"),
        _ => p,
    };
    let re = regex::RegexBuilder::new(&p)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| Flow::raise("re.error", e.to_string()))?;
    let t = cx.to_str(req(args, 1, "string", name)?)?;
    let Some(c) = re.captures(&t) else {
        return Ok(Value::None);
    };
    let chars = |b: usize| i64::try_from(t[..b].chars().count()).unwrap_or(0);
    let mut groups = Vec::new();
    let mut spans = Vec::new();
    for i in 0..c.len() {
        match c.get(i) {
            Some(m) => {
                groups.push(s(m.as_str()));
                spans.push(Value::tuple(vec![
                    Value::Int(chars(m.start())),
                    Value::Int(chars(m.end())),
                ])?);
            }
            None => {
                groups.push(Value::None);
                spans.push(Value::tuple(vec![Value::Int(-1), Value::Int(-1)])?);
            }
        }
    }
    let id = cx.heap_mut().new_instance(MATCH, None);
    cx.heap_mut().set_attr(id, "_groups", Value::tuple(groups)?);
    cx.heap_mut().set_attr(id, "_spans", Value::tuple(spans)?);
    cx.heap_mut().set_attr(id, "string", s(&t));
    Ok(Value::Ref(id))
}

/// The methods of a [`MATCH`] object: `group()`, `groups()`, `start()`, `end()`, `span()`.
pub fn match_method(
    cx: &mut Interp<'_>,
    id: pyeval::ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    let part = |cx: &Interp<'_>, slot: &str| -> Vec<Value> {
        match cx.heap().attr(id, slot) {
            Some(Value::Tuple(t)) => t.iter().cloned().collect(),
            _ => Vec::new(),
        }
    };
    let index = |v: Option<&Value>, n: usize| -> PyResult<usize> {
        let i = match v {
            None => 0,
            Some(Value::Int(i)) => *i,
            Some(_) => return Err(Flow::raise("IndexError", "no such group")),
        };
        usize::try_from(i)
            .ok()
            .filter(|i| *i < n)
            .ok_or_else(|| Flow::raise("IndexError", "no such group"))
    };
    let groups = part(cx, "_groups");
    Ok(Some(match name {
        "group" => {
            if args.pos.len() > 1 {
                let mut out = Vec::new();
                for a in &args.pos {
                    out.push(groups[index(Some(a), groups.len())?].clone());
                }
                Value::tuple(out)?
            } else {
                groups[index(args.pos.first(), groups.len())?].clone()
            }
        }
        "groups" => {
            let default = args.get(0, "default").cloned().unwrap_or(Value::None);
            Value::tuple(
                groups
                    .iter()
                    .skip(1)
                    .map(|g| {
                        if g.is_none() {
                            default.clone()
                        } else {
                            g.clone()
                        }
                    })
                    .collect(),
            )?
        }
        "start" | "end" | "span" => {
            let spans = part(cx, "_spans");
            let span = spans[index(args.pos.first(), spans.len())?].clone();
            match (name, &span) {
                ("span", _) => span,
                (_, Value::Tuple(t)) => t
                    .get(usize::from(name == "end"))
                    .cloned()
                    .unwrap_or(Value::Int(-1)),
                _ => Value::Int(-1),
            }
        }
        _ => return Ok(None),
    }))
}

fn regex(cx: &mut Interp<'_>, args: &Args, name: &str) -> PyResult<regex::Regex> {
    let p = cx.to_str(req(args, 0, "pattern", name)?)?;
    regex::RegexBuilder::new(&p)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| Flow::raise("re.error", e.to_string()))
}

/// Python's replacement syntax (`\1`, `\g<name>`) in Rust's (`${1}`, `${name}`).
fn py_repl(r: &str) -> String {
    let b: Vec<char> = r.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            '$' => out.push_str("$$"),
            '\\' if i + 1 < b.len() => {
                let c = b[i + 1];
                if c.is_ascii_digit() {
                    let mut j = i + 1;
                    while j < b.len() && b[j].is_ascii_digit() && j < i + 3 {
                        j += 1;
                    }
                    out.push_str("${");
                    out.extend(&b[i + 1..j]);
                    out.push('}');
                    i = j;
                    continue;
                }
                if c == 'g' && b.get(i + 2) == Some(&'<') {
                    if let Some(end) = b[i + 3..].iter().position(|x| *x == '>') {
                        out.push_str("${");
                        out.extend(&b[i + 3..i + 3 + end]);
                        out.push('}');
                        i = i + 4 + end;
                        continue;
                    }
                }
                match c {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    '\\' => out.push('\\'),
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
                i += 2;
                continue;
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// `re.sub(pattern, repl, string, count=0)`, `re.findall`, `re.split`, `re.escape` (Rust's
/// regex syntax, which covers the common Python patterns; no look-around or backreferences).
fn re_call(cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Value> {
    if name == "escape" {
        let t = cx.to_str(req(args, 0, "pattern", name)?)?;
        let mut out = String::new();
        for c in t.chars() {
            if !(c.is_alphanumeric() || c == '_') {
                out.push('\\');
            }
            out.push(c);
        }
        return Ok(s(out));
    }
    let re = regex(cx, args, name)?;
    match name {
        "sub" => {
            let repl = req(args, 1, "repl", name)?.clone();
            let repl = match repl {
                Value::Str(r) => py_repl(&r),
                _ => return Err(type_err("re.sub: the replacement must be a string")),
            };
            let t = cx.to_str(req(args, 2, "string", name)?)?;
            let count = args.get(3, "count").and_then(Value::as_int).unwrap_or(0);
            let limit = usize::try_from(count).unwrap_or(0);
            let out = re.replacen(&t, limit, repl.as_str()).into_owned();
            cx.charge_mem(out.len())?;
            Ok(s(out))
        }
        "findall" => {
            let t = cx.to_str(req(args, 1, "string", name)?)?;
            let groups = re.captures_len() - 1;
            let mut items = Vec::new();
            for c in re.captures_iter(&t) {
                let g = |i: usize| s(c.get(i).map_or("", |m| m.as_str()));
                items.push(match groups {
                    0 => g(0),
                    1 => g(1),
                    n => Value::tuple((1..=n).map(g).collect())?,
                });
            }
            cx.charge_mem(items.len() * 32)?;
            Ok(cx.heap_mut().new_list(items))
        }
        _ => {
            let t = cx.to_str(req(args, 1, "string", name)?)?;
            let items: Vec<Value> = re.split(&t).map(s).collect();
            cx.charge_mem(items.len() * 32)?;
            Ok(cx.heap_mut().new_list(items))
        }
    }
}

/// A JSON value as a Python value (objects → dicts, arrays → lists).
pub fn from_json(cx: &mut Interp<'_>, j: &serde_json::Value, depth: u32) -> PyResult<Value> {
    use serde_json::Value as J;
    if depth > 64 {
        return Err(value_err("JSON nested too deeply"));
    }
    Ok(match j {
        J::Null => Value::None,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(t) => s(t),
        J::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for x in items {
                out.push(from_json(cx, x, depth + 1)?);
            }
            cx.charge_mem(out.len() * 24)?;
            cx.heap_mut().new_list(out)
        }
        J::Object(m) => {
            let mut items = Vec::with_capacity(m.len());
            for (k, v) in m {
                items.push((s(k), from_json(cx, v, depth + 1)?));
            }
            cx.charge_mem(items.len() * 72)?;
            dict(cx, items)?
        }
    })
}

/// `update_terms(dictionary, auto=False, language='*')`: adds (or replaces) vocabulary terms
/// for the screens to come, in `_da_internal['terms' | 'autoterms'][language]`.
fn update_terms(cx: &mut Interp<'_>, args: &Args) -> PyResult<()> {
    let given = req(args, 0, "dictionary", "update_terms")?.clone();
    let auto = match args.get(1, "auto") {
        Some(v) => {
            let v = v.clone();
            cx.truthy(&v)?
        }
        None => false,
    };
    let language = arg_str(cx, args, 2, "language")?.unwrap_or_else(|| "*".to_string());
    let mut pairs: Vec<(Value, Value)> = Vec::new();
    let kind = |cx: &Interp<'_>, v: &Value| match v {
        Value::Ref(id) => cx.heap().get(*id).map(|o| match o.kind {
            pyeval::ObjKind::List(_) => "list",
            pyeval::ObjKind::Dict(_) => "dict",
            _ => "",
        }),
        _ => None,
    };
    let items = if kind(cx, &given) == Some("list") {
        cx.collect(&given)?
    } else {
        vec![given]
    };
    for item in items {
        if kind(cx, &item) != Some("dict") {
            return Err(super::super::support::da_err(
                "update_terms: terms organized as a list must be a list of dictionary items.",
            ));
        }
        let phrases = Value::str("phrases");
        if cx.len(&item)? == 2 && cx.contains(&item, &phrases)? {
            let list = cx.get_item(&item, &phrases)?;
            let def = cx.get_item(&item, &Value::str("definition"))?;
            for p in cx.collect(&list)? {
                pairs.push((p, def.clone()));
            }
            continue;
        }
        for k in cx.collect(&item)? {
            let v = cx.get_item(&item, &k)?;
            pairs.push((k, v));
        }
    }
    let slot = if auto { "autoterms" } else { "terms" };
    let by_lang = internal(cx, slot, |cx| Ok(cx.heap_mut().new_dict(Dict::new())))?;
    let lang = Value::str(&language);
    if !cx.contains(&by_lang, &lang)? {
        let d = cx.heap_mut().new_dict(Dict::new());
        cx.set_item(&by_lang, &lang, d)?;
    }
    let terms = cx.get_item(&by_lang, &lang)?;
    for (k, v) in pairs {
        let phrase = cx.to_str(&k)?.to_lowercase();
        let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
        let def = cx.to_str(&v)?;
        cx.set_item(&terms, &Value::str(&phrase), Value::str(&def))?;
    }
    Ok(())
}
