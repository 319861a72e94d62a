//! `/api/user*` and `/api/list`: the key's user, new users (admins), the user's API keys and
//! the interviews on offer.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{ApiRequest, Fail, no_content, ok_json};
use crate::accounts::Role;
use crate::accounts::service::{AccountError, create_account};
use crate::http::AppState;
use crate::store::api_keys::KeyMethod;

/// `GET /api/user`: the key's user.
pub async fn me(ApiRequest { caller, .. }: ApiRequest) -> Result<Response, Fail> {
    Ok(ok_json(super::privileges::user_json(&caller.user)))
}

/// `POST`/`PATCH /api/user`: profile changes. This server keeps no profile fields beyond the
/// e-mail address, and passwords change only through the signed-in account pages (the
/// password wraps the user's key), so any field is refused by name.
pub async fn update_me(ApiRequest { params, .. }: ApiRequest) -> Result<Response, Fail> {
    for field in [
        "first_name",
        "last_name",
        "country",
        "subdivisionfirst",
        "subdivisionsecond",
        "subdivisionthird",
        "organization",
        "timezone",
        "language",
        "password",
    ] {
        if params.text(field).is_some() {
            return Err(Fail::bad(format!(
                "The field {field} cannot be changed through the API on this server."
            )));
        }
    }
    Ok(no_content())
}

/// `POST /api/user/new` (admins): `username`/`email`, `password`, `privileges` → `{user_id,
/// password}`.
pub async fn create(
    State(state): State<AppState>,
    ApiRequest { params, caller, .. }: ApiRequest,
) -> Result<Response, Fail> {
    if !caller.has_role(&[Role::Admin]) {
        return Err(Fail::denied());
    }
    let email = params
        .text("username")
        .or_else(|| params.text("email"))
        .ok_or_else(|| Fail::bad("An e-mail address must be supplied."))?;
    let password = params
        .text("password")
        .ok_or_else(|| Fail::bad("A password must be supplied."))?;
    let role = match params.json("privileges").map_err(Fail::bad)? {
        None => Role::User,
        Some(Value::Array(items)) => {
            let names: Vec<String> = items
                .into_iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            match names.as_slice() {
                [] => Role::User,
                [one] => one
                    .parse::<Role>()
                    .map_err(|_| Fail::bad(format!("Invalid privilege name {one:?}.")))?,
                _ => return Err(Fail::bad("This server gives each user one privilege.")),
            }
        }
        Some(Value::String(one)) => one
            .parse::<Role>()
            .map_err(|_| Fail::bad(format!("Invalid privilege name {one:?}.")))?,
        Some(_) => return Err(Fail::bad("Malformed privileges.")),
    };
    match create_account(state.store(), state.config(), &email, &password, role, true).await {
        Ok(id) => Ok(ok_json(json!({"user_id": id.get(), "password": password}))),
        Err(AccountError::Taken) => Err(Fail::bad("That e-mail address is already in use.")),
        Err(e) => Err(Fail::bad(e.to_string())),
    }
}

fn key_json(k: &crate::store::api_keys::ApiKeyInfo) -> Value {
    json!({
        "name": k.name,
        "method": k.method.name(),
        "constraints": k.method.constraints(),
        "last_four": k.last_four,
    })
}

/// `GET /api/user/api`: the user's keys (never the keys themselves); `?name=` one of them.
pub async fn keys(
    State(state): State<AppState>,
    ApiRequest { params, caller, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let keys = state.store().api_keys_of(caller.id()).await?;
    if let Some(name) = params.text("name") {
        return match keys.iter().find(|k| k.name == name) {
            Some(k) => Ok(ok_json(key_json(k))),
            None => Err(Fail(StatusCode::NOT_FOUND, "No such API key.".into())),
        };
    }
    Ok(ok_json(Value::Array(keys.iter().map(key_json).collect())))
}

/// `POST /api/user/api`: a new key `name` (`method` none/ip/referer, `allowed` list) → the key.
pub async fn new_key(
    State(state): State<AppState>,
    ApiRequest { params, caller, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let name = params.require("name", "A name must be supplied.")?;
    if name.chars().count() > 255 {
        return Err(Fail::bad("The name is too long."));
    }
    let allowed: Vec<String> = match params.json("allowed").map_err(Fail::bad)? {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::String(s)) => vec![s],
        Some(_) => return Err(Fail::bad("Malformed allowed.")),
    };
    let method = KeyMethod::build(params.text("method").as_deref().unwrap_or("none"), allowed)
        .map_err(Fail::bad)?;
    match state
        .store()
        .create_api_key(caller.id(), &name, &method)
        .await?
    {
        Some(key) => Ok(ok_json(json!(key.expose()))),
        None => Err(Fail::bad("An API key by that name already exists.")),
    }
}

/// `DELETE /api/user/api?name=`: deletes one of the user's keys; 204.
pub async fn delete_key(
    State(state): State<AppState>,
    ApiRequest { params, caller, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let name = params.require("name", "A name must be supplied.")?;
    if state.store().delete_api_key(caller.id(), &name).await? {
        Ok(no_content())
    } else {
        Err(Fail(StatusCode::NOT_FOUND, "No such API key.".into()))
    }
}

/// `GET /api/list`: the interviews on offer.
pub async fn interview_list(
    State(state): State<AppState>,
    ApiRequest { .. }: ApiRequest,
) -> Result<Response, Fail> {
    let roots = state.config().packages.clone();
    let list = tokio::task::spawn_blocking(move || crate::interviews::list(&roots))
        .await
        .map_err(|e| Fail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let items: Vec<Value> = serde_json::to_value(&list)
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .map(|mut item| {
            if let Some(i) = item.get("i").cloned() {
                item["filename"] = i.clone();
                item["link"] = json!(format!("/interview?i={}", i.as_str().unwrap_or("")));
            }
            item
        })
        .collect();
    Ok(ok_json(Value::Array(items)))
}

/// `GET /api/secret?username=&password=`: a user's secret for the API — it opens that user's
/// sessions in the session routes and makes new ones the user's. It is a sign-in of its own
/// (ending after `sign_in_hours`), checked and throttled like the sign-in form; accounts with
/// two-factor sign-in cannot get one. Unlike docassemble, a wrong address and a wrong password
/// get the same answer.
pub async fn secret(
    State(state): State<AppState>,
    ApiRequest { params, ip, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let (user, key) = verified_user(&state, &params, ip).await?;
    let lifetime = time::Duration::hours(i64::from(state.config().sign_in_hours));
    let token = state
        .store()
        .create_login(
            user.id,
            &key,
            crate::store::accounts::LoginStage::Full,
            false,
            lifetime,
        )
        .await?;
    crate::http::account::audit(&state, "api_secret", Some(&user), None, ip, None).await;
    Ok(ok_json(json!(token.expose())))
}

/// The user named by `username` and `password` (checked and throttled like the sign-in
/// form) and their key; two-factor accounts are refused (the API cannot ask for a code).
pub(crate) async fn verified_user(
    state: &AppState,
    params: &super::Params,
    ip: std::net::IpAddr,
) -> Result<(crate::store::accounts::User, crate::store::UserKey), Fail> {
    use crate::http::account::{PasswordDenial, check_password, mfa_required};
    let username = params.require("username", "A username must be supplied.")?;
    let password = params.require("password", "A password must be supplied.")?;
    let wrong = || {
        Fail(
            StatusCode::FORBIDDEN,
            "Incorrect username or password.".into(),
        )
    };
    let email = crate::accounts::Email::parse(&username).map_err(|_| wrong())?;
    let failure = |f: crate::http::account::Failure| Fail(f.status, f.message);
    let (user, key) = match check_password(state, ip, &email, &password)
        .await
        .map_err(failure)?
    {
        Ok(found) => found,
        Err(PasswordDenial::Throttled(_)) => {
            return Err(Fail(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many failed attempts: try again later.".into(),
            ));
        }
        Err(PasswordDenial::Wrong) => return Err(wrong()),
        Err(PasswordDenial::NotActive) => {
            return Err(Fail(
                StatusCode::FORBIDDEN,
                "The account is not active.".into(),
            ));
        }
    };
    if user.has_totp || mfa_required(state, &user.role) {
        return Err(Fail(
            StatusCode::FORBIDDEN,
            "This account signs in with two-factor authentication: use the sign-in pages.".into(),
        ));
    }
    Ok((user, key))
}
