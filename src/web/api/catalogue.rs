//! `/api/categories` and `/api/floors`: the shape of the store, kept by the admin.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::views::{CategoryJson, FloorJson, ListJson};
use crate::app::{CategoryInput, FloorInput, ListQuery};
use crate::domain::{CategoryId, FloorId};
use crate::store::Deleted;
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{Allowed, ApiJson, ApiQuery, Auth, PathId, may};

/// Every category of the store; `parent_id` gives the tree.
#[utoipa::path(get, path = "/api/categories", tag = "catalogue", params(ListQuery),
    responses((status = 200, body = ListJson<CategoryJson>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list_categories(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ListJson<CategoryJson>>, AppError> {
    let request = query.whole()?;
    let categories = state
        .crm
        .run(move |crm| crm.list_categories(&actor))
        .await?;
    Ok(Json(ListJson::whole(
        categories,
        request,
        CategoryJson::from,
    )))
}

#[utoipa::path(post, path = "/api/categories", tag = "catalogue", request_body = CategoryInput,
    responses((status = 201, body = CategoryJson), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_category(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageCategories>,
    ApiJson(input): ApiJson<CategoryInput>,
) -> Result<(StatusCode, Json<CategoryJson>), AppError> {
    let category = state
        .crm
        .run(move |crm| crm.create_category(&actor, input))
        .await?;
    Ok((StatusCode::CREATED, Json(category.into())))
}

#[utoipa::path(get, path = "/api/categories/{id}", tag = "catalogue", params(("id" = Uuid, Path)), responses((status = 200, body = CategoryJson), (status = 404, body = Problem)))]
pub async fn get_category(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<Json<CategoryJson>, AppError> {
    let category = state
        .crm
        .run(move |crm| crm.get_category(&actor, CategoryId::from_uuid(id)))
        .await?;
    Ok(Json(category.into()))
}

#[utoipa::path(put, path = "/api/categories/{id}", tag = "catalogue", params(("id" = Uuid, Path)), request_body = CategoryInput,
    responses((status = 200, body = CategoryJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_category(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageCategories>,
    PathId(id): PathId,
    ApiJson(input): ApiJson<CategoryInput>,
) -> Result<Json<CategoryJson>, AppError> {
    let category = state
        .crm
        .run(move |crm| crm.update_category(&actor, CategoryId::from_uuid(id), input))
        .await?;
    Ok(Json(category.into()))
}

#[utoipa::path(delete, path = "/api/categories/{id}", tag = "catalogue", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_category(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageCategories>,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    state
        .crm
        .run(move |crm| crm.delete_category(&actor, CategoryId::from_uuid(id)))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The store's floors from the ground up.
#[utoipa::path(get, path = "/api/floors", tag = "floors", params(ListQuery),
    responses((status = 200, body = ListJson<FloorJson>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list_floors(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ListJson<FloorJson>>, AppError> {
    let request = query.whole()?;
    let floors = state
        .crm
        .run(move |crm| crm.list_floors(&actor, Deleted::Hide))
        .await?;
    Ok(Json(ListJson::whole(floors, request, FloorJson::from)))
}

#[utoipa::path(post, path = "/api/floors", tag = "floors", request_body = FloorInput,
    responses((status = 201, body = FloorJson), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_floor(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageFloors>,
    ApiJson(input): ApiJson<FloorInput>,
) -> Result<(StatusCode, Json<FloorJson>), AppError> {
    let floor = state
        .crm
        .run(move |crm| crm.create_floor(&actor, input))
        .await?;
    Ok((StatusCode::CREATED, Json(floor.into())))
}

/// A floor. Removing one is a soft delete: a Business Admin still reads a removed
/// floor here, with `deleted_at` set, to restore it; to anyone else it is 404.
#[utoipa::path(get, path = "/api/floors/{id}", tag = "floors", params(("id" = Uuid, Path)), responses((status = 200, body = FloorJson), (status = 404, body = Problem)))]
pub async fn get_floor(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<Json<FloorJson>, AppError> {
    let floor = state
        .crm
        .run(move |crm| crm.get_floor(&actor, FloorId::from_uuid(id)))
        .await?;
    Ok(Json(floor.into()))
}

#[utoipa::path(put, path = "/api/floors/{id}", tag = "floors", params(("id" = Uuid, Path)), request_body = FloorInput,
    responses((status = 200, body = FloorJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_floor(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageFloors>,
    PathId(id): PathId,
    ApiJson(input): ApiJson<FloorInput>,
) -> Result<Json<FloorJson>, AppError> {
    let floor = state
        .crm
        .run(move |crm| crm.update_floor(&actor, FloorId::from_uuid(id), input))
        .await?;
    Ok(Json(floor.into()))
}

#[utoipa::path(delete, path = "/api/floors/{id}", tag = "floors", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_floor(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageFloors>,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    state
        .crm
        .run(move |crm| crm.delete_floor(&actor, FloorId::from_uuid(id)))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Brings a removed floor back (admins only).
#[utoipa::path(post, path = "/api/floors/{id}/restore", tag = "floors", params(("id" = Uuid, Path)),
    responses((status = 200, body = FloorJson), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn restore_floor(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageFloors>,
    PathId(id): PathId,
) -> Result<Json<FloorJson>, AppError> {
    let floor = state
        .crm
        .run(move |crm| crm.restore_floor(&actor, FloorId::from_uuid(id)))
        .await?;
    Ok(Json(floor.into()))
}
