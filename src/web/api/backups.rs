//! `/api/backups` (admins): where the encrypted backups stand, and "back up now"; the
//! Backups page calls the same use cases.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::backups::{BackupStatus, DestinationStatus, Success};
use crate::web::AppState;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{Allowed, may};

#[derive(Debug, Serialize, ToSchema)]
pub struct BackupStatusJson {
    /// Whether any destination is configured; without one nothing is backed up.
    pub configured: bool,
    /// Whether any destination's newest backup is older than `warn_after_hours` (or
    /// missing): what turns the Backups page red.
    pub overdue: bool,
    /// How many age public keys (`backup.recipients`) each backup is encrypted to.
    pub recipients: usize,
    #[schema(format = DateTime)]
    pub last_snapshot: Option<String>,
    /// Why the last snapshot could not be taken, until one is.
    pub snapshot_error: Option<String>,
    /// When the next snapshot is due; in the past means now.
    #[schema(format = DateTime)]
    pub next_due: Option<String>,
    /// Snapshots on the box waiting to be uploaded.
    pub queued: usize,
    pub warn_after_hours: u32,
    pub destinations: Vec<BackupDestinationJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BackupDestinationJson {
    /// The `name` of its `[[backup.destination]]`.
    pub name: String,
    /// Where it is (bucket and endpoint, or folder); never credentials.
    pub place: String,
    /// The newest backup known to be whole there.
    pub last_success: Option<BackupSuccessJson>,
    #[schema(format = DateTime)]
    pub last_attempt: Option<String>,
    /// Why the last upload failed; cleared by a success.
    pub last_error: Option<String>,
    /// When a failed upload is tried again.
    #[schema(format = DateTime)]
    pub retry_at: Option<String>,
    /// Snapshots on the box not yet uploaded here.
    pub waiting: usize,
    /// No backup yet, or the newest is older than `warn_after_hours`.
    pub overdue: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BackupSuccessJson {
    pub id: String,
    /// When its snapshot was taken: what the data is as of.
    #[schema(format = DateTime)]
    pub taken_at: String,
    #[schema(format = DateTime)]
    pub uploaded_at: String,
    /// Size of the encrypted payload in bytes.
    pub bytes: u64,
}

fn time(at: jiff::Timestamp) -> String {
    at.to_string()
}

impl From<BackupStatus> for BackupStatusJson {
    fn from(s: BackupStatus) -> Self {
        Self {
            configured: s.configured,
            overdue: s.any_overdue(),
            recipients: s.recipients,
            last_snapshot: s.last_snapshot.map(time),
            snapshot_error: s.snapshot_error,
            next_due: s.next_due.map(time),
            queued: s.queued,
            warn_after_hours: s.warn_after_hours,
            destinations: s.destinations.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<DestinationStatus> for BackupDestinationJson {
    fn from(d: DestinationStatus) -> Self {
        Self {
            name: d.name,
            place: d.place,
            last_success: d.last_success.map(Into::into),
            last_attempt: d.last_attempt.map(time),
            last_error: d.last_error,
            retry_at: d.retry_at.map(time),
            waiting: d.waiting,
            overdue: d.overdue,
        }
    }
}

impl From<Success> for BackupSuccessJson {
    fn from(s: Success) -> Self {
        Self {
            id: s.id,
            taken_at: time(s.taken_at),
            uploaded_at: time(s.uploaded_at),
            bytes: s.bytes,
        }
    }
}

/// Where backups stand: each destination's newest backup, its size, what waits to
/// upload, the last error and the next snapshot (admins only).
#[utoipa::path(get, path = "/api/backups", tag = "backups",
    responses((status = 200, body = BackupStatusJson), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn backup_status(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageBackups>,
) -> Result<Json<BackupStatusJson>, AppError> {
    let status = state.crm.run(move |crm| crm.backup_status(&actor)).await?;
    Ok(Json(status.into()))
}

/// Takes a backup now, in the background (admins only); answers at once with the status
/// as it was, and `GET /api/backups` shows the result once it is uploaded. 409 when
/// backups are not set up.
#[utoipa::path(post, path = "/api/backups/run", tag = "backups",
    responses((status = 202, body = BackupStatusJson), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn run_backup(
    State(state): State<AppState>,
    Allowed { actor, .. }: Allowed<may::ManageBackups>,
) -> Result<(StatusCode, Json<BackupStatusJson>), AppError> {
    let status = state.crm.run(move |crm| crm.request_backup(&actor)).await?;
    Ok((StatusCode::ACCEPTED, Json(status.into())))
}
