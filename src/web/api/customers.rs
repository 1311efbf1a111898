//! `/api/customers`: list, create, read, replace, remove and restore customers.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::views::{CustomerJson, ListJson};
use crate::app::{CustomerInput, CustomerQuery};
use crate::domain::{CustomerId, CustomerValue};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{Allowed, ApiJson, ApiQuery, Auth, PathId, may};

/// Lists the store's customers, newest first (or as `sort` says: by name, lifetime
/// value, last purchase or visits), with filters and pagination.
#[utoipa::path(get, path = "/api/customers", tag = "customers", params(CustomerQuery),
    responses((status = 200, body = ListJson<CustomerJson>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list_customers(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<CustomerQuery>,
) -> Result<Json<ListJson<CustomerJson>>, AppError> {
    let (page, values) = state
        .crm
        .run(move |crm| {
            let page = crm.list_customers(&actor, &query)?;
            let ids: Vec<CustomerId> = page.items.iter().map(|c| c.id).collect();
            let values = crm.customer_values(&actor, &ids)?;
            Ok((page, values))
        })
        .await?;
    Ok(Json(ListJson::from_page(page, |c| {
        let value = values.get(&c.id).copied().unwrap_or_default();
        CustomerJson::new(c, value)
    })))
}

/// Adds a customer. A phone number already on file answers 409 naming that customer.
#[utoipa::path(post, path = "/api/customers", tag = "customers", request_body = CustomerInput,
    responses((status = 201, body = CustomerJson), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_customer(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<CustomerInput>,
) -> Result<(StatusCode, Json<CustomerJson>), AppError> {
    let customer = state
        .crm
        .run(move |crm| crm.create_customer(&actor, input))
        .await?;
    // A customer added just now has bought nothing and has not walked in.
    Ok((
        StatusCode::CREATED,
        Json(CustomerJson::new(customer, CustomerValue::default())),
    ))
}

/// A customer. Removing one is a soft delete: a Business Admin still reads a removed
/// customer here, with `deleted_at` set, to restore it; to anyone else it is 404.
#[utoipa::path(get, path = "/api/customers/{id}", tag = "customers", params(("id" = Uuid, Path)),
    responses((status = 200, body = CustomerJson), (status = 404, body = Problem)))]
pub async fn get_customer(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<Json<CustomerJson>, AppError> {
    let customer = state
        .crm
        .run(move |crm| {
            let customer = crm.get_customer(&actor, CustomerId::from_uuid(id))?;
            let value = crm.customer_value(&actor, customer.id)?;
            Ok((customer, value))
        })
        .await?;
    Ok(Json(CustomerJson::new(customer.0, customer.1)))
}

/// Replaces a customer's details (send every field to keep).
#[utoipa::path(put, path = "/api/customers/{id}", tag = "customers", params(("id" = Uuid, Path)), request_body = CustomerInput,
    responses((status = 200, body = CustomerJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_customer(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiJson(input): ApiJson<CustomerInput>,
) -> Result<Json<CustomerJson>, AppError> {
    let customer = state
        .crm
        .run(move |crm| {
            let customer = crm.update_customer(&actor, CustomerId::from_uuid(id), input)?;
            let value = crm.customer_value(&actor, customer.id)?;
            Ok((customer, value))
        })
        .await?;
    Ok(Json(CustomerJson::new(customer.0, customer.1)))
}

/// Removes a customer (soft delete; an admin can restore them).
#[utoipa::path(delete, path = "/api/customers/{id}", tag = "customers", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_customer(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    state
        .crm
        .run(move |crm| crm.delete_customer(&actor, CustomerId::from_uuid(id)))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Brings a removed customer back (admins only).
#[utoipa::path(post, path = "/api/customers/{id}/restore", tag = "customers", params(("id" = Uuid, Path)),
    responses((status = 200, body = CustomerJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn restore_customer(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::RestoreCustomers>,
    PathId(id): PathId,
) -> Result<Json<CustomerJson>, AppError> {
    let customer = state
        .crm
        .run(move |crm| {
            let customer = crm.restore_customer(&actor, CustomerId::from_uuid(id))?;
            let value = crm.customer_value(&actor, customer.id)?;
            Ok((customer, value))
        })
        .await?;
    Ok(Json(CustomerJson::new(customer.0, customer.1)))
}
