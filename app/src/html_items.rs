//! Bootstrap's collapse sections in interview authors' `raw html` (docassemble's accordion
//! recipe), and html items that open and close elements around the rows between them
//! (`html_spans`): both done by a small JavaScript module, which costs the first download far
//! less than the same DOM work in Rust with its web-sys bindings.
//!
//! A click on a `data-bs-toggle="collapse"` control shows or hides its target (`data-bs-target`
//! or a link's `href`, an `#id`); a target with `data-bs-parent` closes the open sections of that
//! parent as it opens, as Bootstrap's accordion does; the controls naming a target get
//! `aria-expanded` and `collapsed`. The weaving parses the spanning items' HTML as one piece in
//! the first item's row and moves each row between them into its place there (the other
//! items' rows are emptied), once the screen is on the page.

use leptos::wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(inline_js = r##"
const find = (s) => {
  if (!s || s[0] !== '#') return null;
  try { return document.querySelector(s); } catch (e) { return null; }
};
const show = (t, open) => {
  t.classList.toggle('show', open);
  if (!t.id) return;
  for (const b of document.querySelectorAll('[data-bs-target="#' + CSS.escape(t.id) + '"]')) {
    b.setAttribute('aria-expanded', open ? 'true' : 'false');
    b.classList.toggle('collapsed', !open);
  }
};
document.addEventListener('click', (ev) => {
  const b = ev.target instanceof Element && ev.target.closest('[data-bs-toggle="collapse"]');
  if (!b) return;
  ev.preventDefault();
  const t = find(b.getAttribute('data-bs-target') || b.getAttribute('href'));
  if (!t) return;
  const open = !t.classList.contains('show');
  const p = open && find(t.getAttribute('data-bs-parent'));
  if (p) for (const o of p.querySelectorAll('.collapse.show')) if (o !== t) show(o, false);
  show(t, open);
});
export function weave(numbers, pieces) {
  requestAnimationFrame(() => {
    const c = document.querySelector('.question-body form.form, .question-body .review');
    if (!c) return;
    const piece = (r) => {
      const i = r.hasAttribute('data-field') ? numbers.indexOf(Number(r.getAttribute('data-field'))) : -1;
      return i < 0 ? null : pieces[i];
    };
    const rows = [...c.children];
    const spans = rows.map((r, i) => (piece(r) === null ? -1 : i)).filter((i) => i >= 0);
    if (spans.length < 2) return;
    let html = '';
    const between = [], items = [];
    for (const r of rows.slice(spans[0], spans[spans.length - 1] + 1)) {
      const p = piece(r);
      if (p === null) { html += '<template data-colloquy-slot></template>'; between.push(r); }
      else { html += p; items.push(r); }
    }
    items[0].innerHTML = html;
    items[0].querySelectorAll('template[data-colloquy-slot]').forEach((s, k) => between[k] && s.replaceWith(between[k]));
    for (const r of items.slice(1)) r.innerHTML = '';
  });
}
"##)]
extern "C" {
    fn weave(numbers: Vec<u32>, pieces: Vec<String>);
}

/// Weaves the screen's spanning html items (by field number) once it is on the page.
pub fn weave_later(spanning: Vec<(usize, String)>) {
    if spanning.len() >= 2 {
        let (numbers, pieces): (Vec<u32>, Vec<String>) = spanning
            .into_iter()
            .map(|(i, html)| (u32::try_from(i).unwrap_or(u32::MAX), html))
            .unzip();
        weave(numbers, pieces);
    }
}
