//! Phone numbers (`phone_number_is_valid`, `phone_number_formatted`, `phone_number_in_e164`,
//! `phone_number_part`), as docassemble's `phonenumbers` calls give them for the North
//! American Numbering Plan (country `US` or `CA`, or a number written `+1 …`). Another
//! country's national number has its E.164 form when the country is in [`COUNTRIES`] (its
//! trunk prefix dropped, its calling code put before); its national formats need the library's
//! per-country data, so those calls raise `NotImplementedError` (an international `+…` or
//! `00…` number always has its E.164 form).

use pyeval::{Args, Flow, Interp, PyResult, Value};

use super::super::host::DaHost;
use super::super::support::{arg_str, req, s};

/// The functions of this module.
pub const NAMES: &[&str] = &[
    "phone_number_formatted",
    "phone_number_in_e164",
    "phone_number_is_valid",
    "phone_number_part",
];

/// Country, calling code and national trunk prefix (dropped from a national number), as
/// libphonenumber's metadata has them.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AR", "54", "0"),
    ("AT", "43", "0"),
    ("AU", "61", "0"),
    ("BD", "880", "0"),
    ("BE", "32", "0"),
    ("BG", "359", "0"),
    ("BR", "55", "0"),
    ("CH", "41", "0"),
    ("CL", "56", ""),
    ("CN", "86", "0"),
    ("CY", "357", ""),
    ("CZ", "420", ""),
    ("DE", "49", "0"),
    ("DK", "45", ""),
    ("EE", "372", ""),
    ("EG", "20", "0"),
    ("ES", "34", ""),
    ("FI", "358", "0"),
    ("FR", "33", "0"),
    ("GB", "44", "0"),
    ("GR", "30", ""),
    ("HK", "852", ""),
    ("HR", "385", "0"),
    ("HU", "36", "06"),
    ("ID", "62", "0"),
    ("IE", "353", "0"),
    ("IL", "972", "0"),
    ("IN", "91", "0"),
    ("IS", "354", ""),
    ("IT", "39", ""),
    ("JP", "81", "0"),
    ("KE", "254", "0"),
    ("KR", "82", "0"),
    ("LT", "370", "8"),
    ("LU", "352", ""),
    ("LV", "371", ""),
    ("MA", "212", "0"),
    ("MT", "356", ""),
    ("MY", "60", "0"),
    ("NG", "234", "0"),
    ("NL", "31", "0"),
    ("NO", "47", ""),
    ("NZ", "64", "0"),
    ("PE", "51", "0"),
    ("PH", "63", "0"),
    ("PK", "92", "0"),
    ("PL", "48", ""),
    ("PT", "351", ""),
    ("RO", "40", "0"),
    ("RS", "381", "0"),
    ("RU", "7", "8"),
    ("SE", "46", "0"),
    ("SG", "65", ""),
    ("SI", "386", "0"),
    ("SK", "421", "0"),
    ("TH", "66", "0"),
    ("TR", "90", "0"),
    ("TW", "886", "0"),
    ("UA", "380", "0"),
    ("VN", "84", "0"),
    ("ZA", "27", "0"),
];

/// The E.164 digits (after `+`) of national number `digits` of `country`, if known.
fn international_digits(digits: &str, country: &str) -> Option<String> {
    if let Some(rest) = digits.strip_prefix("00") {
        return Some(rest.to_string());
    }
    let (_, code, trunk) = COUNTRIES.iter().find(|(c, _, _)| *c == country)?;
    let national = if trunk.is_empty() {
        digits
    } else {
        digits.strip_prefix(trunk).unwrap_or(digits)
    };
    Some(format!("{code}{national}"))
}

/// A number as `phonenumbers.parse` reads it.
#[derive(Debug, PartialEq)]
enum Parsed {
    /// A NANP number: its national significant digits (10 for a complete number).
    Nanp(String),
    /// `+<digits>` outside NANP.
    International(String),
    /// A national number of another country (its digits).
    Other(String),
}

/// `None`: `phonenumbers.parse` would raise (not a number, too short, too long).
fn parse(text: &str, country: &str) -> Option<Parsed> {
    let t = text.trim();
    if t.chars()
        .any(|c| !(c.is_ascii_digit() || " ()-.+/".contains(c)))
    {
        return None;
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 2 || digits.len() > 17 {
        return None;
    }
    if t.starts_with('+') {
        return Some(match digits.strip_prefix('1') {
            Some(rest) => Parsed::Nanp(rest.to_string()),
            None => Parsed::International(digits),
        });
    }
    if !matches!(country, "US" | "CA") {
        return Some(Parsed::Other(digits));
    }
    Some(Parsed::Nanp(match digits.strip_prefix('1') {
        Some(rest) if digits.len() == 11 => rest.to_string(),
        _ => digits,
    }))
}

/// A valid NANP number: area code and exchange start with 2–9.
fn nanp_valid(d: &str) -> bool {
    let b = d.as_bytes();
    d.len() == 10 && (b'2'..=b'9').contains(&b[0]) && (b'2'..=b'9').contains(&b[3])
}

/// The national format: `(202) 555-1234`, a local `555-1234`; other lengths' digits as they
/// are.
fn national(d: &str) -> String {
    match d.len() {
        10 => format!("({}) {}-{}", &d[..3], &d[3..6], &d[6..]),
        7 => format!("{}-{}", &d[..3], &d[3..]),
        _ => d.to_string(),
    }
}

fn unsupported(country: &str) -> Flow {
    Flow::raise(
        "NotImplementedError",
        format!("phone number formats of country {country} are not supported in this runtime"),
    )
}

/// Calls `name` if it is one of this module's functions.
pub fn call(h: &DaHost, cx: &mut Interp<'_>, name: &str, args: &Args) -> PyResult<Option<Value>> {
    if !NAMES.contains(&name) {
        return Ok(None);
    }
    let number = req(args, 0, "number", name)?.clone();
    if cx.class_name(&number).as_deref() == Some("DAEmpty") && name == "phone_number_formatted" {
        return Ok(Some(s(cx.to_str(&number)?)));
    }
    let text = cx.to_str(&number)?;
    let country_index = if name == "phone_number_part" { 2 } else { 1 };
    let country = arg_str(cx, args, country_index, "country")?
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| h.config().country.clone())
        .to_ascii_uppercase();
    let (whatsapp, text) = match text.strip_prefix("whatsapp:") {
        Some(rest) => (true, rest.to_string()),
        None => (false, text),
    };
    let parsed = parse(&text, &country);
    Ok(Some(match name {
        "phone_number_is_valid" => Value::Bool(match &parsed {
            Some(Parsed::Nanp(d)) => nanp_valid(d),
            Some(Parsed::International(d)) => (8..=15).contains(&d.len()),
            // without the country's data: a plausible length
            Some(Parsed::Other(d)) => (7..=15).contains(&d.len()),
            None => false,
        }),
        "phone_number_in_e164" => match parsed {
            Some(Parsed::Nanp(d)) => s(format!("{}+1{d}", if whatsapp { "whatsapp:" } else { "" })),
            Some(Parsed::International(d)) => {
                s(format!("{}+{d}", if whatsapp { "whatsapp:" } else { "" }))
            }
            Some(Parsed::Other(d)) => match international_digits(&d, &country) {
                Some(e164) => s(format!(
                    "{}+{e164}",
                    if whatsapp { "whatsapp:" } else { "" }
                )),
                None => return Err(unsupported(&country)),
            },
            None => Value::None,
        },
        "phone_number_formatted" => match parsed {
            Some(Parsed::Nanp(d)) => s(national(&d)),
            Some(Parsed::International(_) | Parsed::Other(_)) => return Err(unsupported(&country)),
            None => Value::None,
        },
        _ => {
            let part = match req(args, 1, "part", name)? {
                Value::Int(n) => *n,
                _ => return Err(super::super::support::type_err("part must be an integer")),
            };
            let formatted = match parsed {
                Some(Parsed::Nanp(d)) => national(&d),
                Some(Parsed::International(_) | Parsed::Other(_)) => {
                    return Err(unsupported(&country));
                }
                None => return Ok(Some(s(""))),
            };
            let parts: Vec<&str> = formatted
                .split(|c: char| !c.is_ascii_digit())
                .filter(|p| !p.is_empty())
                .collect();
            s(usize::try_from(part)
                .ok()
                .and_then(|i| parts.get(i))
                .copied()
                .unwrap_or(""))
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nanp_numbers_parse_as_phonenumbers_does() {
        assert_eq!(
            parse("(202) 555-1234", "US"),
            Some(Parsed::Nanp("2025551234".into()))
        );
        assert_eq!(
            parse("1-202-555-1234", "US"),
            Some(Parsed::Nanp("2025551234".into()))
        );
        assert_eq!(
            parse("+1 202 555 1234", "SE"),
            Some(Parsed::Nanp("2025551234".into()))
        );
        assert_eq!(
            parse("+46 8 123 456", "US"),
            Some(Parsed::International("468123456".into()))
        );
        assert_eq!(
            parse("08 123 456", "SE"),
            Some(Parsed::Other("08123456".into()))
        );
        assert_eq!(parse("Sample text", "US"), None);
        assert!(nanp_valid("2025551234"));
        assert!(!nanp_valid("1025551234"));
        assert!(!nanp_valid("202555123"));
        assert_eq!(national("2025551234"), "(202) 555-1234");
        assert_eq!(national("5551234"), "555-1234");
    }

    #[test]
    fn national_numbers_of_known_countries_have_an_e164_form() {
        // docassemble's phone-number.yml: "05 56 81 94 55" in France.
        assert_eq!(
            international_digits("0556819455", "FR").as_deref(),
            Some("33556819455")
        );
        assert_eq!(
            international_digits("02079460000", "GB").as_deref(),
            Some("442079460000")
        );
        // Italy keeps its leading zero; Hungary's trunk prefix is 06.
        assert_eq!(
            international_digits("0612345678", "IT").as_deref(),
            Some("390612345678")
        );
        assert_eq!(
            international_digits("0612345678", "HU").as_deref(),
            Some("3612345678")
        );
        assert_eq!(
            international_digits("0033556819455", "XX").as_deref(),
            Some("33556819455")
        );
        assert_eq!(international_digits("0556819455", "XX"), None);
    }
}
