//! Admin pages: the users with role editing, and the audit log. Admins only (advocates may
//! read the user list, not change it).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use serde_json::json;

use super::pages::{self, Input};
use super::{ClientIp, Failure, Viewer, audit, check_csrf, csrf_for, ok, parse_form, query_json};
use crate::accounts::Role;
use crate::http::AppState;
use crate::store::UserId;

fn refuse(viewer: &Viewer, json: bool) -> Failure {
    if viewer.0.is_none() {
        Failure::new(StatusCode::UNAUTHORIZED, "Sign in first.").json(json)
    } else {
        Failure::new(StatusCode::FORBIDDEN, "Only admins may do this.").json(json)
    }
}

/// `GET /admin/users`: every account, with a role form per user.
pub async fn users(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, Failure> {
    let json = query_json(query.as_deref());
    if !matches!(viewer.role(), Some(Role::Admin | Role::Advocate)) {
        return Err(refuse(&viewer, json));
    }
    let editable = viewer.role() == Some(Role::Admin);
    let users = state.store().list_users().await?;
    let (csrf, jar) = csrf_for(&state, jar)?;
    let list: Vec<serde_json::Value> = users
        .iter()
        .map(|u| {
            json!({
                "id": u.id, "email": u.email, "role": u.role, "active": u.active,
                "email_confirmed": u.email_confirmed, "two_factor": u.has_totp,
            })
        })
        .collect();
    Ok(ok(
        json,
        jar,
        json!({"action": "users", "users": list, "csrf_token": csrf}),
        || {
            let mut rows = String::new();
            for u in &users {
                let role_cell = if editable {
                    let options: String = Role::ALL
                        .iter()
                        .map(|r| {
                            let sel = if r.as_str() == u.role {
                                " selected"
                            } else {
                                ""
                            };
                            format!("<option value=\"{r}\"{sel}>{r}</option>")
                        })
                        .collect();
                    let id = u.id.to_string();
                    let mut f = pages::form(
                        "/admin/users/role",
                        &csrf,
                        &[Input::Hidden("user_id", &id)],
                        "Save",
                        None,
                    );
                    let select = format!(
                        "<label for=\"role-{id}\">Role of {}</label><select id=\"role-{id}\" name=\"role\">{options}</select>",
                        pages::esc(&u.email)
                    );
                    f = f.replacen("<button", &format!("{select}<button"), 1);
                    f
                } else {
                    pages::esc(&u.role)
                };
                rows.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{role_cell}</td></tr>",
                    u.id,
                    pages::esc(&u.email),
                    if u.active { "active" } else { "inactive" },
                    if u.has_totp { "on" } else { "off" },
                ));
            }
            pages::layout(
                "Users",
                &format!(
                    "<table><thead><tr><th>#</th><th>E-mail</th><th>State</th><th>Two-factor</th>\
                     <th>Role</th></tr></thead><tbody>{rows}</tbody></table>"
                ),
            )
        },
    ))
}

/// `POST /admin/users/role`: `user_id`, `role`, `csrf_token`. An admin cannot demote the
/// last admin.
pub async fn set_role(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    viewer: Viewer,
    RawQuery(query): RawQuery,
    jar: CookieJar,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    let form = parse_form(&headers, query.as_deref(), &body)?;
    let json = form.json;
    check_csrf(&state, &jar, &headers, &form)?;
    let Some((_, admin)) = viewer
        .0
        .as_ref()
        .filter(|_| viewer.role() == Some(Role::Admin))
    else {
        if let Some((_, l)) = &viewer.0 {
            audit(
                &state,
                "role_change_refused",
                Some(&l.user),
                None,
                ip,
                Some(&format!(
                    "tried to set user {} to {}",
                    form.text("user_id"),
                    form.text("role")
                )),
            )
            .await;
        }
        return Err(refuse(&viewer, json));
    };
    let role: Role = form
        .text("role")
        .parse()
        .map_err(|e: crate::accounts::UnknownRole| {
            Failure::new(StatusCode::BAD_REQUEST, e.to_string()).json(json)
        })?;
    let id = form
        .text("user_id")
        .trim()
        .parse::<i64>()
        .map(UserId::new)
        .map_err(|_| {
            Failure::new(StatusCode::BAD_REQUEST, "user_id is not a number.").json(json)
        })?;
    let Some(target) = state.store().user_by_id(id).await? else {
        return Err(Failure::new(StatusCode::NOT_FOUND, "No such user.").json(json));
    };
    if target.role == "admin"
        && role != Role::Admin
        && state.store().count_role("admin").await? <= 1
    {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            "This is the only admin: make someone else an admin first.",
        )
        .json(json));
    }
    state.store().set_role(id, role.as_str()).await?;
    audit(
        &state,
        "role_change",
        Some(&target),
        None,
        ip,
        Some(&format!(
            "{} -> {role} by {}",
            target.role, admin.user.email
        )),
    )
    .await;
    if json {
        Ok(ok(
            true,
            jar,
            json!({"action": "role_changed", "id": id, "role": role.as_str()}),
            String::new,
        ))
    } else {
        Ok(super::redirect(StatusCode::SEE_OTHER, jar, "/admin/users"))
    }
}

/// `GET /admin/audit`: the newest 200 security events.
pub async fn audit_log(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
    jar: CookieJar,
) -> Result<Response, Failure> {
    let json = query_json(query.as_deref());
    if viewer.role() != Some(Role::Admin) {
        return Err(refuse(&viewer, json));
    }
    let events = state.store().audit_events(200).await?;
    Ok(ok(
        json,
        jar,
        json!({"action": "audit", "events": events}),
        || {
            let rows: String = events
                .iter()
                .map(|e| {
                    format!(
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        pages::esc(&e.at.to_string()),
                        pages::esc(&e.event),
                        pages::esc(e.email.as_deref().unwrap_or("")),
                        pages::esc(e.ip.as_deref().unwrap_or("")),
                        pages::esc(e.detail.as_deref().unwrap_or("")),
                    )
                })
                .collect();
            pages::layout(
                "Audit log",
                &format!(
                    "<table><thead><tr><th>When</th><th>Event</th><th>Account</th><th>IP</th>\
                 <th>Detail</th></tr></thead><tbody>{rows}</tbody></table>"
                ),
            )
        },
    ))
}
