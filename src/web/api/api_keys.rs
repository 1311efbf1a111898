//! `/api/api-keys`: integrations' keys, made, listed and revoked by a Business Admin.
//! A key's secret is in the answer to its making and nowhere else.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::ListJson;
use crate::app::{ApiKeyInput, ApiKeyRow, ListQuery, NewApiKey};
use crate::domain::{ApiKey, ApiKeyId, KeyScope};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{Allowed, ApiJson, ApiQuery, PathId, may};

/// A key as the list shows it: never its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyJson {
    pub id: Uuid,
    pub name: String,
    /// The first characters of the secret, to recognise the key by.
    pub prefix: String,
    /// `read_only` or `areas`.
    pub scope: String,
    /// With `areas`: area → `read` or `read_write`.
    pub areas: BTreeMap<String, String>,
    /// The scope in words.
    pub scope_text: String,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub created_at: String,
    /// When the key stops working; null for never.
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub last_used_from: Option<String>,
    pub revoked_at: Option<String>,
}

/// A key just made, with its secret: shown this once, not kept by the server.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewApiKeyJson {
    /// Send as `Authorization: Bearer <secret>` on the API. Keep it safe: it is not
    /// shown again.
    pub secret: String,
    pub key: ApiKeyJson,
}

fn key_json(key: ApiKey, created_by_name: String) -> ApiKeyJson {
    let (scope, areas) = match &key.scope {
        KeyScope::ReadOnly => ("read_only", BTreeMap::new()),
        KeyScope::Areas(areas) => (
            "areas",
            areas
                .iter()
                .map(|(area, access)| (area.as_str().to_owned(), access.as_str().to_owned()))
                .collect(),
        ),
    };
    ApiKeyJson {
        id: key.id.as_uuid(),
        name: key.name.to_string(),
        prefix: key.prefix,
        scope: scope.to_owned(),
        areas,
        scope_text: key.scope.describe(),
        created_by: key.created_by.as_uuid(),
        created_by_name,
        created_at: key.created_at.to_string(),
        expires_at: key.expires_at.map(|t| t.to_string()),
        last_used_at: key.last_used_at.map(|t| t.to_string()),
        last_used_from: key.last_used_from.map(|a| a.to_string()),
        revoked_at: key.revoked_at.map(|t| t.to_string()),
    }
}

impl From<ApiKeyRow> for ApiKeyJson {
    fn from(row: ApiKeyRow) -> Self {
        key_json(row.key, row.created_by_name)
    }
}

/// The store's API keys, newest first, revoked ones too. Business Admins only. The
/// list comes whole (a store has few keys).
#[utoipa::path(get, path = "/api/api-keys", tag = "api-keys", params(ListQuery),
    responses((status = 200, body = ListJson<ApiKeyJson>), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn list_api_keys(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageApiKeys>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ListJson<ApiKeyJson>>, AppError> {
    let request = query.whole()?;
    let rows = state.crm.run(move |crm| crm.api_keys(&actor)).await?;
    Ok(Json(ListJson::whole(rows, request, ApiKeyJson::from)))
}

/// Makes a key for an integration. The answer holds its secret, which is not shown
/// again. At most 100 keys in use per store (409 beyond).
#[utoipa::path(post, path = "/api/api-keys", tag = "api-keys", request_body = ApiKeyInput,
    responses((status = 201, body = NewApiKeyJson), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_api_key(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageApiKeys>,
    ApiJson(input): ApiJson<ApiKeyInput>,
) -> Result<(StatusCode, Json<NewApiKeyJson>), AppError> {
    let maker = actor.name.to_string();
    let NewApiKey { key, secret } = state
        .crm
        .run(move |crm| crm.create_api_key(&actor, input))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewApiKeyJson {
            secret,
            key: key_json(key, maker),
        }),
    ))
}

/// Revokes a key: requests with it answer 401 from now on. Revoking twice is harmless.
#[utoipa::path(delete, path = "/api/api-keys/{id}", tag = "api-keys", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke_api_key(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageApiKeys>,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    state
        .crm
        .run(move |crm| crm.revoke_api_key(&actor, ApiKeyId::from_uuid(id)))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
