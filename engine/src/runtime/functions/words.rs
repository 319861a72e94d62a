//! English words and numbers: docassemble's `num2words`/`pattern.en`-based helpers, as pure
//! Rust functions (cardinal and ordinal words, plurals, articles, verb forms, capitalisation,
//! title case, digit grouping).

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const SCALES: [(u64, &str); 6] = [
    (1_000_000_000_000_000_000, "quintillion"),
    (1_000_000_000_000_000, "quadrillion"),
    (1_000_000_000_000, "trillion"),
    (1_000_000_000, "billion"),
    (1_000_000, "million"),
    (1_000, "thousand"),
];

fn under_thousand(n: u64, out: &mut Vec<String>) {
    let h = n / 100;
    let r = n % 100;
    let mut s = String::new();
    if h > 0 {
        s.push_str(ONES[h as usize]);
        s.push_str(" hundred");
        if r > 0 {
            s.push_str(" and ");
        }
    }
    if r > 0 || h == 0 {
        if r < 20 {
            s.push_str(ONES[r as usize]);
        } else {
            s.push_str(TENS[(r / 10) as usize]);
            if !r.is_multiple_of(10) {
                s.push('-');
                s.push_str(ONES[(r % 10) as usize]);
            }
        }
    }
    out.push(s);
}

/// `num2words(n)` in English: `21` → `twenty-one`, `101` → `one hundred and one`,
/// `1234` → `one thousand, two hundred and thirty-four`.
pub fn cardinal(n: i64) -> String {
    let mut out = String::new();
    if n < 0 {
        out.push_str("minus ");
    }
    let mut m = n.unsigned_abs();
    if m < 1000 {
        let mut v = Vec::new();
        under_thousand(m, &mut v);
        out.push_str(&v.concat());
        return out;
    }
    let mut parts: Vec<String> = Vec::new();
    for (scale, name) in SCALES {
        if m >= scale {
            let mut v = Vec::new();
            under_thousand(m / scale, &mut v);
            parts.push(format!("{} {name}", v.concat()));
            m %= scale;
        }
    }
    if m > 0 {
        let mut v = Vec::new();
        under_thousand(m, &mut v);
        let last = v.concat();
        if m < 100 {
            // num2words: "one thousand and one"
            out.push_str(&parts.join(", "));
            out.push_str(" and ");
            out.push_str(&last);
            return out;
        }
        parts.push(last);
    }
    out.push_str(&parts.join(", "));
    out
}

/// `num2words(n, to='ordinal')`: `1` → `first`, `21` → `twenty-first`, `100` → `one hundredth`.
pub fn ordinal_word(n: i64) -> String {
    let c = cardinal(n);
    // Replace the last word (after the last space or hyphen).
    let cut = c.rfind([' ', '-']).map_or(0, |i| i + 1);
    let (head, last) = c.split_at(cut);
    let last = match last {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        w if w.ends_with('y') => format!("{}ieth", &w[..w.len() - 1]),
        w => format!("{w}th"),
    };
    format!("{head}{last}")
}

/// `num2words(n, to='ordinal_num')`: `11` → `11th`, `22` → `22nd`.
pub fn ordinal_num(n: i64) -> String {
    let a = n.unsigned_abs();
    let suffix = if (11..=13).contains(&(a % 100)) {
        "th"
    } else {
        match a % 10 {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        }
    };
    format!("{n}{suffix}")
}

/// docassemble's `ordinal_number(n)` (English): words below 11, digits with a suffix above;
/// `use_word` forces one or the other.
pub fn ordinal_number(n: i64, use_word: Option<bool>) -> String {
    match use_word {
        Some(true) => ordinal_word(n),
        Some(false) => ordinal_num(n),
        None if n < 11 => ordinal_word(n),
        None => ordinal_num(n),
    }
}

/// `1234567` → `1,234,567` (en_US grouping).
pub fn group_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// `locale.format_string('%.Nf', x, grouping=True)` for en_US.
pub fn group_fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.find('.') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s.as_str(), None),
    };
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    let negative = x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0');
    if negative { format!("-{out}") } else { out }
}

/// docassemble's `capitalize`: the first character upper-cased, only if the text is longer
/// than one character (`capitalize('a')` is `'a'`).
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if s.chars().nth(1).is_some() => {
            let mut out: String = c.to_uppercase().collect();
            out.push_str(chars.as_str());
            out
        }
        _ => s.to_string(),
    }
}

const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "en", "for", "if", "in", "of", "on", "or", "the",
    "to", "v", "v.", "via", "vs", "vs.",
];

/// The `titlecase` library's rules, simplified: every word capitalised except small words
/// (`a`, `of`, `the` …) that are neither first nor last; words with inner capitals kept.
pub fn title_case(s: &str) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let n = words.len();
    let mut out = Vec::with_capacity(n);
    for (i, w) in words.iter().enumerate() {
        let lower = w.to_lowercase();
        if i != 0 && i + 1 != n && SMALL_WORDS.contains(&lower.as_str()) {
            out.push(lower);
        } else if w.chars().skip(1).any(char::is_uppercase) {
            out.push((*w).to_string());
        } else {
            let mut c = w.chars();
            out.push(match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            });
        }
    }
    out.join(" ")
}

const IRREGULAR: &[(&str, &str)] = &[
    ("person", "people"),
    ("man", "men"),
    ("woman", "women"),
    ("child", "children"),
    ("tooth", "teeth"),
    ("foot", "feet"),
    ("mouse", "mice"),
    ("goose", "geese"),
    ("ox", "oxen"),
    ("louse", "lice"),
    ("die", "dice"),
    ("cactus", "cacti"),
    ("fungus", "fungi"),
    ("nucleus", "nuclei"),
    ("radius", "radii"),
    ("alumnus", "alumni"),
    ("criterion", "criteria"),
    ("phenomenon", "phenomena"),
    ("datum", "data"),
    ("medium", "media"),
    ("index", "indices"),
    ("matrix", "matrices"),
    ("vertex", "vertices"),
    ("appendix", "appendices"),
    ("knife", "knives"),
    ("wife", "wives"),
    ("life", "lives"),
    ("leaf", "leaves"),
    ("half", "halves"),
    ("wolf", "wolves"),
    ("shelf", "shelves"),
    ("calf", "calves"),
    ("loaf", "loaves"),
    ("thief", "thieves"),
    ("elf", "elves"),
    ("self", "selves"),
    ("potato", "potatoes"),
    ("tomato", "tomatoes"),
    ("hero", "heroes"),
    ("echo", "echoes"),
    ("veto", "vetoes"),
    ("torpedo", "torpedoes"),
    ("is", "are"),
    ("was", "were"),
    ("has", "have"),
    ("this", "these"),
    ("that", "those"),
];

const UNCOUNTABLE: &[&str] = &[
    "sheep",
    "fish",
    "deer",
    "series",
    "species",
    "money",
    "rice",
    "information",
    "equipment",
    "news",
    "moose",
    "swine",
    "bison",
    "aircraft",
    "offspring",
    "advice",
    "furniture",
    "luggage",
    "software",
    "hardware",
    "evidence",
    "knowledge",
    "homework",
    "salmon",
    "trout",
    "police",
    "corps",
    "means",
    "headquarters",
    "gold",
    "jewelry",
    "music",
    "traffic",
    "weather",
    // Mass nouns docassemble (pattern.en) leaves unchanged in the plural.
    "bread",
    "butter",
    "cheese",
    "electricity",
    "fruit",
    "garbage",
    "gravel",
    "happiness",
    "ketchup",
    "love",
    "mathematics",
    "mayonnaise",
    "meat",
    "mustard",
    "progress",
    "research",
    "sand",
    "understanding",
    "water",
];

fn with_case(template: &str, word: &str) -> String {
    if template.chars().next().is_some_and(char::is_uppercase) {
        capitalize_first(word)
    } else {
        word.to_string()
    }
}

fn capitalize_first(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn split_last(s: &str) -> (&str, &str) {
    match s.rfind([' ', '-']) {
        Some(i) => s.split_at(i + 1),
        None => ("", s),
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// `pattern.en.pluralize`: common English rules, irregular and uncountable nouns; a phrase is
/// pluralised on its last word.
pub fn pluralize(noun: &str) -> String {
    let (head, w) = split_last(noun);
    if w.is_empty() {
        return noun.to_string();
    }
    let lw = w.to_lowercase();
    if UNCOUNTABLE.contains(&lw.as_str()) {
        return noun.to_string();
    }
    if let Some((_, p)) = IRREGULAR.iter().find(|(s, _)| *s == lw) {
        return format!("{head}{}", with_case(w, p));
    }
    for (s, p) in [("person", "people"), ("child", "children")] {
        if lw.ends_with(s) {
            return format!("{head}{}{p}", &w[..w.len() - s.len()]);
        }
    }
    let b = lw.as_bytes();
    let n = b.len();
    let out = if lw.ends_with("man") && n > 3 {
        format!("{}men", &w[..w.len() - 3])
    } else if lw.ends_with('s')
        || lw.ends_with('x')
        || lw.ends_with('z')
        || lw.ends_with("ch")
        || lw.ends_with("sh")
    {
        if lw.ends_with("is") && n > 3 {
            format!("{}es", &w[..w.len() - 2])
        } else {
            format!("{w}es")
        }
    } else if n >= 2 && lw.ends_with('y') && !is_vowel(b[n - 2] as char) {
        format!("{}ies", &w[..w.len() - 1])
    } else {
        format!("{w}s")
    };
    format!("{head}{out}")
}

/// `pattern.en.singularize`: the reverse of [`pluralize`] for the common cases.
pub fn singularize(noun: &str) -> String {
    let (head, w) = split_last(noun);
    if w.is_empty() {
        return noun.to_string();
    }
    let lw = w.to_lowercase();
    if UNCOUNTABLE.contains(&lw.as_str()) {
        return noun.to_string();
    }
    if let Some((s, _)) = IRREGULAR.iter().find(|(_, p)| *p == lw) {
        return format!("{head}{}", with_case(w, s));
    }
    for (s, p) in [
        ("people", "person"),
        ("children", "child"),
        ("women", "woman"),
    ] {
        if lw.ends_with(s) && lw.len() > s.len() {
            return format!("{head}{}{p}", &w[..w.len() - s.len()]);
        }
    }
    let n = lw.len();
    let out = if lw.ends_with("men") && n > 3 {
        format!("{}man", &w[..w.len() - 3])
    } else if lw.ends_with("ies") && n > 4 {
        format!("{}y", &w[..w.len() - 3])
    } else if lw.ends_with("sses")
        || lw.ends_with("shes")
        || lw.ends_with("ches")
        || lw.ends_with("xes")
        || lw.ends_with("zes")
        || lw.ends_with("uses")
    {
        w[..w.len() - 2].to_string()
    } else if lw.ends_with("ss")
        || lw.ends_with("us")
        || lw.ends_with("is")
        || lw.ends_with("ous")
        || n <= 3 && lw.ends_with('s') && !lw.ends_with("es")
    {
        w.to_string()
    } else if lw.ends_with('s') {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    };
    format!("{head}{out}")
}

/// `a` or `an`, as docassemble's `indefinite_article` decides: the text lowercased, its first
/// space-separated word judged by pattern.en's ordered rules (exceptions such as "hour" and
/// "honest", hyphenated letters, consonants, "eu"/"one"/"uni" sounds, vowels, then "a").
pub fn article(word: &str) -> &'static str {
    let lower = word.to_lowercase();
    let w = lower.split(' ').next().unwrap_or("");
    let b = w.as_bytes();
    let hour = w
        .match_indices("hour")
        .any(|(i, _)| b.get(i + 4) != Some(&b'i'));
    if hour
        || ["euler", "heir", "honest", "hono"]
            .iter()
            .any(|x| w.contains(x))
    {
        return "an";
    }
    let hyphenated = b.len() >= 2 && matches!(b[1], b'.' | b'-');
    if hyphenated && b"aefhilmnorsx".contains(&b[0]) {
        return "an";
    }
    if hyphenated && b[0].is_ascii_lowercase() {
        return "a";
    }
    let Some(first) = w.chars().next() else {
        return "a";
    };
    if !"aeiouy".contains(first) {
        return "a";
    }
    let after = |prefix: &str| w.strip_prefix(prefix);
    if w.starts_with("eu") || w.starts_with("ew") || w.starts_with("one") || w.starts_with("once") {
        return "a";
    }
    // "uni" followed by anything but n, m, d — or by "mo" (a university, a unimodal…).
    let uni = w.match_indices("uni").any(|(i, _)| {
        let rest = &w[i + 3..];
        rest.starts_with("mo") || rest.chars().next().is_some_and(|c| !"nmd".contains(c))
    });
    if uni {
        return "a";
    }
    if let Some(rest) = after("u") {
        let r = rest.as_bytes();
        if r.len() >= 2 && b"bcfhjkqrst".contains(&r[0]) && b"aeiou".contains(&r[1]) {
            return "a";
        }
    }
    if "aeiou".contains(first) {
        return "an";
    }
    // A "y" sounding like "i" (an yclept, an ytterbite).
    let y_like_i = w.match_indices('y').any(|(i, _)| {
        let rest = &w[i + 1..];
        [
            "bl", "bo", "br", "cle", "cla", "fere", "gg", "pi", "po", "ps", "rou", "tt",
        ]
        .iter()
        .any(|p| rest.starts_with(p))
    });
    if y_like_i {
        return "an";
    }
    "a"
}

const IRREGULAR_VERBS: &[(&str, &str)] = &[
    ("arise", "arose"),
    ("awake", "awoke"),
    ("bear", "bore"),
    ("beat", "beat"),
    ("become", "became"),
    ("begin", "began"),
    ("bend", "bent"),
    ("bet", "bet"),
    ("bind", "bound"),
    ("bite", "bit"),
    ("bleed", "bled"),
    ("blow", "blew"),
    ("break", "broke"),
    ("bring", "brought"),
    ("build", "built"),
    ("burst", "burst"),
    ("buy", "bought"),
    ("catch", "caught"),
    ("choose", "chose"),
    ("come", "came"),
    ("cost", "cost"),
    ("cut", "cut"),
    ("deal", "dealt"),
    ("dig", "dug"),
    ("do", "did"),
    ("draw", "drew"),
    ("drink", "drank"),
    ("drive", "drove"),
    ("eat", "ate"),
    ("fall", "fell"),
    ("feed", "fed"),
    ("feel", "felt"),
    ("fight", "fought"),
    ("find", "found"),
    ("fly", "flew"),
    ("forget", "forgot"),
    ("forgive", "forgave"),
    ("freeze", "froze"),
    ("get", "got"),
    ("give", "gave"),
    ("go", "went"),
    ("grow", "grew"),
    ("hang", "hung"),
    ("have", "had"),
    ("hear", "heard"),
    ("hide", "hid"),
    ("hit", "hit"),
    ("hold", "held"),
    ("hurt", "hurt"),
    ("keep", "kept"),
    ("know", "knew"),
    ("lay", "laid"),
    ("lead", "led"),
    ("leave", "left"),
    ("lend", "lent"),
    ("let", "let"),
    ("lie", "lay"),
    ("lose", "lost"),
    ("make", "made"),
    ("mean", "meant"),
    ("meet", "met"),
    ("pay", "paid"),
    ("put", "put"),
    ("quit", "quit"),
    ("read", "read"),
    ("ride", "rode"),
    ("ring", "rang"),
    ("rise", "rose"),
    ("run", "ran"),
    ("say", "said"),
    ("see", "saw"),
    ("seek", "sought"),
    ("sell", "sold"),
    ("send", "sent"),
    ("set", "set"),
    ("shake", "shook"),
    ("shine", "shone"),
    ("shoot", "shot"),
    ("show", "showed"),
    ("shut", "shut"),
    ("sing", "sang"),
    ("sink", "sank"),
    ("sit", "sat"),
    ("sleep", "slept"),
    ("slide", "slid"),
    ("speak", "spoke"),
    ("spend", "spent"),
    ("stand", "stood"),
    ("steal", "stole"),
    ("stick", "stuck"),
    ("strike", "struck"),
    ("swear", "swore"),
    ("swim", "swam"),
    ("take", "took"),
    ("teach", "taught"),
    ("tear", "tore"),
    ("tell", "told"),
    ("think", "thought"),
    ("throw", "threw"),
    ("understand", "understood"),
    ("wake", "woke"),
    ("wear", "wore"),
    ("win", "won"),
    ("write", "wrote"),
];

/// The base form of a verb given in a simple inflected form (`helped` → `help`, `eats` →
/// `eat`), as `pattern.en.lemma` does for the common cases.
pub fn lemma(verb: &str) -> String {
    let v = verb.trim().to_lowercase();
    match v.as_str() {
        "is" | "am" | "are" | "was" | "were" | "been" | "being" => return "be".into(),
        "has" | "had" => return "have".into(),
        "does" | "did" | "done" => return "do".into(),
        "goes" | "went" | "gone" => return "go".into(),
        _ => {}
    }
    if let Some((base, _)) = IRREGULAR_VERBS
        .iter()
        .find(|(_, p)| *p == v && *p != "read")
    {
        return (*base).to_string();
    }
    verb.trim().to_string()
}

/// `pattern.en.conjugate(verb, tense)` for present tenses (`3sg`, `1sg`, `2sg`, `pl`, `3pl` …).
pub fn verb_present(verb: &str, tense: &str) -> String {
    let base = lemma(verb);
    let third_sg = matches!(tense, "3sg" | "3" | "present" | "inf3sg");
    if base == "be" {
        return match tense {
            "1sg" => "am",
            t if t.starts_with('3') && t.contains("sg") || third_sg => "is",
            _ => "are",
        }
        .to_string();
    }
    if !third_sg {
        return base;
    }
    match base.as_str() {
        "have" => return "has".into(),
        "do" => return "does".into(),
        "go" => return "goes".into(),
        _ => {}
    }
    let b = base.as_bytes();
    let n = b.len();
    if base.ends_with('s')
        || base.ends_with('x')
        || base.ends_with('z')
        || base.ends_with("ch")
        || base.ends_with("sh")
        || base.ends_with('o')
    {
        format!("{base}es")
    } else if n >= 2 && base.ends_with('y') && !is_vowel(b[n - 2] as char) {
        format!("{}ies", &base[..n - 1])
    } else {
        format!("{base}s")
    }
}

/// `pattern.en.conjugate(verb, tense)` for past tenses (`3sgp`, `1sgp`, `2sgp`, `ppl` …).
pub fn verb_past(verb: &str, tense: &str) -> String {
    let base = lemma(verb);
    if base == "be" {
        return if matches!(tense, "1sgp" | "3sgp") {
            "was"
        } else {
            "were"
        }
        .to_string();
    }
    if let Some((_, p)) = IRREGULAR_VERBS.iter().find(|(b, _)| *b == base) {
        return (*p).to_string();
    }
    let b = base.as_bytes();
    let n = b.len();
    if base.ends_with('e') {
        format!("{base}d")
    } else if n >= 2 && base.ends_with('y') && !is_vowel(b[n - 2] as char) {
        format!("{}ied", &base[..n - 1])
    } else if n >= 3
        && vowel_groups(&base) == 1
        && !is_vowel(b[n - 3] as char)
        && is_vowel(b[n - 2] as char)
        && !is_vowel(b[n - 1] as char)
        && !matches!(b[n - 1], b'w' | b'x' | b'y')
    {
        format!("{base}{}ed", b[n - 1] as char)
    } else {
        format!("{base}ed")
    }
}

fn vowel_groups(w: &str) -> usize {
    let mut n = 0;
    let mut prev = false;
    for c in w.chars() {
        let v = is_vowel(c);
        if v && !prev {
            n += 1;
        }
        prev = v;
    }
    n
}

/// docassemble's `fix_punctuation(text, mark='.', other_marks=['.', '?', '!'])`.
pub fn fix_punctuation(text: &str, mark: &str, other_marks: &[String]) -> String {
    let t = text.trim_end();
    if mark.is_empty() {
        return t.to_string();
    }
    if t.ends_with(mark)
        || other_marks
            .iter()
            .any(|m| !m.is_empty() && t.ends_with(m.as_str()))
    {
        return t.to_string();
    }
    format!("{t}{mark}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_num2words() {
        assert_eq!(cardinal(0), "zero");
        assert_eq!(cardinal(7), "seven");
        assert_eq!(cardinal(21), "twenty-one");
        assert_eq!(cardinal(101), "one hundred and one");
        assert_eq!(cardinal(1001), "one thousand and one");
        assert_eq!(cardinal(1234), "one thousand, two hundred and thirty-four");
        assert_eq!(ordinal_word(1), "first");
        assert_eq!(ordinal_word(2), "second");
        assert_eq!(ordinal_word(3), "third");
        assert_eq!(ordinal_word(5), "fifth");
        assert_eq!(ordinal_word(8), "eighth");
        assert_eq!(ordinal_word(10), "tenth");
        assert_eq!(ordinal_word(12), "twelfth");
        assert_eq!(ordinal_word(20), "twentieth");
        assert_eq!(ordinal_word(21), "twenty-first");
        assert_eq!(ordinal_num(11), "11th");
        assert_eq!(ordinal_num(22), "22nd");
        assert_eq!(ordinal_num(23), "23rd");
        assert_eq!(ordinal_num(101), "101st");
        assert_eq!(ordinal_num(113), "113th");
        assert_eq!(ordinal_number(10, None), "tenth");
        assert_eq!(ordinal_number(11, None), "11th");
        assert_eq!(ordinal_number(8, Some(false)), "8th");
        assert_eq!(group_int(1234567), "1,234,567");
        assert_eq!(group_int(-1000), "-1,000");
        assert_eq!(group_fixed(1234.5, 2), "1,234.50");
        assert_eq!(group_fixed(-0.001, 2), "0.00");
    }

    #[test]
    fn text_helpers() {
        assert_eq!(capitalize("hello world"), "Hello world");
        assert_eq!(capitalize("a"), "a");
        assert_eq!(
            title_case("the importance of being ernest"),
            "The Importance of Being Ernest"
        );
        assert_eq!(
            fix_punctuation("Hello", ".", &[".".into(), "?".into()]),
            "Hello."
        );
        assert_eq!(fix_punctuation("Hello? ", ".", &["?".into()]), "Hello?");
    }

    #[test]
    fn plurals_and_articles() {
        for (s, p) in [
            ("person", "people"),
            ("apple", "apples"),
            ("child", "children"),
            ("box", "boxes"),
            ("city", "cities"),
            ("day", "days"),
            ("knife", "knives"),
            ("bank account", "bank accounts"),
            ("fish", "fish"),
            ("church", "churches"),
            ("chairman", "chairmen"),
            ("Person", "People"),
            ("salesperson", "salespeople"),
        ] {
            assert_eq!(pluralize(s), p, "{s}");
            assert_eq!(singularize(p), s, "{p}");
        }
        assert_eq!(singularize("apple"), "apple");
        assert_eq!(singularize("bus"), "bus");
        assert_eq!(singularize("status"), "status");
        assert_eq!(article("apple"), "an");
        assert_eq!(article("banana"), "a");
        assert_eq!(article("hour"), "an");
        assert_eq!(article("university"), "a");
        // As docassemble: lowercased first, so abbreviations follow their letters as words.
        for (w, a) in [
            ("FBI agent", "a"),
            ("MBA", "a"),
            ("x-ray", "an"),
            ("f-16", "an"),
            ("b-52", "a"),
            ("8-year-old", "a"),
            ("European", "a"),
            ("one-way street", "a"),
            ("honest man", "an"),
            ("umbrella", "an"),
            ("unicorn", "a"),
            ("uterus", "a"),
            ("ytterbite", "an"),
            ("year", "a"),
            ("uriah", "a"),
            ("", "a"),
        ] {
            assert_eq!(article(w), a, "{w}");
        }
    }

    #[test]
    fn verbs() {
        assert_eq!(verb_present("eat", "3sg"), "eats");
        assert_eq!(verb_present("eat", "2sg"), "eat");
        assert_eq!(verb_present("be", "3sg"), "is");
        assert_eq!(verb_present("be", "2sg"), "are");
        assert_eq!(verb_present("have", "3sg"), "has");
        assert_eq!(verb_present("try", "3sg"), "tries");
        assert_eq!(verb_past("help", "3sgp"), "helped");
        assert_eq!(verb_past("eat", "3sgp"), "ate");
        assert_eq!(verb_past("be", "3sgp"), "was");
        assert_eq!(verb_past("be", "2sgp"), "were");
        assert_eq!(verb_past("sue", "3sgp"), "sued");
        assert_eq!(verb_past("stop", "3sgp"), "stopped");
        assert_eq!(verb_past("try", "3sgp"), "tried");
    }
}
