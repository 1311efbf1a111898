//! `GET /healthz`: liveness for service managers and load checks.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::error::{AppError, Problem};

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the database answers.
    pub status: &'static str,
    pub version: &'static str,
    /// The newest change-log sequence number.
    pub last_change: u64,
}

/// Answers 200 when the server is up and its database readable.
#[utoipa::path(get, path = "/healthz", tag = "system", security(()), responses((status = 200, body = Health), (status = 500, body = Problem)))]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    let last_change = state.crm.health().await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        last_change,
    }))
}
