//! Generic names in answers. docassemble's screens name a generic question's fields as the
//! question writes them (`x.name.first`, `people[i].age`), and its server binds `x`, `i`, `j`…
//! again before taking the answer (`key_requires_preassembly`). This server's screens name
//! fields concretely (`people[0].age`); a client that posts the generic spelling is understood
//! all the same: the name is made concrete with the values the waiting screen was asked for,
//! and taken if that is a name of the screen.

use std::collections::BTreeSet;

use engine::run::state::Pending;

/// The iterator names docassemble binds, in order.
const ITERATORS: [&str; 6] = ["i", "j", "k", "l", "m", "n"];

/// `name` with a leading `x` replaced by `x_value` and `[i]`, `[j]`… by the iterators'
/// values; `None` when nothing was replaced.
pub fn concrete(name: &str, x_value: Option<&str>, iterators: &[String]) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    let mut changed = false;
    let mut rest = name;
    if let Some(x) = x_value {
        if rest == "x" || rest.starts_with("x.") || rest.starts_with("x[") {
            out.push_str(x);
            rest = &rest[1..];
            changed = true;
        }
    }
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let replaced = ITERATORS.iter().position(|it| {
            after.len() > it.len() && after.starts_with(it) && after[it.len()..].starts_with(']')
        });
        match replaced.and_then(|n| iterators.get(n).map(|v| (n, v))) {
            Some((n, value)) => {
                out.push('[');
                out.push_str(value);
                out.push(']');
                rest = &after[ITERATORS[n].len() + 1..];
                changed = true;
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Renames posted generic names to the concrete names of `pending`'s screen.
pub fn resolve(pending: &Pending, values: &mut [(String, String)]) {
    if pending.x.is_none() && pending.iterators.is_empty() {
        return;
    }
    let mut known: BTreeSet<&str> = BTreeSet::new();
    for f in &pending.screen.fields {
        if let Some(v) = &f.variable_name {
            known.insert(v);
        }
        for c in &f.choices {
            if let Some(v) = &c.variable_name {
                known.insert(v);
            }
        }
    }
    for (name, _) in values.iter_mut() {
        if known.contains(name.as_str()) {
            continue;
        }
        if let Some(c) = concrete(name, pending.x.as_deref(), &pending.iterators) {
            if known.contains(c.as_str()) {
                *name = c;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn x_and_iterators_become_their_values() {
        let its = vec!["0".to_string(), "'k'".to_string()];
        assert_eq!(
            concrete("x.name.first", Some("people[0]"), &[]).as_deref(),
            Some("people[0].name.first")
        );
        assert_eq!(
            concrete("people[i].kids[j].age", None, &its).as_deref(),
            Some("people[0].kids['k'].age")
        );
        assert_eq!(
            concrete("x[i]", Some("fruit"), &its).as_deref(),
            Some("fruit[0]")
        );
        // Names that only look alike stay as they are.
        assert_eq!(concrete("xylophone", Some("a"), &its), None);
        assert_eq!(concrete("a[index]", None, &its), None);
        assert_eq!(concrete("a[k]", None, &its), None);
        assert_eq!(concrete("plain", None, &[]), None);
        assert_eq!(concrete("a[i", None, &its), None);
    }
}
