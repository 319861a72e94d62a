//! The variants of a missing variable that blocks may define (docassemble's
//! `recurse_indices`, spec §3.4): the literal name, index positions replaced by `i`, `j`, …,
//! and generic versions whose root is replaced by `x`, in the order candidates are tried.

/// The index variable names, in order.
pub const INDEX_VARS: [&str; 6] = ["i", "j", "k", "l", "m", "n"];

/// One way of reading a missing variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The name to look up among the blocks' definitions (`people[i].name.first`, `x.first`).
    pub name: String,
    /// The concrete index values substituted by `i`, `j`, … (source text: `0`, `'key'`).
    pub iterators: Vec<String>,
    /// For generic variants, the expression `x` stands for (`people[0].name`); empty otherwise.
    pub generic_root: String,
}

impl Variant {
    /// True for a generic (`x…`) variant.
    pub fn is_generic(&self) -> bool {
        !self.generic_root.is_empty()
    }
}

/// Splits `a.b[0]['k'].c` into `a`, `.b`, `[0]`, `['k']`, `.c` (docassemble's
/// `match_brackets_or_dot`).
pub fn split(var: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let bytes = var.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' => {
                if i > start {
                    parts.push(var[start..i].to_string());
                }
                // Non-greedy `\[.+?\]`: the first `]` after at least one character.
                let mut j = i + 2;
                while j < bytes.len() && bytes[j] != b']' {
                    j += 1;
                }
                let end = (j + 1).min(bytes.len());
                parts.push(var[i..end].to_string());
                i = end;
                start = i;
            }
            b'.' if i + 1 < bytes.len()
                && (bytes[i + 1].is_ascii_alphabetic() || bytes[i + 1] == b'_') =>
            {
                if i > start {
                    parts.push(var[start..i].to_string());
                }
                let mut j = i + 1;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                    j += 1;
                }
                parts.push(var[i..j].to_string());
                i = j;
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        parts.push(var[start..].to_string());
    }
    parts
}

/// All variants of `var`, sorted as docassemble tries them: non-generic first, then more
/// dots, then more brackets, then fewer substituted iterators (a stable sort).
pub fn variants(var: &str) -> Vec<Variant> {
    let mut parts = split(var);
    parts.push(String::new());
    let mut out: Vec<Variant> = Vec::new();
    recurse(
        parts,
        &INDEX_VARS,
        Vec::new(),
        &mut out,
        Vec::new(),
        Vec::new(),
    );
    let key = |v: &Variant| {
        (
            v.is_generic(),
            std::cmp::Reverse(v.name.matches('.').count()),
            std::cmp::Reverse(v.name.matches('[').count()),
            v.iterators.len(),
        )
    };
    out.sort_by_key(key);
    out
}

fn is_bracket(part: &str) -> bool {
    part.len() >= 3 && part.starts_with('[') && part.ends_with(']')
}

fn recurse(
    mut expr: Vec<String>,
    index_vars: &[&str],
    pre: Vec<String>,
    out: &mut Vec<Variant>,
    subs: Vec<String>,
    generic: Vec<String>,
) {
    if expr.is_empty() {
        return;
    }
    let the_expr = format!("{}{}", pre.concat(), expr.concat());
    if the_expr != "x" && !out.iter().any(|v| v.name == the_expr) {
        out.push(Variant {
            name: the_expr,
            iterators: subs.clone(),
            generic_root: generic.concat(),
        });
    }
    let first = expr.remove(0);
    if is_bracket(&first) && !index_vars.is_empty() {
        let mut new_subs = subs.clone();
        new_subs.push(first[1..first.len() - 1].to_string());
        let mut new_pre = pre.clone();
        new_pre.push(format!("[{}]", index_vars[0]));
        recurse(
            expr.clone(),
            &index_vars[1..],
            new_pre,
            out,
            new_subs,
            generic.clone(),
        );
    }
    let mut pre = pre;
    pre.push(first);
    recurse(
        expr.clone(),
        index_vars,
        pre.clone(),
        out,
        subs.clone(),
        generic.clone(),
    );
    if subs.is_empty() && generic.is_empty() {
        // The generic reading: everything so far becomes `x`.
        recurse(expr, index_vars, vec!["x".to_string()], out, subs, pre);
    }
}

/// Replaces `x` (at the start) and `[i]`, `[j]` … in `var` by the bound values
/// (docassemble's `substitute_vars`).
pub fn substitute(var: &str, x: Option<&str>, iterators: &[String]) -> String {
    let mut out = var.to_string();
    if let Some(root) = x {
        if out == "x" {
            out = root.to_string();
        } else if let Some(rest) = out.strip_prefix('x') {
            if rest.starts_with('.') || rest.starts_with('[') {
                out = format!("{root}{rest}");
            }
        }
    }
    for (n, value) in iterators.iter().enumerate() {
        if let Some(var) = INDEX_VARS.get(n) {
            out = out.replace(&format!("[{var}]"), &format!("[{value}]"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(var: &str) -> Vec<String> {
        variants(var).into_iter().map(|v| v.name).collect()
    }

    #[test]
    fn splits_like_docassemble() {
        assert_eq!(
            split("a.b[0]['k'].c"),
            vec!["a", ".b", "[0]", "['k']", ".c"]
        );
        assert_eq!(split("x"), vec!["x"]);
    }

    #[test]
    fn attribute_variants() {
        // spec §3.4: user.name.first → user.name.first | x.name.first | x.first
        assert_eq!(
            names("user.name.first"),
            vec!["user.name.first", "x.name.first", "x.first"]
        );
        let v = variants("user.name.first");
        assert_eq!(v[1].generic_root, "user");
        assert_eq!(v[2].generic_root, "user.name");
    }

    #[test]
    fn index_variants() {
        let v = variants("people[0].name.first");
        let got: Vec<(&str, &str, Vec<String>)> = v
            .iter()
            .map(|v| {
                (
                    v.name.as_str(),
                    v.generic_root.as_str(),
                    v.iterators.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("people[0].name.first", "", vec![]),
                ("people[i].name.first", "", vec!["0".to_string()]),
                ("x[0].name.first", "people", vec![]),
                ("x[i].name.first", "people", vec!["0".to_string()]),
                ("x.name.first", "people[0]", vec![]),
                ("x.first", "people[0].name", vec![]),
            ]
        );
    }

    #[test]
    fn the_first_free_index_letter_is_used() {
        let n = names("a[1][2].b");
        assert!(n.contains(&"a[i][2].b".to_string()), "{n:?}");
        assert!(n.contains(&"a[1][i].b".to_string()), "{n:?}");
        assert!(n.contains(&"a[i][j].b".to_string()), "{n:?}");
        let v = variants("a[1][2].b");
        let one_i = v.iter().find(|v| v.name == "a[1][i].b").unwrap();
        assert_eq!(one_i.iterators, vec!["2".to_string()]);
    }

    #[test]
    fn plain_names_have_one_variant() {
        assert_eq!(names("likes_turnips"), vec!["likes_turnips"]);
    }

    #[test]
    fn substitution() {
        assert_eq!(
            substitute("x[i].name.first", Some("people"), &["0".into()]),
            "people[0].name.first"
        );
        assert_eq!(
            substitute("x.first", Some("user.name"), &[]),
            "user.name.first"
        );
        assert_eq!(substitute("xylophone", Some("user"), &[]), "xylophone");
        assert_eq!(
            substitute("a[i][j]", None, &["1".into(), "'k'".into()]),
            "a[1]['k']"
        );
    }
}
