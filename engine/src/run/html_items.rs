//! A screen's `html` and `raw html` items, sanitised together: an author may open elements in
//! one item and close them in a later one, around the fields between (docassemble's accordion
//! recipe wraps groups of fields in Bootstrap collapse sections this way), which only works if
//! the items are cleaned as one piece of HTML (see
//! [`crate::text::markdown::sanitize_fragments`]; memoised by the interview). Items that span
//! each other are marked (`html_spans`) so that a front end puts the fields between them back
//! inside the elements they open.

use super::compile::CompiledInterview;
use super::screen::ScreenField;
use crate::text::markdown::sanitize;

/// Sanitises the HTML of `fields`' html items (those shown: a hidden one has no place in
/// the structure and is cleaned on its own).
pub(super) fn sanitize_items(iv: &CompiledInterview, fields: &mut [ScreenField]) {
    let shown: Vec<usize> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.html.is_some() && f.active != Some(false))
        .map(|(i, _)| i)
        .collect();
    let pieces: Vec<&str> = shown
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.html.as_deref()))
        .collect();
    let (clean, spans) = iv.sanitize_fragments(&pieces);
    for (i, html) in shown.iter().zip(clean) {
        if let Some(f) = fields.get_mut(*i) {
            f.html = Some(html);
            f.html_spans = spans;
        }
    }
    for f in fields.iter_mut().filter(|f| f.active == Some(false)) {
        if let Some(h) = &f.html {
            f.html = Some(sanitize(h));
        }
    }
}
