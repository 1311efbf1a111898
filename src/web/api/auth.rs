//! `/api/auth`: sign in, sign out, refresh the session token, and register staff.

use axum::Json;
use axum::extract::State;
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::http::{HeaderMap, StatusCode, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::views::UserJson;
use crate::app::{LoginInput, NewUserInput, SignedIn};
use crate::web::AppState;
use crate::web::client_address::ClientAddress;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{Allowed, ApiJson, may, session_cookie, session_token, signed_in_cookie};

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionJson {
    /// Send as `Authorization: Bearer <token>`; the same token is set as a cookie.
    pub token: String,
    pub expires_at: String,
    pub user: UserJson,
    /// Wrong passwords given for this account since its last sign-in; tell its owner
    /// when this is not 0.
    pub failed_sign_ins: u32,
}

fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

fn session_response(https: bool, signed_in: SignedIn) -> Response {
    let cookie = signed_in_cookie(https, &signed_in);
    let body = SessionJson {
        token: signed_in.token,
        expires_at: signed_in.expires_at.to_string(),
        failed_sign_ins: signed_in.failed_attempts,
        user: signed_in.user.into(),
    };
    let mut response = Json(body).into_response();
    response.headers_mut().insert(SET_COOKIE, cookie);
    response
}

/// Signs in with a username and password. After a few wrong passwords for an account,
/// or from one address, each further try must wait longer (429 with `Retry-After`).
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginInput, security(()),
    responses((status = 200, body = SessionJson), (status = 401, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Too many wrong passwords; try again after `Retry-After` seconds",
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(input): ApiJson<LoginInput>,
) -> Result<Response, AppError> {
    let signed_in = state
        .crm
        .login_from(input, &user_agent(&headers), address)
        .await?;
    Ok(session_response(state.https, signed_in))
}

/// Signs this device out. Signing out twice is harmless.
// Signing out needs no session (there may be none left to end), so the security
// requirement lists the anonymous one beside the token and the cookie.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security((), ("bearer" = []), ("cookie" = [])),
    responses((status = 204, description = "Signed out; the session cookie is cleared")))]
pub async fn logout(State(state): State<AppState>, parts: Parts) -> Result<Response, AppError> {
    if let Some((token, _)) = session_token(&parts) {
        state.crm.run(move |crm| crm.logout(&token)).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, session_cookie(state.https, "", 0));
    Ok(response)
}

/// Swaps the session token for a new one and restarts the idle timer.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", responses((status = 200, body = SessionJson), (status = 401, body = Problem)))]
pub async fn refresh(State(state): State<AppState>, parts: Parts) -> Result<Response, AppError> {
    let Some((token, _)) = session_token(&parts) else {
        return Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "sign in first",
        ));
    };
    let agent = user_agent(&parts.headers);
    let signed_in = state
        .crm
        .run(move |crm| crm.refresh(&token, &agent))
        .await?;
    Ok(session_response(state.https, signed_in))
}

/// An admin adds a member of staff (same as `POST /api/users`).
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = NewUserInput,
    responses((status = 201, body = UserJson), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageTeam>,
    ApiJson(input): ApiJson<NewUserInput>,
) -> Result<(StatusCode, Json<UserJson>), AppError> {
    let user = state.crm.create_user(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}
