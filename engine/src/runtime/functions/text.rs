//! Text and number functions: `comma_and_list`, `ordinal`, `nice_number`, `currency`,
//! `noun_plural`, `capitalize`, `title_case`, `indefinite_article`, verb forms, possessives …

use pyeval::{Args, Interp, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{arg_str, kw_bool, kw_str, num, req, s, type_err};
use super::words;

/// Options of `comma_and_list`.
#[derive(Debug, Clone)]
pub struct AndOptions {
    /// `and_string` (`and`).
    pub and_string: String,
    /// `comma_string` (`, `).
    pub comma_string: String,
    /// `oxford=False` drops the comma before "and".
    pub oxford: bool,
    /// `before_and` (` `).
    pub before_and: String,
    /// `after_and` (` `).
    pub after_and: String,
}

impl Default for AndOptions {
    fn default() -> Self {
        AndOptions {
            and_string: "and".into(),
            comma_string: ", ".into(),
            oxford: true,
            before_and: " ".into(),
            after_and: " ".into(),
        }
    }
}

impl AndOptions {
    /// Reads the keyword arguments.
    pub fn from_args(cx: &mut Interp<'_>, args: &Args) -> PyResult<Self> {
        let d = AndOptions::default();
        Ok(AndOptions {
            and_string: kw_str(cx, args, "and_string")?.unwrap_or(d.and_string),
            comma_string: kw_str(cx, args, "comma_string")?.unwrap_or(d.comma_string),
            oxford: !matches!(args.kw("oxford"), Some(Value::Bool(false))),
            before_and: kw_str(cx, args, "before_and")?.unwrap_or(d.before_and),
            after_and: kw_str(cx, args, "after_and")?.unwrap_or(d.after_and),
        })
    }
}

/// `comma_and_list` on strings: `a`, `a and b`, `a, b, and c`.
pub fn comma_and_list_str(items: &[String], o: &AndOptions) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        2 => format!(
            "{}{}{}{}{}",
            items[0], o.before_and, o.and_string, o.after_and, items[1]
        ),
        n => {
            let extra = if o.oxford { o.comma_string.trim() } else { "" };
            format!(
                "{}{}{}{}{}{}",
                items[..n - 1].join(&o.comma_string),
                extra,
                o.before_and,
                o.and_string,
                o.after_and,
                items[n - 1]
            )
        }
    }
}

/// The items of `comma_and_list`'s arguments: strings as themselves, iterables item by item,
/// anything else through `str()`.
pub fn list_items(cx: &mut Interp<'_>, pargs: &[Value]) -> PyResult<Vec<String>> {
    let mut out = Vec::new();
    for p in pargs {
        match p {
            Value::Str(t) => out.push(t.to_string()),
            Value::Tuple(_) | Value::Range(..) => {
                for x in cx.collect(p)? {
                    out.push(cx.to_str(&x)?);
                }
            }
            Value::Ref(id) => {
                let iterable = cx.heap().instance(*id).is_none()
                    || super::super::classes::is_collection(cx, *id);
                if iterable {
                    for x in cx.collect(p)? {
                        out.push(cx.to_str(&x)?);
                    }
                } else {
                    out.push(cx.to_str(p)?);
                }
            }
            other => out.push(cx.to_str(other)?),
        }
    }
    Ok(out)
}

/// `nice_number` on a float: words for integers 0–10 (unless `use_word=False`), else grouped
/// digits (`1,234`; `2.5`).
pub fn nice_number_str(x: f64, use_word: Option<bool>) -> String {
    // Python: float(decimal.Context(prec=8).create_decimal_from_float(x))
    let x = if x.is_finite() && x != 0.0 {
        let mag = x.abs().log10().floor() as i32;
        let scale = 10f64.powi(7 - mag);
        (x * scale).round() / scale
    } else {
        x
    };
    let is_int = x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15;
    if use_word == Some(true) || (is_int && (0.0..11.0).contains(&x) && use_word != Some(false)) {
        if is_int {
            return words::cardinal(x as i64);
        }
    }
    if is_int {
        return words::group_int(x as i64);
    }
    words::group_fixed(x, 2).trim_end_matches('0').to_string()
}

/// `number_or_length`: numbers as themselves, collections by length, else 2 if truthy, 1 if not.
fn number_or_length(cx: &mut Interp<'_>, v: &Value) -> PyResult<f64> {
    if let Value::Int(_) | Value::Float(_) | Value::Decimal(_) = v {
        return Ok(num(v).unwrap_or(0.0));
    }
    if let Value::Ref(id) = v {
        if cx.heap().instance(*id).is_none() || super::super::classes::is_collection(cx, *id) {
            return Ok(cx.len(v)? as f64);
        }
    }
    if let Value::Tuple(t) = v {
        return Ok(t.len() as f64);
    }
    Ok(if cx.truthy(v)? { 2.0 } else { 1.0 })
}

/// `noun_plural(noun, count)` on text: singular when `count == 1`.
pub fn noun_plural_str(noun: &str, count: Option<f64>, noun_is_singular: bool) -> String {
    let sg = if noun_is_singular {
        noun.to_string()
    } else {
        words::singularize(noun)
    };
    if count == Some(1.0) {
        return sg;
    }
    // docassemble singularizes first with pattern.en, which drops the final "s" of singular
    // nouns such as "witness", "status" or "analysis" and then adds it back: such nouns come
    // back unchanged ("the witness", never "the witnesses").
    if !noun_is_singular && sg == noun && noun.ends_with(['s', 'S']) {
        return sg;
    }
    words::pluralize(&sg)
}

/// `currency(value, decimals=True, symbol=None)` with en_US conventions.
pub fn currency_str(value: f64, decimals: bool, symbol: &str, explicit_symbol: bool) -> String {
    if decimals && !explicit_symbol {
        // locale.currency(x, symbol=True, grouping=True): the sign goes before the symbol
        let body = words::group_fixed(value.abs(), 2);
        return if value < 0.0 && body.chars().any(|c| c.is_ascii_digit() && c != '0') {
            format!("-{symbol}{body}")
        } else {
            format!("{symbol}{body}")
        };
    }
    if decimals {
        format!("{symbol}{}", words::group_fixed(value, 2))
    } else {
        format!("{symbol}{}", words::group_int(value.trunc() as i64))
    }
}

fn count_arg(cx: &mut Interp<'_>, args: &Args) -> PyResult<Option<f64>> {
    match args.pos.get(1) {
        Some(v) => {
            let v = v.clone();
            Ok(Some(number_or_length(cx, &v)?))
        }
        None => Ok(None),
    }
}

fn capped(cx: &mut Interp<'_>, args: &Args, out: String) -> PyResult<Value> {
    Ok(s(if kw_bool(cx, args, "capitalize", false)? {
        words::capitalize(&out)
    } else {
        out
    }))
}

fn first_str(cx: &mut Interp<'_>, args: &Args, name: &str, func: &str) -> PyResult<String> {
    let v = req(args, 0, name, func)?.clone();
    cx.to_str(&v)
}

fn int_arg(cx: &mut Interp<'_>, v: &Value) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        other => match num(other) {
            Some(f) => Ok(f.trunc() as i64),
            None => Err(type_err(format!(
                "expected a number, not {}",
                cx.repr(other)?
            ))),
        },
    }
}

/// The text functions; `None` if `name` is not one of them.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    let r = match name {
        "comma_and_list" => {
            let items = list_items(cx, &args.pos)?;
            let o = AndOptions::from_args(cx, args)?;
            s(comma_and_list_str(&items, &o))
        }
        "comma_list" => {
            let items = list_items(cx, &args.pos)?;
            let sep = kw_str(cx, args, "comma_string")?.unwrap_or_else(|| ", ".into());
            s(items.join(&sep))
        }
        "add_separators" => {
            let mut items: Vec<String> = list_items(cx, &args.pos)?
                .into_iter()
                .map(|x| x.trim_end().to_string())
                .collect();
            let sep = kw_str(cx, args, "separator")?.unwrap_or_else(|| ";".into());
            let last_sep = kw_str(cx, args, "last_separator")?.unwrap_or_else(|| "; and".into());
            let end = kw_str(cx, args, "end_mark")?.unwrap_or_else(|| ".".into());
            let marks: Vec<String> = vec![".".into(), "?".into(), "!".into()];
            let n = items.len();
            if n == 1 {
                items[0] = words::fix_punctuation(&items[0], &end, &marks);
            } else if n > 1 {
                for it in items.iter_mut().take(n - 2) {
                    let t = it.trim_end_matches(',').to_string();
                    *it = words::fix_punctuation(&t, &sep, &marks);
                }
                if !items[n - 2].ends_with(&last_sep) {
                    let first = last_sep.chars().next().unwrap_or(';');
                    let t = items[n - 2].trim_end_matches(first).to_string();
                    items[n - 2] = t + &last_sep;
                }
                items[n - 1] = words::fix_punctuation(&items[n - 1], &end, &marks);
            }
            let vals = items.iter().map(s).collect();
            cx.heap_mut().new_list(vals)
        }
        "ordinal" | "ordinal_number" => {
            let v = req(args, 0, "the_number", name)?.clone();
            let n = int_arg(cx, &v)? + i64::from(name == "ordinal");
            let use_word = match args.kw("use_word") {
                Some(Value::Bool(b)) => Some(*b),
                _ => None,
            };
            capped(cx, args, words::ordinal_number(n, use_word))?
        }
        "nice_number" => {
            let v = req(args, 0, "the_number", name)?.clone();
            let x = num(&v).ok_or_else(|| type_err("nice_number() requires a number"))?;
            let use_word = match args.kw("use_word") {
                Some(Value::Bool(b)) => Some(*b),
                _ => None,
            };
            capped(cx, args, nice_number_str(x, use_word))?
        }
        "number_to_word" => {
            let v = req(args, 0, "number", name)?.clone();
            let n = int_arg(cx, &v)?;
            let f = kw_str(cx, args, "function")?;
            let out = match f.as_deref() {
                Some("ordinal") => words::ordinal_word(n),
                Some("ordinal_num") => words::ordinal_num(n),
                _ => words::cardinal(n),
            };
            capped(cx, args, out)?
        }
        "noun_plural" => {
            let noun = first_str(cx, args, "noun", name)?;
            let count = count_arg(cx, args)?;
            let sg = kw_bool(cx, args, "noun_is_singular", false)?;
            capped(cx, args, noun_plural_str(&noun, count, sg))?
        }
        "noun_singular" => {
            let noun = first_str(cx, args, "noun", name)?;
            let count = count_arg(cx, args)?;
            if count.is_some_and(|c| c != 1.0) {
                s(noun)
            } else {
                capped(cx, args, words::singularize(&noun))?
            }
        }
        "quantity_noun" => {
            let v = req(args, 0, "the_number", name)?.clone();
            let noun = cx.to_str(req(args, 1, "noun", name)?)?;
            let mut x = num(&v).ok_or_else(|| type_err("quantity_noun() requires a number"))?;
            if !matches!(args.kw("as_integer"), Some(Value::Bool(false))) {
                x = x.round();
            }
            let out = format!(
                "{} {}",
                nice_number_str(x, None),
                noun_plural_str(&noun, Some(x), false)
            );
            capped(cx, args, out)?
        }
        "indefinite_article" => {
            let w = first_str(cx, args, "word", name)?;
            capped(cx, args, format!("{} {w}", words::article(&w)))?
        }
        "capitalize" => s(words::capitalize(&first_str(cx, args, "a", name)?)),
        "title_case" => s(words::title_case(&first_str(cx, args, "a", name)?)),
        "verb_present" | "verb_past" => {
            let v = first_str(cx, args, "verb", name)?;
            let tense = match arg_str(cx, args, 1, "tense")? {
                Some(t) => t,
                None if name == "verb_present" => "3sg".into(),
                None => "3sgp".into(),
            };
            let out = if name == "verb_present" {
                words::verb_present(&v, &tense)
            } else {
                words::verb_past(&v, &tense)
            };
            capped(cx, args, out)?
        }
        "currency" => {
            let mut v = req(args, 0, "value", name)?.clone();
            // docassemble's currency_default: the financial classes give their amount.
            match cx.class_name(&v).as_deref() {
                Some("FinancialList" | "PeriodicFinancialList") => {
                    v = cx.call_method(&v, "total", Args::default())?;
                }
                Some(crate::runtime::classes::catchall::CLASS) => {
                    if let Value::Ref(id) = v {
                        v = crate::runtime::classes::catchall::value_for(cx, id, "float", None)?;
                    }
                }
                Some("Value" | "PeriodicValue") => {
                    let exists = cx.get_attr(&v, "exists")?;
                    v = if cx.truthy(&exists)? {
                        cx.call_method(&v, "amount", Args::default())?
                    } else {
                        Value::Int(0)
                    };
                }
                _ => {}
            }
            let Some(x) = (match &v {
                Value::Str(t) => t.trim().parse::<f64>().ok(),
                other => num(other),
            }) else {
                return Ok(Some(s("")));
            };
            let decimals = !matches!(args.kw("decimals"), Some(Value::Bool(false)));
            let sym = kw_str(cx, args, "symbol")?;
            let explicit = sym.is_some();
            let sym = sym.unwrap_or_else(|| h.config().currency_symbol.clone());
            s(currency_str(x, decimals, &sym, explicit))
        }
        "currency_symbol" => s(&h.config().currency_symbol),
        "redact" => {
            let t = first_str(cx, args, "text", name)?;
            if h.redacting() {
                s(crate::text::markup::redact(&t))
            } else {
                s(t)
            }
        }
        "word" => {
            let w = first_str(cx, args, "the_word", name)?;
            capped(cx, args, w)?
        }
        "fix_punctuation" => {
            let t = first_str(cx, args, "text", name)?;
            let mark = arg_str(cx, args, 1, "mark")?.unwrap_or_else(|| ".".into());
            let others = match args.get(2, "other_marks") {
                Some(v) if !v.is_none() => {
                    let v = v.clone();
                    let items = cx.collect(&v)?;
                    let mut out = Vec::new();
                    for i in items {
                        out.push(cx.to_str(&i)?);
                    }
                    out
                }
                _ => vec![".".into(), "?".into(), "!".into()],
            };
            s(words::fix_punctuation(&t, &mark, &others))
        }
        "space_to_underscore" => {
            let t = first_str(cx, args, "a", name)?;
            let t: String = t.split_whitespace().collect::<Vec<_>>().join("_");
            s(t.chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                .collect::<String>())
        }
        "single_paragraph" => {
            let t = first_str(cx, args, "text", name)?;
            let mut out = String::new();
            let mut last_nl = false;
            for ch in t.chars() {
                if ch == '\n' || ch == '\r' {
                    if !last_nl {
                        out.push(' ');
                    }
                    last_nl = true;
                } else {
                    out.push(ch);
                    last_nl = false;
                }
            }
            s(out)
        }
        "single_to_double_newlines" => {
            let t = first_str(cx, args, "text", name)?;
            let mut out = String::new();
            let mut in_nl = false;
            for ch in t.chars() {
                if ch == '\n' || ch == '\r' {
                    if !in_nl {
                        out.push_str("\n\n");
                    }
                    in_nl = true;
                } else {
                    out.push(ch);
                    in_nl = false;
                }
            }
            s(out)
        }
        "quote_paragraphs" => {
            let t = first_str(cx, args, "text", name)?;
            let mut out = String::new();
            for (i, line) in t.split('\n').enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str("> ");
                out.push_str(line);
            }
            s(out)
        }
        "indent" => {
            let t = first_str(cx, args, "text", name)?;
            let by = match args.get(1, "by") {
                Some(v) => int_arg(cx, &v.clone())?,
                None => 4,
            };
            let pad = " ".repeat(usize::try_from(by).unwrap_or(4));
            s(t.lines()
                .map(|l| format!("{pad}{l}"))
                .collect::<Vec<_>>()
                .join("\n"))
        }
        "possessify" => {
            let a = first_str(cx, args, "a", name)?;
            let b = cx.to_str(req(args, 1, "b", name)?)?;
            let plural = kw_bool(cx, args, "plural", false)?;
            let a = if kw_bool(cx, args, "capitalize", false)? {
                words::capitalize(&a)
            } else {
                a
            };
            s(super::super::classes::object::possessify(&a, &b, plural))
        }
        "possessify_long" => {
            let a = first_str(cx, args, "a", name)?;
            let b = cx.to_str(req(args, 1, "b", name)?)?;
            capped(cx, args, format!("the {b} of {a}"))?
        }
        "your" | "her" | "his" | "their" | "its" | "the" | "some" | "these" | "this"
        | "my_possessive" | "our_possessive" | "your_plural" | "of_the" | "in_the" | "is_word"
        | "are_word" => {
            let w = first_str(cx, args, "the_word", name)?;
            let prefix = match name {
                "your" | "your_plural" => "your",
                "my_possessive" => "my",
                "our_possessive" => "our",
                "of_the" => "of the",
                "in_the" => "in the",
                "is_word" => "is",
                "are_word" => "are",
                other => other,
            };
            let out = if kw_bool(cx, args, "capitalize", false)? {
                format!("{} {w}", words::capitalize(prefix))
            } else {
                format!("{prefix} {w}")
            };
            s(out)
        }
        "a_in_the_b" | "a_preposition_b" => {
            let a = first_str(cx, args, "a", name)?;
            let b = cx.to_str(req(args, 1, "b", name)?)?;
            capped(cx, args, format!("{a} in the {b}"))?
        }
        "do_you" | "did_you" | "have_you" | "were_you" | "are_you" | "did_i" | "do_i" => {
            let verb = first_str(cx, args, "the_verb", name)?;
            let prefix = match name {
                "do_you" => "do you",
                "did_you" => "did you",
                "have_you" => "have you",
                "were_you" => "were you",
                "are_you" => "are you",
                "did_i" => "did I",
                _ => "do I",
            };
            capped(cx, args, format!("{prefix} {verb}"))?
        }
        "does_a_b" | "did_a_b" | "was_a_b" | "has_a_b" => {
            let a = first_str(cx, args, "a", name)?;
            let b = cx.to_str(req(args, 1, "b", name)?)?;
            let prefix = match name {
                "does_a_b" => "does",
                "did_a_b" => "did",
                "was_a_b" => "was",
                _ => "has",
            };
            capped(cx, args, format!("{prefix} {a} {b}"))?
        }
        "period_list" => {
            let items = [
                (12, "Per Month"),
                (1, "Per Year"),
                (52, "Per Week"),
                (24, "Twice Per Month"),
                (26, "Every Two Weeks"),
            ];
            let mut out = Vec::new();
            for (n, l) in items {
                let pair = cx.heap_mut().new_list(vec![Value::Int(n), s(l)]);
                out.push(pair);
            }
            cx.heap_mut().new_list(out)
        }
        "name_suffix" => {
            let out = ["Jr", "Sr", "II", "III", "IV", "V", "VI"]
                .iter()
                .map(s)
                .collect();
            cx.heap_mut().new_list(out)
        }
        "alpha" | "roman" => {
            let v = req(args, 0, "num", name)?.clone();
            let n = int_arg(cx, &v)?;
            // docassemble: upper case unless `case='lower'`.
            let upper = !matches!(args.get(1, "case"), Some(Value::Str(c)) if &**c == "lower");
            let out = if name == "alpha" {
                alpha(n + 1)
            } else {
                roman(n + 1)
            };
            s(if upper { out.to_uppercase() } else { out })
        }
        "plain" | "bold" | "italic" => {
            let v = req(args, 0, "text", name)?.clone();
            let default = args.get(1, "default").cloned();
            let t = if v.is_none() || matches!(&v, Value::Str(t) if t.is_empty()) {
                match default {
                    Some(d) => cx.to_str(&d)?,
                    None => return Ok(Some(s(""))),
                }
            } else {
                cx.to_str(&v)?
            };
            s(match name {
                "bold" => format!("**{}**", t.replace('*', "")),
                "italic" => format!("_{}_", t.replace('_', "")),
                _ => t,
            })
        }
        "yesno" | "noyes" => {
            let v = req(args, 0, "the_value", name)?.clone();
            let mut t = cx.truthy(&v)?;
            if kw_bool(cx, args, "invert", false)? {
                t = !t;
            }
            if name == "noyes" {
                t = !t;
            }
            s(if t { "Yes" } else { "No" })
        }
        _ => return Ok(None),
    };
    Ok(Some(r))
}

fn alpha(mut n: i64) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    out.iter().rev().collect()
}

fn roman(mut n: i64) -> String {
    let table = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (v, r) in table {
        while n >= v {
            out.push_str(r);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_numbers() {
        let o = AndOptions::default();
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(comma_and_list_str(&v(&["a", "b", "c"]), &o), "a, b, and c");
        assert_eq!(comma_and_list_str(&v(&["a", "b"]), &o), "a and b");
        assert_eq!(comma_and_list_str(&v(&["a"]), &o), "a");
        assert_eq!(comma_and_list_str(&v(&[]), &o), "");
        let no_ox = AndOptions {
            oxford: false,
            ..AndOptions::default()
        };
        assert_eq!(
            comma_and_list_str(&v(&["a", "b", "c"]), &no_ox),
            "a, b and c"
        );
        assert_eq!(nice_number_str(2.0, None), "two");
        assert_eq!(nice_number_str(10.0, None), "ten");
        assert_eq!(nice_number_str(11.0, None), "11");
        assert_eq!(nice_number_str(1234.0, None), "1,234");
        assert_eq!(nice_number_str(2.5, None), "2.5");
        assert_eq!(nice_number_str(2.25, None), "2.25");
        assert_eq!(nice_number_str(4.0, Some(false)), "4");
        assert_eq!(currency_str(1234.5, true, "$", false), "$1,234.50");
        assert_eq!(currency_str(-5.0, true, "$", false), "-$5.00");
        assert_eq!(currency_str(45.2, true, "€", true), "€45.20");
        assert_eq!(currency_str(1234.56, false, "$", false), "$1,234");
        assert_eq!(noun_plural_str("person", None, false), "people");
        assert_eq!(noun_plural_str("apple", Some(1.0), false), "apple");
        assert_eq!(noun_plural_str("apple", Some(2.0), false), "apples");
        // As docassemble (pattern.en singularizes first): singular nouns in -s stay as they are.
        assert_eq!(noun_plural_str("witness", None, false), "witness");
        assert_eq!(noun_plural_str("status", Some(3.0), false), "status");
        assert_eq!(noun_plural_str("witness", None, true), "witnesses");
        assert_eq!(noun_plural_str("witnesses", None, false), "witnesses");
        assert_eq!(noun_plural_str("fruit", None, false), "fruit");
        assert_eq!(noun_plural_str("water", Some(2.0), false), "water");
        assert_eq!(alpha(1), "a");
        assert_eq!(alpha(27), "aa");
        assert_eq!(roman(4), "iv");
    }
}
