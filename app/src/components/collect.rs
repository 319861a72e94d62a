//! `list collect`: every item of a list on one screen. The server sends the existing items and
//! blank ones (`collect_type: extra`, inactive); "Add another" shows the next blank item, an
//! item's Delete hides it (Undelete brings it back) and the items deleted are posted as
//! `_collect_delete`, a JSON list of their numbers.

use leptos::prelude::*;

use super::fields::FormCx;
use crate::screen::Screen;

/// What the user did to the items of a `list collect` screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Collect {
    /// Blank items shown by "Add another".
    pub revealed: Vec<usize>,
    /// Items marked for deletion (in the order marked).
    pub deleted: Vec<usize>,
}

impl Collect {
    /// `vis` with the items' rules applied: a blank item shows once added, a deleted one never.
    pub fn apply(&self, screen: &Screen, vis: &mut [bool]) {
        if screen.list_collect.is_none() {
            return;
        }
        for (i, f) in screen.fields.iter().enumerate() {
            let (Some(n), Some(v)) = (f.collect_number, vis.get_mut(i)) else {
                continue;
            };
            if self.deleted.contains(&n) {
                *v = false;
            } else if f.collect_extra {
                *v = self.revealed.contains(&n);
            }
        }
    }

    /// Leaves out of `vis` the added blank items still left blank: they are neither checked
    /// nor posted (the server stores only a blank item with something filled in).
    pub fn drop_blank(&self, screen: &Screen, values: &crate::form::Values, vis: &mut [bool]) {
        for &n in &self.revealed {
            let fields = || {
                screen
                    .fields
                    .iter()
                    .enumerate()
                    .filter(move |(_, f)| f.collect_number == Some(n) && f.collect_extra)
            };
            let blank = fields().all(|(_, f)| {
                f.variable_name_encoded
                    .as_ref()
                    .and_then(|e| values.get(e))
                    .is_none_or(|v| v.trim().is_empty())
            });
            if blank {
                for (i, _) in fields() {
                    if let Some(v) = vis.get_mut(i) {
                        *v = false;
                    }
                }
            }
        }
    }

    /// The next blank item "Add another" would show.
    fn next_blank(&self, screen: &Screen) -> Option<usize> {
        screen
            .fields
            .iter()
            .filter(|f| f.collect_extra)
            .filter_map(|f| f.collect_number)
            .find(|n| !self.revealed.contains(n) && !self.deleted.contains(n))
    }

    /// The `_collect_delete` entry to post (base64 name, JSON list), when items are deleted.
    pub fn entry(&self) -> Option<(String, String)> {
        if self.deleted.is_empty() {
            return None;
        }
        let mut list = String::from("[");
        for (i, n) in self.deleted.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            list.push_str(&n.to_string());
        }
        list.push(']');
        Some((crate::screen::encode_name("_collect_delete"), list))
    }
}

/// The controls after field `index`: the item's Delete (or, once deleted, Undelete) after
/// its last field, and "Add another" after the last item.
#[component]
pub fn CollectControls(cx: FormCx, index: usize, collect: RwSignal<Collect>) -> impl IntoView {
    let screen = cx.screen.get_value();
    let lc = screen.list_collect.clone()?;
    let n = screen.fields.get(index)?.collect_number?;
    let last_of_item = screen
        .fields
        .get(index + 1)
        .is_none_or(|f| f.collect_number != Some(n));
    if !last_of_item {
        return None;
    }
    let last_item = screen.fields[index + 1..]
        .iter()
        .all(|f| f.collect_number.is_none());
    let first_field = screen
        .fields
        .iter()
        .position(|f| f.collect_number == Some(n));
    let shown = move || {
        cx.visible.with(|v| {
            (first_field.unwrap_or(index)..=index).any(|i| v.get(i).copied().unwrap_or(false))
        })
    };
    let deleted = move || collect.with(|c| c.deleted.contains(&n));
    let (delete, deleted_label, undelete) = (lc.delete_label, lc.deleted_label, lc.undelete_label);
    let add_label = lc.add_another_label;
    // One button: Delete while the item shows, Undelete (after "(Deleted)") once deleted.
    let item = lc.allow_delete.then_some(move || {
        let gone = deleted();
        (gone || shown()).then(|| {
            let (label, note) = if gone {
                (undelete.clone(), Some(deleted_label.clone()))
            } else {
                (delete.clone(), None)
            };
            view! {
                <p class="collect-item">
                    {note.map(|t| view! { <span class="collect-deleted" inner_html=t></span>" " })}
                    <button type="button" class="btn-secondary"
                        on:click=move |_| collect.update(|c| {
                            if gone { c.deleted.retain(|d| *d != n) } else { c.deleted.push(n) }
                        })
                        inner_html=label></button>
                </p>
            }
        })
    });
    let st = cx.screen;
    let add = (last_item && lc.allow_append).then_some(move || {
        let next = collect.with(|c| st.with_value(|s| c.next_blank(s)));
        next.map(|b| {
            view! {
                <p class="collect-item">
                    <button type="button" class="btn-secondary"
                        on:click=move |_| collect.update(|c| c.revealed.push(b))
                        inner_html=add_label.clone()></button>
                </p>
            }
        })
    });
    Some(view! { {item}{add} })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::parse;

    fn screen() -> Screen {
        parse(
            r#"{"questionType":"fields","_question_name":"q","listCollect":{"list":"fruit","allowDelete":true,"allowAppend":true},
            "fields":[
              {"number":0,"variable_name":"fruit[0].name","variable_name_encoded":"YQ","datatype":"text","collect_number":0,"collect_type":"mid","active":true},
              {"number":1,"variable_name":"fruit[1].name","variable_name_encoded":"Yg","datatype":"text","collect_number":1,"collect_type":"extra","active":false},
              {"number":2,"variable_name":"fruit[2].name","variable_name_encoded":"Yw","datatype":"text","collect_number":2,"collect_type":"extra","active":false}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn blank_items_show_when_added_and_deleted_items_never() {
        let s = screen();
        assert_eq!(
            s.list_collect
                .as_ref()
                .map(|l| l.add_another_label.as_str()),
            Some("Add another")
        );
        let mut c = Collect::default();
        let mut vis = vec![true, false, false];
        c.apply(&s, &mut vis);
        assert_eq!(vis, [true, false, false]);
        assert_eq!(c.next_blank(&s), Some(1));
        c.revealed.push(1);
        c.deleted.push(0);
        let mut vis = vec![true, false, false];
        c.apply(&s, &mut vis);
        assert_eq!(vis, [false, true, false]);
        assert_eq!(c.next_blank(&s), Some(2));
        // an added item left blank is not checked or posted; once filled in it is
        let mut values = crate::form::Values::new();
        c.drop_blank(&s, &values, &mut vis);
        assert_eq!(vis, [false, false, false]);
        values.insert("Yg".into(), "fig".into());
        let mut vis = vec![false, true, false];
        c.drop_blank(&s, &values, &mut vis);
        assert_eq!(vis, [false, true, false]);
        let (name, value) = c.entry().unwrap();
        assert_eq!(name, crate::screen::encode_name("_collect_delete"));
        assert_eq!(value, "[0]");
        assert_eq!(Collect::default().entry(), None);
    }
}
