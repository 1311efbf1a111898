//! `/api/interactions`, `/api/follow-ups`, `/api/customers/{id}/timeline` and
//! `/api/my-day`: what happened with customers and what is to be done for them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::activity_views::{
    FollowUpJson, InteractionJson, MyDayJson, TimelineEntryJson, WalkInJson,
};
use super::views::ListJson;
use crate::app::{
    FollowUpChange, FollowUpInput, FollowUpQuery, InteractionInput, InteractionQuery,
    TimelineQuery, WalkInInput,
};
use crate::domain::{CustomerId, FollowUpId};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiJson, ApiQuery, Auth, PathId};

/// Interactions newest first: one customer's, one floor's, or (admins) every floor's.
/// A Floor Manager sees their own floor's.
#[utoipa::path(get, path = "/api/interactions", tag = "activity", params(InteractionQuery),
    responses((status = 200, body = ListJson<InteractionJson>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_interactions(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<InteractionQuery>,
) -> Result<Json<ListJson<InteractionJson>>, AppError> {
    let page = state
        .crm
        .run(move |crm| crm.list_interactions(&actor, &query))
        .await?;
    Ok(Json(ListJson::from_page(page, InteractionJson::from)))
}

/// Logs something that happened with a customer (a call, a complaint, an inquiry…).
#[utoipa::path(post, path = "/api/interactions", tag = "activity", request_body = InteractionInput,
    responses((status = 201, body = InteractionJson), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn log_interaction(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<InteractionInput>,
) -> Result<(StatusCode, Json<InteractionJson>), AppError> {
    let interaction = state
        .crm
        .run(move |crm| crm.log_interaction(&actor, input))
        .await?;
    Ok((StatusCode::CREATED, Json(interaction.into())))
}

/// Logs a walk-in by name and phone: on the customer who has the number, or on a new
/// PROSPECT customer added with it.
#[utoipa::path(post, path = "/api/interactions/walk-in", tag = "activity", request_body = WalkInInput,
    responses((status = 201, body = WalkInJson), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn log_walk_in(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<WalkInInput>,
) -> Result<(StatusCode, Json<WalkInJson>), AppError> {
    let walk_in = state
        .crm
        .run(move |crm| crm.log_walk_in(&actor, input))
        .await?;
    Ok((StatusCode::CREATED, Json(walk_in.into())))
}

/// Follow-ups soonest due first. Open ones (PENDING, RESCHEDULED) unless `status`
/// says otherwise; completed and cancelled ones per customer.
#[utoipa::path(get, path = "/api/follow-ups", tag = "activity", params(FollowUpQuery),
    responses((status = 200, body = ListJson<FollowUpJson>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_follow_ups(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<FollowUpQuery>,
) -> Result<Json<ListJson<FollowUpJson>>, AppError> {
    let page = state
        .crm
        .run(move |crm| crm.list_follow_ups(&actor, &query))
        .await?;
    Ok(Json(ListJson::from_page(page, FollowUpJson::from)))
}

/// Schedules a follow-up (PENDING), owned by you unless an admin names someone.
#[utoipa::path(post, path = "/api/follow-ups", tag = "activity", request_body = FollowUpInput,
    responses((status = 201, body = FollowUpJson), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_follow_up(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<FollowUpInput>,
) -> Result<(StatusCode, Json<FollowUpJson>), AppError> {
    let follow_up = state
        .crm
        .run(move |crm| crm.create_follow_up(&actor, input))
        .await?;
    Ok((StatusCode::CREATED, Json(follow_up.into())))
}

#[utoipa::path(get, path = "/api/follow-ups/{id}", tag = "activity", params(("id" = Uuid, Path)),
    responses((status = 200, body = FollowUpJson), (status = 404, body = Problem)))]
pub async fn get_follow_up(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<Json<FollowUpJson>, AppError> {
    let follow_up = state
        .crm
        .run(move |crm| crm.get_follow_up(&actor, FollowUpId::from_uuid(id)))
        .await?;
    Ok(Json(follow_up.into()))
}

/// Reschedules (`due_at`), completes (COMPLETED with an `outcome`), cancels, or adds
/// notes. COMPLETED and CANCELLED are final: changing one answers 422.
#[utoipa::path(patch, path = "/api/follow-ups/{id}", tag = "activity", params(("id" = Uuid, Path)), request_body = FollowUpChange,
    responses((status = 200, body = FollowUpJson), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_follow_up(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiJson(change): ApiJson<FollowUpChange>,
) -> Result<Json<FollowUpJson>, AppError> {
    let follow_up = state
        .crm
        .run(move |crm| crm.update_follow_up(&actor, FollowUpId::from_uuid(id), change))
        .await?;
    Ok(Json(follow_up.into()))
}

/// The customer's timeline, newest first: interactions, follow-ups, sales, and when
/// the record was added and last changed. A Floor Manager sees their floor's entries.
/// `total` is not counted (`null`).
#[utoipa::path(get, path = "/api/customers/{id}/timeline", tag = "activity", params(("id" = Uuid, Path), TimelineQuery),
    responses((status = 200, body = ListJson<TimelineEntryJson>), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn customer_timeline(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiQuery(query): ApiQuery<TimelineQuery>,
) -> Result<Json<ListJson<TimelineEntryJson>>, AppError> {
    let request = query.request()?;
    let timeline = state
        .crm
        .run(move |crm| crm.customer_timeline(&actor, CustomerId::from_uuid(id), request))
        .await?;
    Ok(Json(ListJson::from_page(
        timeline.entries,
        TimelineEntryJson::from,
    )))
}

/// Your day: your overdue and due-today follow-ups, and this week's birthdays and
/// anniversaries, each with WhatsApp and call links.
#[utoipa::path(get, path = "/api/my-day", tag = "activity",
    responses((status = 200, body = MyDayJson), (status = 401, body = Problem)))]
pub async fn my_day(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<MyDayJson>, AppError> {
    let day = state
        .crm
        .run(move |crm| crm.my_day(&actor, crm.today()))
        .await?;
    Ok(Json(day.into()))
}
