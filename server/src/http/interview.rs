//! `/interview`: docassemble's interview endpoint (protocol spec §2, §3) with `json=1`.
//!
//! GET shows the current screen of the browser's session for `i` (creating the session on the
//! first visit); POST applies answers, goes back (`_back_one`) or restarts. Without `json=1`
//! the app shell is served and the app asks again with `json=1`.
//!
//! Safety beyond docassemble: only the variables of the screen being answered can be set
//! (always), a CSRF token bound to the browser's secret is required on every POST, every
//! answer is validated before anything is stored, and two requests racing on one session
//! cannot both write: the loser gets 409 with the current screen.

use std::collections::BTreeMap;

use crate::http::first_query::FirstQuery;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use engine::run::{Action, Answered, Screen, SessionState, Submission, decode_name, encode_name};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::engine_task::{EngineRun, with_engine};
use super::error::ApiError;
use crate::interviews;
use crate::store::{
    Credentials, HolderKind, Owner, Secret, SessionId, StepNumber, StoreError, UserCreds,
};

/// The cookie holding the browser's secret (it decrypts the browser's sessions).
pub const SECRET_COOKIE: &str = "secret";
/// The cookie mapping interviews to this browser's current session of each.
pub const SESSIONS_COOKIE: &str = "colloquy_sessions";
/// How many interviews the sessions cookie remembers.
const MAX_REMEMBERED: usize = 20;

/// Query parameters of `/interview`.
#[derive(Debug, Default, Deserialize)]
pub struct InterviewQuery {
    /// The interview (`docassemble.pkg:data/questions/x.yml`).
    pub i: Option<String>,
    /// `1` for JSON.
    pub json: Option<String>,
    /// `1`: restart the session's answers; `2`: start a new session.
    pub reset: Option<String>,
    /// `1`: start a new session.
    pub new_session: Option<String>,
    /// Resume this session.
    pub session: Option<String>,
    /// `0`: re-read the interview file.
    pub cache: Option<String>,
    /// An action to run: base64 of `{"action": name, "arguments": {…}}` (`url_action`).
    pub action: Option<String>,
    /// `1`: look for the current question again instead of showing the waiting one (what a
    /// docassemble page reload does; a `reload` screen asks for it when its time comes, so
    /// it shows what background tasks have done meanwhile).
    pub refresh: Option<String>,
}

fn flag(v: &Option<String>) -> bool {
    v.as_deref()
        .map(str::trim)
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0)
        != 0
}

/// A posted control field that asks for something (`_back_one=1`): present, not blank, not `0`.
fn form_flag(v: Option<&str>) -> bool {
    v.is_some_and(|v| v.trim() != "0" && !v.trim().is_empty())
}

/// What the engine thread is asked to do.
pub(super) enum Job {
    /// Show the screen (assembling if none is pending).
    Show,
    /// Assemble again even when a screen is pending (a page reload).
    Refresh,
    /// Apply a submission.
    Answer(Submission),
    /// Show the screen of the step gone back to, its fields filled in with the answers of
    /// the step left (its stored state).
    Back(Vec<u8>),
}

/// A file field of the pending screen: its variable and its `accept` patterns, if any.
#[derive(Debug, Clone)]
struct FileField {
    variable: String,
    accept: Option<Vec<String>>,
}

/// What the engine thread answered (only `Send` data: the screen is already JSON).
pub(super) struct JobResult {
    /// The state to store, when it changed.
    pub(super) new_state: Option<Vec<u8>>,
    /// The screen to return, as JSON, with its status.
    pub(super) screen: Rendered,
    pub(super) status: StatusCode,
    /// A special button pressed (`restart`, `exit` …).
    pub(super) command: Option<String>,
    /// The interview's title, for `browser_title`.
    pub(super) title: Option<String>,
    /// The interview's `short title` (the API's `short_title`).
    pub(super) short_title: Option<String>,
    /// The interview set `multi_user = True` (the session is then held by the server).
    pub(super) multi_user: bool,
}

impl JobResult {
    /// The state an answer saves as the next step: the changed state, unless a special
    /// button (which saves nothing) was pressed.
    fn saving(&self) -> Option<&[u8]> {
        self.new_state.as_deref().filter(|_| self.command.is_none())
    }

    /// The pending screen `p` shown again as it is, nothing to store.
    fn shown_again(
        st: &SessionState,
        p: &engine::run::state::Pending,
        chrome: &super::chrome::Chrome,
        title: Option<String>,
        short_title: Option<String>,
    ) -> Self {
        JobResult {
            new_state: None,
            screen: Rendered::of(&p.screen)
                .tracked(st.internal.tracker)
                .with_chrome(chrome),
            status: StatusCode::OK,
            command: None,
            title,
            short_title,
            multi_user: multi_user_of(st),
        }
    }
}

/// Is `multi_user` set to `True` in the answers? (docassemble §5.4)
pub(super) fn multi_user_of(st: &SessionState) -> bool {
    matches!(st.vars.get("multi_user"), Some(pyeval::Value::Bool(true)))
}

/// Runs engine work on the blocking pool (the compiled interview lives in that thread's cache).
pub(super) async fn run_engine(
    state: &AppState,
    reference: engine::FileRef,
    use_cache: bool,
    session_state: Option<Vec<u8>>,
    job: Job,
) -> Result<JobResult, ApiError> {
    with_engine(state, reference, use_cache, session_state, move |run| {
        run_job(run, job)
    })
    .await
}

/// Runs `job` (showing a screen or taking an answer) on a session's engine.
fn run_job(run: EngineRun<'_>, job: Job) -> Result<JobResult, ApiError> {
    let EngineRun {
        interview,
        engine: eng,
        state: mut st,
        fresh,
    } = run;
    let title = interview_title(interview);
    let short_title = metadata_text(interview, "short title");
    let chrome = super::chrome::Chrome::of(interview);
    if let Job::Back(undone) = &job {
        if let Ok(undone) = super::engine_task::decode_state(undone) {
            eng.remember_undone(&mut st, &undone);
        }
    }
    match job {
        Job::Show | Job::Refresh | Job::Back(_) => {
            if let Some(p) = &st.internal.pending {
                if !fresh && !matches!(job, Job::Refresh) {
                    return Ok(JobResult::shown_again(&st, p, &chrome, title, short_title));
                }
            }
            let screen = eng
                .screen(&mut st)
                .map_err(|e| ApiError::of_run(e, interview))?;
            let notes = std::mem::take(&mut st.internal.notifications);
            Ok(JobResult {
                new_state: Some(
                    st.to_bytes()
                        .map_err(|e| ApiError::Internal(e.to_string()))?,
                ),
                screen: Rendered::of(&screen)
                    .tracked(st.internal.tracker)
                    .with_chrome(&chrome)
                    .with_notifications(&notes),
                status: StatusCode::OK,
                command: None,
                title,
                short_title,
                multi_user: multi_user_of(&st),
            })
        }
        Job::Answer(mut sub) => {
            if let Some(p) = st.internal.pending.as_ref().filter(|p| {
                p.screen.question_type == engine::run::QuestionType::Deadend
                    && sub.values.is_empty()
                    && sub.files.is_empty()
                    && sub.action.is_none()
            }) {
                // Nothing posted to a screen that asks nothing: docassemble marks a
                // question answered only when something changed, so the same screen
                // shows again (it is not taken as done).
                return Ok(JobResult::shown_again(&st, p, &chrome, title, short_title));
            }
            if let Some(p) = &st.internal.pending {
                super::generic_names::resolve(p, &mut sub.values);
                super::convert::convert_text_answers(&p.screen, &mut sub.values);
            }
            let answered = eng
                .answer(&mut st, &sub)
                .map_err(|e| ApiError::of_run(e, interview))?;
            let invalid = matches!(answered, Answered::Invalid(_));
            let (screen, status, changed, command) = match answered {
                Answered::Next(s) => (s, StatusCode::OK, true, None),
                Answered::Invalid(s) => (s, StatusCode::OK, false, None),
                Answered::Stale(s) => (s, StatusCode::CONFLICT, false, None),
                Answered::Command(cmd) => {
                    let screen = st
                        .internal
                        .pending
                        .as_ref()
                        .map(|p| p.screen.clone())
                        .ok_or_else(|| ApiError::Internal("no screen is pending".into()))?;
                    (screen, StatusCode::OK, false, Some(cmd))
                }
            };
            // What finished background tasks tell the page goes with this answer (they
            // ran right after the request, so there is nothing to poll for later).
            let notes = if changed {
                std::mem::take(&mut st.internal.notifications)
            } else {
                Vec::new()
            };
            let new_state = if changed {
                Some(
                    st.to_bytes()
                        .map_err(|e| ApiError::Internal(e.to_string()))?,
                )
            } else {
                None
            };
            let mut rendered = Rendered::of(&screen)
                .tracked(st.internal.tracker)
                .with_chrome(&chrome)
                .with_notifications(&notes);
            if invalid {
                rendered = rendered.with_posted_defaults(&sub.values);
            }
            Ok(JobResult {
                new_state,
                screen: rendered,
                status,
                command,
                title,
                short_title,
                multi_user: multi_user_of(&st),
            })
        }
    }
}

/// The file fields of the screen waiting in `session_state`, with their `accept` lists.
async fn file_fields(
    state: &AppState,
    reference: engine::FileRef,
    use_cache: bool,
    session_state: Vec<u8>,
) -> Result<Vec<FileField>, ApiError> {
    with_engine(state, reference, use_cache, Some(session_state), |run| {
        let Some(p) = &run.state.internal.pending else {
            return Ok(Vec::new());
        };
        let accepts = block_accepts(run.interview, p.block);
        Ok(p.screen
            .fields
            .iter()
            .filter(|f| {
                f.datatype
                    .as_deref()
                    .is_some_and(|d| super::uploads::FILE_DATATYPES.contains(&d))
            })
            .filter_map(|f| {
                let variable = f.variable_name.clone()?;
                let general = engine::run::headless::generalise(&variable);
                let accept = accepts
                    .iter()
                    .find(|(v, _)| {
                        *v == variable || engine::run::headless::generalise(v) == general
                    })
                    .map(|(_, a)| super::uploads::accept_patterns(a));
                Some(FileField { variable, accept })
            })
            .collect())
    })
    .await
}

/// `(variable, accept source)` of the fields of question block `index` that have `accept`.
fn block_accepts(iv: &engine::run::CompiledInterview, index: usize) -> Vec<(String, String)> {
    use engine::block::field::FieldItem;
    use engine::block::question::QuestionInput;
    let engine::BlockKind::Question(q) = &iv.block(index).kind else {
        return Vec::new();
    };
    let QuestionInput::Fields { items, .. } = &q.input else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            FieldItem::Field(f) => {
                let var = f.variable.as_ref()?.name.clone();
                let accept = f
                    .attributes
                    .iter()
                    .find(|(k, _)| k == "accept")
                    .map(|(_, t)| t.source.clone())?;
                Some((var, accept))
            }
            FieldItem::Code(_) => None,
        })
        .collect()
}

/// A screen serialised on the engine thread.
pub(super) struct Rendered {
    pub(super) json: serde_json::Map<String, Value>,
    /// `{encoded variable: datatype}` for `_datatypes`.
    datatypes: BTreeMap<String, String>,
    /// The question text without tags.
    plain_title: String,
}

impl Rendered {
    pub(super) fn of(screen: &Screen) -> Self {
        let mut json = match serde_json::to_value(screen) {
            Ok(Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        // a field's `validate:` function is the server's own check (kept with the pending
        // screen), not something a client is told
        if let Some(Value::Array(fields)) = json.get_mut("fields") {
            for f in fields.iter_mut().filter_map(Value::as_object_mut) {
                f.shift_remove("_validate");
            }
        }
        let mut datatypes = BTreeMap::new();
        for f in &screen.fields {
            if let (Some(enc), Some(dt)) = (&f.variable_name_encoded, &f.datatype) {
                datatypes.insert(enc.clone(), dt.clone());
            }
        }
        Rendered {
            json,
            datatypes,
            plain_title: strip_tags(&screen.question_text),
        }
    }
}

impl Rendered {
    /// Adds `_tracker` (docassemble's count of assemblies; front ends echo it back).
    pub(super) fn tracked(mut self, tracker: u64) -> Self {
        self.json.insert("_tracker".into(), json!(tracker));
        self
    }

    /// Adds the interview's navbar settings (`show_login`, `exit_*`, `hide_standard_menu`).
    pub(super) fn with_chrome(mut self, chrome: &super::chrome::Chrome) -> Self {
        chrome.insert_into(&mut self.json);
        self
    }

    /// Adds what finished background tasks tell the page (`ui_notification`): docassemble's
    /// check-in commands, as `notifications: [{"action": "refresh"|"flash"|"fields"|
    /// "javascript", "value": …}]`.
    pub(super) fn with_notifications(mut self, notes: &[engine::run::Notification]) -> Self {
        if !notes.is_empty() {
            let list: Vec<Value> = notes
                .iter()
                .map(|n| json!({"action": n.kind, "value": n.value}))
                .collect();
            self.json.insert("notifications".into(), Value::Array(list));
        }
        self
    }

    /// docassemble shows a refused answer again: each field whose variable was posted gets
    /// the posted text as its `default` (yes/no fields, fields of several values and uploads
    /// excepted: their defaults are not text).
    pub(super) fn with_posted_defaults(mut self, posted: &[(String, String)]) -> Self {
        const KEEP: [&str; 11] = [
            "boolean",
            "threestate",
            "checkboxes",
            "multiselect",
            "object_checkboxes",
            "object_multiselect",
            "file",
            "files",
            "camera",
            "user",
            "environment",
        ];
        if let Some(Value::Array(fields)) = self.json.get_mut("fields") {
            for f in fields.iter_mut().filter_map(Value::as_object_mut) {
                let Some(var) = f.get("variable_name").and_then(Value::as_str) else {
                    continue;
                };
                if f.get("datatype")
                    .and_then(Value::as_str)
                    .is_some_and(|d| KEEP.contains(&d))
                {
                    continue;
                }
                // Posted under the field's own input name (`_field_N` for an alias).
                let input = f
                    .get("variable_name_encoded")
                    .and_then(Value::as_str)
                    .and_then(engine::run::decode_name)
                    .unwrap_or_else(|| var.to_string());
                if let Some((_, v)) = posted.iter().find(|(n, _)| *n == input) {
                    f.insert("default".into(), json!(v));
                }
            }
        }
        self
    }

    /// The `exit url` the screen carries.
    fn exit_url(&self) -> Option<String> {
        self.json
            .get("exit_url")
            .and_then(Value::as_str)
            .map(str::to_string)
    }
}

pub(super) fn interview_title(iv: &engine::run::CompiledInterview) -> Option<String> {
    metadata_text(iv, "title")
}

/// The text of metadata key `key` (the first metadata block that sets it).
pub(super) fn metadata_text(iv: &engine::run::CompiledInterview, key: &str) -> Option<String> {
    for b in &iv.interview.blocks {
        if let engine::BlockKind::Metadata(raw) = &b.kind {
            if let engine::source::yaml::Value::Map(pairs) = &raw.0.value {
                for (k, v) in pairs {
                    if k.python_str().as_deref() == Some(key) {
                        return v.python_str().map(|s| s.trim().to_string());
                    }
                }
            }
        }
    }
    None
}

/// The browser's secret, or a new one (then `jar` gets the cookie).
fn secret_of(state: &AppState, jar: CookieJar) -> Result<(Secret, CookieJar), ApiError> {
    if let Some(s) = jar
        .get(SECRET_COOKIE)
        .and_then(|c| c.value().parse::<Secret>().ok())
    {
        return Ok((s, jar));
    }
    let secret = Secret::generate().map_err(|e| ApiError::Internal(e.to_string()))?;
    let cookie = Cookie::build((SECRET_COOKIE, secret.expose_encoded()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config().cookies_secure())
        .path("/")
        .permanent()
        .build();
    Ok((secret, jar.add(cookie)))
}

/// `ref=id` pairs of the sessions cookie.
fn remembered(jar: &CookieJar) -> Vec<(String, String)> {
    jar.get(SESSIONS_COOKIE)
        .map(|c| {
            c.value()
                .split('|')
                .filter_map(|pair| {
                    let (r, id) = pair.rsplit_once('=')?;
                    Some((r.to_string(), id.to_string()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Without `i`, docassemble takes the interview of the browser's latest session
/// (`guess_yaml_filename`): the most recent one the sessions cookie remembers.
fn last_interview(jar: &CookieJar) -> Option<String> {
    remembered(jar).into_iter().next().map(|(r, _)| r)
}

/// Remembers `id` as this browser's session of `reference` (most recent first).
fn remember(state: &AppState, jar: CookieJar, reference: &str, id: &SessionId) -> CookieJar {
    let mut pairs = others(&jar, reference);
    pairs.insert(0, (reference.to_string(), id.as_str().to_string()));
    pairs.truncate(MAX_REMEMBERED);
    with_sessions(state, jar, &pairs)
}

/// Forgets this browser's session of `reference`.
fn forget(state: &AppState, jar: CookieJar, reference: &str) -> CookieJar {
    let pairs = others(&jar, reference);
    with_sessions(state, jar, &pairs)
}

/// The remembered sessions of every interview but `reference`.
fn others(jar: &CookieJar, reference: &str) -> Vec<(String, String)> {
    remembered(jar)
        .into_iter()
        .filter(|(r, _)| r != reference)
        .collect()
}

/// Writes the sessions cookie.
fn with_sessions(state: &AppState, jar: CookieJar, pairs: &[(String, String)]) -> CookieJar {
    let value = pairs
        .iter()
        .map(|(r, id)| format!("{r}={id}"))
        .collect::<Vec<_>>()
        .join("|");
    jar.add(
        Cookie::build((SESSIONS_COOKIE, value))
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.config().cookies_secure())
            .path("/")
            .permanent()
            .build(),
    )
}

/// The session this request is about: `session=` or the remembered one for `i`.
pub(crate) fn session_of(
    q: &InterviewQuery,
    jar: &CookieJar,
    reference: &str,
) -> Result<Option<SessionId>, ApiError> {
    if let Some(s) = q.session.as_deref().filter(|s| !s.is_empty()) {
        return s.parse::<SessionId>().map(Some).map_err(|_| {
            ApiError::BadRequest("the session parameter is not a valid session id".into())
        });
    }
    Ok(remembered(jar)
        .into_iter()
        .find(|(r, _)| r == reference)
        .and_then(|(_, id)| id.parse::<SessionId>().ok()))
}

/// The JSON document of a screen: the screen plus the keys docassemble's `index()` adds.
pub(super) fn screen_json(
    state: &AppState,
    secret: &Secret,
    reference: &str,
    session: &SessionId,
    steps: StepNumber,
    result: &mut JobResult,
) -> Value {
    // The rendered screen is used once: taken, not copied.
    let mut doc = std::mem::take(&mut result.screen.json);
    super::validation::annotate(&mut doc, state.config().max_upload_bytes);
    let datatypes_json =
        serde_json::to_string(&result.screen.datatypes).unwrap_or_else(|_| "{}".into());
    let plain_title = result.screen.plain_title.clone();
    doc.insert("csrf_token".into(), json!(state.store().csrf_token(secret)));
    doc.insert("steps".into(), json!(steps.get()));
    super::going_back::decide(&mut doc, steps);
    doc.insert(
        "browser_title".into(),
        json!(result.title.clone().unwrap_or(plain_title)),
    );
    doc.insert("lang".into(), json!("en"));
    doc.insert("_datatypes".into(), json!(encode_name(&datatypes_json)));
    doc.insert("_varnames".into(), json!(encode_name("{}")));
    super::documents::decorate(&mut doc, reference, session.as_str());
    doc.insert("session".into(), json!(session.as_str()));
    doc.insert("i".into(), json!(reference));
    // (the engine's messages for the user, `log(message, priority)`, when it has any)
    doc.entry("message_log").or_insert_with(|| json!([]));
    Value::Object(doc)
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn json_response(status: StatusCode, jar: CookieJar, body: Value) -> Response {
    let mut resp = (status, jar, axum::Json(body)).into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// `GET /interview`.
pub async fn get_interview(
    State(state): State<AppState>,
    FirstQuery(q): FirstQuery<InterviewQuery>,
    axum::extract::RawQuery(raw_query): axum::extract::RawQuery,
    viewer: super::account::Viewer,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    if !flag(&q.json) {
        return Ok(super::spa::index(&state).await);
    }
    let i =
        q.i.clone()
            .or_else(|| last_interview(&jar))
            .ok_or_else(|| ApiError::BadRequest("the i parameter is required".into()))?;
    let reference = interviews::parse_reference(&i)?;
    let reference_text = reference.to_string();
    let (secret, jar) = secret_of(&state, jar)?;
    let use_cache = use_cache(&q, &viewer);
    let action = action_param(q.action.as_deref())?;
    let restart = flag(&q.reset) || flag(&q.new_session);
    let user = viewer.creds();
    let creds = Credentials::secret(&secret).with_user(user);
    if flag(&q.reset) {
        // docassemble's `reset_user_dict`: the current (or named) session's answers go.
        if let Ok(Some(old)) = session_of(&q, &jar, &reference_text) {
            // Only a session of this interview (docassemble deletes by session and file).
            let of_this = matches!(
                state.store().session_holder(&old).await,
                Ok((_, interview)) if interview == reference_text
            );
            let deleted = if of_this {
                state.store().delete_session(&old, creds).await
            } else {
                Ok(())
            };
            match deleted {
                Ok(())
                | Err(StoreError::NotFound(_))
                | Err(StoreError::Decrypt { .. })
                | Err(StoreError::SecretRequired(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    let existing = if restart {
        None
    } else {
        session_of(&q, &jar, &reference_text)?
    };
    if let Some(id) = existing {
        match state
            .store()
            .open_latest_of(&id, &reference_text, creds)
            .await
        {
            Ok((step, opened)) => {
                let holder = step.holder;
                let args = super::url_args::of_query(raw_query.as_deref());
                let (session_state, job) = match super::url_args::apply(
                    &state,
                    reference.clone(),
                    use_cache,
                    Some(step.state.clone()),
                    args,
                )
                .await?
                {
                    // New URL arguments change the answers: the question is sought again.
                    Some(bytes) if action.is_none() => (bytes, Job::Refresh),
                    Some(bytes) => (bytes, show_or_act(&action, false)),
                    None => (step.state, show_or_act(&action, flag(&q.refresh))),
                };
                let mut result = run_engine(
                    &state,
                    reference.clone(),
                    use_cache,
                    Some(session_state),
                    job,
                )
                .await?;
                let mut steps = step.number;
                if let Some(bytes) = &result.new_state {
                    if flag(&q.refresh) && action.is_none() {
                        // A reload is not a step: the newest one is brought up to date.
                        state.store().overwrite_opened(&opened, bytes).await?;
                    } else {
                        steps = state
                            .store()
                            .append_opened(&opened, step.number, bytes)
                            .await?;
                    }
                }
                sync_holder(&state, &id, &secret, user, holder, result.multi_user).await?;
                let body = screen_json(&state, &secret, &reference_text, &id, steps, &mut result);
                let jar = remember(&state, jar, &reference_text, &id);
                return Ok(json_response(result.status, jar, body));
            }
            Err(StoreError::NotFound(_))
            | Err(StoreError::Decrypt { .. })
            | Err(StoreError::SecretRequired(_))
                if q.session.is_none() =>
            {
                // A remembered session that is gone or not ours: start afresh.
            }
            Err(e) => return Err(e.into()),
        }
    }
    let (mut result, id) = start_session(
        &state,
        &reference,
        &reference_text,
        use_cache,
        Credentials::secret(&secret).with_user(user),
        super::url_args::of_query(raw_query.as_deref()),
        show_or_act(&action, flag(&q.refresh)),
    )
    .await?;
    let body = screen_json(
        &state,
        &secret,
        &reference_text,
        &id,
        StepNumber::FIRST,
        &mut result,
    );
    let jar = remember(&state, jar, &reference_text, &id);
    Ok(json_response(StatusCode::OK, jar, body))
}

/// Parses a form body (urlencoded, or multipart with text and file parts).
pub(super) async fn read_form(
    headers: &HeaderMap,
    body: Bytes,
) -> Result<super::multipart::Form, ApiError> {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Media types are case-insensitive (RFC 9110).
    let lower = ctype.trim().to_ascii_lowercase();
    if lower.starts_with("multipart/form-data") {
        return super::multipart::parse(ctype, body).await;
    }
    if !lower.is_empty() && !lower.starts_with("application/x-www-form-urlencoded") {
        return Err(ApiError::UnsupportedMediaType(format!(
            "expected application/x-www-form-urlencoded or multipart/form-data, not {ctype}"
        )));
    }
    Ok(super::multipart::Form {
        pairs: form_urlencoded::parse(&body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        files: Vec::new(),
    })
}

/// The browser's secret (its cookie) for a POST, whose CSRF token (the `csrf_token` field
/// or an `X-CSRFToken` header) must be bound to it.
pub(super) fn posted_secret(
    state: &AppState,
    jar: &CookieJar,
    headers: &HeaderMap,
    pairs: &[(String, String)],
) -> Result<Secret, ApiError> {
    let Some(secret) = jar
        .get(SECRET_COOKIE)
        .and_then(|c| c.value().parse::<Secret>().ok())
    else {
        return Err(ApiError::Forbidden(
            "no session: GET the interview first (the secret cookie is missing)".into(),
        ));
    };
    let token = pairs
        .iter()
        .find(|(n, _)| n == "csrf_token")
        .map(|(_, v)| v.as_str())
        .or_else(|| headers.get("x-csrftoken").and_then(|v| v.to_str().ok()))
        .or_else(|| headers.get("x-csrf-token").and_then(|v| v.to_str().ok()))
        .unwrap_or("");
    if !state.store().check_csrf(&secret, token) {
        return Err(ApiError::BadRequest(
            "the CSRF token is missing or invalid".into(),
        ));
    }
    Ok(secret)
}

/// Form keys that are protocol parameters, not variables.
fn is_control(key: &str) -> bool {
    key.starts_with('_')
        || matches!(
            key,
            "json" | "csrf_token" | "i" | "session" | "ajax" | "informed" | "action"
        )
}

/// A structured hidden parameter: `encode(json.dumps(obj))` (spec §1); 400 when malformed.
fn b64_json<T: serde::de::DeserializeOwned>(
    name: &str,
    value: Option<&str>,
) -> Result<Option<T>, ApiError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let text = decode_name(v)
        .ok_or_else(|| ApiError::BadRequest(format!("{name} is not base64-encoded JSON")))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| ApiError::BadRequest(format!("{name} is not the expected JSON: {e}")))
}

/// An action parameter (`?action=` or the `_action` form field): docassemble's
/// `encode(json.dumps({"action": …, "arguments": {…}}))`; 400 when malformed.
pub(super) fn action_param(value: Option<&str>) -> Result<Option<Action>, ApiError> {
    let Some(json) = b64_json::<Value>("the action", value)? else {
        return Ok(None);
    };
    Action::from_json(&json)
        .map(Some)
        .map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// The engine job for a GET: show the screen (again, with `refresh`), or run the requested
/// action.
fn show_or_act(action: &Option<Action>, refresh: bool) -> Job {
    match action {
        Some(a) => Job::Answer(Submission {
            action: Some(a.clone()),
            ..Submission::default()
        }),
        None if refresh => Job::Refresh,
        None => Job::Show,
    }
}

/// One file to store: name as sent, declared type, bytes.
struct Incoming {
    filename: String,
    declared: Option<String>,
    bytes: Vec<u8>,
}

/// The uploads of a submission, by encoded variable (spec §3.8).
fn uploads_of(
    form: &super::multipart::Form,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(String, Vec<Incoming>)>, ApiError> {
    let mut out: Vec<(String, Vec<Incoming>)> = Vec::new();
    let listed: Vec<String> = b64_json("_files", get("_files").as_deref())?.unwrap_or_default();
    if !listed.is_empty() {
        let visible: Vec<String> =
            b64_json("_visible", get("_visible").as_deref())?.unwrap_or_default();
        for enc in listed {
            // docassemble takes a multipart file only when its field is listed as visible.
            if !visible.contains(&enc) {
                continue;
            }
            let files: Vec<Incoming> = form
                .files
                .iter()
                .filter(|p| p.name == enc)
                .filter(|p| !(p.filename.is_empty() && p.bytes.is_empty()))
                .map(|p| Incoming {
                    filename: p.filename.clone(),
                    declared: p.content_type.clone(),
                    bytes: p.bytes.to_vec(),
                })
                .collect();
            out.push((enc, files));
        }
    }
    let inline: Option<super::uploads::InlineFiles> =
        b64_json("_files_inline", get("_files_inline").as_deref())?;
    if let Some(mut inline) = inline {
        for enc in inline.keys.clone() {
            let mut files = Vec::new();
            for f in inline.values.remove(&enc).unwrap_or_default() {
                files.push(Incoming {
                    bytes: super::uploads::data_url_bytes(&f.content)?,
                    declared: f.mimetype.or_else(|| {
                        f.content
                            .strip_prefix("data:")
                            .and_then(|m| m.split([';', ',']).next())
                            .map(str::to_string)
                    }),
                    filename: f.name,
                });
            }
            out.push((enc, files));
        }
    }
    if let Some(signature) = signature_of(get)? {
        out.push(signature);
    }
    Ok(out)
}

/// A signature (spec §2.4): `_save_as` names the variable, `_the_image` is the canvas as a PNG
/// data URL and `_success` says whether anything was drawn. It is stored like an upload named
/// `canvas.png`; a blank pad gives no file (the variable becomes `None`).
fn signature_of(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<(String, Vec<Incoming>)>, ApiError> {
    let (Some(enc), Some(image)) = (get("_save_as"), get("_the_image")) else {
        return Ok(None);
    };
    let drawn = get("_success").is_some_and(|s| !s.trim().is_empty() && s.trim() != "0");
    if !drawn {
        return Ok(Some((enc, Vec::new())));
    }
    Ok(Some((
        enc,
        vec![Incoming {
            bytes: super::uploads::data_url_bytes(&image)?,
            declared: Some("image/png".to_string()),
            filename: "canvas.png".to_string(),
        }],
    )))
}

/// Checks and stores the uploads; returns `(variable, descriptor)` values for the engine.
async fn store_uploads(
    state: &AppState,
    reference: &engine::FileRef,
    use_cache: bool,
    step: &crate::store::Step,
    id: &SessionId,
    creds: Credentials<'_>,
    uploads: Vec<(String, Vec<Incoming>)>,
) -> Result<Vec<(String, String)>, ApiError> {
    let fields = file_fields(state, reference.clone(), use_cache, step.state.clone()).await?;
    // Check everything before storing anything.
    let mut checked = Vec::new();
    for (enc, files) in uploads {
        let Some(var) = decode_name(&enc) else {
            return Err(ApiError::BadRequest(format!(
                "the file field name {enc:?} is not a base64-encoded variable name"
            )));
        };
        let Some(field) = fields.iter().find(|f| f.variable == var) else {
            return Err(ApiError::BadRequest(format!(
                "'{var}' is not a file field of the question being answered"
            )));
        };
        let mut typed = Vec::new();
        for f in files {
            let filename = super::uploads::secure_filename(&f.filename);
            let mimetype = super::uploads::decide_type(
                &filename,
                f.declared.as_deref(),
                field.accept.as_deref(),
            )?;
            typed.push((filename, mimetype, f.bytes));
        }
        checked.push((var, typed));
    }
    let mut values = Vec::new();
    for (var, files) in checked {
        if files.is_empty() {
            // An empty part: docassemble sets the variable to None.
            values.push((var, String::new()));
            continue;
        }
        let mut stored = Vec::new();
        for (filename, mimetype, bytes) in files {
            let number = state
                .store()
                .save_file(id, creds, &filename, &mimetype, &bytes)
                .await?;
            stored.push((number, filename, mimetype, bytes.len()));
        }
        let descriptor = super::uploads::descriptor(&var, id, &stored);
        values.push((var, descriptor));
    }
    Ok(values)
}

/// Hands the session to the server when the interview set `multi_user = True`, and back to
/// this browser's secret when it no longer does (spec §5.4).
pub(super) async fn sync_holder(
    state: &AppState,
    id: &SessionId,
    secret: &Secret,
    user: Option<UserCreds<'_>>,
    current: HolderKind,
    multi_user: bool,
) -> Result<(), ApiError> {
    let creds = Credentials::secret(secret).with_user(user);
    match (current, multi_user) {
        (HolderKind::Anonymous | HolderKind::User, true) => {
            state
                .store()
                .set_owner(
                    id,
                    creds,
                    Owner::Server {
                        creator: Some(secret),
                    },
                )
                .await?
        }
        (HolderKind::Server, false) => {
            state
                .store()
                .set_owner(id, creds, new_owner(secret, user, false))
                .await?
        }
        _ => {}
    }
    Ok(())
}

/// `cache=0` (re-read the interview file on every request) is a developer feature: honoured
/// only for signed-in admins and developers.
pub(super) fn use_cache(q: &InterviewQuery, viewer: &super::account::Viewer) -> bool {
    q.cache.as_deref() != Some("0") || !viewer.is_developer()
}

/// The owner of a new session.
pub(super) fn new_owner<'a>(
    secret: &'a Secret,
    user: Option<UserCreds<'a>>,
    multi_user: bool,
) -> Owner<'a> {
    match (multi_user, user) {
        (true, _) => Owner::Server {
            creator: Some(secret),
        },
        (false, Some(u)) => Owner::User(u),
        (false, None) => Owner::Anonymous(secret),
    }
}

/// `POST /interview`.
pub async fn post_interview(
    State(state): State<AppState>,
    FirstQuery(q): FirstQuery<InterviewQuery>,
    viewer: super::account::Viewer,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let form = read_form(&headers, body).await?;
    let pairs = &form.pairs;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let i = get("i")
        .map(str::to_string)
        .or_else(|| q.i.clone())
        .or_else(|| last_interview(&jar))
        .ok_or_else(|| ApiError::BadRequest("the i parameter is required".into()))?;
    let reference = interviews::parse_reference(&i)?;
    let reference_text = reference.to_string();
    let secret = posted_secret(&state, &jar, &headers, pairs)?;
    let mut q2 = InterviewQuery {
        session: get("session").map(str::to_string).or(q.session.clone()),
        ..InterviewQuery::default()
    };
    q2.i = Some(i.clone());
    let id = session_of(&q2, &jar, &reference_text)?.ok_or_else(|| {
        ApiError::Conflict("there is no session for this interview: GET it first".into())
    })?;
    let user = viewer.creds();
    let creds = Credentials::secret(&secret).with_user(user);
    let use_cache = use_cache(&q, &viewer);
    let shown = Shown {
        reference: &reference,
        reference_text: &reference_text,
        session: &id,
        secret: &secret,
        use_cache,
    };
    let control = ["_download_attachments", "_email_attachments", "_back_one"];
    if control.iter().any(|k| form_flag(get(k))) {
        return control_post(&state, jar, &shown, creds, user, pairs).await;
    }

    // An action (`_action`, or `action` as in a GET): all other data is ignored (docassemble's
    // `no_defs`).
    let action = match action_param(get("_action"))? {
        Some(a) => Some(a),
        None => action_param(get("action"))?,
    };
    if action
        .as_ref()
        .is_some_and(|a| a.action == super::chrome::EXIT_ACTION)
    {
        // docassemble's Exit menu entry: what `exit link` says (leave, by default).
        let (step, _) = state
            .store()
            .open_latest_of(&id, &reference_text, creds)
            .await?;
        let shown = run_engine(
            &state,
            reference.clone(),
            use_cache,
            Some(step.state),
            Job::Show,
        )
        .await?;
        let link = shown
            .screen
            .json
            .get("exit_link")
            .and_then(Value::as_str)
            .unwrap_or("leave")
            .to_string();
        let exit_url = shown.screen.exit_url();
        return command(
            &state,
            jar,
            &secret,
            user,
            &reference_text,
            &id,
            &link,
            exit_url,
        )
        .await;
    }
    let mut values = Vec::new();
    let aliases = aliases(get("_varnames"));
    for (k, v) in pairs {
        if action.is_some() {
            break;
        }
        if is_control(k) && !aliases.contains_key(k) {
            continue;
        }
        let encoded = aliases.get(k).cloned().unwrap_or_else(|| k.clone());
        let Some(name) = decode_name(&encoded) else {
            return Err(ApiError::BadRequest(format!(
                "the field name {k:?} is not a base64-encoded variable name"
            )));
        };
        values.push((name, v.clone()));
    }
    if let Some(mc) = get("_multiple_choice")
        .or_else(|| get(&encode_name("_multiple_choice")))
        .filter(|_| action.is_none())
    {
        values.retain(|(n, _)| n != "_multiple_choice");
        values.push(("_multiple_choice".to_string(), mc.to_string()));
    }
    // The control fields docassemble's page posts as plain JSON, not base64-named: a table's
    // moved rows (`allow reordering`) and the `list collect` items deleted.
    for name in [
        engine::run::reorder::ORDER_CHANGES,
        engine::run::list_collect::COLLECT_DELETE,
    ] {
        if let Some(v) = get(name).filter(|_| action.is_none()) {
            values.push((name.to_string(), v.to_string()));
        }
    }
    let owned_get = |k: &str| get(k).map(str::to_string);
    let uploads = if action.is_some() {
        Vec::new()
    } else {
        uploads_of(&form, &owned_get)?
    };
    let sub = Submission {
        question_name: get("_question_name").map(str::to_string),
        values,
        files: Vec::new(),
        action,
    };
    let answered = if uploads.is_empty() {
        answer_in_place(
            &state,
            &reference,
            &reference_text,
            &id,
            use_cache,
            creds,
            sub,
        )
        .await?
    } else {
        let (step, opened) = state
            .store()
            .open_latest_of(&id, &reference_text, creds)
            .await?;
        let files =
            store_uploads(&state, &reference, use_cache, &step, &id, creds, uploads).await?;
        let sub = Submission { files, ..sub };
        let result = run_engine(
            &state,
            reference.clone(),
            use_cache,
            Some(step.state),
            Job::Answer(sub),
        )
        .await?;
        let saved = match result.saving() {
            Some(bytes) => Some(
                state
                    .store()
                    .append_opened(&opened, step.number, bytes)
                    .await,
            ),
            None => None,
        };
        AnsweredStep {
            result,
            number: step.number,
            holder: step.holder,
            saved,
        }
    };
    let AnsweredStep {
        mut result,
        number,
        holder,
        saved,
    } = answered;
    if let Some(cmd) = &result.command {
        let exit_url = result.screen.exit_url();
        return command(
            &state,
            jar,
            &secret,
            user,
            &reference_text,
            &id,
            cmd,
            exit_url,
        )
        .await;
    }
    let mut steps = number;
    let status = result.status;
    if let Some(saved) = saved {
        match saved {
            Ok(n) => steps = n,
            Err(StoreError::Conflict { .. }) => {
                // Someone else answered first: show what is current now.
                let now = state
                    .store()
                    .latest_step_of(&id, &reference_text, creds)
                    .await?;
                let mut body = shown.json(&state, now.state, now.number).await?;
                note_stale(&mut body);
                return Ok(json_response(StatusCode::CONFLICT, jar, body));
            }
            Err(e) => return Err(e.into()),
        }
        sync_holder(&state, &id, &secret, user, holder, result.multi_user).await?;
    }
    let mut body = screen_json(&state, &secret, &reference_text, &id, steps, &mut result);
    if status == StatusCode::CONFLICT {
        note_stale(&mut body);
    }
    Ok(json_response(status, jar, body))
}

/// A POST with one of the control flags (`_download_attachments`, `_email_attachments`,
/// `_back_one`, in that order of precedence): nothing is answered.
async fn control_post(
    state: &AppState,
    jar: CookieJar,
    shown: &Shown<'_>,
    creds: Credentials<'_>,
    user: Option<UserCreds<'_>>,
    pairs: &[(String, String)],
) -> Result<Response, ApiError> {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let (reference, id) = (shown.reference, shown.session);
    let (step, _) = state
        .store()
        .open_latest_of(id, shown.reference_text, creds)
        .await?;
    if form_flag(get("_download_attachments")) {
        // The documents of the waiting screen, zipped; nothing is answered.
        return super::documents::bundle(state, reference.clone(), id, creds, step.state).await;
    }
    if form_flag(get("_email_attachments")) {
        // The documents of the waiting screen, e-mailed; nothing is answered, and the same
        // screen comes back with the message for the user.
        let address = get("_attachment_email_address")
            .unwrap_or_default()
            .to_string();
        let message = super::documents::email(
            state,
            reference.clone(),
            id,
            creds,
            step.state.clone(),
            &address,
        )
        .await?;
        let mut body = shown.json(state, step.state, step.number).await?;
        if let Some(log) = body.get_mut("message_log").and_then(Value::as_array_mut) {
            log.push(json!({"priority": "success", "message": message}));
        }
        return Ok(json_response(StatusCode::OK, jar, body));
    }
    // `_back_one`.
    let undone = step.state.clone();
    let (prev, job) = match state.store().back(id, step.number, creds).await {
        Ok(prev) => (prev, Job::Back(undone)),
        Err(StoreError::AtFirstStep(_)) => (step, Job::Show),
        Err(e) => return Err(e.into()),
    };
    let holder = prev.holder;
    let mut result = run_engine(
        state,
        reference.clone(),
        shown.use_cache,
        Some(prev.state),
        job,
    )
    .await?;
    sync_holder(state, id, shown.secret, user, holder, result.multi_user).await?;
    let body = screen_json(
        state,
        shown.secret,
        shown.reference_text,
        id,
        prev.number,
        &mut result,
    );
    Ok(json_response(StatusCode::OK, jar, body))
}

/// What answering a step did: the engine's result, the step it answered (number and holder)
/// and, when the answer changed the state, whether saving it as the next step worked.
struct AnsweredStep {
    result: JobResult,
    number: StepNumber,
    holder: HolderKind,
    saved: Option<Result<StepNumber, StoreError>>,
}

/// A plain answer (no uploads, no control flags) taken on one blocking thread: the session's
/// newest step read, the engine run on it and the changed state saved as the next step, with
/// no hand-off to another thread in between (see `store::sqlite_sync`).
async fn answer_in_place(
    state: &AppState,
    reference: &engine::FileRef,
    reference_text: &str,
    id: &SessionId,
    use_cache: bool,
    creds: Credentials<'_>,
    sub: Submission,
) -> Result<AnsweredStep, ApiError> {
    let store = state.store().clone();
    let roots = interviews::PackageRoots::new(&state.config().packages);
    let (reference, reference_text, id) =
        (reference.clone(), reference_text.to_string(), id.clone());
    let creds = creds.owned();
    super::engine_task::blocking(state, move || {
        // The step was saved over in place meanwhile (a check-in of the page being answered):
        // the answer is still for the step shown, so it is taken again on what was saved. A
        // session that moved on to another step keeps the conflict.
        let mut lost: Option<AnsweredStep> = None;
        for _ in 0..ANSWER_ATTEMPTS {
            let (step, opened) =
                store.open_latest_of_blocking(&id, &reference_text, creds.borrow())?;
            if let Some(last) = lost.take() {
                if last.number != step.number {
                    return Ok(last);
                }
            }
            let result = super::engine_task::run_engine_here(
                &roots,
                &reference,
                use_cache,
                Some(&step.state),
                |run| run_job(run, Job::Answer(sub.clone())),
            )?;
            let saved = result
                .saving()
                .map(|bytes| store.append_opened_blocking(&opened, step.number, bytes));
            let answered = AnsweredStep {
                result,
                number: step.number,
                holder: step.holder,
                saved,
            };
            if !matches!(answered.saved, Some(Err(StoreError::Conflict { .. }))) {
                return Ok(answered);
            }
            lost = Some(answered);
        }
        lost.ok_or_else(|| ApiError::Internal("the answer was not taken".into()))
    })
    .await
}

/// How many times an answer is taken when the step it answers keeps being saved over in
/// place (by check-ins) before it can be saved.
const ANSWER_ATTEMPTS: usize = 5;

/// A new session of `reference` started on one blocking thread: its state made with
/// `url_args` (docassemble's initial dictionary, with this request's arguments), `job` run on
/// it and the result saved as the session's first step, with no hand-off in between.
async fn start_session(
    state: &AppState,
    reference: &engine::FileRef,
    reference_text: &str,
    use_cache: bool,
    creds: Credentials<'_>,
    args: serde_json::Map<String, Value>,
    job: Job,
) -> Result<(JobResult, SessionId), ApiError> {
    let store = state.store().clone();
    let roots = interviews::PackageRoots::new(&state.config().packages);
    let (reference, reference_text) = (reference.clone(), reference_text.to_string());
    let creds = creds.owned();
    super::engine_task::blocking(state, move || {
        let result =
            super::engine_task::run_engine_here(&roots, &reference, use_cache, None, |mut run| {
                super::url_args::apply_to(&mut run, &args)?;
                // As a stored state is: not fresh (it has its url_args).
                run.fresh = false;
                run_job(run, job)
            })?;
        let bytes = result
            .new_state
            .as_deref()
            .ok_or_else(|| ApiError::Internal("a new session produced no state".into()))?;
        let creds = creds.borrow();
        let secret = creds
            .secret
            .ok_or_else(|| ApiError::Internal("a new session needs the browser's secret".into()))?;
        let owner = new_owner(secret, creds.user, result.multi_user);
        let id = store.create_session_blocking(&reference_text, owner, bytes)?;
        Ok((result, id))
    })
    .await
}

/// What showing a session's screen again needs (no answer taken: a stale answer's 409, the
/// documents e-mailed).
struct Shown<'a> {
    reference: &'a engine::FileRef,
    reference_text: &'a str,
    session: &'a SessionId,
    secret: &'a Secret,
    use_cache: bool,
}

impl Shown<'_> {
    /// The screen of step `number` (its state `session_state`) as the JSON answered.
    async fn json(
        &self,
        state: &AppState,
        session_state: Vec<u8>,
        number: StepNumber,
    ) -> Result<Value, ApiError> {
        let mut result = run_engine(
            state,
            self.reference.clone(),
            self.use_cache,
            Some(session_state),
            Job::Show,
        )
        .await?;
        Ok(screen_json(
            state,
            self.secret,
            self.reference_text,
            self.session,
            number,
            &mut result,
        ))
    }
}

/// A 409 carries the current screen and says why the answer was not taken.
fn note_stale(body: &mut Value) {
    body["error"] = json!(
        "Input not processed: the question changed (another answer came first). This is the current question."
    );
}

/// `_varnames`: `{encoded alias: encoded variable}` (base64 JSON).
fn aliases(v: Option<&str>) -> BTreeMap<String, String> {
    v.and_then(decode_name)
        .and_then(|j| serde_json::from_str::<BTreeMap<String, String>>(&j).ok())
        .unwrap_or_default()
}

/// A special button: restart, new session, exit/leave (to the interview's `exit url`, or the
/// list of interviews).
#[allow(clippy::too_many_arguments)]
async fn command(
    state: &AppState,
    jar: CookieJar,
    secret: &Secret,
    user: Option<UserCreds<'_>>,
    reference: &str,
    id: &SessionId,
    cmd: &str,
    exit_url: Option<String>,
) -> Result<Response, ApiError> {
    let creds = Credentials::secret(secret).with_user(user);
    match cmd {
        "restart" | "new_session" | "refresh" => {
            if cmd == "restart" {
                state.store().delete_session(id, creds).await.ok();
            }
            let (reference_ref, text) = (
                interviews::parse_reference(reference)?,
                reference.to_string(),
            );
            if cmd == "refresh" {
                // docassemble's refresh looks for the current question again (a page reload).
                let (step, opened) = state.store().open_latest_of(id, reference, creds).await?;
                let mut result =
                    run_engine(state, reference_ref, true, Some(step.state), Job::Refresh).await?;
                if let Some(bytes) = &result.new_state {
                    state.store().overwrite_opened(&opened, bytes).await?;
                }
                let body = screen_json(state, secret, &text, id, step.number, &mut result);
                return Ok(json_response(StatusCode::OK, jar, body));
            }
            let fresh = super::url_args::apply(
                state,
                reference_ref.clone(),
                true,
                None,
                serde_json::Map::new(),
            )
            .await?;
            let mut result = run_engine(state, reference_ref, true, fresh, Job::Show).await?;
            let bytes = result
                .new_state
                .clone()
                .ok_or_else(|| ApiError::Internal("a new session produced no state".into()))?;
            let new_id = state
                .store()
                .create_session(&text, new_owner(secret, user, result.multi_user), &bytes)
                .await?;
            let body = screen_json(
                state,
                secret,
                &text,
                &new_id,
                StepNumber::FIRST,
                &mut result,
            );
            let jar = remember(state, jar, &text, &new_id);
            Ok(json_response(StatusCode::OK, jar, body))
        }
        "exit" | "leave" | "logout" | "exit_logout" => {
            if cmd != "leave" {
                state.store().delete_session(id, creds).await.ok();
            }
            let jar = forget(state, jar, reference);
            let url = exit_url.unwrap_or_else(|| "/list".into());
            Ok(json_response(
                StatusCode::OK,
                jar,
                json!({"command": cmd, "url": url}),
            ))
        }
        other => Ok(json_response(
            StatusCode::OK,
            jar,
            json!({"command": other, "url": format!("/user/{}", other.replace('_', "-"))}),
        )),
    }
}
