//! Privileges and user look-ups (docassemble's `/api/privileges`, `/api/user/privileges`,
//! `/api/user/<id>/privileges`, `/api/user/<id>`, `/api/user_info` and `/api/user_list`).
//!
//! This server's privileges are its four fixed roles (`admin`, `advocate`, `developer`,
//! `user`) and each user holds exactly one: the list can be read but not extended, and giving
//! a user a privilege replaces the one it had (taking it away leaves `user`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{ApiRequest, Fail, no_content, ok_json};
use crate::accounts::Role;
use crate::http::AppState;
use crate::store::UserId;
use crate::store::accounts::User;

/// A user as docassemble's `get_user_info` shows one.
pub(super) fn user_json(u: &User) -> Value {
    json!({
        "id": u.id.get(),
        "email": u.email,
        "privileges": [u.role],
        "active": u.active,
        "confirmed": u.email_confirmed,
        "account_type": "local",
    })
}

/// Every privilege name, sorted as docassemble sorts them.
fn privilege_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    names.sort_unstable();
    names
}

/// The user `id` of a path, or docassemble's 404.
async fn user_of(state: &AppState, id: &str) -> Result<User, Fail> {
    let not_found = || Fail(StatusCode::NOT_FOUND, "User not found".into());
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(not_found)?;
    state
        .store()
        .user_by_id(UserId::new(id))
        .await?
        .ok_or_else(not_found)
}

/// `GET /api/privileges`: every privilege name (admins and developers, as in docassemble).
pub async fn list(ApiRequest { caller, .. }: ApiRequest) -> Result<Response, Fail> {
    if !caller.has_role(&[Role::Admin, Role::Developer]) {
        return Err(Fail::bad(
            "You do not have sufficient privileges to see the list of privileges.",
        ));
    }
    Ok(ok_json(json!(privilege_names())))
}

/// `POST`/`DELETE /api/privileges`: adding or removing a privilege (admins); this server's
/// privileges are fixed, so a new name, or removing one of them, is refused by name.
pub async fn change(ApiRequest { params, caller, .. }: ApiRequest) -> Result<Response, Fail> {
    if !caller.has_role(&[Role::Admin]) {
        return Err(Fail::denied());
    }
    let name = params.require("privilege", "A privilege name must be provided.")?;
    if name.parse::<Role>().is_ok() {
        return Err(Fail::bad(format!(
            "The privilege {name} is built in and cannot be changed on this server."
        )));
    }
    Err(Fail::bad(format!(
        "This server's privileges are fixed ({}): {name} cannot be added or removed.",
        privilege_names().join(", ")
    )))
}

/// `GET /api/user/privileges`: the key's user's privileges.
pub async fn mine(ApiRequest { caller, .. }: ApiRequest) -> Result<Response, Fail> {
    Ok(ok_json(json!([caller.user.role])))
}

/// `GET /api/user/<id>/privileges`: that user's privileges (any key, as in docassemble).
pub async fn of_user(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiRequest { .. }: ApiRequest,
) -> Result<Response, Fail> {
    let user = user_of(&state, &id).await?;
    Ok(ok_json(json!([user.role])))
}

/// `POST /api/user/<id>/privileges` (admins): gives the user `privilege` (in place of the one
/// it had); `DELETE …?privilege=` takes it away (the user is then a plain `user`). The last
/// admin keeps the admin privilege.
pub async fn set_of_user(
    State(state): State<AppState>,
    Path(id): Path<String>,
    method: axum::http::Method,
    ApiRequest { params, caller, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let user = user_of(&state, &id).await?;
    if !caller.has_role(&[Role::Admin]) {
        return Err(Fail::denied());
    }
    let name = params.require("privilege", "A privilege name must be provided")?;
    let role = name
        .parse::<Role>()
        .map_err(|_| Fail::bad(format!("The privilege {name} does not exist.")))?;
    let new_role = if method == axum::http::Method::DELETE {
        if user.role != role.as_str() {
            return Err(Fail::bad(format!(
                "The user does not have the privilege {name}."
            )));
        }
        Role::User
    } else {
        role
    };
    if user.role == Role::Admin.as_str()
        && new_role != Role::Admin
        && state.store().count_role(Role::Admin.as_str()).await? <= 1
    {
        return Err(Fail::bad(
            "This is the only admin: make someone else an admin first.",
        ));
    }
    state.store().set_role(user.id, new_role.as_str()).await?;
    Ok(no_content())
}

/// `GET /api/user/<id>`: the user (oneself, or admins and advocates).
pub async fn user(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiRequest { caller, .. }: ApiRequest,
) -> Result<Response, Fail> {
    let user = user_of(&state, &id).await?;
    if user.id != caller.id() && !caller.has_role(&[Role::Admin, Role::Advocate]) {
        return Err(Fail::denied());
    }
    Ok(ok_json(user_json(&user)))
}

/// `GET /api/user_info?username=` (admins and advocates): the user with that e-mail address.
pub async fn user_info(
    State(state): State<AppState>,
    ApiRequest { params, caller, .. }: ApiRequest,
) -> Result<Response, Fail> {
    if !caller.has_role(&[Role::Admin, Role::Advocate]) {
        return Err(Fail::denied());
    }
    let email = params.require("username", "An e-mail address must be supplied.")?;
    let user = state
        .store()
        .user_by_email(&email.to_lowercase())
        .await?
        .ok_or_else(|| Fail(StatusCode::NOT_FOUND, "User not found.".into()))?;
    Ok(ok_json(user_json(&user)))
}

/// `GET /api/user_list[?include_inactive=1]` (admins and advocates): `{"next_id": null,
/// "items": [user…]}` (one page: every user).
pub async fn user_list(
    State(state): State<AppState>,
    ApiRequest { params, caller, .. }: ApiRequest,
) -> Result<Response, Fail> {
    if !caller.has_role(&[Role::Admin, Role::Advocate]) {
        return Err(Fail::denied());
    }
    let include_inactive = params.flag("include_inactive");
    let items: Vec<Value> = state
        .store()
        .list_users()
        .await?
        .iter()
        .filter(|u| include_inactive || u.active)
        .map(user_json)
        .collect();
    Ok(ok_json(json!({"next_id": null, "items": items})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privileges_are_sorted_by_name() {
        assert_eq!(
            privilege_names(),
            vec!["admin", "advocate", "developer", "user"]
        );
    }
}
