//! Babel-style (CLDR/LDML) date formatting for English, and a `dateutil.parser.parse`-like
//! reader for the common date strings.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Month names.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// Weekday names, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// CLDR 'en' date patterns for Babel's named formats.
pub fn date_pattern(name: &str) -> &str {
    match name {
        "full" => "EEEE, MMMM d, y",
        "long" => "MMMM d, y",
        "medium" => "MMM d, y",
        "short" => "M/d/yy",
        other => other,
    }
}

/// CLDR 'en' time patterns (CLDR 42+: a narrow no-break space before AM/PM); `full` and
/// `long` end with the timezone (`Eastern Standard Time`, `EST`).
pub fn time_pattern(name: &str) -> &str {
    match name {
        "full" => "h:mm:ss\u{202f}a zzzz",
        "long" => "h:mm:ss\u{202f}a z",
        "medium" => "h:mm:ss\u{202f}a",
        "short" => "h:mm\u{202f}a",
        other => other,
    }
}

/// A timezone at a moment: its abbreviation (`z`) and name (`zzzz`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// `EST`, `EDT`, `UTC` …
    pub short: String,
    /// `Eastern Standard Time` …
    pub long: String,
}

/// The `n`th (1-based) Sunday of `month` in `year`.
fn nth_sunday(year: i32, month: u32, n: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let offset = (7 - first.weekday().num_days_from_sunday()) % 7;
    first.checked_add_days(chrono::Days::new(u64::from(offset + 7 * (n - 1))))
}

/// Whether US daylight saving time is in effect at local time `dt` (second Sunday of March,
/// 2:00, to first Sunday of November, 2:00).
fn us_daylight(dt: &NaiveDateTime) -> bool {
    let (Some(start), Some(end)) = (nth_sunday(dt.year(), 3, 2), nth_sunday(dt.year(), 11, 1))
    else {
        return false;
    };
    let two = NaiveTime::from_hms_opt(2, 0, 0).unwrap_or(NaiveTime::MIN);
    *dt >= start.and_time(two) && *dt < end.and_time(two)
}

/// A US timezone that [`zone_at`] and [`local_time`] know.
struct UsZone {
    /// `E` of `EST`.
    letter: char,
    /// `Eastern` of `Eastern Standard Time`.
    name: &'static str,
    /// Hours from UTC in standard time.
    utc_offset: i64,
    observes_dst: bool,
}

/// The US zone named `tz` (`None` for UTC and every other zone).
fn us_zone(tz: &str) -> Option<UsZone> {
    let (letter, name, utc_offset, observes_dst) = match tz {
        "America/New_York" | "US/Eastern" => ('E', "Eastern", -5, true),
        "America/Chicago" | "US/Central" => ('C', "Central", -6, true),
        "America/Denver" | "US/Mountain" => ('M', "Mountain", -7, true),
        "America/Phoenix" => ('M', "Mountain", -7, false),
        "America/Los_Angeles" | "US/Pacific" => ('P', "Pacific", -8, true),
        _ => return None,
    };
    Some(UsZone {
        letter,
        name,
        utc_offset,
        observes_dst,
    })
}

/// Whether `tz` names UTC.
fn is_utc(tz: &str) -> bool {
    matches!(tz, "UTC" | "Etc/UTC")
}

/// The zone of a timezone name at local time `dt`, for UTC and the US zones Babel names
/// (`None` for others: their fields are left out).
pub fn zone_at(tz: &str, dt: &NaiveDateTime) -> Option<Zone> {
    if is_utc(tz) {
        return Some(Zone {
            short: "UTC".into(),
            long: "Coordinated Universal Time".into(),
        });
    }
    let zone = us_zone(tz)?;
    let (d, kind) = if zone.observes_dst && us_daylight(dt) {
        ('D', "Daylight")
    } else {
        ('S', "Standard")
    };
    Some(Zone {
        short: format!("{}{d}T", zone.letter),
        long: format!("{} {kind} Time", zone.name),
    })
}

/// The local time in timezone `tz` at UTC time `utc`, for UTC and the US zones of
/// [`zone_at`] (`None` for others). Daylight saving time starts at 2:00 standard time and
/// ends at 2:00 daylight time (1:00 standard time).
pub fn local_time(tz: &str, utc: &NaiveDateTime) -> Option<NaiveDateTime> {
    if is_utc(tz) {
        return Some(*utc);
    }
    let zone = us_zone(tz)?;
    let standard = utc.checked_add_signed(chrono::TimeDelta::hours(zone.utc_offset))?;
    let daylight = zone.observes_dst && {
        let one_hour_later = standard.checked_add_signed(chrono::TimeDelta::hours(1))?;
        // `us_daylight` reads local time: standard time before the change, daylight after.
        us_daylight(&standard) && us_daylight(&one_hour_later)
    };
    if daylight {
        standard.checked_add_signed(chrono::TimeDelta::hours(1))
    } else {
        Some(standard)
    }
}

/// Babel's `format_datetime` named formats: date and time joined as CLDR 'en' does (Babel
/// 2.17: `{date}, {time}` for every length).
pub fn format_datetime(dt: &NaiveDateTime, name: &str, zone: Option<&Zone>) -> String {
    match name {
        "full" | "long" | "medium" | "short" => format!(
            "{}, {}",
            format(dt, date_pattern(name)),
            format_zoned(dt, time_pattern(name), zone)
        ),
        pattern => format_zoned(dt, pattern, zone),
    }
}

/// Formats `dt` with an LDML pattern (`MMMM d, yyyy`, `EEEE`, `h:mm a`, quoted `'at'` …);
/// timezone fields are left out.
pub fn format(dt: &NaiveDateTime, pattern: &str) -> String {
    format_zoned(dt, pattern, None)
}

/// [`format`], with `z`…`zzz` the zone's abbreviation and `zzzz` its name.
pub fn format_zoned(dt: &NaiveDateTime, pattern: &str, zone: Option<&Zone>) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            // quoted literal; '' is a quote
            if chars.get(i + 1) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        out.push('\'');
                        i += 2;
                        continue;
                    }
                    break;
                }
                out.push(chars[i]);
                i += 1;
            }
            i += 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut n = 1;
        while chars.get(i + n) == Some(&c) {
            n += 1;
        }
        i += n;
        let month = dt.month() as usize;
        let wd = dt.weekday().num_days_from_monday() as usize;
        let hour12 = match dt.hour() % 12 {
            0 => 12,
            h => h,
        };
        let field = match (c, n) {
            ('y', 2) => format!("{:02}", dt.year().rem_euclid(100)),
            ('y' | 'Y' | 'u', _) => format!("{:0width$}", dt.year(), width = n),
            ('M' | 'L', 1) => month.to_string(),
            ('M' | 'L', 2) => format!("{month:02}"),
            ('M' | 'L', 3) => MONTHS[month - 1][..3].to_string(),
            ('M' | 'L', 4) => MONTHS[month - 1].to_string(),
            ('M' | 'L', _) => MONTHS[month - 1][..1].to_string(),
            ('d', 1) => dt.day().to_string(),
            ('d', _) => format!("{:02}", dt.day()),
            ('D', _) => format!("{:0width$}", dt.ordinal(), width = n),
            ('E' | 'e' | 'c', 1..=3) if c == 'E' || n == 3 => WEEKDAYS[wd][..3].to_string(),
            ('e' | 'c', 1) => (wd + 2).rem_euclid(7).max(1).to_string(),
            ('E' | 'e' | 'c', 4) => WEEKDAYS[wd].to_string(),
            ('E' | 'e' | 'c', 5) => WEEKDAYS[wd][..1].to_string(),
            ('E' | 'e' | 'c', _) => WEEKDAYS[wd][..2].to_string(),
            ('a' | 'b' | 'B', _) => if dt.hour() < 12 { "AM" } else { "PM" }.to_string(),
            ('h', 1) => hour12.to_string(),
            ('h', _) => format!("{hour12:02}"),
            ('H', 1) => dt.hour().to_string(),
            ('H', _) => format!("{:02}", dt.hour()),
            ('K', _) => format!("{:0width$}", dt.hour() % 12, width = n),
            ('k', _) => format!(
                "{:0width$}",
                if dt.hour() == 0 { 24 } else { dt.hour() },
                width = n
            ),
            ('m', 1) => dt.minute().to_string(),
            ('m', _) => format!("{:02}", dt.minute()),
            ('s', 1) => dt.second().to_string(),
            ('s', _) => format!("{:02}", dt.second()),
            ('S', _) => {
                let micros = format!("{:06}", dt.nanosecond() / 1000);
                micros
                    .chars()
                    .chain(std::iter::repeat('0'))
                    .take(n)
                    .collect()
            }
            ('G', 4) => "Anno Domini".into(),
            ('G', _) => "AD".into(),
            ('Q' | 'q', 1 | 2) => ((month - 1) / 3 + 1).to_string(),
            ('Q' | 'q', 3) => format!("Q{}", (month - 1) / 3 + 1),
            ('Q' | 'q', _) => format!("{} quarter", ["1st", "2nd", "3rd", "4th"][(month - 1) / 3]),
            ('w', _) => dt.iso_week().week().to_string(),
            ('z', 4) => zone.map(|z| z.long.clone()).unwrap_or_default(),
            ('z', _) => zone.map(|z| z.short.clone()).unwrap_or_default(),
            ('Z' | 'v' | 'V' | 'O' | 'x' | 'X', _) => String::new(),
            (other, n) => std::iter::repeat_n(other, n).collect(),
        };
        out.push_str(&field);
    }
    // a dropped timezone field leaves a trailing space
    let trimmed = out.trim_end_matches([' ', '\u{202f}']);
    trimmed.to_string()
}

fn month_from_name(w: &str) -> Option<u32> {
    let lw = w.trim_end_matches('.').to_lowercase();
    if lw.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            m.to_lowercase().starts_with(&lw)
                || (lw.len() >= 3 && m.to_lowercase().starts_with(&lw[..3]) && lw == "sept")
        })
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Parses a time like `10:30`, `10:30:15`, `10:30 PM`, `3pm`.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let t = s.trim().to_lowercase();
    let (body, pm, am) = if let Some(b) = t.strip_suffix("pm").or_else(|| t.strip_suffix("p.m.")) {
        (b.trim(), true, false)
    } else if let Some(b) = t.strip_suffix("am").or_else(|| t.strip_suffix("a.m.")) {
        (b.trim(), false, true)
    } else {
        (t.as_str(), false, false)
    };
    let mut parts = body.split(':');
    let h: u32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = parts.next().map_or(Some(0), |p| p.trim().parse().ok())?;
    let (sec, micro) = match parts.next() {
        Some(p) => {
            let p = p.trim();
            match p.split_once('.') {
                Some((a, b)) => {
                    let digits: String = b.chars().chain(std::iter::repeat('0')).take(6).collect();
                    (a.parse().ok()?, digits.parse().ok()?)
                }
                None => (p.parse().ok()?, 0),
            }
        }
        None => (0, 0),
    };
    let h = if pm && h < 12 {
        h + 12
    } else if am && h == 12 {
        0
    } else {
        h
    };
    NaiveTime::from_hms_micro_opt(h, m, sec, micro)
}

/// A `dateutil.parser.parse` subset (month first, as dateutil's default): `2016-05-17`,
/// `2016-05-17T10:00:00`, `5/17/2016`, `5/17/16`, `October 14, 1066`, `14 October 1066`,
/// `Oct 14 1066 3:00 PM`. Missing parts default to `today`'s (dateutil's behaviour).
pub fn parse(s: &str, today: NaiveDate) -> Option<NaiveDateTime> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    // ISO forms
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0);
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, f) {
            return Some(d);
        }
    }
    // Strip a timezone suffix such as "+00:00", "Z" or "-0500".
    let t = strip_tz(t);
    if let Some((date_part, time_part)) = t.split_once('T') {
        if let (Some(d), Some(tm)) = (parse(date_part, today), parse_time(time_part)) {
            return Some(d.date().and_time(tm));
        }
    }
    // Tokenise: words, numbers, times.
    let mut year: Option<i32> = None;
    let mut month: Option<u32> = None;
    let mut day: Option<u32> = None;
    let mut time: Option<NaiveTime> = None;
    let cleaned = t.replace(',', " ");
    let tokens: Vec<&str> = cleaned.split_whitespace().collect();
    let mut i = 0;
    while i < tokens.len() {
        let tok = tokens[i];
        let ltok = tok.to_lowercase();
        if tok.contains('/')
            || (tok.matches('-').count() == 2
                && tok.chars().next().is_some_and(|c| c.is_ascii_digit()))
        {
            let sep = if tok.contains('/') { '/' } else { '-' };
            let nums: Vec<&str> = tok.split(sep).collect();
            if nums.len() == 3 {
                let a: i64 = nums[0].parse().ok()?;
                let b: i64 = nums[1].parse().ok()?;
                let c: i64 = nums[2].parse().ok()?;
                if nums[0].len() == 4 {
                    year = Some(i32::try_from(a).ok()?);
                    month = Some(u32::try_from(b).ok()?);
                    day = Some(u32::try_from(c).ok()?);
                } else {
                    let (m, d) = if a > 12 { (b, a) } else { (a, b) };
                    month = Some(u32::try_from(m).ok()?);
                    day = Some(u32::try_from(d).ok()?);
                    year = Some(two_digit_year(c, nums[2].len())?);
                }
            } else if nums.len() == 2 {
                month = Some(nums[0].parse().ok()?);
                day = Some(nums[1].parse().ok()?);
            } else {
                return None;
            }
        } else if tok.contains(':') {
            let mut ts = tok.to_string();
            if let Some(next) = tokens.get(i + 1) {
                let ln = next.to_lowercase();
                if matches!(ln.as_str(), "am" | "pm" | "a.m." | "p.m.") {
                    ts.push_str(&ln);
                    i += 1;
                }
            }
            time = Some(parse_time(&ts)?);
        } else if let Some(m) = month_from_name(&ltok) {
            month = Some(m);
        } else if WEEKDAYS
            .iter()
            .any(|w| w.to_lowercase().starts_with(ltok.trim_end_matches('.')) && ltok.len() >= 3)
        {
            // weekday names are ignored
        } else if matches!(ltok.as_str(), "at" | "of" | "the" | "on") {
        } else if let Ok(num) = ltok
            .strip_suffix("st")
            .or_else(|| ltok.strip_suffix("nd"))
            .or_else(|| ltok.strip_suffix("rd"))
            .or_else(|| ltok.strip_suffix("th"))
            .unwrap_or(&ltok)
            .parse::<i64>()
        {
            let is_ampm = tokens
                .get(i + 1)
                .map(|n| n.to_lowercase())
                .is_some_and(|n| matches!(n.as_str(), "am" | "pm" | "a.m." | "p.m."));
            if is_ampm {
                let ts = format!("{num}{}", tokens[i + 1].to_lowercase());
                time = Some(parse_time(&ts)?);
                i += 1;
            } else if tok.len() == 4 || num > 31 {
                year = Some(i32::try_from(num).ok()?);
            } else if day.is_none() && (month.is_some() || num <= 31) {
                day = Some(u32::try_from(num).ok()?);
            } else if year.is_none() {
                year = Some(two_digit_year(num, tok.len())?);
            } else {
                return None;
            }
        } else {
            let lt = ltok.as_str();
            if let Some(tm) = parse_time(lt).filter(|_| lt.ends_with("am") || lt.ends_with("pm")) {
                time = Some(tm);
            } else {
                return None;
            }
        }
        i += 1;
    }
    if year.is_none() && month.is_none() && day.is_none() && time.is_none() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        year.unwrap_or(today.year()),
        month.unwrap_or(today.month()),
        day.unwrap_or(today.day()),
    )?;
    Some(date.and_time(time.unwrap_or_default()))
}

fn two_digit_year(y: i64, digits: usize) -> Option<i32> {
    let y = i32::try_from(y).ok()?;
    if digits <= 2 {
        // dateutil: within 50 years of the current century
        Some(if y < 50 { 2000 + y } else { 1900 + y })
    } else {
        Some(y)
    }
}

fn strip_tz(t: &str) -> &str {
    let t = t.trim();
    if let Some(x) = t.strip_suffix('Z') {
        return x;
    }
    let b = t.as_bytes();
    if b.len() > 6 {
        let tail = &t[t.len() - 6..];
        if (tail.starts_with('+') || tail.starts_with('-')) && tail.as_bytes()[3] == b':' {
            return &t[..t.len() - 6];
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, mi, 0))
            .unwrap()
    }

    #[test]
    fn named_datetime_formats_carry_the_zone_as_babel_2_17() {
        let winter = dt(2024, 3, 5, 14, 30);
        let ny = zone_at("America/New_York", &winter);
        assert_eq!(
            format_datetime(&winter, "long", ny.as_ref()),
            "March 5, 2024, 2:30:00\u{202f}PM EST"
        );
        assert_eq!(
            format_datetime(&winter, "medium", ny.as_ref()),
            "Mar 5, 2024, 2:30:00\u{202f}PM"
        );
        let summer = dt(2024, 7, 5, 14, 30);
        assert_eq!(
            format_datetime(
                &summer,
                "full",
                zone_at("America/New_York", &summer).as_ref()
            ),
            "Friday, July 5, 2024, 2:30:00\u{202f}PM Eastern Daylight Time"
        );
        // the daylight saving time changes, at 2:00 local time
        let zone = |d: NaiveDateTime| zone_at("America/Chicago", &d).unwrap().short;
        assert_eq!(zone(dt(2024, 3, 10, 1, 59)), "CST");
        assert_eq!(zone(dt(2024, 3, 10, 3, 0)), "CDT");
        assert_eq!(zone(dt(2024, 11, 3, 1, 30)), "CDT");
        assert_eq!(zone(dt(2024, 11, 3, 2, 30)), "CST");
        assert_eq!(zone_at("Europe/Paris", &winter), None);
        assert_eq!(format_zoned(&winter, "h:mm a z", None), "2:30 PM");
    }

    #[test]
    fn local_time_follows_the_us_zones_and_their_daylight_saving_time() {
        let local = |tz: &str, d: NaiveDateTime| local_time(tz, &d);
        assert_eq!(
            local("UTC", dt(2024, 1, 5, 3, 0)),
            Some(dt(2024, 1, 5, 3, 0))
        );
        assert_eq!(
            local("America/New_York", dt(2024, 1, 5, 3, 0)),
            Some(dt(2024, 1, 4, 22, 0))
        );
        assert_eq!(
            local("America/New_York", dt(2024, 7, 5, 3, 0)),
            Some(dt(2024, 7, 4, 23, 0))
        );
        assert_eq!(
            local("America/Phoenix", dt(2024, 7, 5, 12, 0)),
            Some(dt(2024, 7, 5, 5, 0))
        );
        // 2024-03-10: 1:59 EST is followed by 3:00 EDT (7:00 UTC)
        assert_eq!(
            local("America/Chicago", dt(2024, 3, 10, 7, 59)),
            Some(dt(2024, 3, 10, 1, 59))
        );
        assert_eq!(
            local("America/Chicago", dt(2024, 3, 10, 8, 0)),
            Some(dt(2024, 3, 10, 3, 0))
        );
        // 2024-11-03: 1:59 CDT (6:59 UTC) is followed by 1:00 CST
        assert_eq!(
            local("America/Chicago", dt(2024, 11, 3, 6, 59)),
            Some(dt(2024, 11, 3, 1, 59))
        );
        assert_eq!(
            local("America/Chicago", dt(2024, 11, 3, 7, 0)),
            Some(dt(2024, 11, 3, 1, 0))
        );
        assert_eq!(local("Europe/Paris", dt(2024, 1, 5, 3, 0)), None);
    }

    #[test]
    fn babel_formats() {
        let d = dt(2016, 5, 17, 15, 5);
        assert_eq!(format(&d, date_pattern("long")), "May 17, 2016");
        assert_eq!(format(&d, date_pattern("full")), "Tuesday, May 17, 2016");
        assert_eq!(format(&d, date_pattern("medium")), "May 17, 2016");
        assert_eq!(format(&d, date_pattern("short")), "5/17/16");
        assert_eq!(format(&d, "MM/dd/yyyy"), "05/17/2016");
        assert_eq!(format(&d, "EEEE"), "Tuesday");
        assert_eq!(format(&d, "MMMM"), "May");
        assert_eq!(format(&d, "h:mm a"), "3:05 PM");
        assert_eq!(format(&d, "h:mm 'in' MMMM"), "3:05 in May");
        assert_eq!(format(&d, "yyyy-MM-dd'T'HH:mm"), "2016-05-17T15:05");
        assert_eq!(format(&d, time_pattern("short")), "3:05\u{202f}PM");
    }

    #[test]
    fn parsing() {
        let today = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert_eq!(parse("5/17/2016", today), Some(dt(2016, 5, 17, 0, 0)));
        assert_eq!(parse("12/25/16", today), Some(dt(2016, 12, 25, 0, 0)));
        assert_eq!(
            parse("October 14, 1066", today),
            Some(dt(1066, 10, 14, 0, 0))
        );
        assert_eq!(parse("14 Oct 1066", today), Some(dt(1066, 10, 14, 0, 0)));
        assert_eq!(parse("2016-05-17", today), Some(dt(2016, 5, 17, 0, 0)));
        assert_eq!(
            parse("2016-05-17T10:30:00", today),
            Some(dt(2016, 5, 17, 10, 30))
        );
        assert_eq!(
            parse("2016-05-17 3:30 PM", today),
            Some(dt(2016, 5, 17, 15, 30))
        );
        assert_eq!(parse("nonsense", today), None);
        assert_eq!(parse_time("10:30 PM"), NaiveTime::from_hms_opt(22, 30, 0));
    }
}
