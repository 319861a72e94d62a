//! `/api/session*`: sessions driven from another program (docassemble's API, spec §6).
//!
//! A session made here is held like a browser's: by a secret the caller keeps (returned once
//! by `/api/session/new` unless the caller gave one, never stored), or by the server when the
//! interview sets `multi_user = True`. Unlike `/interview`, the API may set any variable: the
//! key's owner is trusted as docassemble trusts it, but names must be plain variable paths.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use engine::run::variables::SetError;
use engine::run::{Action, Submission};
use serde_json::{Map, Value, json};

use super::{ApiRequest, Fail, Params, no_content, ok_json};
use crate::http::AppState;
use crate::http::engine_task::with_engine;
use crate::http::interview::{
    Job, JobResult, Rendered, interview_title, metadata_text, multi_user_of, new_owner, run_engine,
};
use crate::interviews;
use crate::store::accounts::{Login, LoginStage, LoginToken};
use crate::store::{Credentials, Owner, Secret, SessionId, StepNumber, StoreError};

/// What opens a session through the API: a secret this server made for a session (kept by
/// the caller), or a user's secret from `/api/secret` (it unlocks that user's sessions).
pub(crate) enum Opener {
    Secret(Secret),
    User(Box<Login>),
}

impl Opener {
    /// What opens sessions with this opener.
    pub(crate) fn creds(&self) -> Credentials<'_> {
        match self {
            Opener::Secret(s) => Credentials::secret(s),
            Opener::User(login) => Credentials::none().with_user(Some(login.creds())),
        }
    }
}

/// What every session route reads: the interview, the session and the secret.
struct Target {
    reference: engine::FileRef,
    reference_text: String,
    session: SessionId,
    opener: Option<Opener>,
}

impl Target {
    async fn of(state: &AppState, params: &Params) -> Result<Self, Fail> {
        let (Some(i), Some(session)) = (params.text("i"), params.text("session")) else {
            return Err(Fail::bad("Parameters i and session are required."));
        };
        let reference = interviews::parse_reference(&i)?;
        let session = session
            .parse::<SessionId>()
            .map_err(|_| Fail::bad("Invalid session."))?;
        Ok(Target {
            reference_text: reference.to_string(),
            reference,
            session,
            opener: opener_of(state, params).await?,
        })
    }

    /// The session's newest step, decrypted.
    /// The newest step, and the session opened for writing the next one.
    async fn open(
        &self,
        state: &AppState,
    ) -> Result<(crate::store::Step, crate::store::OpenSession), Fail> {
        state
            .store()
            .open_latest_of(&self.session, &self.reference_text, self.creds())
            .await
            .map_err(open_error)
    }

    async fn latest(&self, state: &AppState) -> Result<crate::store::Step, Fail> {
        state
            .store()
            .latest_step_of(&self.session, &self.reference_text, self.creds())
            .await
            .map_err(open_error)
    }

    fn creds(&self) -> Credentials<'_> {
        self.opener
            .as_ref()
            .map_or_else(Credentials::none, Opener::creds)
    }
}

/// `secret`: absent, a user's secret from `/api/secret`, or a session secret this server made.
pub(super) async fn opener_of(state: &AppState, params: &Params) -> Result<Option<Opener>, Fail> {
    match params.text("secret") {
        Some(text) => opener_from_text(state, &text).await,
        None => Ok(None),
    }
}

/// A secret as the API takes it (`None` for docassemble's text `None`).
pub(crate) async fn opener_from_text(state: &AppState, text: &str) -> Result<Option<Opener>, Fail> {
    // docassemble turns a missing secret into the text 'None' on POST routes.
    if text == "None" {
        return Ok(None);
    }
    if let Some(token) = LoginToken::parse(text) {
        if let Some(login) = state.store().load_login(&token).await? {
            if login.stage == LoginStage::Full {
                return Ok(Some(Opener::User(Box::new(login))));
            }
        }
    }
    text.parse::<Secret>()
        .map(|s| Some(Opener::Secret(s)))
        .map_err(|_| Fail::bad("The secret is not valid."))
}

/// A store error on opening a session, in docassemble's words where it has them.
fn open_error(e: StoreError) -> Fail {
    match e {
        StoreError::NotFound(_) => Fail(StatusCode::NOT_FOUND, "Session not found.".into()),
        StoreError::Decrypt { .. } | StoreError::SecretRequired(_) => Fail(
            StatusCode::FORBIDDEN,
            "Unable to decrypt interview dictionary.".into(),
        ),
        other => Fail::from(other),
    }
}

/// The question as docassemble's API shows it: the screen without its `_`-prefixed keys and
/// without encoded variable names, `questionName` for `_question_name`, plus the session's
/// keys.
fn question_json(
    state: &AppState,
    result: &JobResult,
    target: &Target,
    steps: StepNumber,
) -> Value {
    let mut doc = Map::new();
    let mut screen = result.screen.json.clone();
    crate::http::going_back::decide(&mut screen, steps);
    for (k, v) in &screen {
        if k == "_question_name" {
            doc.insert("questionName".into(), v.clone());
        } else if !k.starts_with('_') {
            doc.insert(k.clone(), v.clone());
        }
    }
    if let Some(Value::Array(fields)) = doc.get_mut("fields") {
        for f in fields {
            if let Value::Object(m) = f {
                m.shift_remove("variable_name_encoded");
            }
        }
    }
    crate::http::validation::annotate(&mut doc, state.config().max_upload_bytes);
    let title = result.title.clone();
    doc.insert("steps".into(), json!(steps.get()));
    if doc.get("allow_going_back").and_then(Value::as_bool) == Some(true) {
        doc.insert("cornerBackButton".into(), json!("Back"));
    }
    doc.insert("browser_title".into(), json!(title.clone()));
    doc.insert("display_title".into(), json!(title.clone()));
    doc.insert(
        "short_title".into(),
        json!(result.short_title.clone().or_else(|| title.clone())),
    );
    doc.insert("title".into(), json!(title));
    // get_question_data's keys: sections (none here), the interview's options, and the
    // menu as {"items": [...]} (the screen's own menu_items).
    doc.insert("section".into(), Value::Null);
    doc.insert("display_section".into(), Value::Null);
    doc.insert("sections".into(), json!([]));
    doc.insert("interview_options".into(), json!({}));
    let items = doc.get("menu_items").cloned().unwrap_or_else(|| json!([]));
    doc.insert("menu".into(), json!({ "items": items }));
    doc.insert("lang".into(), json!("en"));
    doc.insert("i".into(), json!(target.reference_text));
    doc.insert("session".into(), json!(target.session.as_str()));
    doc.insert("message_log".into(), json!([]));
    Value::Object(doc)
}

/// `GET /api/session/new?i=…[&secret=…]`.
pub async fn new_session(
    State(state): State<AppState>,
    ApiRequest { params, caller, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let i = params.require("i", "Parameter i is required.")?;
    let reference = interviews::parse_reference(&i)?;
    let supplied = opener_of(&state, &params).await?;
    // docassemble creates no session when the first assembly fails (an interview error, or
    // no question at all): 400 with what went wrong.
    // docassemble's url_args: the other arguments whose names start like a variable's.
    let mut args = serde_json::Map::new();
    for (k, v) in params.strings() {
        let first = k.chars().next();
        if !matches!(k.as_str(), "i" | "secret" | "key")
            && first.is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        {
            args.insert(k, Value::String(v));
        }
    }
    let fresh = crate::http::url_args::apply(&state, reference.clone(), true, None, args)
        .await
        .map_err(Fail::from)?;
    let result = run_engine(&state, reference.clone(), true, fresh, Job::Show)
        .await
        .map_err(|e| match e {
            crate::http::ApiError::Interview(m) => Fail::bad(format!(
                "create_new_interview: failure to assemble interview: {m}"
            )),
            other => Fail::from(other),
        })?;
    let bytes = result
        .new_state
        .clone()
        .ok_or_else(|| Fail(StatusCode::INTERNAL_SERVER_ERROR, "no state".into()))?;
    let generated = match &supplied {
        None => Some(Secret::generate().map_err(|e| Fail::from(StoreError::Id(e)))?),
        Some(_) => None,
    };
    let id = match &supplied {
        // A user's secret: the session is the user's, as if made signed in.
        Some(Opener::User(login)) => {
            let owner = if result.multi_user {
                Owner::Server { creator: None }
            } else {
                Owner::User(login.creds())
            };
            state
                .store()
                .create_session(&reference.to_string(), owner, &bytes)
                .await?
        }
        other => {
            let secret: &Secret = match (other, &generated) {
                (Some(Opener::Secret(s)), _) | (_, Some(s)) => s,
                _ => return Err(Fail(StatusCode::INTERNAL_SERVER_ERROR, "no secret".into())),
            };
            let owner = if result.multi_user {
                new_owner(secret, None, true)
            } else {
                Owner::Api {
                    secret,
                    user: caller.id(),
                }
            };
            state
                .store()
                .create_session(&reference.to_string(), owner, &bytes)
                .await?
        }
    };
    let secret = generated.as_ref();
    let mut out = json!({
        "session": id.as_str(),
        "i": reference.to_string(),
        "encrypted": !result.multi_user,
    });
    if let (Some(secret), false) = (secret, result.multi_user) {
        out["secret"] = json!(secret.expose_encoded());
    }
    Ok(ok_json(out))
}

/// `GET /api/session?i&session&secret`: every variable as JSON.
pub async fn variables(
    State(state): State<AppState>,
    ApiRequest { params, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let target = Target::of(&state, &params).await?;
    let step = target.latest(&state).await?;
    let vars = with_engine(
        &state,
        target.reference.clone(),
        true,
        Some(step.state),
        |run| Ok::<_, Fail>(run.engine.variables_json(&run.state)),
    )
    .await?;
    Ok(ok_json(vars))
}

/// `POST /api/session`: sets `variables`, deletes `delete_variables`, then answers the next
/// question (or 204 with `question=0`). A new step is added unless `overwrite`.
pub async fn set_variables(
    State(state): State<AppState>,
    ApiRequest { params, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let target = Target::of(&state, &params).await?;
    let set: Vec<(String, Value)> = match params.json("variables").map_err(Fail::bad)? {
        None => Vec::new(),
        Some(Value::Object(m)) => m.into_iter().collect(),
        Some(_) => return Err(Fail::bad("Malformed variables.")),
    };
    let delete: Vec<String> = match params.json("delete_variables").map_err(Fail::bad)? {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(Fail::bad("Malformed list of variables to delete.")),
            })
            .collect::<Result<_, _>>()?,
        Some(Value::String(s)) => vec![s],
        Some(_) => return Err(Fail::bad("Malformed list of variables to delete.")),
    };
    if params.text("event_list").is_some() || params.text("file_variables").is_some() {
        return Err(Fail::bad(
            "event_list and file_variables are not supported by this server.",
        ));
    }
    let raw = params.flag("raw");
    let question_name = params.text("question_name");
    let want_question = params.text("question").is_none() || params.flag("question");
    let overwrite = params.flag("overwrite");
    let (step, opened) = target.open(&state).await?;
    let (bytes, shown) = with_engine(
        &state,
        target.reference.clone(),
        true,
        Some(step.state),
        move |mut run| {
            let (eng, st) = (&run.engine, &mut run.state);
            let title = interview_title(run.interview);
            let short_title = metadata_text(run.interview, "short title");
            eng.set_variables(st, &set, &delete, raw)
                .map_err(|e| match e {
                    SetError::Refused(why) => Fail::bad(format!("Problem setting variables:{why}")),
                    SetError::Run(e) => Fail::bad(format!("Problem setting variables:{e}")),
                })?;
            if let Some(q) = question_name {
                st.internal.answered.insert(q);
            }
            let shown = if want_question {
                let screen = eng
                    .screen(st)
                    .map_err(|e| Fail::from(crate::http::ApiError::from(e)))?;
                Some(JobResult {
                    new_state: None,
                    screen: Rendered::of(&screen).tracked(st.internal.tracker),
                    status: StatusCode::OK,
                    command: None,
                    title,
                    short_title,
                    multi_user: multi_user_of(st),
                })
            } else {
                None
            };
            let bytes = st
                .to_bytes()
                .map_err(|e| Fail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            Ok::<_, Fail>((bytes, shown))
        },
    )
    .await?;
    let steps = save(&state, &opened, step.number, &bytes, overwrite).await?;
    match shown {
        Some(result) => Ok(ok_json(question_json(&state, &result, &target, steps))),
        None => Ok(no_content()),
    }
}

/// 409: another request changed the session first.
fn conflict() -> Fail {
    Fail(
        StatusCode::CONFLICT,
        "The session changed while this request ran; try again.".into(),
    )
}

/// Saves the new state after step `after` (the step `opened` read): as a new step, or over
/// `after` with `overwrite` (docassemble's parameter). A race with another writer is 409.
async fn save(
    state: &AppState,
    opened: &crate::store::OpenSession,
    after: StepNumber,
    bytes: &[u8],
    overwrite: bool,
) -> Result<StepNumber, Fail> {
    let saved = if overwrite {
        state
            .store()
            .overwrite_opened(opened, bytes)
            .await
            .map(|()| after)
    } else {
        state.store().append_opened(opened, after, bytes).await
    };
    match saved {
        Ok(n) => Ok(n),
        Err(StoreError::Conflict { .. }) => Err(conflict()),
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/session/question`: the current question.
pub async fn question(
    State(state): State<AppState>,
    ApiRequest { params, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let target = Target::of(&state, &params).await?;
    let (step, opened) = target.open(&state).await?;
    let result = run_engine(
        &state,
        target.reference.clone(),
        true,
        Some(step.state),
        Job::Show,
    )
    .await?;
    let mut steps = step.number;
    if let Some(bytes) = &result.new_state {
        steps = save(&state, &opened, step.number, bytes, false).await?;
    }
    Ok(ok_json(question_json(&state, &result, &target, steps)))
}

/// `POST /api/session/back`: one step back (the newest step is deleted).
pub async fn back(
    State(state): State<AppState>,
    ApiRequest { params, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let target = Target::of(&state, &params).await?;
    let step = target.latest(&state).await?;
    let prev = match state
        .store()
        .back(&target.session, step.number, target.creds())
        .await
    {
        Ok(prev) => prev,
        Err(StoreError::AtFirstStep(_)) => return Err(Fail::bad("Cannot go back.")),
        Err(StoreError::Conflict { .. }) => return Err(conflict()),
        Err(e) => return Err(e.into()),
    };
    if params.text("question").is_some() && !params.flag("question") {
        return Ok(no_content());
    }
    let result = run_engine(
        &state,
        target.reference.clone(),
        true,
        Some(prev.state),
        Job::Show,
    )
    .await?;
    Ok(ok_json(question_json(
        &state,
        &result,
        &target,
        prev.number,
    )))
}

/// `POST /api/session/action`: runs `action` with `arguments` (an event or a variable the
/// interview defines, as `/interview?action=` does); 204.
pub async fn action(
    State(state): State<AppState>,
    ApiRequest { params, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let target = Target::of(&state, &params).await?;
    let name = params.require("action", "Parameter action is required.")?;
    let arguments = match params.json("arguments").map_err(Fail::bad)? {
        None => json!({}),
        Some(v @ Value::Object(_)) => v,
        Some(_) => return Err(Fail::bad("Malformed arguments.")),
    };
    let action = Action::from_json(&json!({"action": name, "arguments": arguments}))
        .map_err(|e| Fail::bad(e.to_string()))?;
    let (step, opened) = target.open(&state).await?;
    let sub = Submission {
        question_name: None,
        values: Vec::new(),
        files: Vec::new(),
        action: Some(action),
    };
    let result = run_engine(
        &state,
        target.reference.clone(),
        true,
        Some(step.state),
        Job::Answer(sub),
    )
    .await?;
    if result.status.is_client_error() {
        return Err(Fail(result.status, "The action could not be run.".into()));
    }
    if let Some(bytes) = &result.new_state {
        save(
            &state,
            &opened,
            step.number,
            bytes,
            params.flag("overwrite"),
        )
        .await?;
    }
    Ok(no_content())
}

/// `DELETE /api/session?i&session[&secret]`: deletes the session; 204.
pub async fn delete(
    State(state): State<AppState>,
    ApiRequest { params, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let target = Target::of(&state, &params).await?;
    // A session of this interview, that the secret opens.
    target.latest(&state).await?;
    state
        .store()
        .delete_session(&target.session, target.creds())
        .await
        .map_err(open_error)?;
    Ok(no_content())
}
