//! Reading and writing floating-point numbers, as `str::parse::<f64>` and `f64`'s `Display` do.
//!
//! In the browser the digits come from JavaScript (`parseFloat`, `String(x)`, both correctly
//! rounded and shortest), so the app's WASM carries neither Rust's decimal-to-float tables
//! (about 10 KB of powers of five) nor its float printer (Grisu and Dragon with a bignum).
//! What Rust decides itself stays in Rust: which texts are numbers ([`is_float_text`], Rust's
//! grammar, not JavaScript's, which would take `0x10` or a prefix such as `1abc`), and how the
//! digits are laid out ([`plain_from_js`]: no exponent, as `Display`). The host's stand-ins
//! for the two JavaScript calls are Rust's own routines, and the tests hold the two paths to
//! the same answers. The `showif` module (wasm32 with `eval`) calls Rust's routines directly:
//! pyeval links them anyway.

/// `s.parse::<f64>().ok()`.
pub fn parse_f64(s: &str) -> Option<f64> {
    #[cfg(all(target_arch = "wasm32", feature = "eval"))]
    return s.parse().ok();
    #[cfg(not(all(target_arch = "wasm32", feature = "eval")))]
    parse_via_js(s)
}

/// `x.to_string()`.
pub fn f64_text(x: f64) -> String {
    #[cfg(all(target_arch = "wasm32", feature = "eval"))]
    return x.to_string();
    #[cfg(not(all(target_arch = "wasm32", feature = "eval")))]
    text_via_js(x)
}

#[cfg(not(all(target_arch = "wasm32", feature = "eval")))]
fn parse_via_js(s: &str) -> Option<f64> {
    if !is_float_text(s) {
        return None;
    }
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let negative = s.starts_with('-');
    let special = if body.eq_ignore_ascii_case("nan") {
        Some(f64::NAN)
    } else if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        Some(f64::INFINITY)
    } else {
        None
    };
    match special {
        Some(v) if negative => Some(-v),
        Some(v) => Some(v),
        None => Some(js::parse_float(s)),
    }
}

#[cfg(not(all(target_arch = "wasm32", feature = "eval")))]
fn text_via_js(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    if x == 0.0 {
        return format!("{sign}0");
    }
    plain_from_js(&js::number_text(x))
}

/// Whether `s` is a float in Rust's grammar: a sign, then `inf`, `infinity` or `nan` (any
/// case), or digits with at most one `.` (at least one digit) and an exponent `e`/`E`, sign,
/// digits.
pub fn is_float_text(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if ["inf", "infinity", "nan"]
        .iter()
        .any(|w| body.eq_ignore_ascii_case(w))
    {
        return true;
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// JavaScript's `String(x)` of a finite non-zero number (`123.5`, `1e+21`, `-1.5e-7`) laid out
/// as Rust's `Display` lays out the same digits: plain, never with an exponent.
pub fn plain_from_js(js: &str) -> String {
    let (negative, body) = match js.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, js),
    };
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().unwrap_or(0)),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // All the digits, and where the point goes among them.
    let mut digits: String = int.chars().chain(frac.chars()).collect();
    let mut point = int.len() as i64 + exponent;
    let lead = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..lead);
    point -= lead as i64;
    let digits = digits.trim_end_matches('0');
    let mut out = String::with_capacity(digits.len() + 8);
    if negative {
        out.push('-');
    }
    if digits.is_empty() {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(digits);
    } else if point as usize >= digits.len() {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    }
    out
}

#[cfg(all(target_arch = "wasm32", not(feature = "eval")))]
mod js {
    use leptos::wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_name = parseFloat)]
        pub fn parse_float(text: &str) -> f64;
        #[wasm_bindgen(js_name = String)]
        pub fn number_text(x: f64) -> String;
    }
}

/// What the browser's `parseFloat` and `String(x)` give, computed by Rust on the host.
#[cfg(not(target_arch = "wasm32"))]
mod js {
    pub fn parse_float(text: &str) -> f64 {
        text.parse().unwrap_or(f64::NAN)
    }

    /// `String(x)` for a finite non-zero `x`: the shortest digits, plain from 1e-6 up to 1e21,
    /// else `d.ddde±n`.
    pub fn number_text(x: f64) -> String {
        let e = format!("{x:e}");
        let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let n: i64 = exp.parse().unwrap_or(0);
        if (-6..21).contains(&n) {
            x.to_string()
        } else {
            format!("{mantissa}e{}{}", if n < 0 { "-" } else { "+" }, n.abs())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: &[&str] = &[
        "0",
        "1",
        "-1",
        "+1",
        "1.5",
        "-0",
        "-0.0",
        ".5",
        "5.",
        "+.5",
        "-5.e3",
        "1e5",
        "1E5",
        "1e+5",
        "1e-5",
        "1.25e-300",
        "2.5E308",
        "1e400",
        "1e-400",
        "007",
        "0.1",
        "123456789.125",
        "inf",
        "-inf",
        "+Infinity",
        "NaN",
        "nan",
        "-nan",
        "",
        "+",
        "-",
        ".",
        "e5",
        "1e",
        "1e+",
        "1.2.3",
        "1,5",
        " 1",
        "1 ",
        "0x10",
        "1_000",
        "1abc",
        "infinit",
        "--1",
        "1e5.5",
        "١",
        "12.34.",
        "Inf",
        "iNfInItY",
    ];

    #[test]
    fn numbers_read_as_rust_reads_them() {
        for t in TEXTS {
            let ours = parse_f64(t);
            let rust = t.parse::<f64>().ok();
            assert_eq!(is_float_text(t), rust.is_some(), "{t:?}");
            match (ours, rust) {
                (Some(a), Some(b)) if a.is_nan() => assert!(b.is_nan(), "{t:?}"),
                (a, b) => assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits), "{t:?}"),
            }
        }
    }

    #[test]
    fn javascript_layouts_become_rust_layouts() {
        assert_eq!(plain_from_js("123.5"), "123.5");
        assert_eq!(plain_from_js("1e+21"), "1000000000000000000000");
        assert_eq!(plain_from_js("1.5e+22"), "15000000000000000000000");
        assert_eq!(plain_from_js("-1.5e-7"), "-0.00000015");
        assert_eq!(plain_from_js("5e-324"), format!("0.{}5", "0".repeat(323)));
        assert_eq!(plain_from_js("0.000001"), "0.000001");
        assert_eq!(plain_from_js("-42"), "-42");
    }

    #[test]
    fn numbers_write_as_rust_writes_them() {
        let xs = [
            0.0,
            -0.0,
            1.0,
            -2.5,
            0.1,
            1.0 / 3.0,
            1e21,
            1.5e22,
            1e-7,
            -1.5e-7,
            123456789.125,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            1e16,
            9007199254740993.0,
        ];
        for x in xs {
            assert_eq!(f64_text(x), x.to_string(), "{x:e}");
        }
    }
}
