//! Python-compatible text formatting of primitives: float `repr`, string `repr`, and the format
//! specification mini-language (`{x:>10.2f}`, `format(x, ',')`).

use crate::error::{PyResult, value_err};

/// Python's `repr(float)`: shortest round-trip digits, fixed notation for exponents in -4..16,
/// otherwise scientific (`1e+16`, `1.5e-05`).
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let (neg, digits, exp) = shortest_digits(f);
    let mut s = String::with_capacity(digits.len() + 8);
    if neg {
        s.push('-');
    }
    if (-4..16).contains(&exp) {
        s.push_str(&place_point(&digits, exp, true));
    } else {
        s.push_str(&sci(&digits, exp));
    }
    s
}

/// Sign, significant digits (no leading/trailing zeros) and decimal exponent of the shortest
/// round-trip representation: `f = 0.d1d2… × 10^(exp+1)`.
fn shortest_digits(f: f64) -> (bool, String, i32) {
    let e = format!("{:e}", f.abs());
    split_exp(&e, f.is_sign_negative())
}

fn split_exp(e: &str, neg: bool) -> (bool, String, i32) {
    let (mant, exp) = e.split_once('e').unwrap_or((e, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() {
        "0".to_string()
    } else {
        digits.to_string()
    };
    (neg, digits, exp.parse().unwrap_or(0))
}

/// Digits with the decimal point placed for exponent `exp`; `dot0` appends `.0` for integers.
fn place_point(digits: &str, exp: i32, dot0: bool) -> String {
    let n = digits.len() as i32;
    if exp < 0 {
        let mut s = String::from("0.");
        for _ in 0..(-exp - 1) {
            s.push('0');
        }
        s.push_str(digits);
        s
    } else if exp + 1 >= n {
        let mut s = digits.to_string();
        for _ in 0..(exp + 1 - n) {
            s.push('0');
        }
        if dot0 {
            s.push_str(".0");
        }
        s
    } else {
        let (a, b) = digits.split_at((exp + 1) as usize);
        format!("{a}.{b}")
    }
}

fn sci(digits: &str, exp: i32) -> String {
    let (a, b) = digits.split_at(1);
    let sign = if exp < 0 { '-' } else { '+' };
    if b.is_empty() {
        format!("{a}e{sign}{:02}", exp.abs())
    } else {
        format!("{a}.{b}e{sign}{:02}", exp.abs())
    }
}

/// Parses a float the way `float(str)` does (after the caller strips whitespace): decimal and
/// scientific forms, underscores between digits, `inf`/`nan` in any case.
pub fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let body = lower.strip_prefix(['+', '-']).unwrap_or(&lower);
    let neg = lower.starts_with('-');
    match body {
        "inf" | "infinity" => {
            return Some(if neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-' | '_'))
    {
        return None;
    }
    let cleaned: String = if t.contains('_') {
        // underscores only between digits
        let b = t.as_bytes();
        for (i, c) in b.iter().enumerate() {
            if *c == b'_' {
                let ok = i > 0
                    && i + 1 < b.len()
                    && b[i - 1].is_ascii_digit()
                    && b[i + 1].is_ascii_digit();
                if !ok {
                    return None;
                }
            }
        }
        t.replace('_', "")
    } else {
        t.to_string()
    };
    cleaned.parse::<f64>().ok()
}

/// Python's `repr(str)`.
pub fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !printable(c) => {
                let n = c as u32;
                out.push_str(&if n < 0x100 {
                    format!("\\x{n:02x}")
                } else if n < 0x10000 {
                    format!("\\u{n:04x}")
                } else {
                    format!("\\U{n:08x}")
                });
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable()` for one character: not a control or format character, not a
/// separator other than the space, not private-use or a surrogate.
fn printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    let n = c as u32;
    !(c.is_control()
        || c.is_whitespace()
        || matches!(n,
            0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x890 | 0x891 | 0x8e2 | 0x180e
            | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x2064 | 0x2066..=0x206f | 0xfeff
            | 0xfff9..=0xfffb | 0x110bd | 0x110cd | 0x13430..=0x1343f | 0x1bca0..=0x1bca3
            | 0x1d173..=0x1d17a | 0xe0001 | 0xe0020..=0xe007f | 0xe000..=0xf8ff
            | 0xf0000..=0x10ffff))
}

/// A parsed format specification (`[[fill]align][sign][z][#][0][width][,|_][.precision][type]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Padding character.
    pub fill: char,
    /// `<`, `>`, `^`, `=`.
    pub align: Option<char>,
    /// `+`, `-`, ` `.
    pub sign: char,
    /// `#`
    pub alt: bool,
    /// Minimum width.
    pub width: usize,
    /// `,` or `_`.
    pub grouping: Option<char>,
    /// Precision.
    pub precision: Option<usize>,
    /// Presentation type.
    pub ty: Option<char>,
}

impl Spec {
    /// Parses a spec.
    pub fn parse(s: &str) -> PyResult<Spec> {
        let c: Vec<char> = s.chars().collect();
        let mut i = 0;
        let mut spec = Spec {
            fill: ' ',
            align: None,
            sign: '-',
            alt: false,
            width: 0,
            grouping: None,
            precision: None,
            ty: None,
        };
        let is_align = |ch: char| matches!(ch, '<' | '>' | '^' | '=');
        if c.len() >= 2 && is_align(c[1]) {
            spec.fill = c[0];
            spec.align = Some(c[1]);
            i = 2;
        } else if !c.is_empty() && is_align(c[0]) {
            spec.align = Some(c[0]);
            i = 1;
        }
        if let Some(&ch) = c.get(i)
            && matches!(ch, '+' | '-' | ' ')
        {
            spec.sign = ch;
            i += 1;
        }
        if c.get(i) == Some(&'z') {
            i += 1;
        }
        if c.get(i) == Some(&'#') {
            spec.alt = true;
            i += 1;
        }
        if c.get(i) == Some(&'0') {
            if spec.align.is_none() {
                spec.fill = '0';
                spec.align = Some('=');
            }
            i += 1;
        }
        let st = i;
        while i < c.len() && c[i].is_ascii_digit() {
            i += 1;
        }
        if i > st {
            let w: String = c[st..i].iter().collect();
            spec.width = w
                .parse()
                .map_err(|_| value_err("Too many decimal digits in format string"))?;
        }
        if let Some(&ch) = c.get(i)
            && (ch == ',' || ch == '_')
        {
            spec.grouping = Some(ch);
            i += 1;
        }
        if c.get(i) == Some(&'.') {
            i += 1;
            let st = i;
            while i < c.len() && c[i].is_ascii_digit() {
                i += 1;
            }
            if i == st {
                return Err(value_err("Format specifier missing precision"));
            }
            let p: String = c[st..i].iter().collect();
            spec.precision = Some(
                p.parse()
                    .map_err(|_| value_err("Too many decimal digits in format string"))?,
            );
        }
        if i < c.len() {
            if i + 1 < c.len() {
                return Err(value_err("Invalid format specifier"));
            }
            spec.ty = Some(c[i]);
        }
        if spec.width > 100_000 || spec.precision.is_some_and(|p| p > 10_000) {
            return Err(value_err("format width or precision too large"));
        }
        Ok(spec)
    }

    fn pad(&self, sign: &str, body: &str, default_align: char) -> String {
        let len = sign.chars().count() + body.chars().count();
        if len >= self.width {
            return format!("{sign}{body}");
        }
        let n = self.width - len;
        let fill = |k: usize| std::iter::repeat_n(self.fill, k).collect::<String>();
        match self.align.unwrap_or(default_align) {
            '<' => format!("{sign}{body}{}", fill(n)),
            '^' => format!("{}{sign}{body}{}", fill(n / 2), fill(n - n / 2)),
            '=' => format!("{sign}{}{body}", fill(n)),
            _ => format!("{}{sign}{body}", fill(n)),
        }
    }

    /// Pads `body` to the width (default right-aligned), for `%`-formatting.
    pub fn pad_pub(&self, body: &str) -> String {
        self.pad("", body, '>')
    }

    fn sign_str(&self, neg: bool) -> &'static str {
        match (neg, self.sign) {
            (true, _) => "-",
            (false, '+') => "+",
            (false, ' ') => " ",
            _ => "",
        }
    }
}

/// Formats a string with `spec` (type `s` or none).
pub fn format_str(s: &str, spec: &Spec) -> PyResult<String> {
    if let Some(t) = spec.ty
        && t != 's'
    {
        return Err(value_err(format!(
            "Unknown format code '{t}' for object of type 'str'"
        )));
    }
    if spec.sign != '-' || spec.align == Some('=') {
        return Err(value_err("Sign not allowed in string format specifier"));
    }
    if let Some(g) = spec.grouping {
        return Err(value_err(format!("Cannot specify '{g}' with 's'.")));
    }
    let body: String = match spec.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    };
    Ok(spec.pad("", &body, '<'))
}

fn group(digits: &str, sep: char, every: usize) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / every);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// Formats an integer with `spec` (types `d n b o x X c`, or a float type, which converts).
pub fn format_int(v: i64, spec: &Spec) -> PyResult<String> {
    let ty = spec.ty.unwrap_or('d');
    if matches!(ty, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') {
        #[allow(clippy::cast_precision_loss)]
        return format_float(v as f64, spec);
    }
    if spec.precision.is_some() {
        return Err(value_err(
            "Precision not allowed in integer format specifier",
        ));
    }
    let neg = v < 0;
    let mag = i128::from(v).unsigned_abs();
    let (digits, prefix, every) = match ty {
        'd' | 'n' => (mag.to_string(), "", 3),
        'b' => (format!("{mag:b}"), "0b", 4),
        'o' => (format!("{mag:o}"), "0o", 4),
        'x' => (format!("{mag:x}"), "0x", 4),
        'X' => (format!("{mag:X}"), "0X", 4),
        'c' => {
            let ch = u32::try_from(v)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(overflow_c)?;
            return Ok(spec.pad("", &ch.to_string(), '<'));
        }
        t => {
            return Err(value_err(format!(
                "Unknown format code '{t}' for object of type 'int'"
            )));
        }
    };
    let digits = match spec.grouping {
        Some(sep) => group(&digits, sep, every),
        None => digits,
    };
    let sign = format!(
        "{}{}",
        spec.sign_str(neg),
        if spec.alt { prefix } else { "" }
    );
    Ok(spec.pad(&sign, &digits, '>'))
}

fn overflow_c() -> crate::error::Flow {
    crate::error::Flow::raise("OverflowError", "%c arg not in range(0x110000)")
}

/// `{:.Ne}` digits in Python style (`1.5e+03`).
fn fmt_e(x: f64, prec: usize, upper: bool, alt: bool) -> String {
    let s = format!("{:.*e}", prec, x.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut mant = mant.to_string();
    if alt && !mant.contains('.') {
        mant.push('.');
    }
    let e = if upper { 'E' } else { 'e' };
    format!(
        "{mant}{e}{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

/// The 'g' family: `dot0` is Python's ADD_DOT_0 mode used when no type is given.
fn fmt_g(x: f64, p: usize, upper: bool, alt: bool, dot0: bool) -> String {
    let p = p.max(1);
    let e = format!("{:.*e}", p - 1, x.abs());
    let (_, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let pi = p as i64;
    let use_exp = exp < -4 || if dot0 { exp >= pi - 1 } else { exp >= pi };
    let mut s = if use_exp {
        fmt_e(x, p - 1, upper, alt)
    } else {
        let decimals = usize::try_from(pi - 1 - exp).unwrap_or(0);
        format!("{:.*}", decimals, x.abs())
    };
    if !alt {
        // strip trailing zeros of the fraction
        let (mant, tail) = match s.find(['e', 'E']) {
            Some(i) => (s[..i].to_string(), s[i..].to_string()),
            None => (s.clone(), String::new()),
        };
        let mant = if mant.contains('.') {
            mant.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            mant
        };
        s = format!("{mant}{tail}");
    }
    if dot0 && !s.contains(['.', 'e', 'E']) && !s.contains("inf") && !s.contains("nan") {
        s.push_str(".0");
    }
    s
}

/// Formats a float with `spec` (types `e E f F g G %`, or none).
pub fn format_float(x: f64, spec: &Spec) -> PyResult<String> {
    let neg = x.is_sign_negative() && !x.is_nan();
    let upper = matches!(spec.ty, Some('E' | 'F' | 'G'));
    let body = if x.is_nan() || x.is_infinite() {
        let b = if x.is_nan() { "nan" } else { "inf" };
        let b = if spec.ty == Some('%') {
            format!("{b}%")
        } else {
            b.to_string()
        };
        if upper { b.to_uppercase() } else { b }
    } else {
        match spec.ty {
            None => match spec.precision {
                None => float_repr(x.abs()),
                Some(p) => fmt_g(x, p, false, spec.alt, true),
            },
            Some('f' | 'F') => format!("{:.*}", spec.precision.unwrap_or(6), x.abs()),
            Some('e' | 'E') => fmt_e(x, spec.precision.unwrap_or(6), upper, spec.alt),
            Some('g' | 'G' | 'n') => fmt_g(x, spec.precision.unwrap_or(6), upper, spec.alt, false),
            Some('%') => format!("{:.*}%", spec.precision.unwrap_or(6), x.abs() * 100.0),
            Some(t) => {
                return Err(value_err(format!(
                    "Unknown format code '{t}' for object of type 'float'"
                )));
            }
        }
    };
    let body = match spec.grouping {
        Some(sep) if x.is_finite() => {
            let end = body
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(body.len());
            format!("{}{}", group(&body[..end], sep, 3), &body[end..])
        }
        _ => body,
    };
    Ok(spec.pad(spec.sign_str(neg), &body, '>'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(x: f64, s: &str) -> String {
        format_float(x, &Spec::parse(s).unwrap()).unwrap()
    }

    #[test]
    fn float_reprs() {
        assert_eq!(float_repr(0.1), "0.1");
        assert_eq!(float_repr(1.0), "1.0");
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(1e15), "1000000000000000.0");
        assert_eq!(float_repr(1.5e-5), "1.5e-05");
        assert_eq!(float_repr(0.0001), "0.0001");
        assert_eq!(float_repr(-2.5), "-2.5");
        assert_eq!(float_repr(f64::INFINITY), "inf");
        assert_eq!(float_repr(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(float_repr(123456789012345680.0), "1.2345678901234568e+17");
    }

    #[test]
    fn specs() {
        assert_eq!(f(100.0, ".3"), "1e+02");
        assert_eq!(f(1234.5678, ".3"), "1.23e+03");
        assert_eq!(f(1.0, ".3"), "1.0");
        assert_eq!(f(1e-5, ".3"), "1e-05");
        assert_eq!(f(0.125, ".2f"), "0.12");
        assert_eq!(f(2.5, ".0f"), "2");
        assert_eq!(f(1234567.0, ","), "1,234,567.0");
        assert_eq!(f(12345.678, "e"), "1.234568e+04");
        assert_eq!(f(1e20, "g"), "1e+20");
        assert_eq!(f(3.25159, "08.2f"), "00003.25");
        assert_eq!(
            format_int(-5, &Spec::parse("08d").unwrap()).unwrap(),
            "-0000005"
        );
        assert_eq!(
            format_int(5, &Spec::parse("^8").unwrap()).unwrap(),
            "   5    "
        );
        assert_eq!(
            format_int(1234567, &Spec::parse("_").unwrap()).unwrap(),
            "1_234_567"
        );
        assert_eq!(
            format_int(255, &Spec::parse("#010x").unwrap()).unwrap(),
            "0x000000ff"
        );
        assert_eq!(
            format_str("ab", &Spec::parse("*^6").unwrap()).unwrap(),
            "**ab**"
        );
        assert!(Spec::parse(".").is_err());
    }

    #[test]
    fn parse_floats() {
        assert_eq!(parse_float(" 1.5 "), Some(1.5));
        assert_eq!(parse_float("1_000.5"), Some(1000.5));
        assert_eq!(parse_float("-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float("1e5"), Some(1e5));
        assert_eq!(parse_float("abc"), None);
        assert_eq!(parse_float("1__0"), None);
    }

    #[test]
    fn str_repr() {
        assert_eq!(repr_str("a'b"), "\"a'b\"");
        assert_eq!(repr_str("a\nb"), "'a\\nb'");
        assert_eq!(repr_str("it's \"x\""), "'it\\'s \"x\"'");
        // As CPython: separators other than the space, format characters and controls escaped.
        assert_eq!(repr_str("2:30\u{202f}PM"), "'2:30\\u202fPM'");
        assert_eq!(
            repr_str("a\u{a0}b\u{200b}c\u{7f}"),
            "'a\\xa0b\\u200bc\\x7f'"
        );
        assert_eq!(repr_str("é€😀"), "'é€😀'");
    }
}
