//! URLs and actions: `url_action`, `interview_url`, `url_of`, `action_argument(s)`,
//! `action_menu_item`, `action_button_html`. URLs are built from
//! [`crate::runtime::RuntimeConfig`] (`interview_url`, `interview_name`, `static_url`) in
//! docassemble's format: `url_action('go', x=1)` →
//! `/interview?action=<base64 of {"action": "go", "arguments": {"x": 1}}>&i=<interview>`.

use pyeval::{Args, Dict, Interp, Key, Name, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{self, arg_str, da_err, kw_bool, req, s};
use super::json;

/// `url_action(action, **kwargs)`.
pub fn url_action(
    h: &DaHost,
    cx: &mut Interp<'_>,
    action: &str,
    kwargs: Vec<(Name, Value)>,
) -> PyResult<String> {
    if action.starts_with("x.") || action.starts_with("x[") || {
        let b = action.as_bytes();
        b.windows(3)
            .any(|w| w[0] == b'[' && b"ijklmn".contains(&w[1]) && w[2] == b']')
    } {
        return Err(da_err(
            "url_action cannot be used with a generic object or a variable iterator",
        ));
    }
    let mut kwargs = kwargs;
    let mut action = action.to_string();
    if let Some(i) = kwargs.iter().position(|(k, _)| &**k == "_forget_prior") {
        let (_, v) = kwargs.remove(i);
        if cx.truthy(&v)? {
            let inner = dict_of(cx, &kwargs);
            kwargs = vec![
                (Name::from("_action"), s(&action)),
                (Name::from("_arguments"), inner),
            ];
            action = "_da_priority_action".into();
        }
    }
    let args = dict_of(cx, &kwargs);
    let mut payload = String::from("{\"action\": ");
    json::string(&action, &mut payload);
    payload.push_str(", \"arguments\": ");
    payload.push_str(&json::dumps(cx, &args)?);
    payload.push('}');
    let c = h.config();
    Ok(format!(
        "{}?action={}&i={}",
        c.interview_url,
        json::quote(&json::b64(payload.as_bytes())),
        json::quote(&c.interview_name)
    ))
}

fn dict_of(cx: &mut Interp<'_>, kw: &[(Name, Value)]) -> Value {
    let mut d = Dict::new();
    for (k, v) in kw {
        d.insert(Key::Str(k.clone()), Value::Str(k.clone()), v.clone());
    }
    cx.heap_mut().new_dict(d)
}

/// The URL of a static file reference (`docassemble.demo:data/static/x.png` or `x.png`).
pub fn static_url(h: &DaHost, reference: &str) -> String {
    let base = &h.config().static_url;
    match reference.split_once(':') {
        Some((pkg, path)) if !reference.contains("://") => {
            let path = path.trim_start_matches("data/static/");
            format!("{base}/{pkg}/{path}")
        }
        _ if reference.contains("://") => reference.to_string(),
        _ => format!("{base}/{}", reference.trim_start_matches("data/static/")),
    }
}

fn query(cx: &mut Interp<'_>, kw: &[(Name, Value)]) -> PyResult<String> {
    let mut out = String::new();
    for (k, v) in kw {
        if k.starts_with('_') || &**k == "local" {
            continue;
        }
        let t = cx.to_str(v)?;
        out.push('&');
        out.push_str(&json::quote(k));
        out.push('=');
        out.push_str(&json::quote(&t));
    }
    Ok(out)
}

/// The web functions; `None` if `name` is not one of them.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    let r = match name {
        "url_action" => {
            let a = cx.to_str(req(args, 0, "action", name)?)?;
            s(url_action(h, cx, &a, args.kw.clone())?)
        }
        "interview_url_action" => {
            let a = cx.to_str(req(args, 0, "action", name)?)?;
            s(url_action(h, cx, &a, args.kw.clone())?)
        }
        "interview_url" => {
            let c = h.config();
            let i = match args.kw("i") {
                Some(v) => {
                    let v = v.clone();
                    cx.to_str(&v)?
                }
                None => c.interview_name.clone(),
            };
            let rest: Vec<(Name, Value)> = args
                .kw
                .iter()
                .filter(|(k, _)| &**k != "i")
                .cloned()
                .collect();
            let q = query(cx, &rest)?;
            s(format!("{}?i={}{q}", c.interview_url, json::quote(&i)))
        }
        "url_of" => {
            let r = cx.to_str(req(args, 0, "file_reference", name)?)?;
            let c = h.config();
            let url = match r.as_str() {
                "root" | "home" => "/".to_string(),
                "restart" => format!(
                    "{}?i={}&reset=1",
                    c.interview_url,
                    json::quote(&c.interview_name)
                ),
                "new_session" => format!(
                    "{}?i={}&new_session=1",
                    c.interview_url,
                    json::quote(&c.interview_name)
                ),
                "exit" | "leave" | "logout" | "exit_logout" => format!("/{r}"),
                "login" | "signin" => "/user/sign-in".into(),
                "register" => "/user/register".into(),
                "profile" => "/user/profile".into(),
                "interviews" => "/interviews".into(),
                "help" => format!(
                    "{}?i={}#help",
                    c.interview_url,
                    json::quote(&c.interview_name)
                ),
                "interview" | "flex_interview" => c.interview_url.clone(),
                other => static_url(h, other),
            };
            let q = query(cx, &args.kw)?;
            let q = if !q.is_empty() && !url.contains('?') {
                q.replacen('&', "?", 1)
            } else {
                q
            };
            s(format!("{url}{q}"))
        }
        "action_argument" => {
            let action = h.action();
            match arg_str(cx, args, 0, "item")? {
                None => action.map_or(Value::None, |(a, _)| s(a)),
                Some(item) => match action {
                    Some((_, argd)) if !argd.is_none() => {
                        let k = s(&item);
                        if cx.contains(&argd, &k)? {
                            cx.get_item(&argd, &k)?
                        } else {
                            Value::None
                        }
                    }
                    _ => Value::None,
                },
            }
        }
        "action_arguments" => match h.action() {
            Some((_, argd)) if !argd.is_none() => {
                let keys = cx.collect(&argd)?;
                let mut d = Dict::new();
                for k in keys {
                    if k.as_str().is_some_and(|t| t.starts_with('_')) {
                        continue;
                    }
                    let v = cx.get_item(&argd, &k)?;
                    d.insert(support::key(cx, &k)?, k, v);
                }
                cx.heap_mut().new_dict(d)
            }
            _ => cx.heap_mut().new_dict(Dict::new()),
        },
        "action_menu_item" => {
            let label = cx.to_str(req(args, 0, "label", name)?)?;
            let action = cx.to_str(req(args, 1, "action", name)?)?;
            let mut kw = args.kw.clone();
            let size = kw
                .iter()
                .position(|(k, _)| &**k == "_screen_size")
                .map(|i| kw.remove(i).1);
            let url = url_action(h, cx, &action, kw)?;
            let mut d = Dict::new();
            d.insert(Key::Str("label".into()), s("label"), s(label));
            d.insert(Key::Str("url".into()), s("url"), s(url));
            if let Some(sz) = size {
                d.insert(Key::Str("screen_size".into()), s("screen_size"), sz);
            }
            cx.heap_mut().new_dict(d)
        }
        "action_button_html" => s(action_button_html(cx, args)?),
        "referring_url" => s(&h.config().interview_url),
        _ => return Ok(None),
    };
    Ok(Some(r))
}

fn action_button_html(cx: &mut Interp<'_>, args: &Args) -> PyResult<String> {
    let url = cx.to_str(req(args, 0, "url", "action_button_html")?)?;
    let color = support::kw_str(cx, args, "color")?.unwrap_or_else(|| "success".into());
    let color = if matches!(
        color.as_str(),
        "primary"
            | "secondary"
            | "tertiary"
            | "success"
            | "danger"
            | "warning"
            | "info"
            | "light"
            | "dark"
            | "link"
    ) {
        color
    } else {
        "dark".into()
    };
    let size = match support::kw_str(cx, args, "size")?.as_deref() {
        Some("md") => String::new(),
        Some("lg") => " btn-lg".into(),
        _ => " btn-sm".into(),
    };
    let block = if kw_bool(cx, args, "block", false)? {
        " btn-block"
    } else {
        ""
    };
    let classname =
        support::kw_str(cx, args, "classname")?.map_or(String::new(), |c| format!(" {c}"));
    let icon = match args.kw("icon") {
        Some(Value::Str(i)) => {
            let i = i.to_string();
            let prefixed = i.len() > 4 && i.starts_with("fa") && i.as_bytes()[3] == b' ';
            let i = if prefixed {
                i
            } else {
                format!("fa-solid fa-{i}")
            };
            let i = i
                .replacen("fas ", "fa-solid ", 1)
                .replacen("far ", "fa-regular ", 1)
                .replacen("fab ", "fa-brands ", 1);
            format!("<i class=\"{i}\"></i> ")
        }
        _ => String::new(),
    };
    let target = match args.kw("new_window") {
        Some(Value::Bool(true)) => "target=\"_blank\" ".to_string(),
        Some(Value::Bool(false)) => "target=\"_self\" ".to_string(),
        Some(Value::None) | None => String::new(),
        Some(v) => {
            let v = v.clone();
            format!("target=\"{}\" ", cx.to_str(&v)?)
        }
    };
    let id_tag = match support::kw_str(cx, args, "id_tag")? {
        Some(t) => {
            let mut q = String::new();
            json::string(&t, &mut q);
            format!(" id={q}")
        }
        None => String::new(),
    };
    let label = support::kw_str(cx, args, "label")?.unwrap_or_else(|| "Edit".into());
    Ok(format!(
        "<a {target}href=\"{url}\"{id_tag} class=\"btn{size}{block} btn-{color} btn-darevisit{classname}\">{icon}{label}</a> "
    ))
}
