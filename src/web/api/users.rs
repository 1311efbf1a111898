//! `/api/users`: the team (admins only) and `/api/users/profile` for oneself.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::views::{ListJson, UserJson};
use crate::app::{ListQuery, NewUserInput, ProfileInput, UserUpdateInput};
use crate::domain::UserId;
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{Allowed, ApiJson, ApiQuery, Auth, PathId, may};

#[utoipa::path(get, path = "/api/users", tag = "users", params(ListQuery),
    responses((status = 200, body = ListJson<UserJson>), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn list_users(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageTeam>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ListJson<UserJson>>, AppError> {
    let request = query.whole()?;
    let users = state
        .crm
        .run(move |crm| crm.list_users(&actor, Deleted::Hide))
        .await?;
    Ok(Json(ListJson::whole(users, request, UserJson::from)))
}

#[utoipa::path(post, path = "/api/users", tag = "users", request_body = NewUserInput,
    responses((status = 201, body = UserJson), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_user(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageTeam>,
    ApiJson(input): ApiJson<NewUserInput>,
) -> Result<(StatusCode, Json<UserJson>), AppError> {
    let user = state.crm.create_user(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

#[utoipa::path(get, path = "/api/users/{id}", tag = "users", params(("id" = Uuid, Path)), responses((status = 200, body = UserJson), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_user(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<Json<UserJson>, AppError> {
    let user = state
        .crm
        .run(move |crm| crm.get_user(&actor, UserId::from_uuid(id)))
        .await?;
    Ok(Json(user.into()))
}

#[utoipa::path(put, path = "/api/users/{id}", tag = "users", params(("id" = Uuid, Path)), request_body = UserUpdateInput,
    responses((status = 200, body = UserJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_user(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageTeam>,
    PathId(id): PathId,
    ApiJson(input): ApiJson<UserUpdateInput>,
) -> Result<Json<UserJson>, AppError> {
    let user = state
        .crm
        .run(move |crm| crm.update_user(&actor, UserId::from_uuid(id), input))
        .await?;
    Ok(Json(user.into()))
}

/// Removes a member of staff: signed out everywhere, cannot sign in again.
#[utoipa::path(delete, path = "/api/users/{id}", tag = "users", params(("id" = Uuid, Path)), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_user(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageTeam>,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    state
        .crm
        .run(move |crm| crm.delete_user(&actor, UserId::from_uuid(id)))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/users/profile", tag = "users", responses((status = 200, body = UserJson), (status = 401, body = Problem)))]
pub async fn get_profile(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<UserJson>, AppError> {
    let user = state.crm.run(move |crm| crm.profile(&actor)).await?;
    Ok(Json(user.into()))
}

/// Changes one's own details; with `current_password` and `new_password`, the password
/// too (which signs out every device).
#[utoipa::path(put, path = "/api/users/profile", tag = "users", request_body = ProfileInput,
    responses((status = 200, body = UserJson), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn update_profile(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<ProfileInput>,
) -> Result<Json<UserJson>, AppError> {
    let user = state.crm.update_profile(&actor, input).await?;
    Ok(Json(user.into()))
}
