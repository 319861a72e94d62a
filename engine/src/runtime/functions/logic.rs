//! Interview-logic functions: `need`, `force_ask`, `force_gather`, `reconsider`, `undefine`,
//! `invalidate`, `define`, `validation_error`, `message`, `response`, `json_response`,
//! `command`, `re_run_logic`, `set_parts`, `set_progress`, `get_progress`, `set_language`,
//! `get_language`, `user_logged_in`, `user_has_privilege`, `log`, `prevent_going_back` …
//! Those that change the flow record a [`Signal`] and raise its kind (see [`super::super::signals`]).

use pyeval::{Args, Flow, Interp, Name, PatSeg, PathPattern, PyResult, Value};

use super::super::host::DaHost;
use super::super::signals::{self, Signal};
use super::super::support::{self, arg_str, closed, kw_bool, kw_str, req, s, type_err, value_err};
use super::json;

enum Target {
    Global(Name),
    Attr(Value, Name),
    Item(Value, Value),
}

/// Resolves the assignment target of a variable name (`a`, `a.b`, `a[i]`, `a['k']`),
/// evaluating its parent.
fn target(cx: &mut Interp<'_>, var: &str) -> PyResult<Target> {
    let pat = PathPattern::parse(var).map_err(|e| value_err(e.0))?;
    let Some((last, init)) = pat.segs.split_last() else {
        return Ok(Target::Global(pat.root));
    };
    let parent = cx.eval_pattern(&PathPattern {
        root: pat.root.clone(),
        segs: init.to_vec(),
    })?;
    Ok(match last {
        PatSeg::Attr(a) => Target::Attr(parent, a.clone()),
        PatSeg::Index(i) => Target::Item(parent, Value::Int(*i)),
        PatSeg::Key(k) => Target::Item(parent, Value::Str(k.clone())),
        PatSeg::Var(n) => {
            let k = cx.lookup(n)?;
            Target::Item(parent, k)
        }
    })
}

/// Deletes a variable if it is defined; returns whether something was deleted.
pub fn undefine_var(cx: &mut Interp<'_>, var: &str) -> PyResult<bool> {
    let t = match target(cx, var) {
        Ok(t) => t,
        Err(Flow::Needs(_)) => return Ok(false),
        Err(Flow::Raise(e))
            if matches!(
                e.kind.as_str(),
                "AttributeError" | "KeyError" | "IndexError" | "NameError"
            ) =>
        {
            return Ok(false);
        }
        Err(e) => return Err(e),
    };
    Ok(match t {
        Target::Global(n) => cx.state_mut().remove(&n).is_some(),
        Target::Attr(obj, a) => match obj.as_ref_id() {
            Some(id) if cx.heap().instance(id).is_some() => support::del(cx, id, &a),
            _ => false,
        },
        Target::Item(obj, k) => {
            let present = match obj
                .as_ref_id()
                .and_then(|id| cx.heap().instance(id).map(|_| id))
            {
                Some(id) => {
                    // a DAList/DADict: look at its elements without triggering gathering
                    let el = support::raw(cx, id, "elements").unwrap_or(Value::None);
                    present_in(cx, &el, &k)?
                }
                None => present_in(cx, &obj, &k)?,
            };
            if present {
                match obj
                    .as_ref_id()
                    .and_then(|id| cx.heap().instance(id).map(|_| id))
                {
                    Some(id) => {
                        let el = support::raw(cx, id, "elements").unwrap_or(Value::None);
                        cx.del_item(&el, &k)?;
                    }
                    None => cx.del_item(&obj, &k)?,
                }
            }
            present
        }
    })
}

fn present_in(cx: &mut Interp<'_>, container: &Value, k: &Value) -> PyResult<bool> {
    let Some(id) = container.as_ref_id() else {
        return Ok(false);
    };
    Ok(match cx.heap().get(id).map(|o| &o.kind) {
        Some(pyeval::ObjKind::List(l)) => k.as_int().is_some_and(|i| {
            let n = l.len() as i64;
            (-n..n).contains(&i)
        }),
        Some(pyeval::ObjKind::Dict(_)) => cx.contains(container, k)?,
        _ => false,
    })
}

/// Assigns `value` to a variable name (docassemble's `define(var, value)`).
pub fn define_var(cx: &mut Interp<'_>, var: &str, value: Value) -> PyResult<()> {
    match target(cx, var)? {
        Target::Global(n) => {
            cx.assign_name(&n, value);
            Ok(())
        }
        Target::Attr(obj, a) => cx.set_attr(&obj, &a, value),
        Target::Item(obj, k) => cx.set_item(&obj, &k, value),
    }
}

fn names(cx: &mut Interp<'_>, pargs: &[Value]) -> PyResult<Vec<String>> {
    let mut out = Vec::new();
    for p in pargs {
        match p {
            Value::Str(t) => out.push(t.to_string()),
            Value::Tuple(_) => {
                for x in cx.collect(p)? {
                    out.push(cx.to_str(&x)?);
                }
            }
            Value::Ref(id) if cx.heap().list(*id).is_some() => {
                for x in cx.collect(p)? {
                    out.push(cx.to_str(&x)?);
                }
            }
            Value::Ref(_) => out.push(json::dumps(cx, p)?),
            other => {
                return Err(type_err(format!(
                    "expected a variable name, not {}",
                    cx.repr(other)?
                )));
            }
        }
    }
    Ok(out)
}

fn raise(h: &DaHost, kind: &str, message: String, signal: Signal) -> Flow {
    h.effects_mut().signal = Some(signal);
    Flow::raise(kind, message)
}

/// The `_da_internal` slot of the messages `log(message, priority)` shows the user: a list of
/// `[priority, message]` lists, taken by the engine into the next screen.
pub const MESSAGE_LOG: &str = "message_log";

/// The `_da_internal` slot of the block ids `forget_result_of()` named: a list of texts the
/// engine takes before its next pass.
pub const FORGET_RESULT_OF: &str = "forget_result_of";

/// The logic functions; `None` if `name` is not one of them.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    let r = match name {
        // The arguments were evaluated (and so defined) before the call.
        "need" => Value::Bool(true),
        "force_ask" | "force_gather" => {
            let list = names(cx, &args.pos)?;
            let first = list.first().cloned().unwrap_or_default();
            let forget_prior = kw_bool(cx, args, "forget_prior", false)?;
            return Err(raise(
                h,
                signals::FORCE_ASK,
                format!("name '{first}' is not defined"),
                Signal::ForceAsk {
                    names: list,
                    gather: name == "force_gather",
                    forget_prior,
                },
            ));
        }
        // docassemble's explanations: `_internal['explanations'][category]`, a list of texts
        "explain" | "clear_explanations" | "logic_explanation" => {
            let (category_at, category_kw) = if name == "explain" {
                (1, "category")
            } else {
                (0, "category")
            };
            let category = match args.get(category_at, category_kw) {
                Some(v) => cx.to_str(v)?,
                None => "default".to_string(),
            };
            let all = super::server::internal(cx, "explanations", |cx| {
                Ok(cx.heap_mut().new_dict(pyeval::Dict::new()))
            })?;
            let key = Value::str(&category);
            if name == "clear_explanations" {
                if category == "all" {
                    cx.call_method(&all, "clear", Args::default())?;
                } else if cx.contains(&all, &key)? {
                    let empty = cx.heap_mut().new_list(Vec::new());
                    cx.set_item(&all, &key, empty)?;
                }
                return Ok(Some(Value::None));
            }
            if !cx.contains(&all, &key)? {
                if name == "logic_explanation" {
                    return Ok(Some(cx.heap_mut().new_list(Vec::new())));
                }
                let empty = cx.heap_mut().new_list(Vec::new());
                cx.set_item(&all, &key, empty)?;
            }
            let list = cx.get_item(&all, &key)?;
            if name == "logic_explanation" {
                return Ok(Some(list));
            }
            let text = req(args, 0, "the_explanation", name)?.clone();
            if !cx.contains(&list, &text)? {
                cx.call_method(&list, "append", Args::new(vec![text]))?;
            }
            Value::None
        }
        // a decorator: an undefined variable inside the function is an error (`DAError`)
        // instead of a question asking for it
        "prevent_dependency_satisfaction" => match args.pos.first() {
            Some(Value::Func(f)) => {
                let mut f = f.clone();
                std::sync::Arc::make_mut(&mut f).no_dependency_satisfaction = true;
                Value::Func(f)
            }
            Some(_) | None => {
                return Err(type_err(
                    "prevent_dependency_satisfaction() takes a function",
                ));
            }
        },
        "reconsider" => {
            let list = names(cx, &args.pos)?;
            for var in list {
                if !h.mark_reconsidered(&var) {
                    continue;
                }
                undefine_var(cx, &var)?;
                h.effects_mut().undefined.push(var.clone());
                h.effects_mut().reconsidered.push(var.clone());
                let pat = PathPattern::parse(&var).map_err(|e| value_err(e.0))?;
                cx.eval_pattern(&pat).map_err(closed)?;
            }
            Value::None
        }
        "undefine" | "invalidate" => {
            let list = names(cx, &args.pos)?;
            let inval = name == "invalidate" || kw_bool(cx, args, "invalidate", false)?;
            for var in list {
                undefine_var(cx, &var)?;
                let mut e = h.effects_mut();
                e.undefined.push(var.clone());
                if inval {
                    e.invalidated.push(var);
                }
            }
            Value::None
        }
        "forget_result_of" => {
            // The engine forgets these blocks' results before its next pass.
            let ids = names(cx, &args.pos)?;
            let list = super::server::internal(cx, FORGET_RESULT_OF, |cx| {
                Ok(cx.heap_mut().new_list(Vec::new()))
            })?;
            let mut items = cx.collect(&list)?;
            items.extend(ids.iter().map(|i| Value::str(i)));
            let list = cx.heap_mut().new_list(items);
            super::server::set_internal(cx, FORGET_RESULT_OF, list)?;
            Value::None
        }
        "define" => {
            let var = support::arg_str(cx, args, 0, "var")?.unwrap_or_default();
            let v = req(args, 1, "val", name)?.clone();
            define_var(cx, &var, v)?;
            Value::None
        }
        "re_run_logic" => {
            return Err(raise(h, signals::RERUN, String::new(), Signal::ReRun));
        }
        "validation_error" => {
            let message = arg_str(cx, args, 0, "message")?.unwrap_or_default();
            let field = kw_str(cx, args, "field")?;
            return Err(raise(
                h,
                signals::VALIDATION,
                message.clone(),
                Signal::Validation { message, field },
            ));
        }
        "message" => {
            let title = arg_str(cx, args, 0, "title")?.unwrap_or_default();
            let subtitle = arg_str(cx, args, 1, "subtitle")?.unwrap_or_default();
            let mut options = Vec::new();
            for (k, v) in &args.kw {
                if !matches!(&**k, "title" | "subtitle") {
                    options.push((k.to_string(), cx.to_str(v)?));
                }
            }
            return Err(raise(
                h,
                signals::RESPONSE,
                title.clone(),
                Signal::Message {
                    title,
                    subtitle,
                    options,
                },
            ));
        }
        "response" | "json_response" => {
            let (body, ct) = if name == "json_response" {
                let v = req(args, 0, "data", name)?.clone();
                (json::dumps(cx, &v)?, "application/json".to_string())
            } else {
                let body = match args.get(0, "response") {
                    Some(v) => {
                        let v = v.clone();
                        cx.to_str(&v)?
                    }
                    None => match kw_str(cx, args, "binaryresponse")? {
                        Some(b) => b,
                        None => {
                            return Err(Flow::raise(
                                "NotImplementedError",
                                "response() with file= or url= is not supported in this runtime",
                            ));
                        }
                    },
                };
                let ct = kw_str(cx, args, "content_type")?
                    .unwrap_or_else(|| "text/plain; charset=utf-8".into());
                (body, ct)
            };
            let status = args.kw("response_code").and_then(Value::as_int);
            return Err(raise(
                h,
                signals::RESPONSE,
                String::new(),
                Signal::Response {
                    body,
                    content_type: ct,
                    status,
                },
            ));
        }
        "command" => {
            let command = arg_str(cx, args, 0, "command")?.unwrap_or_else(|| "exit".into());
            let url = kw_str(cx, args, "url")?;
            return Err(raise(
                h,
                signals::RESPONSE,
                command.clone(),
                Signal::Command { command, url },
            ));
        }
        "set_parts" => {
            for (k, v) in &args.kw {
                let t = cx.to_str(v)?;
                h.effects_mut().parts.push((k.to_string(), t));
            }
            Value::None
        }
        "set_progress" => {
            let v = req(args, 0, "number", name)?.clone();
            h.effects_mut().progress = support::num(&v);
            Value::None
        }
        "get_progress" => h.effects().progress.map_or(Value::None, Value::Float),
        "set_language" => {
            let l = arg_str(cx, args, 0, "lang")?.unwrap_or_else(|| "en".into());
            h.set_language(&l);
            Value::None
        }
        "get_language" => s(h.language()),
        "get_dialect" | "get_voice" => Value::None,
        "get_country" => s(&h.config().country),
        "get_locale" => s("en_US.UTF-8"),
        "user_logged_in" => Value::Bool(h.config().logged_in),
        "user_privileges" => {
            let p = if h.config().logged_in {
                h.config().privileges.clone()
            } else {
                vec!["user".into()]
            };
            let items = p.iter().map(s).collect();
            cx.heap_mut().new_list(items)
        }
        "user_has_privilege" => {
            let want = names(cx, &args.pos)?;
            let have = &h.config().privileges;
            Value::Bool(h.config().logged_in && want.iter().any(|w| have.contains(w)))
        }
        "log" => {
            let m = arg_str(cx, args, 0, "message")?.unwrap_or_default();
            let priority = arg_str(cx, args, 1, "priority")?.unwrap_or_else(|| "log".into());
            if priority != "log" {
                // Shown to the user on the next screen (docassemble's message log).
                let queue = super::server::internal(cx, MESSAGE_LOG, |cx| {
                    Ok(cx.heap_mut().new_list(Vec::new()))
                })?;
                let entry = cx
                    .heap_mut()
                    .new_list(vec![Value::str(&priority), Value::str(&m)]);
                cx.call_method(&queue, "append", Args::new(vec![entry]))?;
            }
            h.effects_mut().log.push(m);
            Value::None
        }
        "prevent_going_back" => {
            h.effects_mut().prevent_going_back = true;
            Value::None
        }
        "set_save_status" => {
            let v = req(args, 0, "status", name)?.clone();
            h.effects_mut().save_status = Some(v);
            Value::None
        }
        // The engine processes actions at the start of every pass.
        "process_action" => Value::None,
        "interface" => s("web"),
        "device" => super::server::device(cx, args),
        "get_config" => args.get(1, "default").cloned().unwrap_or(Value::None),
        "_da_using" => {
            let class = match req(args, 0, "cls", name)? {
                Value::Class(c) => c.clone(),
                other => match cx.class_name(other) {
                    Some(c) => c,
                    None => return Err(type_err("using() must be called on a class")),
                },
            };
            let params: Vec<(Name, Value)> = args.kw.clone();
            super::super::using::encode(cx, &class, &params)?
        }
        _ => return Ok(None),
    };
    Ok(Some(r))
}
