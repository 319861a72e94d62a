//! `DAStore` and `DARedis`: docassemble's server-side key/value stores.
//!
//! In docassemble they live outside the session (SQL for `DAStore`, Redis for `DARedis`), so
//! other sessions and users can read them. This runtime has no shared store: both keep their
//! data **inside the session's state** (in `_da_internal`), so a value is visible only to the
//! session that stored it, for as long as the session lives. Within a session they behave as
//! docassemble's: `DAStore` keys are scoped by `base` (`user`, `session`, `interview`,
//! `global` or any prefix) and values are stored and read back as copies (docassemble
//! pickles them); `DARedis` offers `key()`, `get()`/`set()` (bytes, here [`BYTES`] objects),
//! `get_data()`/`set_data()` (objects), `delete()`, `exists()`, `keys()`, `incr()` and
//! `expire()` (no expiry: the data ends with the session).

use pyeval::{Args, Interp, ObjId, PyResult, Value};

use super::super::functions::server;
use super::super::host::DaHost;
use super::super::support::{self, req, s};
use super::object::snapshot;

/// The class of what `DARedis.get()` returns: a bytes value, with `decode()`.
pub const BYTES: &str = "DARedisBytes";

/// The classes of this module and their parents.
pub const CLASSES: &[(&str, &str)] = &[
    ("DAStore", "DAObject"),
    ("DARedis", "DAObject"),
    (BYTES, ""),
];

fn data(cx: &mut Interp<'_>, slot: &str) -> PyResult<Value> {
    server::internal(cx, slot, |cx| {
        Ok(cx.heap_mut().new_dict(pyeval::Dict::new()))
    })
}

/// docassemble's `DAStore._get_base_key()`.
fn base_key(h: &DaHost, cx: &mut Interp<'_>, id: ObjId) -> PyResult<String> {
    let base = match support::raw(cx, id, "base") {
        Some(v) => cx.to_str(&v)?,
        None => "user".to_string(),
    };
    let c = h.config();
    Ok(match base.as_str() {
        "interview" => format!("da:i:{}", c.interview_name),
        "user" => "da:userid".to_string(),
        "session" => format!("da:uid:{}:i:{}", c.session_id, c.interview_name),
        "global" => "da:global".to_string(),
        other => other.to_string(),
    })
}

fn store_key(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    args: &Args,
    func: &str,
) -> PyResult<Value> {
    let key = cx.to_str(req(args, 0, "key", func)?)?;
    Ok(s(format!("{}:{key}", base_key(h, cx, id)?)))
}

/// `DAStore` methods.
pub fn store_method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    Ok(Some(match name {
        "defined" => {
            let key = store_key(h, cx, id, args, name)?;
            let d = data(cx, "store")?;
            Value::Bool(cx.contains(&d, &key)?)
        }
        "get" => {
            let key = store_key(h, cx, id, args, name)?;
            let d = data(cx, "store")?;
            if cx.contains(&d, &key)? {
                let v = cx.get_item(&d, &key)?;
                snapshot(cx, &v)?
            } else {
                Value::None
            }
        }
        "set" => {
            let key = store_key(h, cx, id, args, name)?;
            let v = req(args, 1, "the_value", name)?.clone();
            let copy = snapshot(cx, &v)?;
            let d = data(cx, "store")?;
            cx.set_item(&d, &key, copy)?;
            Value::None
        }
        "delete" => {
            let key = store_key(h, cx, id, args, name)?;
            let d = data(cx, "store")?;
            if cx.contains(&d, &key)? {
                cx.del_item(&d, &key)?;
            }
            Value::None
        }
        "keys" => {
            let prefix = format!("{}:", base_key(h, cx, id)?);
            let d = data(cx, "store")?;
            let mut keys = Vec::new();
            for k in cx.collect(&d)? {
                if let Some(rest) = k.as_str().and_then(|k| k.strip_prefix(&prefix)) {
                    keys.push(s(rest));
                }
            }
            cx.heap_mut().new_list(keys)
        }
        "is_encrypted" => match support::raw(cx, id, "encrypted") {
            Some(v) => Value::Bool(cx.truthy(&v)?),
            None => {
                let base = match support::raw(cx, id, "base") {
                    Some(v) => cx.to_str(&v)?,
                    None => "user".to_string(),
                };
                Value::Bool(matches!(base.as_str(), "user" | "session"))
            }
        },
        _ => return Ok(None),
    }))
}

fn bytes(cx: &mut Interp<'_>, text: &str) -> Value {
    let id = cx.heap_mut().new_instance(BYTES, None);
    cx.heap_mut().set_attr(id, "_text", s(text));
    Value::Ref(id)
}

/// The text of a `DARedisBytes` value.
fn bytes_text(cx: &Interp<'_>, id: ObjId) -> String {
    support::raw(cx, id, "_text")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// What `DARedis.set()` stores for a value: the text of bytes, or `str()` of anything else
/// (redis-py encodes numbers and strings the same way).
fn redis_text(cx: &mut Interp<'_>, v: &Value) -> PyResult<String> {
    if let Value::Ref(id) = v {
        if cx.heap().instance(*id).is_some_and(|i| &*i.class == BYTES) {
            return Ok(bytes_text(cx, *id));
        }
    }
    cx.to_str(v)
}

/// `DARedis` methods.
pub fn redis_method(
    h: &DaHost,
    cx: &mut Interp<'_>,
    _id: ObjId,
    name: &str,
    args: &Args,
) -> PyResult<Option<Value>> {
    let key = |cx: &mut Interp<'_>, func: &str| -> PyResult<Value> {
        let k = req(args, 0, "key", func)?.clone();
        Ok(s(redis_text(cx, &k)?))
    };
    Ok(Some(match name {
        "key" => {
            let k = cx.to_str(req(args, 0, "keyname", name)?)?;
            s(format!("{}:{k}", h.config().interview_name))
        }
        "get" => {
            let k = key(cx, name)?;
            let d = data(cx, "redis")?;
            if cx.contains(&d, &k)? {
                match cx.get_item(&d, &k)? {
                    Value::Str(t) => bytes(cx, &t),
                    // Stored with set_data(): redis would return the pickle.
                    _ => {
                        return Err(support::value_err(
                            "DARedis.get(): the key holds an object stored with set_data(); use get_data()",
                        ));
                    }
                }
            } else {
                Value::None
            }
        }
        "set" => {
            let k = key(cx, name)?;
            let v = req(args, 1, "value", name)?.clone();
            let text = s(redis_text(cx, &v)?);
            let d = data(cx, "redis")?;
            cx.set_item(&d, &k, text)?;
            Value::Bool(true)
        }
        "get_data" => {
            let k = key(cx, name)?;
            let d = data(cx, "redis")?;
            if cx.contains(&d, &k)? {
                let v = cx.get_item(&d, &k)?;
                snapshot(cx, &v)?
            } else {
                Value::None
            }
        }
        "set_data" => {
            let k = key(cx, name)?;
            let v = req(args, 1, "data", name)?.clone();
            if let Some(e) = args.get(2, "expire").filter(|e| !e.is_none()) {
                if !matches!(e, Value::Int(_)) {
                    return Err(support::da_err("set_data: expire time must be an integer"));
                }
            }
            let copy = snapshot(cx, &v)?;
            let d = data(cx, "redis")?;
            cx.set_item(&d, &k, copy)?;
            Value::None
        }
        "delete" => {
            let d = data(cx, "redis")?;
            let mut n = 0;
            for k in args.pos.clone() {
                let k = s(redis_text(cx, &k)?);
                if cx.contains(&d, &k)? {
                    cx.del_item(&d, &k)?;
                    n += 1;
                }
            }
            Value::Int(n)
        }
        "exists" => {
            let d = data(cx, "redis")?;
            let mut n = 0;
            for k in args.pos.clone() {
                let k = s(redis_text(cx, &k)?);
                n += i64::from(cx.contains(&d, &k)?);
            }
            Value::Int(n)
        }
        "keys" => {
            let pattern = match args.get(0, "pattern") {
                Some(p) => redis_text(cx, &p.clone())?,
                None => "*".to_string(),
            };
            let d = data(cx, "redis")?;
            let mut out = Vec::new();
            for k in cx.collect(&d)? {
                if let Some(k) = k.as_str().filter(|k| glob(&pattern, k)) {
                    out.push(bytes(cx, k));
                }
            }
            cx.heap_mut().new_list(out)
        }
        "incr" | "incrby" => {
            let k = key(cx, name)?;
            let by = match args.get(1, "amount") {
                Some(v) => v
                    .as_int()
                    .ok_or_else(|| support::value_err("value is not an integer or out of range"))?,
                None => 1,
            };
            let d = data(cx, "redis")?;
            let now = if cx.contains(&d, &k)? {
                let v = cx.get_item(&d, &k)?;
                cx.to_str(&v)?
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| support::value_err("value is not an integer or out of range"))?
            } else {
                0
            };
            let n = now.saturating_add(by);
            cx.set_item(&d, &k, s(n.to_string()))?;
            Value::Int(n)
        }
        // The data lasts as long as the session; there is nothing to expire.
        "expire" => {
            let k = key(cx, name)?;
            let d = data(cx, "redis")?;
            Value::Bool(cx.contains(&d, &k)?)
        }
        _ => return Ok(None),
    }))
}

/// `DARedisBytes` methods: `decode()`.
pub fn bytes_method(cx: &mut Interp<'_>, id: ObjId, name: &str) -> Option<Value> {
    match name {
        "decode" => Some(s(bytes_text(cx, id))),
        _ => None,
    }
}

/// `str()` of bytes: `b'…'`.
pub fn bytes_str(cx: &Interp<'_>, id: ObjId) -> String {
    let text = bytes_text(cx, id);
    format!("b'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Redis's glob patterns: `*`, `?` and literal characters.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == '?' || *c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn redis_glob_patterns() {
        assert!(glob("*", "anything"));
        assert!(glob("a.yml:*", "a.yml:key"));
        assert!(!glob("a.yml:*", "b.yml:key"));
        assert!(glob("k?y", "key"));
        assert!(!glob("k?y", "kesy"));
        assert!(glob("", ""));
    }
}
