//! Actions: `url_action()` links, action buttons and review edit links (docassemble's
//! `process_action`, spec §3.6).
//!
//! An action arriving with a request is checked first: only names the interview defines (an
//! event or a variable some block sets), the actions the pending screen offers (review
//! items), and the list helpers on an existing list or dict are accepted. A plain name is
//! force-asked: it goes to the front of the event stack and its screen (or event code) comes
//! next, even when the variable is defined. The built-in `_da_*` actions change the answers
//! directly (`_da_undefine`, `_da_set` …) or push further actions; they are also what review
//! edits leave on the event stack (`recompute` = `_da_undefine` then `_da_compute`), and run
//! when they reach its head.

use serde_json::{Map, Value as Json};

use super::compile::normalise;
use super::error::RunError;
use super::eval::{Ctx, Eval, Interrupt};
use super::state::Action;
use super::values::from_json;

/// The built-in actions this engine runs.
pub const BUILTINS: &[&str] = &[
    "_da_force_ask",
    "_da_undefine",
    "_da_invalidate",
    "_da_compute",
    "_da_define",
    "_da_set",
    "_da_list_add",
    "_da_list_complete",
    "_da_dict_complete",
    "_da_priority_action",
    "_da_list_edit",
    "_da_dict_edit",
    "_da_list_remove",
    "_da_dict_remove",
    "_da_list_ensure_complete",
    "_da_dict_ensure_complete",
    "_da_dict_add",
];

/// Built-ins that act on one list or dict given as `list`/`dict` argument.
const COLLECTION_BUILTINS: &[(&str, &str)] = &[
    ("_da_list_add", "list"),
    ("_da_list_complete", "list"),
    ("_da_dict_complete", "dict"),
    ("_da_list_remove", "list"),
    ("_da_dict_remove", "dict"),
    ("_da_dict_add", "dict"),
];

/// Built-ins that make a list or dict given as `group` complete again.
const ENSURE_COMPLETE: &[(&str, &str)] = &[
    ("_da_list_ensure_complete", "DAList"),
    ("_da_dict_ensure_complete", "DADict"),
];

impl Action {
    /// Reads docassemble's action JSON `{"action": name, "arguments": {…}}`.
    ///
    /// # Errors
    /// Not an object, no `action` text, or `arguments` that are not an object.
    pub fn from_json(v: &Json) -> Result<Action, RunError> {
        let bad = |m: &str| RunError::BadRequest(format!("the action is not valid: {m}"));
        let obj = v
            .as_object()
            .ok_or_else(|| bad("it must be a JSON object"))?;
        let name = obj
            .get("action")
            .and_then(Json::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| bad("'action' must be a name"))?;
        let arguments = match obj.get("arguments") {
            None | Some(Json::Null) => Map::new(),
            Some(Json::Object(m)) => m.clone(),
            Some(_) => return Err(bad("'arguments' must be an object")),
        };
        Ok(Action {
            action: name.to_string(),
            arguments,
        })
    }

    /// The action as docassemble's JSON.
    pub fn to_json(&self) -> Json {
        serde_json::json!({"action": self.action, "arguments": self.arguments})
    }

    fn variables(&self) -> Vec<Json> {
        self.arguments
            .get("variables")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default()
    }

    fn variable_names(&self) -> Vec<String> {
        self.variables()
            .iter()
            .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
            .collect()
    }
}

/// One entry of a `_da_force_ask` list: a name, or an action object.
fn entry(v: &Json) -> Option<Action> {
    match v {
        Json::String(s) => Some(Action {
            action: s.trim().to_string(),
            arguments: Map::new(),
        }),
        Json::Object(_) => Action::from_json(v).ok(),
        _ => None,
    }
}

/// A variable path as docassemble accepts in actions (no calls, no operators).
fn is_path(name: &str) -> bool {
    pyeval::PathPattern::parse(name.trim()).is_ok()
}

impl Ctx<'_> {
    /// Checks an action that came from outside (a link, a button, a POST).
    ///
    /// # Errors
    /// [`RunError::BadRequest`] for anything the interview does not offer.
    pub fn check_action(&mut self, a: &Action) -> Result<(), RunError> {
        let offered = self.st.internal.pending.as_ref().is_some_and(|p| {
            p.screen
                .additional_buttons
                .iter()
                .any(|b| b.to_action().as_ref() == Some(a))
                || p.screen.fields.iter().any(|f| {
                    f.action
                        .as_deref()
                        .and_then(super::screen::decode_name)
                        .and_then(|t| serde_json::from_str::<Json>(&t).ok())
                        .and_then(|j| Action::from_json(&j).ok())
                        .is_some_and(|o| &o == a)
                })
        });
        if offered {
            return Ok(());
        }
        let refuse = |why: &str| {
            Err(RunError::BadRequest(format!(
                "the action '{}' is not available: {why}",
                a.action
            )))
        };
        if a.action == "_da_priority_action" {
            let inner = Action {
                action: a
                    .arguments
                    .get("_action")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string(),
                arguments: a
                    .arguments
                    .get("_arguments")
                    .and_then(Json::as_object)
                    .cloned()
                    .unwrap_or_default(),
            };
            if inner.action.is_empty() || inner.action.starts_with("_da_") {
                return refuse("a priority action needs the name of an event");
            }
            return self.check_action(&inner);
        }
        if matches!(a.action.as_str(), "_da_list_edit" | "_da_dict_edit") {
            return self.check_edit(a);
        }
        if let Some((_, family)) = ENSURE_COMPLETE.iter().find(|(n, _)| *n == a.action) {
            let group = a
                .arguments
                .get("group")
                .and_then(Json::as_str)
                .unwrap_or("");
            return if self.is_collection(group, family) {
                Ok(())
            } else {
                refuse(&format!("'{group}' is not a {family}"))
            };
        }
        if matches!(a.action.as_str(), "_da_list_remove" | "_da_dict_remove")
            && item_literal(a.arguments.get("item")).is_none()
        {
            return refuse("it needs the item to remove, as a number or a quoted key");
        }
        if let Some((_, key)) = COLLECTION_BUILTINS.iter().find(|(n, _)| *n == a.action) {
            let Some(name) = a.arguments.get(*key).and_then(Json::as_str) else {
                return refuse(&format!("it needs the {key} to act on"));
            };
            if !is_path(name) {
                return refuse(&format!("'{name}' is not a variable"));
            }
            let family = if *key == "list" { "DAList" } else { "DADict" };
            let ok = self.is_collection(name, family);
            return if ok {
                Ok(())
            } else {
                refuse(&format!("'{name}' is not a {family}"))
            };
        }
        if a.action.starts_with("_da_") {
            return refuse("only the screen's own edit links may run it");
        }
        if !is_path(&a.action) {
            return refuse("it is not a name");
        }
        if self.candidates_exist(&a.action) {
            Ok(())
        } else {
            refuse("no block of the interview defines it")
        }
    }

    /// Whether `name` is a variable holding a `family` (`DAList`, `DADict`) object.
    fn is_collection(&mut self, name: &str, family: &str) -> bool {
        is_path(name)
            && self.value_of(name).is_some_and(|v| {
                let cx = self.interp();
                cx.class_name(&v)
                    .is_some_and(|c| crate::runtime::classes::is_a(&c, family))
            })
    }

    /// A table's edit link (`item_actions()`): its `items` may only follow up on variables,
    /// re-seek them (`_da_define`), undefine attributes of the group's items
    /// (`_da_undefine`) and make the group complete again.
    fn check_edit(&mut self, a: &Action) -> Result<(), RunError> {
        let refuse = |why: &str| {
            Err(RunError::BadRequest(format!(
                "the action '{}' is not available: {why}",
                a.action
            )))
        };
        let Some(items) = a.arguments.get("items").and_then(Json::as_array) else {
            return refuse("it needs the items to edit");
        };
        let groups: Vec<String> = items
            .iter()
            .filter_map(|i| i.get("arguments")?.get("group")?.as_str())
            .map(normalise)
            .collect();
        for item in items {
            if let Some(follow) = item.get("follow up") {
                let ok = follow
                    .as_array()
                    .is_some_and(|l| l.iter().all(|v| v.as_str().is_some_and(is_path)));
                if !ok {
                    return refuse("a follow up must list variables");
                }
                continue;
            }
            let Ok(inner) = Action::from_json(item) else {
                return refuse("an item must be a follow up or an action");
            };
            match inner.action.as_str() {
                "_da_define" | "_da_compute" => {
                    if !inner.variable_names().iter().all(|v| is_path(v)) {
                        return refuse("it may only seek variables");
                    }
                }
                "_da_undefine" => {
                    let ok = inner.variable_names().iter().all(|v| {
                        is_path(v)
                            && groups
                                .iter()
                                .any(|g| normalise(v).starts_with(&format!("{g}[")))
                    });
                    if !ok {
                        return refuse("it may only undefine attributes of the group's items");
                    }
                }
                "_da_list_ensure_complete" | "_da_dict_ensure_complete" => {
                    self.check_action(&inner)?;
                }
                _ => return refuse("it may not run that action"),
            }
        }
        Ok(())
    }

    /// Starts an action that came with the request (after [`Ctx::check_action`]): built-ins
    /// run now, a name is force-asked.
    pub(crate) fn start_action(&mut self, a: Action) {
        if a.action == "_da_priority_action" {
            self.st.internal.event_stack.clear();
            let inner = Action {
                action: a
                    .arguments
                    .get("_action")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string(),
                arguments: a
                    .arguments
                    .get("_arguments")
                    .and_then(Json::as_object)
                    .cloned()
                    .unwrap_or_default(),
            };
            self.start_action(inner);
            return;
        }
        if a.action.starts_with("_da_") {
            // Run by the assembly as the head of the event stack (it may need answers first).
            self.st.internal.event_stack.insert(0, a);
        } else {
            self.push_actions(vec![a], true);
        }
    }

    /// Puts actions at the front of the event stack, skipping names already waiting
    /// (docassemble's `already_there`). With `to_front`, one that is already waiting moves to
    /// the front (it is asked now).
    fn push_actions(&mut self, actions: Vec<Action>, to_front: bool) {
        let stack = &mut self.st.internal.event_stack;
        let mut new = Vec::new();
        for a in actions {
            if let Some(pos) = stack.iter().position(|e| e.action == a.action) {
                if to_front && new.is_empty() {
                    let existing = stack.remove(pos);
                    new.push(existing);
                }
                continue;
            }
            new.push(a);
        }
        for (n, a) in new.into_iter().enumerate() {
            stack.insert(n, a);
        }
    }

    /// Removes `a` from the head of the event stack if it is there.
    fn pop_if_head(&mut self, a: &Action) {
        if self.st.internal.event_stack.first() == Some(a) {
            self.st.internal.event_stack.remove(0);
        }
    }

    /// Runs a built-in action (from the request or from the head of the event stack).
    pub(crate) fn run_builtin(&mut self, a: &Action) -> Eval<()> {
        let block = a.action.clone();
        match a.action.as_str() {
            "_da_force_ask" => {
                self.pop_if_head(a);
                let items: Vec<Action> = a.variables().iter().filter_map(entry).collect();
                self.push_actions(items, true);
            }
            "_da_undefine" | "_da_invalidate" => {
                self.pop_if_head(a);
                for v in a.variable_names() {
                    if is_path(&v) {
                        self.undefine(&v);
                    }
                }
            }
            "_da_compute" | "_da_define" => {
                self.pop_if_head(a);
                for v in a.variable_names() {
                    if is_path(&v) && !self.st.internal.gather.contains(&v) {
                        self.st.internal.gather.push(v);
                    }
                }
            }
            "_da_set" => {
                self.pop_if_head(a);
                for pair in a.variables() {
                    let Some([name, value]) = pair.as_array().map(Vec::as_slice) else {
                        continue;
                    };
                    let Some(name) = name.as_str().filter(|n| is_path(n)) else {
                        continue;
                    };
                    let v = {
                        let mut cx = self.interp();
                        from_json(&mut cx, value).map_err(|f| super::eval::flow(f, &block))?
                    };
                    self.assign(name.trim(), v, &block)?;
                }
            }
            "_da_list_add" => {
                self.pop_if_head(a);
                let list = self.collection_arg(a, "list")?;
                self.exec_src(&list_add_source(&list), &block)?;
                let complete = a
                    .arguments
                    .get("complete")
                    .and_then(Json::as_bool)
                    .unwrap_or(true);
                if complete {
                    let mut args = Map::new();
                    args.insert("list".into(), Json::String(list));
                    self.st.internal.event_stack.insert(
                        0,
                        Action {
                            action: "_da_list_complete".into(),
                            arguments: args,
                        },
                    );
                }
            }
            "_da_list_edit" | "_da_dict_edit" => {
                // docassemble's force_ask(*items): follow-ups are asked in turn (a variable no
                // question asks is skipped), actions run when they reach the head.
                self.pop_if_head(a);
                let mut actions = Vec::new();
                for item in a
                    .arguments
                    .get("items")
                    .and_then(Json::as_array)
                    .cloned()
                    .unwrap_or_default()
                {
                    if let Some(follow) = item.get("follow up").and_then(Json::as_array) {
                        actions.extend(follow.iter().filter_map(entry));
                    } else if let Ok(inner) = Action::from_json(&item) {
                        actions.push(inner);
                    }
                }
                self.push_actions(actions, true);
            }
            "_da_list_remove" | "_da_dict_remove" => {
                self.pop_if_head(a);
                let key = if a.action == "_da_list_remove" {
                    "list"
                } else {
                    "dict"
                };
                let group = self.collection_arg(a, key)?;
                if let Some(item) = item_literal(a.arguments.get("item")) {
                    self.exec_src(&remove_source(&group, &item), &block)?;
                }
                let ensure = if key == "list" {
                    "_da_list_ensure_complete"
                } else {
                    "_da_dict_ensure_complete"
                };
                let mut args = Map::new();
                args.insert("group".into(), Json::String(group));
                self.st.internal.event_stack.insert(
                    0,
                    Action {
                        action: ensure.into(),
                        arguments: args,
                    },
                );
            }
            "_da_list_ensure_complete" | "_da_dict_ensure_complete" => {
                let group = self.collection_arg(a, "group")?;
                self.exec_src(&format!("{group}.gathered_and_complete()"), &block)?;
                self.pop_if_head(a);
            }
            "_da_dict_add" => {
                self.pop_if_head(a);
                let dict = self.collection_arg(a, "dict")?;
                self.exec_src(&dict_add_source(&dict), &block)?;
                let mut args = Map::new();
                args.insert("dict".into(), Json::String(dict));
                self.st.internal.event_stack.insert(
                    0,
                    Action {
                        action: "_da_dict_complete".into(),
                        arguments: args,
                    },
                );
            }
            "_da_list_complete" | "_da_dict_complete" => {
                let key = if a.action == "_da_list_complete" {
                    "list"
                } else {
                    "dict"
                };
                let name = self.collection_arg(a, key)?;
                self.exec_src(&format!("{name}.gathered_and_complete()"), &block)?;
                self.pop_if_head(a);
            }
            _ => {
                // Not something this engine runs: forget it.
                self.pop_if_head(a);
            }
        }
        Ok(())
    }

    fn collection_arg(&mut self, a: &Action, key: &str) -> Eval<String> {
        match a.arguments.get(key).and_then(Json::as_str) {
            Some(n) if is_path(n) => Ok(normalise(n)),
            _ => {
                self.pop_if_head(a);
                Err(Interrupt::Error(RunError::BadRequest(format!(
                    "the action '{}' needs the {key} to act on",
                    a.action
                ))))
            }
        }
    }

    /// The first variable of the gather list (`_da_compute`, `force_gather`) that is not
    /// defined yet; the defined ones are dropped from the list.
    pub(crate) fn next_to_gather(&mut self) -> Option<String> {
        let names = self.st.internal.gather.clone();
        for v in names {
            if self.defined(&v) {
                self.st.internal.gather.retain(|g| g != &v);
            } else {
                return Some(v);
            }
        }
        None
    }
}

/// The `item` argument of a remove action as a Python literal: an integer, or a quoted key
/// (what `repr()` of an index gives), re-quoted safely; `None` for anything else.
fn item_literal(v: Option<&Json>) -> Option<String> {
    let text = match v? {
        Json::Number(n) => return n.as_i64().map(|i| i.to_string()),
        Json::String(s) => s.trim().to_string(),
        _ => return None,
    };
    if let Ok(i) = text.parse::<i64>() {
        return Some(i.to_string());
    }
    let quote = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    if inner.contains('\\') || inner.contains(quote) {
        return None;
    }
    Some(super::ask::py_repr(inner))
}

/// docassemble's `_da_list_remove` / `_da_dict_remove`: take the item out and reopen the
/// gathering counters.
fn remove_source(group: &str, item: &str) -> String {
    format!(
        "{group}.pop({item})\n\
         if len({group}.elements) == 0 and hasattr({group}, 'there_are_any'):\n\
         \x20   {group}.there_are_any = False\n\
         if hasattr({group}, 'there_is_another') and {group}.there_is_another:\n\
         \x20   del {group}.there_is_another\n\
         if hasattr({group}, '_necessary_length'):\n\
         \x20   del {group}._necessary_length\n\
         if {group}.ask_number and hasattr({group}, 'target_number') and int({group}.target_number) > 0:\n\
         \x20   {group}.target_number = int({group}.target_number) - 1\n"
    )
}

/// docassemble's `_da_dict_add`: open the dict again and ask for one more entry.
fn dict_add_source(dict: &str) -> String {
    format!(
        "if hasattr({dict}, 'gathered') and {dict}.gathered:\n\
         \x20   if not {dict}.auto_gather:\n\
         \x20       if hasattr({dict}, 'new_item_name') and {dict}.new_item_name in {dict}.elements:\n\
         \x20           del {dict}.new_item_name\n\
         \x20       else:\n\
         \x20           {dict}[{dict}.new_item_name]\n\
         \x20   {dict}.reset_gathered()\n\
         \x20   if {dict}.auto_gather:\n\
         \x20       if {dict}.ask_number:\n\
         \x20           {dict}.target_number = len({dict}.elements) + 1\n\
         \x20       else:\n\
         \x20           {dict}.there_is_another = False\n\
         \x20           {dict}.there_is_one_other = True\n\
         if {dict}.auto_gather and not {dict}.ask_number:\n\
         \x20   {dict}.there_are_any = True\n"
    )
}

/// docassemble's `_da_list_add` for a list: open it again and ask for one more item.
fn list_add_source(list: &str) -> String {
    format!(
        "{list}.was_gathered = bool({list}.gathered) if hasattr({list}, 'gathered') else False\n\
         if {list}.was_gathered:\n    {list}.reset_gathered()\n\
         if {list}.auto_gather:\n\
         \x20   if {list}.ask_number:\n\
         \x20       if hasattr({list}, 'target_number'):\n\
         \x20           {list}.target_number = int({list}.target_number) + 1\n\
         \x20   elif {list}.was_gathered:\n\
         \x20       {list}.there_is_another = False\n\
         \x20       if len({list}.elements) > 0:\n\
         \x20           {list}.there_is_one_other = True\n\
         \x20   else:\n\
         \x20       {list}.there_is_another = True\n\
         \x20   if not {list}.ask_number:\n\
         \x20       {list}.there_are_any = True\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn actions_read_docassemble_json() {
        let a = Action::from_json(&json!({"action": "go", "arguments": {"n": 1}})).expect("ok");
        assert_eq!(a.action, "go");
        assert_eq!(a.arguments["n"], 1);
        assert!(Action::from_json(&json!({"arguments": {}})).is_err());
        assert!(Action::from_json(&json!({"action": "go", "arguments": [1]})).is_err());
        assert!(Action::from_json(&json!("go")).is_err());
        assert_eq!(Action::from_json(&a.to_json()).expect("round trip"), a);
    }

    #[test]
    fn force_ask_entries_are_names_or_actions() {
        assert_eq!(entry(&json!(" a ")).map(|a| a.action), Some("a".into()));
        assert_eq!(
            entry(&json!({"action": "_da_undefine", "arguments": {"variables": ["a"]}}))
                .map(|a| a.action),
            Some("_da_undefine".into())
        );
        assert_eq!(entry(&json!(3)), None);
    }

    #[test]
    fn only_paths_are_names() {
        assert!(is_path("people[0].name.first"));
        assert!(!is_path("os.system('id')"));
        assert!(!is_path("a + b"));
    }
}
