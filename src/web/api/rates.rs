//! `/api/rates`: the day's metal-rate board, and setting a new rate (admins).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::ListJson;
use crate::app::{BoardLine, ListQuery, RateInput};
use crate::domain::{Metal, MetalRate};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{Allowed, ApiJson, ApiQuery, Auth, may};

/// A rate as set: paise per gram of the purity.
#[derive(Debug, Serialize, ToSchema)]
pub struct RateJson {
    pub id: Uuid,
    pub metal: Metal,
    /// `22K` for gold, fineness (`925`) for silver and platinum.
    pub purity: String,
    pub per_gram_paise: i64,
    pub set_by: Uuid,
    pub set_at: String,
}

impl From<MetalRate> for RateJson {
    fn from(r: MetalRate) -> Self {
        Self {
            id: r.id.as_uuid(),
            metal: r.purity.metal(),
            purity: r.purity.label(),
            per_gram_paise: r.per_gram.get(),
            set_by: r.set_by.as_uuid(),
            set_at: r.set_at.to_string(),
        }
    }
}

/// One purity of the board: the rate in force, or `null` if none was ever set.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardLineJson {
    pub metal: Metal,
    pub purity: String,
    pub rate: Option<RateJson>,
}

impl From<BoardLine> for BoardLineJson {
    fn from(line: BoardLine) -> Self {
        Self {
            metal: line.purity.metal(),
            purity: line.purity.label(),
            rate: line.rate.map(RateJson::from),
        }
    }
}

/// Today's rate board: 24K, 22K, 18K and 14K gold, 999 and 925 silver, 950 platinum.
#[utoipa::path(get, path = "/api/rates", tag = "rates", params(ListQuery),
    responses((status = 200, body = ListJson<BoardLineJson>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn rate_board(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ListJson<BoardLineJson>>, AppError> {
    let request = query.whole()?;
    let board = state.crm.run(move |crm| crm.rate_board(&actor)).await?;
    Ok(Json(ListJson::whole(board, request, BoardLineJson::from)))
}

/// Sets a new rate for one purity (admins). Earlier rates stay in the history; sales
/// already made keep the rate they were priced at.
#[utoipa::path(post, path = "/api/rates", tag = "rates", request_body = RateInput,
    responses((status = 201, body = RateJson), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_rate(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::SetRates>,
    ApiJson(input): ApiJson<RateInput>,
) -> Result<(StatusCode, Json<RateJson>), AppError> {
    let mut saved = state
        .crm
        .run(move |crm| crm.set_rates(&actor, vec![input]))
        .await
        .map_err(|e| match e {
            // One rate was sent, so its errors are about the body's own fields.
            crate::app::Error::Invalid(errors) => {
                let mut plain = crate::domain::FieldErrors::new();
                for (field, message) in errors.iter() {
                    plain.add(field.trim_start_matches("rates[0]."), message.clone());
                }
                crate::app::Error::Invalid(plain)
            }
            other => other,
        })?;
    let rate = saved
        .pop()
        .ok_or_else(|| AppError::from(crate::app::Error::internal_message("no rate saved")))?;
    Ok((StatusCode::CREATED, Json(rate.into())))
}
