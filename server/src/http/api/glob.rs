//! One wildcard matcher for the API's patterns: referer limits (`*`) and `query`'s SQL `LIKE`
//! (`%`, `_`).

/// Whether `text` matches `pattern`, where `many` matches any run of characters, `one` (if
/// given) exactly one, and everything else itself. Greedy with backtracking to the last `many`,
/// so linear in practice and never recursive.
pub fn matches(pattern: &[char], text: &[char], many: char, one: Option<char>) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < text.len() {
        if pi < pattern.len()
            && pattern[pi] != many
            && (Some(pattern[pi]) == one || pattern[pi] == text[ti])
        {
            pi += 1;
            ti += 1;
        } else if pi < pattern.len() && pattern[pi] == many {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < pattern.len() && pattern[pi] == many {
        pi += 1;
    }
    pi == pattern.len()
}

#[cfg(test)]
mod tests {
    use super::matches;

    fn m(p: &str, t: &str, many: char, one: Option<char>) -> bool {
        let p: Vec<char> = p.chars().collect();
        let t: Vec<char> = t.chars().collect();
        matches(&p, &t, many, one)
    }

    #[test]
    fn runs_single_characters_and_literals() {
        assert!(m("a*c", "abbbc", '*', None));
        assert!(m("*", "", '*', None));
        assert!(!m("a?c", "abc", '*', None));
        assert!(m("a%c", "ac", '%', Some('_')));
        assert!(m("a_c", "abc", '%', Some('_')));
        assert!(!m("a_c", "ac", '%', Some('_')));
        assert!(m("%b%", "abc", '%', Some('_')));
        assert!(!m("A%", "abc", '%', Some('_')));
        assert!(m("a*b*c", "aXbYbZc", '*', None));
        assert!(!m("a*b*c", "aXbYbZ", '*', None));
    }
}
