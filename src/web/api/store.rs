//! `/api/store`: the store's own settings (GSTIN, GST state code, address, round-off), which every
//! role reads and the admin changes; the settings page calls the same use case.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::StoreSettingsInput;
use crate::domain::{RoundOff, Store};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{Allowed, ApiJson, Auth, may};

#[derive(Debug, Serialize, ToSchema)]
pub struct StoreJson {
    pub id: Uuid,
    /// Fixed by the `store.name` configuration key.
    pub name: String,
    pub gstin: Option<String>,
    /// Two-digit GST state code of the shop, e.g. `19` for West Bengal.
    pub state_code: String,
    pub address: String,
    /// How bills drawn up from now on round the amount payable.
    pub round_off: RoundOff,
    pub created_at: String,
}

impl From<Store> for StoreJson {
    fn from(s: Store) -> Self {
        Self {
            id: s.id.as_uuid(),
            name: s.name.to_string(),
            gstin: s.gstin.map(|g| g.to_string()),
            state_code: s.state_code.to_string(),
            address: s.address.to_string(),
            round_off: s.round_off,
            created_at: s.created_at.to_string(),
        }
    }
}

/// The store of the signed-in person.
#[utoipa::path(get, path = "/api/store", tag = "store", responses((status = 200, body = StoreJson), (status = 401, body = Problem)))]
pub async fn get_store(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<StoreJson>, AppError> {
    let store = state.crm.run(move |crm| crm.store_settings(&actor)).await?;
    Ok(Json(store.into()))
}

/// Changes the store's settings (admins only). The GSTIN must start with the state code.
#[utoipa::path(put, path = "/api/store", tag = "store", request_body = StoreSettingsInput,
    responses((status = 200, body = StoreJson), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn update_store(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ChangeStoreSettings>,
    ApiJson(input): ApiJson<StoreSettingsInput>,
) -> Result<Json<StoreJson>, AppError> {
    let store = state
        .crm
        .run(move |crm| crm.update_store_settings(&actor, input))
        .await?;
    Ok(Json(store.into()))
}
