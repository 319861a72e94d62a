//! docassemble's navbar menu, in the site header: the interview's `menu_items` (an
//! `url_action()` item runs its action through the JSON protocol), and the account: "Sign in or
//! sign up to save answers" for a visitor, or a menu named by the signed-in user's e-mail with
//! their interviews, password change and sign-out. A disclosure button opens the menu (Escape
//! closes it); without menu items a visitor gets the sign-in link alone. The links are
//! `rel="external"`: the account pages are the server's, not the app's routes.
//!
//! An interview with `show login: False` has no sign-in link: as in docassemble, it gets an
//! Exit entry instead (its `exit label`; the `_da_exit` action, which does what `exit link`
//! says), alone or after the menu items (none with `hide standard menu`).

use leptos::prelude::*;

use crate::flow::Flow;
use crate::form::encode_component;
use crate::links::action_of_href;
use crate::screen::MenuItem;
use crate::{api, dom};

/// The signed-in user (`GET /user/me`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Account {
    /// Whether someone is signed in.
    pub signed_in: bool,
    /// Their e-mail address.
    pub email: Option<String>,
}

impl Account {
    /// Reads `GET /user/me`'s answer (`None` when it is not JSON).
    pub fn parse(body: &str) -> Option<Account> {
        let doc = crate::json::Json::parse(body).ok()?;
        let o = doc.obj();
        Some(Account {
            signed_in: o.bool("signed_in"),
            email: o.opt_str("email"),
        })
    }
}

/// What the header shows, shared by the app's pages (all fields are `Copy` handles).
#[derive(Clone, Copy)]
pub struct Shell {
    /// The current screen's `menu_items`.
    pub menu_items: RwSignal<Vec<MenuItem>>,
    /// The current interview's navbar settings (`None` outside an interview).
    pub navbar: RwSignal<Option<Navbar>>,
    /// The interview on the page, which runs the items' actions.
    pub flow: RwSignal<Option<Flow>>,
    /// Who is signed in, once known.
    pub account: RwSignal<Option<Account>>,
}

impl Shell {
    /// An empty shell; [`Shell::load_account`] asks the server who is signed in.
    pub fn new() -> Self {
        Shell {
            menu_items: RwSignal::new(Vec::new()),
            navbar: RwSignal::new(None),
            flow: RwSignal::new(None),
            account: RwSignal::new(None),
        }
    }

    /// Asks `GET /user/me`; a failure leaves the account unknown (the sign-in link shows).
    pub fn load_account(&self) {
        let account = self.account;
        api::get(
            "/user/me",
            Box::new(move |reply| {
                if let Ok((200, _, body)) = reply {
                    if let Some(a) = Account::parse(&body) {
                        account.set(Some(a));
                    }
                }
            }),
        );
    }
}

impl Default for Shell {
    fn default() -> Self {
        Self::new()
    }
}

/// What an interview says about the navbar (from its screen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Navbar {
    /// `show login`.
    pub show_login: bool,
    /// `exit label`.
    pub exit_label: String,
    /// `hide standard menu`.
    pub hide_standard_menu: bool,
    /// The address of the Exit entry (this interview with the `_da_exit` action).
    pub exit_href: String,
}

impl Navbar {
    /// The settings of `screen`, shown at `page_url`.
    pub fn of(screen: &crate::screen::Screen, page_url: &str) -> Navbar {
        let action = crate::screen::encode_name(EXIT_ACTION_JSON);
        Navbar {
            show_login: screen.show_login != Some(false),
            exit_label: screen
                .exit_label
                .clone()
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| "Exit".into()),
            hide_standard_menu: screen.hide_standard_menu,
            exit_href: crate::links::action_href(page_url, &action),
        }
    }
}

/// docassemble's `url_action('_da_exit')`.
const EXIT_ACTION_JSON: &str = r#"{"action":"_da_exit","arguments":{}}"#;

/// One entry of the menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Where it leads.
    pub href: String,
    /// The text (HTML for the interview's items).
    pub label: String,
}

/// `/user/sign-in?next=<this page>`.
pub fn sign_in_href(here: &str) -> String {
    let mut href = String::from("/user/sign-in?next=");
    encode_component(here, &mut href);
    href
}

/// The menu's entries: the interview's items, then the account's (for a signed-in user), or
/// Exit when the interview hides the sign-in link.
pub fn entries(
    items: &[MenuItem],
    account: Option<&Account>,
    navbar: Option<&Navbar>,
    here: &str,
) -> Vec<Entry> {
    let mut out: Vec<Entry> = items
        .iter()
        .map(|m| Entry {
            href: m.url.clone(),
            label: m.label.clone(),
        })
        .collect();
    let entry = |href: &str, label: &str| Entry {
        href: href.to_string(),
        label: label.to_string(),
    };
    if let Some(nav) = navbar.filter(|n| !n.show_login) {
        if !nav.hide_standard_menu || out.is_empty() {
            out.push(entry(&nav.exit_href, &nav.exit_label));
        }
        return out;
    }
    match account.filter(|a| a.signed_in) {
        Some(_) => {
            out.push(entry("/interviews", "My interviews"));
            out.push(entry("/user/change-password", "Change password"));
            out.push(entry("/user/sign-out", "Sign out"));
        }
        None => out.push(Entry {
            href: sign_in_href(here),
            label: SIGN_IN.to_string(),
        }),
    }
    out
}

/// docassemble's sign-in link text.
pub const SIGN_IN: &str = "Sign in or sign up to save answers";

/// The header's menu.
#[component]
pub fn SiteMenu() -> impl IntoView {
    let shell = expect_context::<Shell>();
    let open = RwSignal::new(false);
    let here = move || format!("{}{}", dom::pathname(), dom::search());
    let signed_in = move || {
        shell
            .account
            .with(|a| a.as_ref().filter(|a| a.signed_in).map(|a| a.email.clone()))
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        open.set(false);
        let Some(href) = dom::link_href(&ev) else {
            return;
        };
        if let (Some(action), Some(flow)) = (action_of_href(&href), shell.flow.get_untracked()) {
            ev.prevent_default();
            flow.action(&action);
        }
    };
    move || {
        let items = shell.menu_items.get();
        let navbar = shell.navbar.get().filter(|n| !n.show_login);
        let user = signed_in().filter(|_| navbar.is_none());
        if items.is_empty() && user.is_none() {
            // No interview items: the sign-in link alone, or Exit when sign-in is hidden.
            let (href, label, class) = match &navbar {
                Some(n) => (
                    n.exit_href.clone(),
                    n.exit_label.clone(),
                    "sign-in exit-link",
                ),
                None => (sign_in_href(&here()), SIGN_IN.to_string(), "sign-in"),
            };
            return view! { <a class=class rel="external" href=href on:click=on_click inner_html=label></a> }
                .into_any();
        }
        let label = user.flatten().unwrap_or_else(|| "Menu".to_string());
        let list = move || {
            let entries = shell.account.with(|a| {
                shell.navbar.with(|n| {
                    shell
                        .menu_items
                        .with(|items| entries(items, a.as_ref(), n.as_ref(), &here()))
                })
            });
            entries
                .into_iter()
                .map(|e| view! { <li><a rel="external" href=e.href inner_html=e.label></a></li> })
                .collect_view()
        };
        view! {
            <div
                class="site-menu"
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" && open.get_untracked() {
                        open.set(false);
                        dom::focus_later("site-menu-toggle");
                    }
                }
            >
                <button
                    type="button"
                    id="site-menu-toggle"
                    class="site-menu-toggle"
                    aria-controls="site-menu-list"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {label}
                </button>
                <ul id="site-menu-list" class="site-menu-list" hidden=move || !open.get() on:click=on_click>
                    {list}
                </ul>
            </div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(label: &str, url: &str) -> MenuItem {
        MenuItem {
            url: url.into(),
            label: label.into(),
        }
    }

    #[test]
    fn a_visitor_gets_the_items_then_sign_in_back_to_this_page() {
        let e = entries(
            &[item("Visit Cow", "/interview?action=abc")],
            None,
            None,
            "/interview?i=a:b.yml",
        );
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].label, "Visit Cow");
        assert_eq!(e[1].label, SIGN_IN);
        assert_eq!(e[1].href, "/user/sign-in?next=%2Finterview%3Fi%3Da%3Ab.yml");
    }

    #[test]
    fn a_signed_in_user_gets_their_account_entries() {
        let me = Account {
            signed_in: true,
            email: Some("ann@example.org".into()),
        };
        let labels: Vec<String> = entries(&[], Some(&me), None, "/")
            .into_iter()
            .map(|e| e.label)
            .collect();
        assert_eq!(labels, ["My interviews", "Change password", "Sign out"]);
        let anonymous = Account::default();
        assert_eq!(entries(&[], Some(&anonymous), None, "/")[0].label, SIGN_IN);
    }

    fn navbar(hide_standard_menu: bool) -> Navbar {
        let s = crate::screen::parse(&format!(
            r#"{{"_question_name":"Q","questionType":"deadend","questionText":"Q",
            "show_login":false,"exit_label":"Leave","hide_standard_menu":{hide_standard_menu}}}"#
        ))
        .unwrap();
        Navbar::of(&s, "/interview?i=a:b.yml")
    }

    #[test]
    fn show_login_false_offers_exit_instead_of_sign_in() {
        let nav = navbar(false);
        assert!(!nav.show_login);
        let action = crate::links::action_of_href(&nav.exit_href).unwrap();
        assert_eq!(action, crate::screen::encode_name(EXIT_ACTION_JSON));
        let me = Account {
            signed_in: true,
            email: Some("ann@example.org".into()),
        };
        let only = entries(&[], Some(&me), Some(&nav), "/");
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].label, "Leave");
        let with_items = entries(&[item("Cow", "/x")], None, Some(&nav), "/");
        let labels: Vec<&str> = with_items.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["Cow", "Leave"]);
        let hidden = entries(&[item("Cow", "/x")], None, Some(&navbar(true)), "/");
        assert_eq!(hidden.len(), 1);
    }

    #[test]
    fn the_default_keeps_the_sign_in_link() {
        let s = crate::screen::parse(
            r#"{"_question_name":"Q","questionType":"deadend","questionText":"Q"}"#,
        )
        .unwrap();
        let nav = Navbar::of(&s, "/interview?i=a:b.yml");
        assert!(nav.show_login);
        assert_eq!(nav.exit_label, "Exit");
        assert_eq!(entries(&[], None, Some(&nav), "/")[0].label, SIGN_IN);
    }
}
