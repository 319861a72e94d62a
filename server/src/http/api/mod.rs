//! docassemble's REST API (`/api/*`, protocol spec §6) for custom front ends and other
//! servers: API keys, sessions driven by variables and questions, users.
//!
//! Every route needs an API key (`key` in the query or body, the `X-API-Key` cookie or header,
//! or `Authorization: Bearer`); failures answer docassemble's JSON strings (`403 "Access
//! denied."`). Keys never authenticate through cookies alone that a browser sends by itself
//! to another site: the `X-API-Key` cookie is read only as docassemble does, and API routes
//! set no cookies. Bodies are JSON or forms; list/dict parameters in forms are JSON text.

mod auth;
mod files;
mod glob;
mod interview_data;
mod listing;
mod params;
mod privileges;
mod query;
mod sessions;
mod stash;
mod users;

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::AppState;
use super::error::ApiError;

pub use auth::Caller;
pub use params::Params;
pub(crate) use sessions::{Opener, opener_from_text};
pub(crate) use users::verified_user;

/// A positive whole number of seconds, else `None`.
pub(crate) fn positive_seconds(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|n| *n > 0)
}

/// A checked API request: its parameters (query and body) and the key's user. Every API
/// handler takes one, so no route can forget the key.
pub struct ApiRequest {
    /// The parameters.
    pub params: Params,
    /// Who is calling.
    pub caller: Caller,
    /// The caller's address.
    pub ip: std::net::IpAddr,
}

impl axum::extract::FromRequest<AppState> for ApiRequest {
    type Rejection = Fail;

    async fn from_request(
        req: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::FromRequestParts as _;
        let (mut parts, body) = req.into_parts();
        let Ok(super::account::ClientIp(ip)) =
            super::account::ClientIp::from_request_parts(&mut parts, state).await;
        // The router's body limit (max_upload_bytes) has already bounded the body.
        let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|_| {
            Fail(
                StatusCode::PAYLOAD_TOO_LARGE,
                "The request is too large.".into(),
            )
        })?;
        let params = Params::read(parts.uri.query(), &parts.headers, bytes).await?;
        let caller = auth::authenticate(state, &params, &parts.headers, ip).await?;
        Ok(ApiRequest { params, caller, ip })
    }
}

/// The API routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/session/new", get(sessions::new_session))
        .route(
            "/api/session",
            get(sessions::variables)
                .post(sessions::set_variables)
                .delete(sessions::delete),
        )
        .route("/api/session/question", get(sessions::question))
        .route("/api/session/back", post(sessions::back))
        .route("/api/session/action", post(sessions::action))
        .route(
            "/api/user",
            get(users::me)
                .post(users::update_me)
                .patch(users::update_me),
        )
        .route("/api/user/new", post(users::create))
        .route(
            "/api/user/api",
            get(users::keys)
                .post(users::new_key)
                .delete(users::delete_key),
        )
        .route("/api/list", get(users::interview_list))
        .route(
            "/api/interviews",
            get(listing::all_get).delete(listing::all_delete),
        )
        .route(
            "/api/user/interviews",
            get(listing::mine_get).delete(listing::mine_delete),
        )
        .route(
            "/api/users/interviews",
            get(listing::users_get).delete(listing::users_delete),
        )
        .route(
            "/api/user/{id}/interviews",
            get(listing::user_get).delete(listing::user_delete),
        )
        .route("/api/secret", get(users::secret))
        .route(
            "/api/privileges",
            get(privileges::list)
                .post(privileges::change)
                .delete(privileges::change),
        )
        .route("/api/user/privileges", get(privileges::mine))
        .route(
            "/api/user/{id}/privileges",
            get(privileges::of_user)
                .post(privileges::set_of_user)
                .delete(privileges::set_of_user),
        )
        .route("/api/user/{id}", get(privileges::user))
        .route("/api/user_info", get(privileges::user_info))
        .route("/api/user_list", get(privileges::user_list))
        .route("/api/interview_data", get(interview_data::interview_data))
        // Any other /api/ path is docassemble's 404, never the app's page.
        .route("/api/{*rest}", axum::routing::any(not_offered))
        .route("/api/file/{number}", get(files::file))
        .route("/api/stash_data", post(stash::stash))
        .route("/api/retrieve_stashed_data", get(stash::retrieve))
        .route("/api/login_url", post(super::links::login_url))
        .route("/api/resume_url", post(super::links::resume_url))
        .route("/api/temp_url", get(super::temp_url::temp_url))
}

/// `404 "Not found."` for API routes this server does not offer.
async fn not_offered() -> Fail {
    Fail(StatusCode::NOT_FOUND, "Not found.".into())
}

/// An API failure: docassemble answers a JSON string with the status.
#[derive(Debug)]
pub struct Fail(pub StatusCode, pub String);

impl Fail {
    /// 400 with `message`.
    pub fn bad(message: impl Into<String>) -> Self {
        Fail(StatusCode::BAD_REQUEST, message.into())
    }

    /// 403 `"Access denied."`.
    pub fn denied() -> Self {
        Fail(StatusCode::FORBIDDEN, "Access denied.".into())
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        if self.0.is_server_error() {
            tracing::error!(detail = %self.1, "API request failed");
        }
        let mut resp = (self.0, Json(self.1)).into_response();
        resp.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        resp
    }
}

impl From<ApiError> for Fail {
    fn from(e: ApiError) -> Self {
        let status = e.clone_status();
        match e {
            ApiError::Internal(_) => {
                Fail(status, "the server could not complete the request".into())
            }
            // docassemble's API answers 400 with the message for whatever the interview raised
            // (`except BaseException as err: jsonify_with_status(str(err), 400)`).
            ApiError::Interview(message) => Fail(StatusCode::BAD_REQUEST, message),
            other => Fail(status, other.to_string()),
        }
    }
}

impl From<crate::store::StoreError> for Fail {
    fn from(e: crate::store::StoreError) -> Self {
        Fail::from(ApiError::from(e))
    }
}

impl From<crate::interviews::InterviewError> for Fail {
    fn from(e: crate::interviews::InterviewError) -> Self {
        Fail::from(ApiError::from(e))
    }
}

/// A JSON answer that is never cached.
pub fn ok_json(value: serde_json::Value) -> Response {
    let mut resp = (StatusCode::OK, Json(value)).into_response();
    resp.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    resp
}

/// 204.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
