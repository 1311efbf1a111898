//! `/api/customers/import`, `/api/products/import` and `/api/imports/…`: upload a file
//! for its guessed mapping and preview, change the mapping and choices, then commit or
//! undo the batch. Commit and undo run in the background and answer 202 at once; read
//! the import to follow them.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::app::ListQuery;
use crate::app::imports::{ImportListRow, ImportSettings, ImportView};
use crate::domain::{DuplicateAction, ImportId, ImportKind};
use crate::web::AppState;
use crate::web::api::views::ListJson;
use crate::web::error::{AppError, Problem};
use crate::web::extract::{ApiJson, ApiQuery, Auth, PathId};
use crate::web::uploads;

/// The upload form.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The file: CSV (any separator, UTF-8, UTF-16 or Windows-1252) or Excel (.xlsx,
    /// .xls).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Use the mapping saved under this name instead of guessing one.
    mapping_name: Option<String>,
    /// What to do with rows that match a stored record or an earlier row (default `skip`).
    on_duplicate: Option<DuplicateAction>,
}

/// Uploads a customer file. Answers the import drawn up from it: the mapping guessed
/// from the headers and the preview of every row, with problems by row and column.
/// Nothing is stored until `POST /api/imports/{id}/commit`.
#[utoipa::path(post, path = "/api/customers/import", tag = "imports",
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = ImportView), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn import_customers(
    State(state): State<AppState>,
    Auth(actor): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<ImportView>), AppError> {
    draft(state, actor, ImportKind::Customers, form?).await
}

/// Uploads a stock file (tag number, name, purity, weights…), as
/// `POST /api/customers/import` does for customers.
#[utoipa::path(post, path = "/api/products/import", tag = "imports",
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = ImportView), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn import_products(
    State(state): State<AppState>,
    Auth(actor): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<ImportView>), AppError> {
    draft(state, actor, ImportKind::Products, form?).await
}

async fn draft(
    state: AppState,
    actor: crate::app::Actor,
    kind: ImportKind,
    form: Multipart,
) -> Result<(StatusCode, Json<ImportView>), AppError> {
    let upload = uploads::receive(&state, form).await?;
    let settings = upload_settings(&upload)?;
    let view = state
        .crm
        .run(move |crm| crm.draft_import(&actor, kind, &upload.file_name, &upload.path, settings))
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The settings an upload form may carry with its file.
pub fn upload_settings(upload: &uploads::Upload) -> Result<ImportSettings, AppError> {
    let on_duplicate = match upload.field("on_duplicate") {
        None => None,
        Some(text) => Some(DuplicateAction::parse(text).ok_or_else(|| {
            AppError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "on_duplicate",
                format!("'{text}' is not a choice; use create, update, overwrite or skip"),
            )
        })?),
    };
    Ok(ImportSettings {
        mapping_name: upload.field("mapping_name").map(str::to_owned),
        on_duplicate,
        ..ImportSettings::default()
    })
}

/// The store's imports, newest first (the last 100, which come whole).
#[utoipa::path(get, path = "/api/imports", tag = "imports", params(ListQuery),
    responses((status = 200, body = ListJson<ImportListRow>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list_imports(
    State(state): State<AppState>,
    Auth(actor): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ListJson<ImportListRow>>, AppError> {
    let request = query.whole()?;
    let rows = state.crm.run(move |crm| crm.list_imports(&actor)).await?;
    Ok(Json(ListJson::whole(rows, request, |row| row)))
}

/// An import: its state and counts, and for one not yet written the preview.
#[utoipa::path(get, path = "/api/imports/{id}", tag = "imports", params(("id" = Uuid, Path)),
    responses((status = 200, body = ImportView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn get_import(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<Json<ImportView>, AppError> {
    let view = state
        .crm
        .run(move |crm| crm.import_view(&actor, ImportId::from_uuid(id)))
        .await?;
    Ok(Json(view))
}

/// Changes an import not yet written: its mapping (or a saved one by name), what to do
/// with duplicates (for all rows, and row by row), the floor for products; keeps the
/// mapping by name when asked. Answers the new preview.
#[utoipa::path(put, path = "/api/imports/{id}", tag = "imports", params(("id" = Uuid, Path)), request_body = ImportSettings,
    responses((status = 200, body = ImportView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_import(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiJson(settings): ApiJson<ImportSettings>,
) -> Result<Json<ImportView>, AppError> {
    let view = state
        .crm
        .run(move |crm| crm.update_import(&actor, ImportId::from_uuid(id), settings))
        .await?;
    Ok(Json(view))
}

/// Gives up an import not yet written: its file and preview are forgotten.
#[utoipa::path(delete, path = "/api/imports/{id}", tag = "imports", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn discard_import(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    state
        .crm
        .run(move |crm| crm.discard_import(&actor, ImportId::from_uuid(id)))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How to commit.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitInput {
    /// Refuse the whole file if any row has a problem (otherwise those rows are left
    /// out).
    #[serde(default)]
    pub strict: bool,
}

/// Writes an import: every row without a problem, all or nothing, in chunks that keep
/// the counter responsive. Answers 202 at once with the import `COMMITTING`; read it to
/// follow `progress` until it is `COMMITTED` (or `FAILED`, with nothing kept).
#[utoipa::path(post, path = "/api/imports/{id}/commit", tag = "imports", params(("id" = Uuid, Path)), request_body = CommitInput,
    responses((status = 202, body = ImportView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn commit_import(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
    ApiJson(input): ApiJson<CommitInput>,
) -> Result<(StatusCode, Json<ImportView>), AppError> {
    let id = ImportId::from_uuid(id);
    let view = start_commit(&state, actor, id, input.strict).await?;
    Ok((StatusCode::ACCEPTED, Json(view)))
}

/// Starts a commit and leaves it running on a blocking thread.
pub async fn start_commit(
    state: &AppState,
    actor: crate::app::Actor,
    id: ImportId,
    strict: bool,
) -> Result<ImportView, AppError> {
    let starter = actor.clone();
    let view = state
        .crm
        .run(move |crm| crm.begin_import_commit(&starter, id, strict))
        .await?;
    let crm = state.crm.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(err) = crm.run_import_commit(&actor, id) {
            tracing::error!(import = %id, error = %err, "an import could not be finished");
        }
    });
    Ok(view)
}

/// Takes a written import back as a whole: what it added is removed, what it updated
/// restored. Refused (409, naming them) when records it wrote were changed since or a
/// customer it added has a bill, visit or follow-up. Answers 202; read the import to
/// follow it until `UNDONE`.
#[utoipa::path(post, path = "/api/imports/{id}/undo", tag = "imports", params(("id" = Uuid, Path)),
    responses((status = 202, body = ImportView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn undo_import(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<(StatusCode, Json<ImportView>), AppError> {
    let view = start_undo(&state, actor, ImportId::from_uuid(id)).await?;
    Ok((StatusCode::ACCEPTED, Json(view)))
}

/// Starts an undo and leaves it running on a blocking thread.
pub async fn start_undo(
    state: &AppState,
    actor: crate::app::Actor,
    id: ImportId,
) -> Result<ImportView, AppError> {
    let starter = actor.clone();
    let view = state
        .crm
        .run(move |crm| crm.begin_import_undo(&starter, id))
        .await?;
    let crm = state.crm.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(err) = crm.run_import_undo(&actor, id) {
            tracing::error!(import = %id, error = %err, "an undo could not be finished");
        }
    });
    Ok(view)
}

/// The rows of the file that have problems, as CSV: the file's own columns and a
/// `Problems` column. Fix them and import the file again.
#[utoipa::path(get, path = "/api/imports/{id}/problems", tag = "imports", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn import_problems(
    State(state): State<AppState>,
    Auth(actor): Auth,
    PathId(id): PathId,
) -> Result<impl IntoResponse, AppError> {
    let csv = state
        .crm
        .run(move |crm| crm.import_problems_csv(&actor, ImportId::from_uuid(id)))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"rows-with-problems.csv\"",
            ),
        ],
        csv,
    ))
}
