//! `/api/products`: the catalogue, filtered and paginated; each floor keeps its own.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::views::{ListJson, ProductJson};
use crate::app::{ProductInput, ProductQuery};
use crate::domain::ProductId;
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiJson, ApiQuery, Auth, PathId};

#[utoipa::path(get, path = "/api/products", tag = "products", params(ProductQuery),
    responses((status = 200, body = ListJson<ProductJson>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list_products(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<ProductQuery>,
) -> Result<Json<ListJson<ProductJson>>, AppError> {
    let page = state
        .crm
        .run(move |crm| crm.list_products(&actor, &query))
        .await?;
    Ok(Json(ListJson::from_page(page, ProductJson::from)))
}

/// Adds a product. A Floor Manager adds to their own floor only.
#[utoipa::path(post, path = "/api/products", tag = "products", request_body = ProductInput,
    responses((status = 201, body = ProductJson), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_product(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<ProductInput>,
) -> Result<(StatusCode, Json<ProductJson>), AppError> {
    let product = state
        .crm
        .run(move |crm| crm.create_product(&actor, input))
        .await?;
    Ok((StatusCode::CREATED, Json(product.into())))
}

/// A product. Removing one is a soft delete: a Business Admin still reads a removed
/// product here, with `deleted_at` set, to restore it; to anyone else it is 404.
#[utoipa::path(get, path = "/api/products/{id}", tag = "products", params(("id" = Uuid, Path)),
    responses((status = 200, body = ProductJson), (status = 404, body = Problem)))]
pub async fn get_product(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<Json<ProductJson>, AppError> {
    let product = state
        .crm
        .run(move |crm| crm.get_product(&actor, ProductId::from_uuid(id)))
        .await?;
    Ok(Json(product.into()))
}

#[utoipa::path(put, path = "/api/products/{id}", tag = "products", params(("id" = Uuid, Path)), request_body = ProductInput,
    responses((status = 200, body = ProductJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_product(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiJson(input): ApiJson<ProductInput>,
) -> Result<Json<ProductJson>, AppError> {
    let product = state
        .crm
        .run(move |crm| crm.update_product(&actor, ProductId::from_uuid(id), input))
        .await?;
    Ok(Json(product.into()))
}

#[utoipa::path(delete, path = "/api/products/{id}", tag = "products", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_product(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    state
        .crm
        .run(move |crm| crm.delete_product(&actor, ProductId::from_uuid(id)))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
