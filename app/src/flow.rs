//! The interview controller: asks the server for screens, posts answers, keeps the URL and the
//! browser history in step with the interview, and remembers the last request for "Try again".

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::{self, Reply};
use crate::components::menu::Shell;
use crate::dom;
use crate::form::{back_entries, encode_component, urlencode};
use crate::screen::{Screen, strip_html};

/// How long after a screen arrives its background notifications are acted on.
const NOTIFY_MS: u64 = 500;

/// What to do with the browser history when the next screen arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// A new step: push an entry when the step number grew.
    Forward,
    /// The browser already moved (Back/Forward): only record the step number.
    Popped,
    /// Replace the current entry.
    Replace,
}

/// A request that can be repeated.
#[derive(Debug, Clone, PartialEq)]
enum Req {
    Get(String),
    Post(String, Nav),
}

/// The interview's state, shared by the page's components (all fields are `Copy` handles).
#[derive(Clone, Copy)]
pub struct Flow {
    /// The interview reference (`i`).
    pub i: StoredValue<String>,
    /// The session id, once known.
    pub session: RwSignal<Option<String>>,
    /// The screen shown.
    pub screen: RwSignal<Option<Arc<Screen>>>,
    /// A request is under way.
    pub busy: RwSignal<bool>,
    /// The last request failed: what to tell the user.
    pub error: RwSignal<Option<String>>,
    /// The interview's `error help` (HTML) sent with the last failure, shown above it.
    pub error_help: RwSignal<Option<String>>,
    /// A notice above the screen (stale submission).
    pub notice: RwSignal<Option<String>>,
    /// Upload progress (0–1) while files are sent.
    pub upload: RwSignal<Option<f64>>,
    /// How many history entries this page pushed (so on-screen Back can use the history).
    depth: StoredValue<i64>,
    /// Counts the screens shown, so a `reload` timer knows whether its screen is still there.
    shown: StoredValue<u64>,
    last: StoredValue<Option<Req>>,
    /// The site header, which shows the screen's menu items.
    shell: Option<Shell>,
}

impl Flow {
    /// A controller for interview `i`.
    pub fn new(i: String, session: Option<String>) -> Self {
        Flow {
            i: StoredValue::new(i),
            session: RwSignal::new(session),
            screen: RwSignal::new(None),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            error_help: RwSignal::new(None),
            notice: RwSignal::new(None),
            upload: RwSignal::new(None),
            depth: StoredValue::new(0),
            shown: StoredValue::new(0),
            last: StoredValue::new(None),
            shell: use_context::<Shell>(),
        }
    }

    /// `/interview?i=…[&session=…]`, the shareable address of this interview.
    pub fn page_url(&self) -> String {
        let mut url = String::from("/interview?i=");
        encode_component(&self.i.get_value(), &mut url);
        if let Some(s) = self.session.get_untracked() {
            url.push_str("&session=");
            encode_component(&s, &mut url);
        }
        url
    }

    fn endpoint(&self) -> String {
        let mut url = String::from("/interview?i=");
        encode_component(&self.i.get_value(), &mut url);
        url
    }

    /// The current step number.
    pub fn steps(&self) -> i64 {
        self.screen
            .with_untracked(|s| s.as_ref().and_then(|s| s.steps))
            .unwrap_or(0)
    }

    /// `GET /interview?i=…&json=1` plus `extra` query pairs (`reset=1`, `session=…`).
    pub fn load(&self, extra: &[(&str, &str)]) {
        let mut url = self.endpoint();
        url.push_str("&json=1");
        for (k, v) in extra {
            url.push('&');
            encode_component(k, &mut url);
            url.push('=');
            encode_component(v, &mut url);
        }
        self.run(Req::Get(url));
    }

    /// Posts an answer (urlencoded).
    pub fn post(&self, entries: &[(String, String)]) {
        self.run(Req::Post(urlencode(entries), Nav::Forward));
    }

    /// Posts a request that answers nothing (e-mailing the documents): the same screen comes
    /// back, in place of this one.
    pub fn post_in_place(&self, entries: &[(String, String)]) {
        self.run(Req::Post(urlencode(entries), Nav::Replace));
    }

    /// Runs an action (a `url_action` link, a review edit link): `POST _action=…`.
    pub fn action(&self, encoded: &str) {
        let Some(screen) = self.screen.get_untracked() else {
            return;
        };
        let mut entries = vec![("json".to_string(), "1".to_string())];
        if let Some(t) = &screen.csrf_token {
            entries.push(("csrf_token".into(), t.clone()));
        }
        entries.push(("_action".into(), encoded.to_string()));
        self.run(Req::Post(urlencode(&entries), Nav::Forward));
    }

    /// Goes back one step: through the browser history when this page pushed entries (the
    /// `popstate` handler then asks the server), otherwise directly.
    pub fn back(&self) {
        if self.busy.get_untracked() {
            return;
        }
        if self.depth.get_value() > 0 {
            dom::history_back();
        } else {
            self.back_request(Nav::Replace);
        }
    }

    /// `POST _back_one=1`.
    pub fn back_request(&self, nav: Nav) {
        let Some(screen) = self.screen.get_untracked() else {
            return;
        };
        self.run(Req::Post(urlencode(&back_entries(&screen)), nav));
    }

    /// Handles a `popstate`: the browser went back (or forward) to an entry for step `to`.
    pub fn popped(&self, to: i64) {
        let cur = self.steps();
        self.depth.update_value(|d| *d = (*d - 1).max(0));
        if to < cur {
            self.back_request(Nav::Popped);
        } else if to > cur {
            // Forward cannot replay answers: show where the interview is.
            self.run(Req::Get(format!("{}&json=1", self.endpoint())));
        }
    }

    /// Looks for the current question again (`refresh=1`), as docassemble's page reload does:
    /// a `reload` screen shows what background tasks have done meanwhile.
    pub fn refresh(&self) {
        self.run(Req::Get(format!("{}&json=1&refresh=1", self.endpoint())));
    }

    /// After `ms`, refreshes if screen number `which` is still the one shown and nothing is
    /// under way.
    fn reload_after(&self, ms: i64, which: u64) {
        let this = *self;
        let ms = u64::try_from(ms).unwrap_or(0).max(100);
        leptos::prelude::set_timeout(
            move || {
                if this.shown.try_get_value() == Some(which) && !this.busy.get_untracked() {
                    this.refresh();
                }
            },
            std::time::Duration::from_millis(ms),
        );
    }

    /// Acts on what finished background tasks told the page, a moment after it is shown (as
    /// docassemble's page learns it when it next checks in): `refresh` looks for the current
    /// question again, `flash` shows the message over the screen.
    fn notify_after(&self, notes: Vec<(String, crate::json::Json)>, which: u64) {
        let this = *self;
        leptos::prelude::set_timeout(
            move || {
                if this.shown.try_get_value() != Some(which) {
                    return;
                }
                for (action, value) in &notes {
                    match action.as_str() {
                        "flash" => {
                            let text = match value {
                                crate::json::Json::Str(s) => s.clone(),
                                other => other.to_text(),
                            };
                            this.notice.set(Some(text));
                        }
                        "refresh" if !this.busy.get_untracked() => this.refresh(),
                        _ => {}
                    }
                }
            },
            std::time::Duration::from_millis(NOTIFY_MS),
        );
    }

    /// Repeats the request that failed.
    pub fn retry(&self) {
        if let Some(req) = self.last.get_value() {
            self.run(req);
        }
    }

    /// Sends answers with files as multipart, with upload progress.
    pub fn upload_files(
        &self,
        entries: Vec<(String, String)>,
        files: Vec<(String, leptos::web_sys::File)>,
    ) {
        if self.busy.get_untracked() {
            return;
        }
        let this = *self;
        self.busy.set(true);
        self.error.set(None);
        self.upload.set(Some(0.0));
        let url = self.endpoint();
        dom::request(
            "POST",
            &url,
            dom::Body::Multipart(&entries, files),
            Some(Box::new(move |p| this.upload.set(Some(p)))),
            Box::new(move |result| {
                this.upload.set(None);
                this.busy.set(false);
                // A failed upload is retried by choosing Continue again (files stay chosen).
                this.last.set_value(None);
                this.finish(result, Nav::Forward);
            }),
        );
    }

    fn run(&self, req: Req) {
        if self.busy.get_untracked() {
            return;
        }
        let this = *self;
        self.busy.set(true);
        self.last.set_value(Some(req.clone()));
        let nav = match &req {
            Req::Get(_) => Nav::Replace,
            Req::Post(_, nav) => *nav,
        };
        let done: dom::Done = Box::new(move |result| {
            this.busy.set(false);
            this.finish(result, nav);
        });
        match req {
            Req::Get(url) => api::get(&url, done),
            Req::Post(body, _) => api::post_form(&self.endpoint(), body, done),
        }
    }

    fn finish(&self, result: dom::Reply, nav: Nav) {
        let help = result
            .as_ref()
            .ok()
            .and_then(|(_, _, body)| api::error_help(body));
        let reply = result.and_then(|(status, ct, body)| api::interpret(status, &ct, &body));
        match reply {
            Ok(Reply::Screen(s)) => {
                // `log(message, priority)`: shown over the screen, as docassemble flashes it
                let messages: Vec<&str> = s
                    .message_log
                    .iter()
                    .map(|m| m.trim())
                    .filter(|m| !m.is_empty())
                    .collect();
                self.notice
                    .set((!messages.is_empty()).then(|| messages.join(" ")));
                self.show(*s, nav);
            }
            Ok(Reply::Redirect(url)) => dom::go(&url),
            Ok(Reply::Stale(s)) => {
                self.notice.set(Some(
                    "This interview was answered somewhere else (perhaps in another tab). \
                     Here is where it is now."
                        .to_string(),
                ));
                self.show(*s, Nav::Replace);
            }
            Err(message) => {
                self.error_help.set(help);
                self.error.set(Some(message));
                dom::focus_later("load-error");
            }
        }
    }

    fn show(&self, screen: Screen, nav: Nav) {
        let prev = self
            .screen
            .with_untracked(|s| s.as_ref().and_then(|s| s.steps));
        if let Some(sid) = screen.session.clone().filter(|s| !s.is_empty()) {
            self.session.set(Some(sid));
        }
        let steps = screen.steps.unwrap_or(0);
        let url = self.page_url();
        match nav {
            Nav::Forward if prev.is_some_and(|p| steps > p) => {
                dom::push_history(steps, &url);
                self.depth.update_value(|d| *d += 1);
            }
            _ => dom::replace_history(steps, &url),
        }
        let title = screen
            .browser_title
            .clone()
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| strip_html(&screen.question_text));
        dom::set_title(&title);
        if let Some(lang) = screen.lang.as_deref().filter(|l| !l.is_empty()) {
            dom::set_lang(lang);
        }
        if let Some(shell) = self.shell {
            shell.menu_items.set(screen.menu_items.clone());
            shell
                .navbar
                .set(Some(crate::components::menu::Navbar::of(&screen, &url)));
        }
        let has_errors = !screen.errors.is_empty();
        let reload = screen.reload;
        self.shown.update_value(|n| *n += 1);
        if let Some(ms) = reload {
            self.reload_after(ms, self.shown.get_value());
        }
        if !screen.notifications.is_empty() {
            self.notify_after(screen.notifications.clone(), self.shown.get_value());
        }
        self.error.set(None);
        self.last.set_value(None);
        self.screen.set(Some(Arc::new(screen)));
        if prev.is_some() {
            dom::scroll_top();
            dom::focus_later(if has_errors {
                "error-summary"
            } else {
                "question-heading"
            });
        }
        leptos::prelude::request_animation_frame(dom::mark_first_screen);
    }
}
