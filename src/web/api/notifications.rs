//! `/api/notifications` (the signed-in person's list and unread count, and marking
//! them read) and `/api/customers/{id}/hand-off` (sending a customer to another floor).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::activity_views::InteractionJson;
use crate::app::{HandOffInput, MarkReadInput, NotificationList};
use crate::domain::{CustomerId, Notification, NotificationKind};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiJson, Auth, PathId};

/// One notification, as the list and the live events show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationJson {
    pub id: Uuid,
    #[schema(value_type = String, example = "SALE_COMPLETED")]
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    /// A path inside the app (`/customers/{id}`), or null.
    pub link: Option<String>,
    /// Shown as a toast on the page as well as in the bell.
    pub urgent: bool,
    /// Whether you had read it before this list was asked for.
    pub read: bool,
    pub created_at: String,
}

impl NotificationJson {
    fn new(n: Notification, read: bool) -> Self {
        Self {
            id: n.id.as_uuid(),
            kind: n.kind,
            title: n.title,
            body: n.body,
            link: n.link,
            urgent: n.urgent,
            read,
            created_at: n.created_at.to_string(),
        }
    }
}

/// Your notifications, newest first (the newest 100), in the list envelope, with how
/// many you have not read.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationsJson {
    pub items: Vec<NotificationJson>,
    /// How many items there are.
    pub total: Option<u64>,
    /// Always null: the list comes whole.
    pub next: Option<String>,
    /// How many you have not read (counted up to 100).
    pub unread: u32,
}

impl From<NotificationList> for NotificationsJson {
    fn from(list: NotificationList) -> Self {
        Self {
            total: Some(list.items.len() as u64),
            items: list
                .items
                .into_iter()
                .map(|(n, read)| NotificationJson::new(n, read))
                .collect(),
            next: None,
            unread: list.unread,
        }
    }
}

/// What is still unread after marking.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadJson {
    pub unread: u32,
}

/// Your notifications: those for you, your floor (Floor Managers), the admins (Business
/// Admins) and everyone in the store.
#[utoipa::path(get, path = "/api/notifications", tag = "notifications",
    responses((status = 200, body = NotificationsJson), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    Auth(actor): Auth,
) -> Result<Json<NotificationsJson>, AppError> {
    let list = state.crm.run(move |crm| crm.notifications(&actor)).await?;
    Ok(Json(list.into()))
}

/// Marks the notifications named in `ids` read, or all of them when `ids` is left out.
/// Ids you do not see change nothing.
#[utoipa::path(post, path = "/api/notifications/read", tag = "notifications", request_body = MarkReadInput,
    responses((status = 200, body = UnreadJson), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn mark_notifications_read(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<MarkReadInput>,
) -> Result<Json<UnreadJson>, AppError> {
    let unread = state
        .crm
        .run(move |crm| crm.mark_notifications_read(&actor, input))
        .await?;
    Ok(Json(UnreadJson { unread }))
}

/// Sends the customer to another floor (the bridal floor, say): a HANDED_OFF entry on
/// their timeline, and the managers of that floor are notified at once. A floor that is
/// not a live floor of the store, or your own, answers 422 and nothing is stored.
#[utoipa::path(post, path = "/api/customers/{id}/hand-off", tag = "activity", params(("id" = Uuid, Path)), request_body = HandOffInput,
    responses((status = 201, body = InteractionJson), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn hand_off(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiJson(input): ApiJson<HandOffInput>,
) -> Result<(StatusCode, Json<InteractionJson>), AppError> {
    let interaction = state
        .crm
        .run(move |crm| crm.send_to_floor(&actor, CustomerId::from_uuid(id), input))
        .await?;
    Ok((StatusCode::CREATED, Json(interaction.into())))
}
